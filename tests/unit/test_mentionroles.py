"""What a place mention does among its neighbours, on text the project writes: a qualifier
("Istanbul, Turkey") is part of one reference, an item of a list of countries is a mention in
passing."""

from __future__ import annotations

from typing import Any

import pytest

from worker.enrich import Enricher, mentionroles
from worker.enrich.places import Candidate, PlaceHit

_PLACES = {
    "Istanbul": Candidate("TR", "city", "Istanbul"),
    "Turkey": Candidate("TR", "country", "Turkey"),
    "Paris": Candidate("FR", "city", "Paris"),
    "Texas": Candidate("US", "region", "Texas"),
    "Spain": Candidate("ES", "country", "Spain"),
    "Greece": Candidate("GR", "country", "Greece"),
    "France": Candidate("FR", "country", "France"),
    "Italy": Candidate("IT", "country", "Italy"),
    "Turkish": Candidate("TR", "demonym", "Turkey"),
}


def _found(text: str) -> tuple[list[PlaceHit], dict[int, Candidate]]:
    """Every name of ``_PLACES`` in ``text`` as a hit, with its candidate by start."""
    hits, chosen = [], {}
    for name, cand in _PLACES.items():
        start = text.find(name)
        while start >= 0:
            hits.append(PlaceHit(start, start + len(name), name, (cand,)))
            chosen[start] = cand
            start = text.find(name, start + 1)
    return hits, chosen


def _names(text: str, starts: frozenset[int]) -> set[str]:
    hits, _ = _found(text)
    return {h.text for h in hits if h.start in starts}


@pytest.mark.parametrize(("text", "qualifier"), [
    ("He was killed in Istanbul, Turkey, last year.", {"Turkey"}),
    ("An attack in Istanbul (Turkey) on Friday.", {"Turkey"}),
    ("Istanbul and Turkey's other cities voted.", set()),  # two references
    ("She flew from Istanbul. Turkey then closed its airspace.", set()),
    ("A fair in Paris, Texas, drew crowds.", set()),  # a different country: no qualifier
    ("A Turkish, Turkey-based firm.", set()),  # a nationality is not a place
])
def test_a_qualifier_says_where_the_place_before_it_lies(text: str, qualifier: set[str]) -> None:
    hits, chosen = _found(text)
    assert _names(text, mentionroles.qualifiers(text, hits, chosen)) == qualifier


@pytest.mark.parametrize(("text", "items"), [
    ("It flies to Spain, Greece, France and Italy.", {"Spain", "Greece", "France", "Italy"}),
    ("Members: Spain, Greece, France, and Italy.", {"Spain", "Greece", "France", "Italy"}),
    ("It flies to Spain, Greece and France.", {"Spain", "Greece", "France"}),
    ("Spain and France signed.", set()),  # two countries are a pair, not a list
    ("Spain and Greece and France met.", set()),  # no comma: a sentence, not a list
    ("Spain, which left, Greece, France and Italy.", {"Greece", "France", "Italy"}),
    ("Greece lost to France, Italy won.", set()),  # a verb between them: a sentence
])
def test_three_countries_in_a_row_are_a_list(text: str, items: set[str]) -> None:
    hits, chosen = _found(text)
    assert _names(text, mentionroles.enumerated(text, hits, chosen)) == items


def test_no_text_no_roles() -> None:
    """Scoring without the field's text (as a caller may do) reads no roles."""
    hits, chosen = _found("It flies to Spain, Greece, France and Italy.")
    assert mentionroles.enumerated("", hits, chosen) == frozenset()
    assert mentionroles.qualifiers("", hits, chosen) == frozenset()


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def _countries(enricher: Enricher, lang: str, title: str, body: str) -> dict[str, Any]:
    e = enricher.enrich({"id": "t", "lang": lang, "title": title, "body": body})
    return {c["code"]: c for c in e["countries"]}


@pytest.mark.parametrize(("lang", "title", "body"), [
    ("fr", "Égypte : une explosion vise une église du Caire",
     "Trois jours après une attaque à Oslo (Norvège), c'est au tour de l'Égypte d'être visée. "
     "Une explosion a frappé dimanche une église du Caire, faisant douze morts. Le gouvernement "
     "égyptien a décrété trois jours de deuil."),
    ("en", "Egypt: blast hits a church in Cairo",
     "Three days after an attack in Oslo, Norway, Egypt was hit on Sunday. A blast struck a "
     "church in Cairo, killing twelve. The Egyptian government declared three days of "
     "mourning."),
])
def test_a_city_with_its_country_is_one_mention(enricher: Enricher, lang: str, title: str,
                                                body: str) -> None:
    """A comparison with an attack in "Oslo (Norway)" names Norway once: in passing."""
    got = _countries(enricher, lang, title, body)
    assert got["EG"]["primary"]
    assert got["NO"]["mentions"] == 1 and not got["NO"]["primary"]
    assert got["NO"]["score"] <= 0.1


_LEAD = ("Austria's former interior minister was elected on Thursday in Vienna to lead the "
         "migration body, after a selection that took most of the year. She won the vote by 13 "
         "to 8 against a former diplomat who had been the favourite of several delegations. "
         "Austria's government welcomed the choice and said the body would gain from her long "
         "experience of asylum law, border policy and return agreements with other states.\n\n")


def test_a_country_in_a_list_of_members_is_named_in_passing(enricher: Enricher) -> None:
    """Sweden, named twice in member lists, weighs a quarter of Norway, named twice apart."""
    got = _countries(enricher, "en", "Former minister to lead migration body", _LEAD + (
        "Its founders were Bulgaria, Croatia, Sweden and Poland. Its newest members are "
        "Portugal, Malta, Sweden and Greece. Norway joined it early and Norway hosted the vote."))
    assert got["AT"]["primary"] and got["SE"]["mentions"] == got["NO"]["mentions"] == 2
    assert got["SE"]["score"] == pytest.approx(got["NO"]["score"] / 4, abs=0.002)
    assert got["BG"]["score"] < got["NO"]["score"]


def test_a_list_in_the_title_and_lead_names_the_subjects(enricher: Enricher) -> None:
    """Only a list in the body is in passing: "Leaders of France, Germany and Italy visit
    Ukraine" is about all four."""
    got = _countries(
        enricher, "en", "Leaders of France, Germany and Italy visit Ukraine",
        "The leaders of France, Germany and Italy arrived by night train in Kyiv on Thursday, "
        "their first visit since the war began. They met the president of Ukraine in Kyiv and "
        "toured Irpin, a town near Kyiv, before talks on weapons and on the bid of Ukraine to "
        "join the European Union.")
    assert {code for code, c in got.items() if c["primary"]} == {"UA", "FR", "DE", "IT"}
