"""The same article gives the same enrichment in every process, whatever its hash seed.

Why a test: each worker process runs with its own random ``PYTHONHASHSEED``, and the order in
which a ``set`` of strings is iterated changes with it. An at-least-once redelivery, a second
worker or a restart must give the same enriched record for the same input (consumers
deduplicate and diff on it), and evaluation figures must be reproducible. Found once: a lone
surname after two full names of the same length was given to whichever name a set listed
first, and the entity counts and order moved with it. The articles below are written for this
test in the shapes that leak set order: a surname or a given name alone after two full names
that share it, entities, places and countries tied on count or score; in languages with and
without a model, in every NER mode.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from worker.enrich.entities import Mention, aggregate
from worker.enrich.text import Field

ARTICLES = [
    {"id": "en-penning", "lang": "en", "title": "Penning bakery reopens in Leeds",
     "body": "Timothy Penning founded the bakery in Leeds in 1990. His son Zachary Penning runs "
             "it today. Penning said the new ovens came from Italy. Timothy Penning still bakes "
             "on Sundays, and Penning told the paper he enjoys it. Kenya and Uganda supply the "
             "coffee; Leeds and York buy the bread. Timothy and Zachary agree."},
    {"id": "en-spelling", "lang": "en", "title": "Minister Nadia Kowalczyk speaks",
     "body": "Nadia Kowalczyk addressed parliament on Monday. Later, Nadia "
             "Kowalcsyk met the press in Colombo. Nadia said the talks went well. "
             "Colombo and Kandy will host the next round, with India and Japan."},
    {"id": "fr-dupont", "lang": "fr", "title": "La famille Dupont à Lyon",
     "body": "Jean Dupont a ouvert un atelier à Lyon. Son frère Marc Dupont vit à Lille. "
             "Dupont a déclaré que Lyon et Lille se ressemblent. Le Maroc et la Tunisie "
             "achètent leurs meubles. Jean Dupont sourit et Dupont ajoute un mot."},
    {"id": "de-schmidt", "lang": "de", "title": "Familie Schmidt in Köln",
     "body": "Anna Schmidt leitet die Firma in Köln. Ihr Bruder Paul Schmidt arbeitet in "
             "Bonn. Schmidt sagte, Köln und Bonn seien Partner. Polen und Ungarn kaufen ein. "
             "Anna Schmidt lacht, und Schmidt nickt."},
    {"id": "it-bianchi", "lang": "it", "title": "I Bianchi a Torino",
     "body": "Luca Bianchi guida l'azienda di Torino. Suo cugino Gino Bianchi lavora a "
             "Genova. Bianchi ha detto che Torino e Genova collaborano. Francia e Spagna "
             "comprano. Luca Bianchi sorride e Bianchi annuisce."},
    {"id": "es-garcia", "lang": "es", "title": "Los García en Sevilla",
     "body": "Ana García dirige la tienda de Sevilla. Su hermana Eva García vive en Málaga. "
             "García dijo que Sevilla y Málaga compiten. Chile y Perú compran. Ana García "
             "ríe y García asiente."},
]

# Run in a fresh interpreter: the hash seed is fixed when a process starts.
_ENRICH = """
import json, sys
from worker.enrich import Enricher
articles = json.loads(sys.argv[1])
for mode in ("model", "rules", "both"):
    enricher = Enricher(ner_mode=mode)
    for a in articles:
        e = dict(enricher.enrich(a))
        e.pop("processed_at")
        print(json.dumps({"mode": mode, "id": a["id"], "e": e}, sort_keys=True))
"""

SEEDS = ("0", "1", "2", "random")


def test_enrichment_is_the_same_under_every_hash_seed() -> None:
    arg = json.dumps(ARTICLES)
    runs = {seed: subprocess.Popen([sys.executable, "-c", _ENRICH, arg],
                                   env={**os.environ, "PYTHONHASHSEED": seed},
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for seed in SEEDS}
    outs: dict[str, list[str]] = {}
    for seed, proc in runs.items():
        out, err = proc.communicate(timeout=280)
        assert proc.returncode == 0, err[-2000:]
        outs[seed] = out.splitlines()
    assert len(outs["0"]) == 3 * len(ARTICLES)
    for seed in SEEDS[1:]:
        differ = [json.loads(a)["mode"] + " " + json.loads(a)["id"]
                  for a, b in zip(outs["0"], outs[seed], strict=True) if a != b]
        assert differ == [], f"PYTHONHASHSEED=0 and {seed} differ on {differ}"


def _person(field: Field, start: int, text: str) -> Mention:
    return Mention(field, start, start + len(text), text, "PERSON", "rules")


def test_a_lone_surname_goes_to_the_full_name_mentioned_last_before_it() -> None:
    ents = aggregate([
        _person("body", 0, "Timothy Penning"), _person("body", 40, "Zachary Penning"),
        _person("body", 80, "Penning"), _person("body", 120, "Timothy Penning"),
        _person("body", 160, "Penning"), _person("body", 200, "Penning")])
    by_text = {e["text"]: [m["start"] for m in e["mentions"]] for e in ents}
    assert by_text == {"Timothy Penning": [0, 120, 160, 200], "Zachary Penning": [40, 80]}


def test_a_lone_surname_before_both_full_names_goes_to_the_first_mentioned() -> None:
    ents = aggregate([
        _person("title", 0, "Penning"), _person("body", 50, "Zachary Penning"),
        _person("body", 10, "Timothy Penning")])
    by_text = {e["text"]: e["count"] for e in ents}
    assert by_text == {"Timothy Penning": 2, "Zachary Penning": 1}


def test_a_longer_full_name_still_wins_over_a_more_recent_shorter_one() -> None:
    ents = aggregate([
        _person("body", 0, "Vladimir Vladimirovich Putin"), _person("body", 40, "Vladimir Putin"),
        _person("body", 80, "Putin")])
    assert {e["text"]: e["count"] for e in ents} == {
        "Vladimir Vladimirovich Putin": 2, "Vladimir Putin": 1}
