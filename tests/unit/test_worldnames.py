"""Persons beyond the six languages: the rules recogniser with each language's cues, own-script
Faker names and declension (cased scripts), and the frames around a name where a script has no
capitals (``framednames``). Text written for these tests."""

from __future__ import annotations

import pytest

from worker.enrich import Enricher, framednames, namedata


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def _persons(enricher: Enricher, lang: str, body: str) -> dict[str, str]:
    e = enricher.enrich({"id": "t", "lang": lang, "body": body})
    return {x["text"]: x["method"] for x in e["entities"] if x["label"] == "PERSON"}


@pytest.mark.parametrize(("lang", "body", "want"), [
    ("ru", "Президент Владимир Путин провёл встречу с Юрием Ивановым в Москве.",
     {"Владимир Путин", "Юрием Ивановым"}),
    ("ru", "Об этом заявил министр иностранных дел Сергей Смирнов.", {"Сергей Смирнов"}),
    ("uk", "Як повідомив міністр Петро Шевченко, переговори тривають.", {"Петро Шевченко"}),
    ("pl", "Premier Jan Kowalski spotkał się z prezydentem Anną Nowak.",
     {"Jan Kowalski", "Anną Nowak"}),
    ("nl", "Dat zei minister Pieter de Vries dinsdag in Den Haag.", {"Pieter de Vries"}),
    ("tr", "Cumhurbaşkanı Ahmet Yılmaz bugün açıklama yaptı.", {"Ahmet Yılmaz"}),
    ("id", "Kepala Dinas Pendidikan Budi Santoso mengatakan sekolah dibuka.", {"Budi Santoso"}),
])
def test_cased_scripts_find_persons_with_their_language_data(
        enricher: Enricher, lang: str, body: str, want: set[str]) -> None:
    got = _persons(enricher, lang, body)
    assert want <= set(got), got
    assert set(got.values()) == {"rules"}


def test_declension_reads_an_inflected_name_as_known() -> None:
    given = namedata.given_names_for("ru")
    assert "юрий" in given and "юрия" in given and "юрием" in given
    assert "юрх" not in given
    # the six first languages keep the shared list itself: no declension, no extra lookups
    assert namedata.given_names_for("it") is namedata.given_names()


@pytest.mark.parametrize(("lang", "text", "want"), [
    ("zh", "国家主席王伟会见了外长李强。", {"王伟", "李强"}),
    ("zh", "记者采访了约翰·史密斯，他表示合作前景广阔。", {"约翰·史密斯"}),
    ("ja", "トランプ大統領は佐藤健一氏と会談した。", {"トランプ", "佐藤健一"}),
    ("ko", "김민수 대통령은 도널드 트럼프 대통령과 통화했다.", {"김민수", "도널드 트럼프"}),
    ("ar", "وقال الرئيس الأمريكي باراك أوباما إن الاتفاق مهم.", {"باراك أوباما"}),
    ("fa", "آقای علی رضایی در این نشست گفت.", {"علی رضایی"}),
    ("hi", "प्रधानमंत्री नरेंद्र मोदी ने कहा कि योजना सफल रही।", {"नरेंद्र मोदी"}),
])
def test_uncased_scripts_find_names_in_their_frames(lang: str, text: str,
                                                    want: set[str]) -> None:
    hits = framednames.find(text, lang, set())
    assert {name for _, _, name in hits} == want
    assert all(text[s:e] == name for s, e, name in hits)


def test_no_frame_no_name_and_a_place_is_none() -> None:
    assert framednames.find("今天天气很好，大家都去公园散步。", "zh", set()) == []
    assert framednames.find("الرئيس فرنسا", "ar", {"فرنسا"}) == []
    assert framednames.find("Anything at all", "sw", set()) == []  # no frames for it


def test_uncased_persons_reach_the_output_with_their_method(enricher: Enricher) -> None:
    got = _persons(enricher, "hi", "प्रधानमंत्री नरेंद्र मोदी ने कहा कि योजना सफल रही।")
    assert got == {"नरेंद्र मोदी": "rules"}


