"""Places the word-by-word gazetteer scan cannot see: unspaced scripts, clitics, case endings,
words with vowel signs. Text written for these tests."""

from __future__ import annotations

import pytest

from worker.enrich import Enricher, places
from worker.enrich.spans import Spans


def _codes(lang: str, text: str) -> list[tuple[str, str]]:
    hits = places.gazetteer(lang).find(text, Spans())
    return [(h.text, h.candidates[0].code) for h in hits]


@pytest.mark.parametrize(("lang", "text", "want"), [
    ("zh", "美国总统今天访问了中国和日本。", [("美国", "US"), ("中国", "CN"), ("日本", "JP")]),
    ("ja", "日本の首相はフランスを訪問した。", [("日本", "JP"), ("フランス", "FR")]),
    ("ar", "وصل الوفد إلى والعراق وسوريا", [("والعراق", "IQ"), ("وسوريا", "SY")]),
    ("ko", "미국은 일본과 회담했다", [("미국은", "US"), ("일본과", "JP")]),
    ("ru", "Переговоры России и Украины прошли в Москве.",
     [("России", "RU"), ("Украины", "UA"), ("Москве", "RU")]),
    ("pl", "Delegacja Ukrainy przyjechała do Polski.", [("Ukrainy", "UA"), ("Polski", "PL")]),
    ("hi", "भारत और पाकिस्तान के बीच बातचीत हुई।", [("भारत", "IN"), ("पाकिस्तान", "PK")]),
])
def test_places_are_found_the_way_the_script_needs(lang: str, text: str,
                                                    want: list[tuple[str, str]]) -> None:
    got = _codes(lang, text)
    for item in want:
        assert item in got, got


def test_a_country_name_with_the_person_suffix_is_a_nationality() -> None:
    [hit] = places.gazetteer("zh").find("一名中国人在车祸中受伤。", Spans())
    assert hit.text == "中国" and hit.kind == "demonym" and hit.candidates[0].code == "CN"


def test_lower_case_words_stay_no_places_where_the_script_has_capitals() -> None:
    assert _codes("ru", "он сказал россии") == []


def test_the_six_first_languages_are_scanned_word_by_word_only() -> None:
    # no clitics, endings or unspaced text: the word scan's hits exactly
    gaz = places.gazetteer("it")
    text = "Il presidente della Francia ha visitato Roma e Berlino."
    assert [h.text for h in gaz.find(text, Spans())] == ["Francia", "Roma", "Berlino"]


def test_countries_reach_the_output_in_chinese() -> None:
    e = Enricher().enrich({"id": "t", "lang": "zh",
                           "title": "俄罗斯与乌克兰举行会谈",
                           "body": "俄罗斯和乌克兰代表今天在土耳其会面。俄罗斯表示会谈取得进展。"})
    primary = {c["code"] for c in e["countries"] if c["primary"]}
    assert {"RU", "UA"} <= primary


def test_a_dependencys_bracketed_sovereign_is_not_its_name() -> None:
    from worker.enrich.places import _variants, gazetteer

    assert list(_variants("Myanmar (Burma)")) == ["Myanmar", "Burma"]
    assert list(_variants("Virgin Islands (USA)")) == ["Virgin Islands"]
    assert list(_variants("Falklands (Britain)", {"Britain"})) == ["Falklands"]
    assert all(c.code != "VI" for c in gazetteer("uk").table.get("сша", []))


def test_city_names_in_scripts_without_capitals_reach_their_languages_only() -> None:
    from worker.enrich.places import _good_alt, gazetteer

    assert _good_alt("東京") and _good_alt("دمشق") and not _good_alt("東") and not _good_alt("MOW")
    assert any(c.code == "JP" for c in gazetteer("ja").table.get("東京", []))
    assert "東京" not in gazetteer("en").table  # no text of a cased language is written so
    # Korean readings of Chinese cities are common words: none is read there
    assert all(c.kind != "city" for c in gazetteer("ko").table.get("위해", []))


def test_a_foreign_town_named_like_a_common_word_is_no_place() -> None:
    from worker.enrich.places import gazetteer

    table = gazetteer("id").table
    assert "kita" not in table  # "we": a function word of the language
    assert all(c.code == "ID" for c in table.get("barat", []))  # "west": no foreign town


def test_a_katakana_entry_inside_a_longer_katakana_word_is_no_place() -> None:
    assert ("ガザ", "PS") in _codes("ja", "ガザでハマスが声明を出した。")
    assert all(text != "ハマ" for text, _ in _codes("ja", "ガザでハマスが声明を出した。"))
