"""How well places are put on the map: GeoWebNews (Gritta et al. 2018/2020), 200 English news
articles from 200 outlets with every toponym resolved by hand (``shared/eval/geo/``, beside
the repository; its README gives the source, licence, matching rule and metrics). Read in
place, never copied, and nothing in ``worker/`` is fitted to it.

Matching is the authors' rule for third-party geoparsers (the set's BASELINES.md, rule A): a
gold toponym is *covered* when a reported place mention has the same surface string (case
aside) and its midpoint is less than 10 characters from the gold one, one to one, gold by gold.
Metrics, on the 2,399 toponyms with a GeoNames id (the authors' set) and on all 2,599, overall
and for the literal and associative groups: coverage; accuracy within 161 km on covered
toponyms and on all (a missed one is wrong); mean and median error (km, covered); AUC of the log
error (Gritta et al.: lower is better; on covered, and on all with a missed one at 20,039 km);
and exact GeoNames-id match (on all with an id). The baselines beside them are the set's own
recomputation from the three geoparsers' stored outputs (BASELINES.md, rule A).
"""

from __future__ import annotations

import itertools
import math
import os
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..enrich import Enricher

DEFAULT = Path(__file__).resolve().parent.parent.parent.parent / "shared" / "eval" / "geo"
ENV = "ENRICH_EVAL_GEO"
FILE = "gwn.jsonl"
EARTH_KM = 6371.009
FARTHEST_KM = 20039.0
WITHIN_KM = 161.0
MIDPOINT_CHARS = 10
LITERAL = frozenset({"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier"})
ASSOCIATIVE = frozenset({"Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit"})
# BASELINES.md (rule A, the 2,399 toponyms with an id): coverage, acc@161 covered, acc@161
# all, mean km, median km, AUC covered, AUC all. No baseline output carries GeoNames ids.
BASELINES: tuple[tuple[str, tuple[float, ...]], ...] = (
    ("Edinburgh Parser", (0.564, 0.919, 0.518, 315, 0.0, 0.071, 0.476)),
    ("Yahoo! Placemaker", (0.607, 0.694, 0.421, 288, 56.6, 0.366, 0.615)),
    ("EMM", (0.605, 0.475, 0.287, 1142, 185.7, 0.469, 0.679)),
)


def location(given: str | None = None) -> Path:
    return Path(given or os.environ.get(ENV) or DEFAULT)


@dataclass(frozen=True, slots=True)
class Prediction:
    start: int
    end: int
    text: str
    lat: float
    lon: float
    geonameid: int | None


@dataclass
class Scores:
    """Errors of covered toponyms (km), the count of all, and exact id matches."""

    n: int = 0
    errors: list[float] = field(default_factory=list)
    exact: int = 0

    def add(self, gold: dict[str, Any], found: Prediction | None) -> None:
        self.n += 1
        if found is None:
            return
        self.errors.append(distance(gold["lat"], gold["lon"], found.lat, found.lon))
        self.exact += gold["geonameid"] is not None and found.geonameid == gold["geonameid"]

    def row(self) -> tuple[float, ...]:
        covered = len(self.errors)
        within = sum(_within(e) for e in self.errors)
        missing = [FARTHEST_KM] * (self.n - covered)
        return (covered / self.n, within / covered if covered else 0.0, within / self.n,
                statistics.fmean(self.errors) if covered else 0.0,
                statistics.median(self.errors) if covered else 0.0,
                auc(self.errors), auc(self.errors + missing))


def distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (km), as geopy's great_circle computes it."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return EARTH_KM * math.acos(max(-1.0, min(1.0, c)))


def _within(km: float) -> bool:
    return math.log(1 + km) < math.log(WITHIN_KM)  # Gritta's print_stats


def auc(errors: Sequence[float]) -> float:
    """Area under the sorted log-error curve over its maximum (trapezoids, as numpy.trapz)."""
    if len(errors) < 2:
        return 0.0
    ys = sorted(math.log(1 + e) for e in errors)
    area = sum((a + b) / 2 for a, b in itertools.pairwise(ys))
    return area / (math.log(FARTHEST_KM) * (len(ys) - 1))


