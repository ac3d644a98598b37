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
                                 "n’", "Mme May", "Emmanuel Macron", "de la République",
                                 "qu’il arrive", "L’UE", "France-Italie", "de Gaulle")]
    spans.append(Mention("body", 0, 5, "Damas", "GPE", "ner:test"))
    kept = filter_persons(spans, "fr", places.gazetteer("fr"))
    assert [(m.text, m.label, m.start) for m in kept] == [
        ("Erdogan", "PERSON", 20), ("May", "PERSON", 14), ("Emmanuel Macron", "PERSON", 10),
        ("de Gaulle", "PERSON", 10), ("Damas", "GPE", 0)]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # across an office's complement, before a comma or at a known given or family name
    ("it", "Il ministro degli Esteri Luigi Verdi ha parlato.", ["Luigi Verdi"]),
    ("it", "Il ministro della Salute Esposito ha parlato.", ["Esposito"]),
    ("pt", "O diretor-geral da Receita Federal, Xarrel Tumbo, falou.", ["Xarrel Tumbo"]),
    ("it", "Il presidente francese Xarrel ha parlato.", ["Xarrel"]),
    # a relation's complement, a reporting verb, an office or an age after the name
    ("es", "La madre de Xiomara lloraba.", ["Xiomara"]),
    ("es", "“Es un día triste”, dijo Xumbal.", ["Xumbal"]),
    ("es", "Xarrel Tumbo, presidente de la junta, votó.", ["Xarrel Tumbo"]),
    ("it", "È stato arrestato Xarrel Tumbo, 49 anni.", ["Xarrel Tumbo"]),
    # German offices in compounds and with case endings
    ("de", "Der Außenminister Xarrel Tumbo kam.", ["Xarrel Tumbo"]),
    ("de", "Die Rede des Parteichefs Tumbo war kurz.", ["Tumbo"]),
    # words that are names only inside a name: a month, a function word, a regnal number
    ("es", "Ayer Julio Castro habló.", ["Julio Castro"]),
    ("de", "Heute kam Thomas Kurz nach Wien.", ["Thomas Kurz"]),
    ("es", "El rey Felipe VI habló.", ["Felipe VI"]),
    ("pt", "O ministro José Eduardo dos Santos falou.", ["José Eduardo dos Santos"]),
    ("it", "Ha parlato Alfredo D'Avanzo.", ["Alfredo D'Avanzo"]),
])
def test_names_framed_by_news_usage(lang: str, text: str, expected: list[str]) -> None:
    assert persons(text, lang) == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("it", "Il portavoce ha detto: «Molte cose sono cambiate»."),  # the quote is no name
    ("de", "Das sei gut, sagte der Vorsitzende. Sicher ist das."),  # a new sentence
    ("de", "Die Frau des Präsidenten kam."),  # a relation of an office names no one
    ("de", "Das sei falsch, sagte Zündung."),  # one capitalised German noun after a verb
    ("pt", "Em sua conta no Twitter, presidente do partido, ele falou."),  # one word, no name
    ("es", "Mientras, el presidente de la Comisión Europea viajó."),  # no name after it
])
def test_news_framing_without_a_name(lang: str, text: str) -> None:
    assert persons(text, lang) == []
