"""Dates, amounts and acronyms, on sentences written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.enrich import names, places, quantities

PUB = "2025-08-13T10:00:00Z"  # a Wednesday


def dates(lang: str, text: str, published: str | None = PUB) -> list[tuple[str, str | None]]:
    found, _ = quantities.extract({"title": "", "body": text}, lang, published)
    return [(d["text"], d["value"]) for d in found]


def amounts(lang: str, text: str) -> list[tuple[str, float, str]]:
    _, found = quantities.extract({"title": "", "body": text}, lang, PUB)
    return [(a["text"], a["value"], a["noun"]) for a in found]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("it", "La festa è il 15 agosto.", [("15 agosto", "2025-08-15")]),
    ("it", "Accadde a gennaio? No: il 3 gennaio.", [("3 gennaio", "2025-01-03")]),
    ("es", "Firmado el 2 de marzo de 2019.", [("2 de marzo de 2019", "2019-03-02")]),
    ("de", "Am 1. Mai 2020 und im Juni 2021.", [("1. Mai 2020", "2020-05-01"),
                                              ("Juni 2021", "2021-06")]),
    ("en", "Signed on March 3, 2024 in 1999 style.", [("March 3, 2024", "2024-03-03"),
                                                    ("1999", "1999")]),
    ("fr", "Le 14 juillet et lundi.", [("14 juillet", "2025-07-14"), ("lundi", "2025-08-11")]),
    ("pt", "Desde 1822.", [("1822", "1822")]),
])
def test_dates_resolve_against_publication(lang: str, text: str,
                                           expected: list[tuple[str, str]]) -> None:
    assert dates(lang, text) == expected


def test_without_publication_a_date_without_year_has_no_value() -> None:
    assert dates("it", "Il 15 agosto e martedì.", None) == [("15 agosto", None),
                                                           ("martedì", None)]


def test_a_december_date_in_january_news_is_last_year() -> None:
    found, _ = quantities.extract({"title": "", "body": "Dal 28 dicembre."}, "it",
                                  "2025-01-05T00:00:00Z")
    assert [d["value"] for d in found] == ["2024-12-28"]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("it", "Arrivano 5.000 operai edili e 1.000 ingegneri.",
     [("5.000", 5000, "operai edili"), ("1.000", 1000, "ingegneri")]),
    ("en", "About 12,500 people and 3 million dollars.",
     [("12,500", 12500, "people"), ("3 million", 3000000, "dollars")]),
    ("de", "Rund 2.400 Soldaten.", [("2.400", 2400, "Soldaten")]),
    ("fr", "Quelque 2 millions d'euros.", [("2 millions", 2000000, "euros")]),
    ("es", "Con 4,5 millones de pesos.", [("4,5 millones", 4500000, "pesos")]),
])
def test_amounts_carry_value_and_noun(lang: str, text: str,
                                      expected: list[tuple[str, float, str]]) -> None:
    assert amounts(lang, text) == expected


def test_years_and_bare_figures_are_not_amounts() -> None:
    assert amounts("it", "Nel 2024 erano 12. Il numero 7 è alto.") == []


def test_acronyms_are_organisations_unless_places_or_numerals() -> None:
    gaz = places.gazetteer("it")
    text = "La KCNA e l'ONU; gli USA, Benedetto XVI, la NATO."
    assert [h.text for h in names.acronyms(text, gaz)] == ["KCNA", "ONU", "NATO"]
    assert names.acronyms(text.upper(), gaz) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("abcé.", min_size=1, max_size=5), min_size=1, max_size=8),
       st.text("abcé. ", max_size=30))
def test_the_trie_alternation_matches_like_the_plain_one(words: list[str], text: str) -> None:
    """Longest word first at every position, exactly like "|".join(sorted by length)."""
    import re

    plain = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    for pattern in (r"(?<!\w)(?:{})(?!\w)", "(?:{})"):
        got = [m.span() for m in re.finditer(pattern.format(quantities._alternation(words)),
                                             text, re.IGNORECASE)]
        want = [m.span() for m in re.finditer(pattern.format(plain), text, re.IGNORECASE)]
        assert got == want