def predictions(enrichment: dict[str, Any], body: str) -> list[Prediction]:
    out = [Prediction(m["start"], m["end"], body[m["start"]:m["end"]], p["lat"], p["lon"],
                      p["geonameid"])
           for p in enrichment.get("places", ()) for m in p["mentions"] if m["field"] == "body"]
    return sorted(out, key=lambda p: p.start)


def match(gold: Sequence[dict[str, Any]],
          found: Sequence[Prediction]) -> list[Prediction | None]:
    """Rule A: same surface string (case aside), midpoints under 10 characters apart, one to
    one, gold by gold, the first unused prediction in text order."""
    used: set[int] = set()
    out: list[Prediction | None] = []
    for g in gold:
        mid = (g["start"] + g["end"]) / 2
        hit = None
        for i, p in enumerate(found):
            if (i not in used and p.text.lower() == g["text"].lower()
                    and abs((p.start + p.end) / 2 - mid) < MIDPOINT_CHARS):
                hit = i
                break
        if hit is not None:
            used.add(hit)
        out.append(found[hit] if hit is not None else None)
    return out


@dataclass
class GeoResult:
    groups: dict[str, Scores] = field(default_factory=dict)
    missed: Counter[str] = field(default_factory=Counter)
    far: Counter[str] = field(default_factory=Counter)

    def add(self, gold: dict[str, Any], found: Prediction | None) -> None:
        names = ["all toponyms"]
        if gold["geonameid"] is not None:
            names.append("with an id")
            names.append("literal" if gold["type"] in LITERAL else "associative")
        for name in names:
            self.groups.setdefault(name, Scores()).add(gold, found)
        if gold["geonameid"] is None:
            return
        if found is None:
            self.missed[gold["text"]] += 1
        elif not _within(distance(gold["lat"], gold["lon"], found.lat, found.lon)):
            self.far[gold["text"]] += 1


def evaluate(articles: Iterable[dict[str, Any]], enricher: Enricher,
             batch: int = 16) -> GeoResult:
    result = GeoResult()
    items = list(articles)
    for i in range(0, len(items), batch):
        chunk = items[i:i + batch]
        done = enricher.enrich_many(
            [{"id": a["id"], "lang": a["lang"], "title": a["title"], "body": a["body"]}
             for a in chunk])
        for a, r in zip(chunk, done, strict=True):
            gold = a["toponyms"]
            found = predictions(dict(r.enrichment), a["body"])
            for g, p in zip(gold, match(gold, found), strict=True):
                result.add(g, p)
    return result


def table(result: GeoResult) -> str:
    head = ("| system | toponyms | n | coverage | acc@161 covered | acc@161 all | mean km "
            "| median km | AUC | AUC all | exact id |")
    lines = [head, "|" + "---|" * 11]
    for name in ("with an id", "literal", "associative", "all toponyms"):
        s = result.groups.get(name)
        if s is None:
            continue
        c, a1, a2, mean, med, auc1, auc2 = s.row()
        ids = s.exact / s.n if name != "all toponyms" else None
        lines.append(f"| this worker | {name} | {s.n} | {c:.3f} | {a1:.3f} | {a2:.3f} | "
                     f"{mean:.0f} | {med:.1f} | {auc1:.3f} | {auc2:.3f} | "
                     f"{'-' if ids is None else f'{ids:.3f}'} |")
    for system, (c, a1, a2, mean, med, auc1, auc2) in BASELINES:
        lines.append(f"| {system} | with an id | 2399 | {c:.3f} | {a1:.3f} | {a2:.3f} | "
                     f"{mean:.0f} | {med:.1f} | {auc1:.3f} | {auc2:.3f} | n/a |")
    return "\n".join(lines)


def main(where: Path, verbose: bool, enricher: Enricher) -> None:
    path = where / FILE
    if not path.is_file():
        print(f"\nGeoWebNews: {path} not found, skipped (--geo DIR or {ENV})")
        return
    articles = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    result = evaluate(articles, enricher)
    print(f"\nGeoWebNews ({len(articles)} English news articles, places resolved to GeoNames; "
          "baselines: the set's BASELINES.md, rule A)\n")
    print(table(result))
    if verbose:
        print("\nmost missed (gold with an id):",
              ", ".join(f"{t} ({n})" for t, n in result.missed.most_common(25)))
        print("most often over 161 km:",
              ", ".join(f"{t} ({n})" for t, n in result.far.most_common(25)))
