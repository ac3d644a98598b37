"""Each recogniser (``ENRICH_NER=model|rules|both``) side by side.

- Persons on every real-news set present (``real-news`` and ``real-news-2`` beside the
  repository), for the languages that have a spaCy pipeline installed (elsewhere the three
  modes are the same rules). Recall and precision are counted as in ``realnews`` (PERSON
  entities matched to the labelled persons on their last word), per set and language and over
  all sets, so the table users choose a mode from is the one the default was chosen by.
- Organisations on the project's own sentences (``eval/orgs.jsonl``: written for this, so a
  guide to what each mode finds and misses, not a claim about news at large): ORG entities
  against the labelled names, exact text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..enrich import Enricher, ModelRegistry
from ..enrich.ner import MODES
from .realnews import location, match_persons
from .scores import PRF, Acc, fmt

SETS = ("real-news", "real-news-2")
ORGS = Path(__file__).resolve().parent.parent.parent / "eval" / "orgs.jsonl"


@dataclass
class Persons:
    found: Acc = field(default_factory=Acc)  # recall
    right: Acc = field(default_factory=Acc)  # precision


# (set name, language, mode) -> counts
Report = dict[tuple[str, str, str], Persons]


def default_sets() -> list[Path]:
    """``real-news`` where ``realnews.location`` says, and its sibling sets."""
    first = location()
    return [first.parent / name for name in SETS if (first.parent / name / "articles.jsonl")
            .is_file()]


def evaluate(sets: Iterable[Path], modes: Sequence[str] = MODES,
             registry: ModelRegistry | None = None) -> Report:
    """Every article of every set in a language with a pipeline, enriched once per mode (one
    registry: each pipeline is loaded once)."""
    registry = registry or ModelRegistry()
    enrichers = {m: Enricher(registry, ner_mode=m) for m in modes}
    rep: Report = {}
    for path in sets:
        for line in (path / "articles.jsonl").read_bytes().splitlines():
            if not line.strip():
                continue
            art = orjson.loads(line)
            if registry.get(art["lang"]) is None:
                continue
            for mode, enricher in enrichers.items():
                got = rep.setdefault((path.name, art["lang"], mode), Persons())
                entities = enricher.enrich(art)["entities"]
                match_persons(art["persons"], entities, got.found, got.right)
    return rep


def _rows(rep: Report) -> list[tuple[str, str]]:
    keys = sorted({(s, lang) for s, lang, _ in rep})
    langs = sorted({lang for _, lang in keys})
    return keys + [("all sets", lang) for lang in langs]


def _cell(rep: Report, where: str, lang: str, mode: str) -> Persons:
    if where != "all sets":
        return rep.get((where, lang, mode), Persons())
    parts = [p for (s, lg, m), p in rep.items() if lg == lang and m == mode]
    return Persons(Acc.total(p.found for p in parts), Acc.total(p.right for p in parts))


def table(rep: Report) -> str:
    modes = [m for m in MODES if any(k[2] == m for k in rep)]
    head = ("| set | lang | " + " | ".join(f"persons R, {m}" for m in modes) + " | "
            + " | ".join(f"P, {m}" for m in modes) + " |")
    lines = [head, "|" + "---|" * (2 + 2 * len(modes))]
    for where, lang in _rows(rep):
        cells = [_cell(rep, where, lang, m) for m in modes]
        lines.append(f"| {where} | {lang} | "
                     + " | ".join(fmt(c.found.value) for c in cells) + " | "
                     + " | ".join(fmt(c.right.value) for c in cells) + " |")
    return "\n".join(lines)


def organisations(path: Path = ORGS, modes: Sequence[str] = MODES,
                  registry: ModelRegistry | None = None) -> dict[tuple[str, str], PRF]:
    """(language, mode) -> ORG precision/recall on the labelled sentences."""
    registry = registry or ModelRegistry()
    enrichers = {m: Enricher(registry, ner_mode=m) for m in modes}
    out: dict[tuple[str, str], PRF] = {}
    for line in path.read_bytes().splitlines():
        if not line.strip():
            continue
        item = orjson.loads(line)
        for mode, enricher in enrichers.items():
            got = enricher.enrich({"id": "orgs", "lang": item["lang"], "body": item["text"]})
            found = {e["text"] for e in got["entities"] if e["label"] == "ORG"}
            out.setdefault((item["lang"], mode), PRF()).add(set(item["orgs"]), found)
    return out


def orgs_table(rep: dict[tuple[str, str], PRF]) -> str:
    modes = [m for m in MODES if any(k[1] == m for k in rep)]
    lines = ["| lang | " + " | ".join(f"ORG P, {m} | R, {m}" for m in modes) + " |",
             "|" + "---|" * (1 + 2 * len(modes))]
    for lang in sorted({k[0] for k in rep}):
        cells = [rep[(lang, m)] for m in modes]
        lines.append(f"| {lang} | " + " | ".join(f"{fmt(c.p)} | {fmt(c.r)}" for c in cells)
                     + " |")
    return "\n".join(lines)


def main(sets: Sequence[Path] | None = None, registry: ModelRegistry | None = None) -> bool:
    """Print the tables; False (after saying why) when no real-news set is there."""
    sets = default_sets() if sets is None else sets
    registry = registry or ModelRegistry()
    print("Organisations per NER mode (ENRICH_NER), on the project's own sentences "
          f"({ORGS.name}: a guide, not a measure of news)\n")
    print(orgs_table(organisations(registry=registry)))
    if not sets:
        print(f"\npersons per NER mode skipped: no real-news set beside {location()}")
        return False
    rep = evaluate(sets, registry=registry)
    print(f"\nPersons per NER mode (ENRICH_NER), {', '.join(p.name for p in sets)}; languages "
          "with a pipeline installed\n")
    print(table(rep))
    return True
