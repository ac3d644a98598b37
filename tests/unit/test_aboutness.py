"""Where a story is set, and what a country's score says (``countries.home``, ``score``).

All texts are written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from worker.enrich import Enricher, countries
from worker.enrich.places import Candidate, Kind, PlaceHit


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def _countries(enricher: Enricher, article: dict[str, Any]) -> dict[str, Any]:
    e = enricher.enrich({"id": "t", **article})
    return {c["code"]: c for c in e["countries"]}


def _hit(start: int, code: str, kind: Kind = "country") -> PlaceHit:
    return PlaceHit(start, start + 5, "Name", (Candidate(code, kind, code),))


# -- a foreign place named once, in passing -----------------------------------------------------

# A local story (Italian, Spanish) that names no place of its own, then a foreign town once,
# well after the lead.
_LOCAL = [
    ("it", "Furto in farmacia, arrestato un giovane",
     "Un giovane di vent'anni è stato arrestato ieri sera dopo un furto in una farmacia del "
     "centro. Il titolare ha chiamato i soccorsi poco prima delle dieci e una pattuglia è "
     "arrivata in pochi minuti. Il ragazzo aveva con sé il denaro della cassa e alcune "
     "confezioni di farmaci. Secondo i testimoni era entrato con il volto coperto e aveva "
     "minacciato la commessa con un coltello. Il giudice ha convalidato il fermo questa "
     "mattina.\n\nIl giovane era rientrato da poco da un lungo soggiorno a Lione, dove "
     "lavorava in un ristorante."),
    ("es", "El pleno aprueba la reforma del reglamento",
     "El pleno aprobó ayer por amplia mayoría la reforma del reglamento de la cámara, tras "
     "varias semanas de negociación entre los grupos. La reforma cambia el reparto del tiempo "
     "de intervención y los plazos de las enmiendas. La oposición criticó que se votara con "
     "prisas antes de las vacaciones, pero apoyó el texto final. El presidente de la cámara "
     "agradeció el acuerdo a todos los portavoces.\n\nUno de los diputados recordó que una "
     "reforma parecida se aprobó hace años en Toulouse, en el consejo municipal."),
]


@pytest.mark.parametrize(("lang", "title", "body"), _LOCAL)
def test_a_foreign_place_named_once_in_passing_is_not_where_the_story_is(
        enricher: Enricher, lang: str, title: str, body: str) -> None:
    got = _countries(enricher, {"lang": lang, "title": title, "body": body})
    assert got["FR"]["mentions"] == 1
    assert not got["FR"]["primary"] and got["FR"]["score"] <= countries.PASSING_SCORE


@pytest.mark.parametrize(("lang", "title", "body"), _LOCAL)
def test_the_same_place_in_the_lead_sets_the_story(
        enricher: Enricher, lang: str, title: str, body: str) -> None:
    """A story abroad names its place early: moved into the lead, the town sets it."""
    lead, _, rest = body.partition("\n\n")
    got = _countries(enricher, {"lang": lang, "title": title, "body": rest + "\n\n" + lead})
    assert got["FR"]["primary"]


def test_a_place_of_home_named_once_in_passing_still_sets_a_local_story(
        enricher: Enricher) -> None:
    """Only foreign places: an Italian story naming an Italian town once is Italian news."""
    lang, title, body = _LOCAL[0]
    got = _countries(enricher, {"lang": lang, "title": title,
                                "body": body.replace("a Lione", "a Bergamo")})
    assert got["IT"]["primary"]


def test_the_outlet_country_is_home() -> None:
    """A Spanish-language story from a Peruvian outlet may be local to Peru (Spanish is
    official there anyway); a French outlet's English story may be local to France."""
    es = countries.home(None, "es")
    assert es is not None and "PE" in es
    en = countries.home(None, "en")
    assert en is not None and "FR" not in en
    with_outlet = countries.home("FR", "en")
    assert with_outlet is not None and "FR" in with_outlet and en <= with_outlet
    assert countries.home(None, None) is None
    assert countries.home("France", None) is None  # not an ISO code: not known


