"""Persons in the cased scripts beyond the six (ru, uk, pl, nl, tr, id): how an office's
complement is read, which words end a name, and how a name written in a case form is counted.
Every sentence and name here is written for these tests."""

from __future__ import annotations

import pytest

from worker.enrich import Enricher, namedata, names, places


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def _found(lang: str, text: str) -> set[str]:
    return {h.text for h in names.find(text, lang, places.gazetteer(lang))}


@pytest.mark.parametrize(("lang", "text", "want"), [
    # a body named with its short form in brackets ends the complement
    ("id", "Ketua Umum Lembaga Kajian Nusantara (LKN) Wirasena Adiprana menyatakan hal itu.",
     {"Wirasena Adiprana"}),
    # the complement runs up to a comma
    ("id", "Hal itu disampaikan Kepala Dinas Perhubungan (Dishub) Kabupaten Bantul, Wirasena "
           "Adiprana, kepada wartawan.", {"Wirasena Adiprana"}),
    # capitalised words of the dictionary are the complement, not the name
    ("uk", "Про це домовилися з головою Верховної Ради Бондаренком.", {"Бондаренком"}),
    # an "of" complement of dictionary words, then a name that is none
    ("nl", "Dat verklaarde minister van Onderwijs Oruvel Hanstrak woensdag.",
     {"Oruvel Hanstrak"}),
])
def test_the_name_after_an_offices_complement(lang: str, text: str, want: set[str]) -> None:
    assert _found(lang, text) == want


def test_a_function_word_ends_an_offices_clause() -> None:
    # "dokter" is an occupation, but "itu bertugas di" has left its clause: the clinic is no
    # person (before, the lower-case words were read as the complement)
    assert _found("id", "Dokter itu bertugas di Klinik Sumbersari sejak lama.") == set()


def test_the_languages_own_function_words_end_a_name() -> None:
    # a title-case headline: "Ini" (this) is no name word, so "Putri" stands alone
    assert _found("id", "Putri Ini Kembali Menang di Turnamen") == set()
    stop = namedata.non_name_words("id")
    assert "ini" in stop and "tersebut" in stop
    # less the language's names: "Elke" is a function word of Dutch and a given name
    assert "elke" not in namedata.non_name_words("nl")


def test_a_given_name_that_ends_a_place_starts_no_person() -> None:
    assert _found("nl", "Dat meldde het tijdschrift New York Review gisteren.") == set()


def test_a_second_name_right_after_a_first() -> None:
    got = _found("pl", "Doradca Andrzeja Nowaka Piotr Zieliński przyjechał wczoraj.")
    assert got == {"Andrzeja Nowaka", "Piotr Zieliński"}


@pytest.mark.parametrize(("text", "want"), [
    # the cue is cut at its apostrophe like the text
    ("Про це заявив прем'єр-міністр Левчишин у четвер.", {"Левчишин"}),
    # a soft-stem office in the genitive ("секретар" -> "секретаря")
    ("Лист надійшов на ім'я секретаря Мельничука минулого тижня.", {"Мельничука"}),
])
def test_ukrainian_cues_in_their_written_forms(text: str, want: set[str]) -> None:
    assert _found("uk", text) == want


def test_a_second_name_joined_by_and_to_a_name_after_an_office() -> None:
    got = _found("tr", "Avukat Selim Aktaş ve Tunçer Yalvaçlıoğlu duruşmaya katıldı.")
    assert got == {"Selim Aktaş", "Tunçer Yalvaçlıoğlu"}
    # a body named by its place is none
    got = _found("tr", "Avukat Selim Aktaş ve Türkiye Büyük Millet Meclisi temsilcileri geldi.")
    assert got == {"Selim Aktaş"}


def test_a_lone_dictionary_form_counts_for_a_full_name_written_only_declined(
        enricher: Enricher) -> None:
    e = enricher.enrich({"id": "t", "lang": "uk", "body": (
        "Зустріч з Андрієм Гнатюком тривала годину. «Ми домовилися», — заявив Гнатюк.")})
    persons = [(x["text"], x["count"]) for x in e["entities"] if x["label"] == "PERSON"]
    assert persons == [("Андрієм Гнатюком", 2)]
