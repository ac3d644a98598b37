"""Throughput of NER alone vs the full enrichment, side by side in one run.

Prints docs/s for each and the ratio full/NER, and the share sentiment adds to the
enrichment time (full enrichment vs the same with sentiment off, on real news where
``../shared/eval/real-news`` is present, else on the samples). Rounds alternate (A B A B ...)
so machine noise hits both alike; the median round of each is reported. Articles for the NER
comparison: the project's samples in the languages that have a spaCy pipeline installed
(NER-only needs one), repeated to --docs.

Then the ceiling per NER mode (``bench.modes``: model, rules and both side by side on the
real news of every set and on en/fr alone).

    .venv/bin/python bench/throughput.py [--docs 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any
from unittest import mock

import orjson

from bench import modes
from worker.enrich import Enricher, sentiment
from worker.enrich.text import FIELDS
from worker.evaluation.realnews import location

ROOT = Path(__file__).resolve().parent.parent
REAL_NEWS = location() / "articles.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--batch", type=int, default=16)
    args = ap.parse_args()
    enricher = Enricher(batch_size=args.batch)
    samples = [orjson.loads(x) for x in (ROOT / "samples/articles.jsonl").read_bytes().split(
        b"\n") if x.strip()]
    usable = [a for a in samples if enricher.registry.get(a.get("lang")) is not None]
    every = [samples[i % len(samples)] for i in range(args.docs)]
    docs = [usable[i % len(usable)] for i in range(args.docs)]
    langs = sorted({a["lang"] for a in usable})
    models = {lang: enricher.registry.get(lang).ident for lang in langs}  # type: ignore[union-attr]
    enricher.enrich_many(docs[:8] + every[:8])  # warm: lexicons, gazetteers, first pipe

    def ner_only() -> None:
        for lang in langs:
            nlp = enricher.registry.get(lang).nlp  # type: ignore[union-attr]
            texts = [a.get(f) or "" for a in docs if a["lang"] == lang for f in FIELDS]
            for _ in nlp.pipe(texts, batch_size=args.batch):
                pass

    def full(articles: list[dict[str, Any]]) -> None:
        for i in range(0, len(articles), args.batch):
            enricher.enrich_many(articles[i : i + args.batch])

    real = ([{"id": a["id"], "title": a["title"], "body": a["body"], "language": a["lang"]}
             for a in map(orjson.loads, REAL_NEWS.read_bytes().splitlines())]
            if REAL_NEWS.exists() else every)

    def no_sentiment() -> None:
        with mock.patch.object(sentiment, "lexicon", lambda lang: None):
            full(real)

    rounds: dict[str, list[float]] = {"ner": [], "full": [], "all": [], "real": [], "nosent": []}
    for _ in range(args.rounds):
        for name, fn in (("ner", ner_only), ("full", lambda: full(docs)),
                         ("all", lambda: full(every)), ("real", lambda: full(real)),
                         ("nosent", no_sentiment)):
            t0 = time.perf_counter()
            fn()
            n = len(real) if name in ("real", "nosent") else args.docs
            rounds[name].append(n / (time.perf_counter() - t0))
    ner, fl, al, re_, ns = (statistics.median(rounds[k])
                            for k in ("ner", "full", "all", "real", "nosent"))
    print(f"articles: {args.docs} ({', '.join(langs)} samples with a pipeline: "
          f"{', '.join(models.values())}); {args.rounds} alternating rounds, one process")
    print(f"NER only (nlp.pipe, title+body)       {ner:8.1f} docs/s")
    print(f"full enrichment, same articles         {fl:8.1f} docs/s")
    print(f"ratio full / NER-only                  {fl / ner:8.2f}  (must stay above 0.50)")
    print(f"full enrichment, all {len(samples)} sample languages  {al:8.1f} docs/s")
    what = "real news" if REAL_NEWS.exists() else "samples"
    print(f"{what}, {len(real)} articles: full {re_:.1f} docs/s, sentiment off {ns:.1f} docs/s;"
          f" sentiment adds {ns / re_ - 1:+.1%} to the enrichment time (target <= 10%)\n")
    modes.main([])


if __name__ == "__main__":
    main()