def test_a_foreign_town_in_the_dateline_sets_the_story() -> None:
    """A dateline is where the story was filed, not a mention in passing."""
    body = countries.FieldHits("body", [_hit(0, "FR", "city")], dateline=(0, 12))
    got = {c["code"]: c for c in countries.score([body], home=frozenset({"IT"}))}
    assert got["FR"]["primary"]


def test_without_home_a_lone_mention_keeps_the_old_reading() -> None:
    body = countries.FieldHits("body", [_hit(900, "FR", "city")])
    assert countries.score([body])[0]["primary"]
    assert not countries.score([body], home=frozenset({"IT"}))[0]["primary"]


# -- what a score says -------------------------------------------------------------------------

def test_a_subject_scores_against_the_strongest_and_any_other_country_its_share() -> None:
    """KE: the title (3.0) and twice the lead (1.5 + 1.5) = 6.0. UG: the lead and the body
    (1.5 + 1.0) = 2.5, a subject (named early and again, over a quarter of KE): 2.5 / 6.0.
    TZ: a nationality in the lead and in the body (0.75 + 0.5) = 1.25, no subject: its share
    of all the evidence, 1.25 / 9.75, where its ratio to KE would read 0.21."""
    title = countries.FieldHits("title", [_hit(0, "KE")])
    body = countries.FieldHits("body", [
        _hit(10, "KE"), _hit(50, "KE"), _hit(100, "UG"), _hit(200, "TZ", "demonym"),
        _hit(900, "UG"), _hit(1000, "TZ", "demonym")])
    got = {c["code"]: c for c in countries.score([title, body])}
    assert got["KE"]["score"] == 1.0 and got["UG"]["primary"]
    assert got["UG"]["score"] == pytest.approx(2.5 / 6.0, abs=0.001)
    assert not got["TZ"]["primary"]
    assert got["TZ"]["score"] == pytest.approx(1.25 / 9.75, abs=0.001)


def test_a_secondary_country_among_many_scores_less_than_beside_one() -> None:
    """The same secondary evidence (a city in the lead and in the body: 1.2 + 0.8, under a
    quarter of RW's 9.0) is a larger share of a story that names no other country (2.0 /
    11.0) than of one that names five more, twice each in the body (2.0 / 16.0)."""
    def story(others: list[str]) -> float:
        title = countries.FieldHits("title", [_hit(0, "RW")])
        hits = [_hit(10 + 10 * i, "RW") for i in range(4)]
        hits += [_hit(100, "CD", "city"), _hit(600, "CD", "city")]
        hits += [_hit(start + 20 * i, code) for i, code in enumerate(others)
                 for start in (900, 1900)]
        got = {c["code"]: c for c in countries.score([title, countries.FieldHits("body", hits)])}
        assert got["RW"]["score"] == 1.0 and not got["CD"]["primary"]
        return got["CD"]["score"]

    assert story([]) == pytest.approx(2.0 / 11.0, abs=0.001)
    assert story(["UG", "BI", "TZ", "KE", "SS"]) == pytest.approx(2.0 / 16.0, abs=0.001)


# -- the capital of a tiny territory, alone -----------------------------------------------------

def test_a_tiny_territorys_capital_alone_is_a_common_word_not_a_place(enricher: Enricher) -> None:
    """スタンリー is the given name Stanley in Japanese and the name of the Falklands' capital."""
    body = ("スタンリーの人気は高まっている。東京のスタンリーの店は昨日、新しい商品を出した。"
            "スタンリーは好評だ。")
    got = _countries(enricher, {"lang": "ja", "title": "", "body": body})
    assert "FK" not in got
    assert got["JP"]["primary"]


