"""Organisations without a model: head nouns per language (each pack's org_heads.toml)."""

from __future__ import annotations

import pytest

from worker.enrich import orgs, places
from worker.enrich.spans import Spans


def _find(text: str, lang: str, persons: Spans | None = None) -> list[str]:
    return [h.text for h in orgs.find(text, lang, places.gazetteer(lang), persons)]


@pytest.mark.parametrize(("lang", "text", "found"), [
    ("en", "The European Central Bank held rates, the Ministry of Defence said on Monday.",
     ["European Central Bank", "Ministry of Defence"]),
    ("en", "Shares of Apple Inc. rose after a professor at Harvard University said so.",
     ["Apple Inc", "Harvard University"]),
    ("fr", "Le ministère de l'Intérieur et la Banque de France ont réagi mardi.",
     ["ministère de l'Intérieur", "Banque de France"]),
    ("fr", "Le Conseil constitutionnel a validé la loi votée par l'Assemblée nationale.",
     ["Conseil constitutionnel", "Assemblée nationale"]),
    ("it", "Il ministero dell'Interno e la Banca d'Italia hanno firmato un accordo.",
     ["ministero dell'Interno", "Banca d'Italia"]),
    ("de", "Die Bundesbank und das Bundesamt für Migration und Flüchtlinge warnen davor.",
     ["Bundesbank", "Bundesamt für Migration und Flüchtlinge"]),
    ("es", "El Banco de España advirtió que el Partido Popular votará en contra.",
     ["Banco de España", "Partido Popular"]),
    ("pt", "O Supremo Tribunal Federal decidiu ouvir o Partido dos Trabalhadores ontem.",
     ["Supremo Tribunal Federal", "Partido dos Trabalhadores"]),
])
def test_names_built_on_a_head(lang: str, text: str, found: list[str]) -> None:
    assert _find(text, lang) == found


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "The Ministry said on Monday that the bank would act."),  # a head alone
    ("fr", "Le ministère a confirmé la fermeture de trois écoles."),  # lower case, no name
    ("de", "Insgesamt hat die Gewerkschaft tausend Mitglieder verloren."),  # no compound
    ("en", "Drought In Panama Forces Shipping Company Cuts To Canal Traffic"),  # title case
    ("en", "SHIPPING COMPANY CUTS ROUTES"),  # capitals
    ("en", "Historians of the Soviet Union disagree about its end."),  # a known place
])
def test_what_is_no_organisation(lang: str, text: str) -> None:
    assert _find(text, lang) == []


def test_a_person_after_the_head_stays_a_person() -> None:
    text = "El Gobierno de Mariano Rajoy aprobó la reforma laboral el viernes."
    start = text.index("Mariano")
    assert _find(text, "es") == ["Gobierno de Mariano Rajoy"]
    assert _find(text, "es", Spans([(start, start + len("Mariano Rajoy"))])) == []


def test_a_language_without_a_table_gets_none() -> None:
    assert orgs.grammar("sw") is None
    assert _find("Benki Kuu ya Tanzania imesema.", "sw") == []
