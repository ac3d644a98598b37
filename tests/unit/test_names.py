"""The model-free person recogniser, on sentences written for these tests."""

from __future__ import annotations

import pytest

from worker.enrich import Enricher, names, places


def persons(text: str, lang: str) -> list[str]:
    return [h.text for h in names.find(text, lang, places.gazetteer(lang))]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("it", "Ieri Giulia Ferraris ha incontrato Marco de Santis a Torino.",
     ["Giulia Ferraris", "Marco de Santis"]),
    ("de", "Die Kommissionschefin Ursula von der Leyen sprach mit Olaf Scholz.",
     ["Ursula von der Leyen", "Olaf Scholz"]),
    ("it", "Il presidente Mattarella ha firmato la legge.", ["Mattarella"]),
    ("es", "La ministra Calviño habló con el presidente Sánchez.", ["Calviño", "Sánchez"]),
    ("pt", "O papa Bento XVI recebeu Maria Silva.", ["Bento XVI", "Maria Silva"]),
    ("it", "Il premier Nouri al-Maliki ha parlato.", ["Nouri al-Maliki"]),
])
def test_names_are_found(lang: str, text: str, expected: list[str]) -> None:
    assert persons(text, lang) == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("es", "Francia y Alemania firmaron con París y Berlín."),  # a conjunction is no particle
    ("it", "Paolo arriverà lunedì."),  # a given name alone is no evidence
    ("it", "Luca Martedì"),  # a weekday ends a name: one word left
    ("it", "IL PRESIDENTE MARIO ROSSI"),  # no case to read in capitals
    ("it", "Il sindaco di Genova ha parlato."),  # "di Genova" is a place
])
def test_no_person_where_the_evidence_is_not_there(lang: str, text: str) -> None:
    assert persons(text, lang) == []


def test_a_lone_family_name_counts_for_the_full_name() -> None:
    e = Enricher().enrich({"id": "t", "lang": "it",
                           "body": "Anna Verdi ha vinto. Verdi ha poi ringraziato Roma."})
    [anna] = [x for x in e["entities"] if x["label"] == "PERSON"]
    assert anna["text"] == "Anna Verdi" and anna["count"] == 2 and anna["method"] == "rules"


def test_rules_are_never_used_where_a_pipeline_runs() -> None:
    e = Enricher().enrich({"id": "t", "lang": "en", "body": "Giulia Ferraris met Olaf Scholz."})
    assert {x["method"] for x in e["entities"]} <= {"gazetteer"} | {
        x["method"] for x in e["entities"] if x["method"].startswith("ner:")}


def test_model_person_spans_are_filtered_and_trimmed() -> None:
    from worker.enrich.entities import Mention, filter_persons

    def person(text: str) -> Mention:
        return Mention("body", 10, 10 + len(text), text, "PERSON", "ner:test")

    spans = [person(t) for t in ("président Erdogan", "Damas", "Samedi", "Premier Ministre",
                                 "n’", "Mme May", "Emmanuel Macron")]
    spans.append(Mention("body", 0, 5, "Damas", "GPE", "ner:test"))
    kept = filter_persons(spans, "fr", places.gazetteer("fr"))
    assert [(m.text, m.label, m.start) for m in kept] == [
        ("Erdogan", "PERSON", 20), ("May", "PERSON", 14), ("Emmanuel Macron", "PERSON", 10),
        ("Damas", "GPE", 0)]
