"""The enrichment ceiling of this tree against another revision, back to back in one run.

The ceiling is the pool's Transform in one process, batches of 16, no Kafka, on the same
articles (the shared real news beside the repository if present, else the samples). The other
revision is checked out as a git worktree under .cache/ and run with the same virtualenv
(PYTHONPATH selects the tree); rounds alternate between the two so machine noise hits both
alike, and the median round of each is reported with the ratio. Besides the mixed articles it
reports the gazetteer-only ones (languages without a NER pipeline) and, for the articles with a
pipeline, the time spent outside NER as a share of the NER time.

    .venv/bin/python -m bench.versus --against REV [--docs 400] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.broker import ROOT

# Run inside each tree: prints one JSON line of rates. The NER share comes from timing
# Enricher._ner around the same calls that the whole enrichment is timed on.
PROBE = r"""
import json, sys, time
import orjson
from worker.pool import PoolConfig, build_transform
from worker.enrich import Enricher
path, n = sys.argv[1], int(sys.argv[2])
docs = [{k: v for k, v in orjson.loads(x).items() if k in ("id", "lang", "title", "body")}
        for x in open(path, "rb").read().splitlines() if x.strip()]
tr = build_transform(PoolConfig(processes=1))[0]
ner_time = [0.0]
inner = Enricher._ner
def timed(self, *a):
    t = time.perf_counter(); out = inner(self, *a); ner_time[0] += time.perf_counter() - t
    return out
Enricher._ner = timed
def rate(subset):
    values = [orjson.dumps({**subset[i % len(subset)], "id": f"v-{i}"}) for i in range(n)]
    tr.run(values[:16])
    ner_time[0] = 0.0
    t0 = time.perf_counter()
    for i in range(0, n, 16):
        tr.run(values[i:i + 16])
    return n / (time.perf_counter() - t0), ner_time[0], time.perf_counter() - t0
has_ner = {a["lang"] for a in docs if tr.enricher.registry.get(a["lang"]) is not None}
mixed = rate(docs)[0]
gaz = rate([a for a in docs if a["lang"] not in has_ner])[0]
_, ner, total = rate([a for a in docs if a["lang"] in has_ner])
print(json.dumps({"mixed": mixed, "gazetteer": gaz, "outside_ner": (total - ner) / ner}))
"""


def tree_of(rev: str) -> Path:
    where = ROOT / ".cache" / "versus" / rev
    if not where.exists():
        subprocess.run(["git", "worktree", "add", "--detach", "-f", str(where), rev], cwd=ROOT,
                       check=True, capture_output=True)
    return where


def probe(tree: Path, path: str, n: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    res = subprocess.run([sys.executable, "-c", PROBE, path, str(n)], cwd=tree, env=env,
                         capture_output=True, text=True, check=True)
    out: dict[str, float] = json.loads(res.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    from bench.eos_throughput import REAL_NEWS

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", required=True, help="git revision to compare with")
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    path = REAL_NEWS if REAL_NEWS.is_file() else ROOT / "samples" / "articles.jsonl"
    trees = {"this tree": ROOT, args.against: tree_of(args.against)}
    got: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            got[name].append(probe(tree, str(path), args.docs))
    print(f"{args.docs} articles per measure from {path.name}, one process, batches of 16, "
          f"{args.rounds} alternating rounds (median)\n")
    print("| tree | mixed docs/s | gazetteer-only docs/s | time outside NER / NER time |")
    print("|---|---|---|---|")
    med = {k: {m: statistics.median(r[m] for r in v) for m in v[0]} for k, v in got.items()}
    for name, m in med.items():
        print(f"| {name} | {m['mixed']:.1f} | {m['gazetteer']:.0f} | {m['outside_ner']:.2f} |")
    this, other = med["this tree"], med[args.against]
    print(f"\nceiling ratio, this tree / {args.against}: {this['mixed'] / other['mixed']:.2f} "
          f"(goal >= 1.5); gazetteer-only {this['gazetteer']:.0f} docs/s (goal >= 500); "
          f"outside NER {this['outside_ner']:.2f} of NER (goal <= 0.15)")


if __name__ == "__main__":
    main()
