"""The enrichment ceiling per NER mode (``ENRICH_NER=model|rules|both``), side by side in one run.

The ceiling is the pool's Transform in one process, batches of 16, no Kafka, built as an
enrichment process builds it for each mode. Articles: every real-news set beside the
repository (``real-news`` and ``real-news-2``, mixed languages as they come), and apart the
English and French ones (the languages with a pipeline installed here), repeated with new ids
to --docs. Rounds alternate the modes (model, rules, both, model, ...) so machine noise hits
all alike; the median round of each is reported, with each mode's rate as a multiple of
``model`` (the behaviour of every release before the setting existed).

    .venv/bin/python -m bench.modes [--docs 240] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from worker.enrich.ner import MODEL, MODES
from worker.evaluation.nermodes import default_sets
from worker.pool import PoolConfig, build_transform
from worker.transform import Transform

ROOT = Path(__file__).resolve().parent.parent
BATCH = 16


def articles(sets: Sequence[Path]) -> list[dict[str, Any]]:
    """The real news of every set (the samples where none is present)."""
    paths = [p / "articles.jsonl" for p in sets] or [ROOT / "samples" / "articles.jsonl"]
    keep = ("id", "lang", "title", "body")
    return [{k: v for k, v in orjson.loads(x).items() if k in keep}
            for p in paths for x in p.read_bytes().splitlines() if x.strip()]


def _values(docs: list[dict[str, Any]], n: int) -> list[bytes]:
    return [orjson.dumps({**docs[i % len(docs)], "id": f"m-{i}"}) for i in range(n)]


def _rate(tr: Transform, values: list[bytes]) -> float:
    t0 = time.perf_counter()
    for i in range(0, len(values), BATCH):
        tr.run(values[i:i + BATCH])
    return len(values) / (time.perf_counter() - t0)


def measure(docs: list[dict[str, Any]], n: int, rounds: int,
            modes: Sequence[str] = MODES) -> dict[str, dict[str, float]]:
    """mode -> {"mixed": docs/s, "<lang>": docs/s for each language with a pipeline}."""
    transforms = {m: build_transform(PoolConfig(processes=1, ner=m))[0] for m in modes}
    model_langs = sorted({a["lang"] for a in docs
                          if transforms[modes[0]].enricher.registry.get(a["lang"]) is not None})
    streams = {"mixed": _values(docs, n)} | {
        lang: _values([a for a in docs if a["lang"] == lang], n // 2) for lang in model_langs}
    for tr in transforms.values():  # first pass: pipelines, tables and caches warm in all
        tr.run(streams["mixed"][:BATCH])
    got: dict[str, dict[str, list[float]]] = {m: {s: [] for s in streams} for m in modes}
    for _ in range(rounds):
        for stream, values in streams.items():
            for mode, tr in transforms.items():
                got[mode][stream].append(_rate(tr, values))
    return {m: {s: statistics.median(v) for s, v in per.items()} for m, per in got.items()}


def table(rates: dict[str, dict[str, float]]) -> str:
    streams = list(next(iter(rates.values())))
    base = rates.get(MODEL)
    head = "| mode | " + " | ".join(f"{s} docs/s" for s in streams) + " | mixed × model |"
    lines = [head, "|" + "---|" * (len(streams) + 2)]
    for mode, r in rates.items():
        times = f"{r['mixed'] / base['mixed']:.2f}" if base else "-"
        lines.append(f"| {mode} | " + " | ".join(f"{r[s]:.1f}" for s in streams)
                     + f" | {times} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=240)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    sets = default_sets()
    docs = articles(sets)
    rates = measure(docs, args.docs, args.rounds)
    where = " + ".join(p.name for p in sets) or "samples"
    print(f"Ceiling per NER mode: {args.docs} mixed articles from {where} (en/fr alone: "
          f"{args.docs // 2} each), one process, batches of {BATCH}, {args.rounds} alternating "
          "rounds (median)\n")
    print(table(rates))
    fast = max(rates, key=lambda m: rates[m]["mixed"])
    if MODEL in rates:
        times = rates[fast]["mixed"] / rates[MODEL]["mixed"]
        print(f"\nfastest mode {fast}: mixed ceiling {times:.2f} × model's (goal >= 1.5)")


if __name__ == "__main__":
    main()
