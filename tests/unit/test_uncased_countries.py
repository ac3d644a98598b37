"""Countries in spaced scripts without capitals (Persian, Arabic, Hindi, Korean): names of
several words, ZWNJ, nukta, words with vowel signs, stacked enclitics, short names from CLDR's
language names and regional variants, a place after a given name. Text written for these
tests."""

from __future__ import annotations

import pytest

from worker.enrich import Enricher, ordinary, places, scriptplaces
from worker.enrich.spans import Spans


def _codes(lang: str, text: str) -> list[tuple[str, str]]:
    hits = places.gazetteer(lang).find(text, Spans())
    return [(h.text, h.candidates[0].code) for h in hits]


@pytest.mark.parametrize(("lang", "text", "want"), [
    # names of several words: the word scan starts a name by its capital, these scripts have none
    ("fa", "هیئتی از کره جنوبی به تهران آمد", ("کره جنوبی", "KR")),
    ("fa", "هیئتی از کره\u200cجنوبی به تهران آمد", ("کره\u200cجنوبی", "KR")),  # ZWNJ
    ("fa", "سفیر جمهوری آذربایجان دیروز آمد", ("جمهوری آذربایجان", "AZ")),
    ("ar", "وصل وفد من والولايات المتحدة أمس", ("والولايات المتحدة", "US")),  # a proclitic
    ("hi", "दक्षिण कोरिया का एक दल आया", ("दक्षिण कोरिया", "KR")),  # vowel signs kept
    # a one-word name with vowel signs from ISO 3166-2 (Hindi names of Indian states)
    ("hi", "राजस्थान में कल बारिश हुई", ("राजस्थान", "IN")),
    # each land an ISO 3166-2 name joins with "and" ("जम्मू और कश्मीर"), named alone
    ("hi", "कश्मीर की घाटी में बर्फ़ गिरी", ("कश्मीर", "IN")),
    ("hi", "वे जम्मू से लौटे", ("जम्मू", "IN")),
    # a Devanagari name of three letters (its vowel signs are marks): GeoNames' other names
    ("hi", "वह लंदन से लौटी", ("लंदन", "GB")),
    ("hi", "पटना में मेला लगा", ("पटना", "IN")),
    # the nukta, precomposed or as a mark, or left out
    ("hi", "कल इराक़ में एक बैठक हुई", ("इराक़", "IQ")),
    ("hi", "कल इराक\u093c में एक बैठक हुई", ("इराक\u093c", "IQ")),
    ("hi", "कल इराक में एक बैठक हुई", ("इराक", "IQ")),
    # two enclitics: a nationality and a plural
    ("fa", "نشست ایرانیان مقیم خارج برگزار شد", ("ایرانیان", "IR")),
    # the stem of the language's name (한국어)
    ("ko", "한국 정부는 어제 발표했다", ("한국", "KR")),
    ("ko", "한국과 일본이 협력한다", ("한국과", "KR")),
    # regional language variants: Persian's everyday name, Hindi's adjective
    ("fa", "سفر وزیر به آمریکا لغو شد", ("آمریکا", "US")),
    ("hi", "अमेरिकी सेना वापस लौटी", ("अमेरिकी", "US")),
])
def test_uncased_scripts_find_countries(lang: str, text: str, want: tuple[str, str]) -> None:
    assert want in _codes(lang, text)


def test_a_place_of_several_words_after_a_title_is_no_person() -> None:
    out = Enricher().enrich({"id": "t", "title": "", "lang": "fa",
                             "body": "رئیس\u200cجمهور کره\u200cجنوبی دیروز سخن گفت"})
    assert [c["code"] for c in out["countries"]] == ["KR"]
    assert all("کره" not in e["text"] for e in out["entities"] if e.get("label") == "PERSON")


def test_a_place_after_a_known_given_name_is_part_of_the_name() -> None:
    assert ("इजराइल", "IL") in _codes("hi", "कल इजराइल में बैठक हुई")
    assert all(code != "IL" for _, code in _codes("hi", "प्रिया इजराइल ने कहा"))