def test_a_tiny_territorys_capital_counts_where_its_country_is_named(enricher: Enricher) -> None:
    body = ("フォークランド諸島の首都スタンリーで昨日、選挙が行われた。"
            "スタンリーの市民は投票所に並んだ。")
    got = _countries(enricher, {"lang": "ja", "title": "", "body": body})
    assert got["FK"]["primary"] and got["FK"]["mentions"] == 3


def test_the_size_of_a_capital_is_its_countrys() -> None:
    """GeoNames gives Washington 16,664 inhabitants (a district of it): a capital is small
    when its country is, so Washington alone still sets a story."""
    washington = PlaceHit(0, 10, "Washington", (Candidate("US", "city", "Washington", 16_664),))
    vaduz = PlaceHit(20, 25, "Vaduz", (Candidate("LI", "city", "Vaduz", 5_197),))
    got = countries.score([countries.FieldHits("body", [washington, vaduz])])
    assert [c["code"] for c in got] == ["US"]
    named = countries.score([countries.FieldHits("body", [vaduz, _hit(40, "LI")])])
    assert named[0]["code"] == "LI" and named[0]["mentions"] == 2


# -- the lead sentence --------------------------------------------------------------------------

def _band(lead_end: int | None) -> dict[str, Any]:
    """Kenya in the title, the lead and twice more; Uganda at 150 (within the first 400
    characters) and once more at 900: 2.5 of Kenya's 6.5, in the secondary band."""
    title = countries.FieldHits("title", [_hit(0, "KE")])
    body = countries.FieldHits("body", [_hit(0, "KE"), _hit(150, "UG"), _hit(500, "KE"),
                                        _hit(700, "KE"), _hit(900, "UG")], lead_end=lead_end)
    return {c["code"]: c for c in countries.score([title, body])}


def test_a_country_named_in_the_lead_sentence_and_again_is_a_subject() -> None:
    got = _band(lead_end=200)
    assert got["UG"]["primary"] and got["UG"]["score"] == round(2.5 / 6.5, 3)


def test_a_country_named_after_the_lead_sentence_is_background_not_a_subject() -> None:
    got = _band(lead_end=100)
    assert got["KE"]["primary"] and not got["UG"]["primary"]
    # Its share of all the evidence, halved: background, not a secondary subject.
    assert got["UG"]["score"] == round(2.5 / 9.0 * countries.CONTEXT_SCORE, 3) < 0.15


def test_without_the_lead_sentence_the_first_characters_serve() -> None:
    assert _band(lead_end=None)["UG"]["primary"]


def test_the_lead_sentence_goes_on_past_the_dateline() -> None:
    from worker.enrich.text import sentences

    text = ("LIMA, PERU.- El Congreso aprobó ayer la reforma. La oposición votó en contra "
            "por segunda vez.")
    got = countries.lead_end(sentences(text), dateline=(0, 11))
    assert text[:got].endswith("la reforma.")
    assert countries.lead_end(sentences(text)) == got  # no dateline: the same first sentence
    assert countries.lead_end(sentences("")) == 0


def test_the_lead_sentence_through_the_enricher(enricher: Enricher) -> None:
    """Uganda is named in the lead's second sentence (background) and again later."""
    body = ("Kenya's parliament approved a new budget on Tuesday after a long debate. The vote "
            "came a week after a similar bill failed in Uganda. Kenya's finance minister said "
            "the budget would cut spending on roads.\n\nLawmakers in Kenya argued for hours "
            "over the cuts. Kenya expects growth of five percent next year, the minister said."
            "\n\nThe bill in Uganda had proposed higher taxes on fuel.")
    got = _countries(enricher, {"lang": "en", "title": "Kenya passes its budget",
                                "body": body})
    assert got["KE"]["primary"] and not got["UG"]["primary"]
    moved = body.replace("after a long debate. The vote came", "after a long debate, which came")
    moved = moved.replace("Kenya's parliament approved",
                          "Kenya's and Uganda's parliaments approved")
    assert _countries(enricher, {"lang": "en", "title": "Kenya passes its budget",
                                 "body": moved})["UG"]["primary"]
