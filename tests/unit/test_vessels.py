"""A ship's name is no place (``vessels``). All texts are written for these tests."""

from __future__ import annotations

import pytest

from worker.enrich import Enricher, vessels
from worker.enrich.places import tokens


def _names(text: str) -> list[str]:
    return [text[s:e] for s, e in vessels.names(text, tokens(text))]


@pytest.mark.parametrize(("text", "expected"), [
    ("Le ministre a été reçu à bord de l'USS Leyte Gulf, qui rentrait au port.", ["Leyte Gulf"]),
    ("The carrier USS Harry S. Truman sailed from Halifax on Monday.", ["Harry S. Truman"]),
    ("La fragata HMAS Sydney y el HMS Queen Elizabeth zarparon ayer.",
     ["Sydney", "Queen Elizabeth"]),
    ("Die RMS Titanic sank 1912.", ["Titanic"]),
    ("Il cacciatorpediniere USS 71 è rientrato.", ["71"]),
])
def test_the_words_after_a_ship_prefix_name_the_ship(text: str, expected: list[str]) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize("text", [
    "The USS arrived in port on Monday.",  # no name after the prefix
    "The US Navy sent a ship to Halifax.",  # "US" is no ship prefix
    "Sailors of the uss Leyte Gulf.",  # a prefix is written in capitals
    "The USS, Leyte Gulf and Okinawa.",  # a comma ends the name before it starts
])
def test_no_ship_name_without_its_prefix_and_a_capitalised_word(text: str) -> None:
    assert _names(text) == []


def test_every_prefix_names_a_fleet() -> None:
    table = vessels.prefixes()
    assert table["USS"] == "US" and table["HMS"] == "GB" and table["RMS"] == "*"
    assert all(len(p) >= 3 and (c == "*" or (len(c) == 2 and c.isupper()))
               for p, c in table.items())


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def test_a_ship_named_after_places_adds_none(enricher: Enricher) -> None:
    body = "Le ministre canadien a visité l'USS Bataan, qui rentrait à Halifax."
    e = enricher.enrich({"id": "t", "lang": "fr", "title": "", "body": body})
    assert {c["code"] for c in e["countries"]} == {"CA"}  # not PH (Bataan)
    assert {p["country"] for p in e["places"]} == {"CA"}