def test_short_and_variant_names_are_kept_only_where_they_name_one_country() -> None:
    countries = places._countries()
    short = set(places._short_names("ko", countries))
    assert ("KR", "한국") in short
    assert all(name != "페르시아" for _, name in short)  # Persian's stem is not in 이란
    variants = dict((name, code) for code, name in places._variant_names("fa", countries))
    assert variants.get("آمریکا") == "US"
    assert "اروپا" not in variants  # Europe: Spain's and Portugal's variants alike


def test_languages_with_capitals_get_no_such_names() -> None:
    countries = places._countries()
    for lang in ("en", "it", "nl", "ru"):
        assert list(places._short_names(lang, countries)) == []
        assert list(places._variant_names(lang, countries)) == []
    assert places._marked_key("Côte d’Ivoire") == places.key_of("Côte d’Ivoire")


def test_a_place_after_a_given_name_the_article_itself_shows_is_part_of_the_name() -> None:
    # "फ़ैज़ान" is in no name list; a kin word frames "फ़ैज़ान अहमद", so "फ़ैज़ान श्रीनगर" in
    # the same article is a man too, not Srinagar
    enricher = Enricher()
    alone = "पड़ोसी फ़ैज़ान श्रीनगर कल घर पर नहीं थे।"
    framed = "किसान फ़ैज़ान अहमद ने बताया कि " + alone
    assert [c["code"] for c in enricher.enrich(
        {"id": "t", "title": "", "body": alone, "lang": "hi"})["countries"]] == ["IN"]
    out = enricher.enrich({"id": "t", "title": "", "body": framed, "lang": "hi"})
    assert out["countries"] == []
    assert ("श्रीनगर", "IN") not in _codes_given("hi", alone, ["फ़ैज़ान अहमद"])
    assert ("श्रीनगर", "IN") in _codes_given("hi", "कल श्रीनगर में बैठक हुई", ["फ़ैज़ान अहमद"])


def test_given_words_are_read_only_in_spaced_scripts_without_capitals() -> None:
    # a one-word name gives none; the nukta is left out like in the text's words
    assert scriptplaces.given_words("hi", ["फ़ैज़ान अहमद", "अहमद"]) == {"फैजान"}
    assert scriptplaces.given_words("en", ["Faizan Ahmad"]) == frozenset()
    assert scriptplaces.given_words("zh", ["王 建国"]) == frozenset()


def _codes_given(lang: str, text: str, persons: list[str]) -> list[tuple[str, str]]:
    given = scriptplaces.given_words(lang, persons)
    return [(h.text, h.candidates[0].code)
            for h in places.gazetteer(lang).find(text, Spans(), given=given)]


def test_joined_region_names_split_only_at_the_languages_and() -> None:
    ands = places._and_words("hi")
    assert places._joined_parts("जम्मू और कश्मीर", ands) == ["जम्मू", "कश्मीर"]
    assert places._joined_parts("उत्तर प्रदेश", ands) == []
    assert places._joined_parts("क, ख और ग", ands) == []  # a list: its parts are unclear
    # cased translations keep their joined names whole (rivers: "Сена и Марна")
    assert "кашмир" not in places.gazetteer("ru").table
    assert "джамму и кашмир" in places.gazetteer("ru").table


def test_a_short_syllabic_name_that_the_dictionary_inflects_is_a_noun() -> None:
    assert places._good_alt("पटना") and places._good_alt("लंदन")
    assert not places._good_alt("Rom") and not places._good_alt("رشت"[:2])
    assert places._syllabic("पटना") and not places._syllabic("ปาย")  # Thai runs words together
    assert "सागर" in ordinary.inflected_words("hi")  # सागरों: seas
    # "सागर" (a sea) is also the Hindi name of Saugor, a town: no place here
    assert _codes("hi", "सागर के किनारे लोग जमा हुए") == []