@pytest.mark.parametrize(("lang", "text", "want"), [
    # a known given name leads a name with no frame; the words after it are names or no
    # dictionary word, and something that is no name word ends them
    ("hi", "कल राम अवधेश सिंह ने कहा कि राम मंदिर बना।", {"राम अवधेश सिंह"}),
    ("fa", "حسین ابراهیمی در تهران گفت.", {"حسین ابراهیمی"}),
    ("ar", "التقى الوفد ومحمد بوزيدي في القاهرة.", {"محمد بوزيدي"}),
    # a given name alone, or before dictionary words, is no name
    ("hi", "जब राम मंदिर में पूजा हुई।", set()),
    # Japanese: modifiers between a katakana name and its title; a kanji name of three or
    # four letters between a boundary and a title, unless it ends like a body's name
    ("ja", "スミス次期米大統領は会見した。", {"スミス"}),
    ("ja", "警視庁の山川一郎警部補が説明した。", {"山川一郎"}),
    ("ja", "会見では外務省報道官が述べた。", set()),
    # Chinese: a transliterated name after a title ends where its letters do; a dotted name's
    # last part likewise; an unlisted name bounded by a function letter has three letters
    ("zh", "总统普京表示愿意合作。", {"普京"}),
    ("zh", "研究员彼得·布朗-史密斯表示同意。", {"彼得·布朗-史密斯"}),
    ("zh", "航天员自己的身体很好。", set()),
    ("ko", "이후 대통령은 말했다.", set()),
])
def test_names_without_a_title_before_them(lang: str, text: str, want: set[str]) -> None:
    hits = framednames.find(text, lang, set())
    assert {name for _, _, name in hits} == want
    assert all(text[s:e] == name for s, e, name in hits)


def test_a_place_in_a_case_form_or_a_body_of_dictionary_words_is_no_person(
        enricher: Enricher) -> None:
    assert _persons(enricher, "ru", "Об этом сообщил посол Канады в Москве.") == {}
    assert _persons(enricher, "id", "Menurut Kepala Dinas Pendidikan, jumlah siswa naik.") == {}
    assert _persons(enricher, "pl", "Spotkanie Rady Miejskiej odbyło się w ratuszu.") == {}
    # a name of the language's own given name stays one, dictionary words or not
    got = _persons(enricher, "ru", "Об этом сообщил министр Сергей Песков.")
    assert "Сергей Песков" in got


@pytest.mark.parametrize(("lang", "body", "want"), [
    # an office's bare complement read past its lower-case words, acronyms and places
    ("ru", "Об этом заявил глава МИД Азербайджана Тимур Алиев.", {"Тимур Алиев"}),
    ("uk", "Він переміг лідера країни Дональда Трампа на виборах.", {"Дональда Трампа"}),
    # an inflected acronym, a place in the locative, a body named by its place: none
    ("ru", "Об этом сообщил представитель МИДа вчера.", set()),
    ("ru", "Встреча министров прошла в Брюсселе.", set()),
])
def test_names_past_an_offices_bare_complement(enricher: Enricher, lang: str, body: str,
                                               want: set[str]) -> None:
    assert set(_persons(enricher, lang, body)) == want


def test_a_name_in_a_case_form_is_the_name_the_article_writes_in_its_dictionary_form(
        enricher: Enricher) -> None:
    e = enricher.enrich({"id": "t", "lang": "uk", "body": (
        "Міністр Дмитро Коваленко заявив про нові правила. Слова Дмитра Коваленка "
        "підтвердили в уряді. Коваленка також підтримали.")})
    persons = [x for x in e["entities"] if x["label"] == "PERSON"]
    assert [(x["text"], x["count"]) for x in persons] == [("Дмитро Коваленко", 3)]


def test_a_dictionary_is_kept_as_hashes_and_read_like_a_set() -> None:
    from worker.enrich import ordinary

    words = ordinary.dictionary_words("id")
    assert "kesehatan" in words and "barat" in words
    assert "xqzvw" not in words and 3 not in words
    assert len(ordinary.dictionary_words("zz")) == 0  # no list for the language: empty
