"""The enrichment ceiling of this tree against another revision, back to back in one run.

The ceiling is the pool's Transform in one process, batches of 16, no Kafka, on the same
articles (the shared real news beside the repository if present, else the samples). The other
revision is checked out as a git worktree under .cache/ and run with the same virtualenv
(PYTHONPATH selects the tree). Both run at the same time, each pinned to its own CPU (swapped
every round), so the noise of a shared machine hits both alike; the median round of each is
reported with the ratio. Besides the mixed articles it
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
import json, os, sys, time
if os.environ.get("PROBE_CPU"):
    os.sched_setaffinity(0, {int(os.environ["PROBE_CPU"])})
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
rate(docs)  # a first pass fills the tokenizers' caches and the like, in both trees alike
mixed = rate(docs)[0]
gaz = rate([a for a in docs if a["lang"] not in has_ner])[0]
_, ner, total = rate([a for a in docs if a["lang"] in has_ner])
print(json.dumps({"mixed": mixed, "gazetteer": gaz, "outside_ner": (total - ner) / ner,
                  "ner_ms": 1000 * ner / n}))
"""


def tree_of(rev: str) -> Path:
    where = ROOT / ".cache" / "versus" / rev
    if not where.exists():
        subprocess.run(["git", "worktree", "add", "--detach", "-f", str(where), rev], cwd=ROOT,
                       check=True, capture_output=True)
    return where


def start_probe(tree: Path, path: str, n: int, cpu: int | None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(tree), "PROBE_CPU": "" if cpu is None else str(cpu)}
    return subprocess.Popen([sys.executable, "-c", PROBE, path, str(n)], cwd=tree, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def result(proc: subprocess.Popen[str]) -> dict[str, float]:
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"probe failed with exit code {proc.returncode}")
    got: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return got


def main() -> None:
    from bench.broker import REAL_NEWS

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", required=True, help="git revision to compare with")
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    path = REAL_NEWS if REAL_NEWS.is_file() else ROOT / "samples" / "articles.jsonl"
    trees = {"this tree": ROOT, args.against: tree_of(args.against)}
    got: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    cpus = sorted(os.sched_getaffinity(0))
    for r in range(args.rounds):
        # With two CPUs or more both trees run at once, each on its own CPU, swapping CPUs
        # every round: a noisy machine then slows both alike. Otherwise one after the other.
        if len(cpus) >= 2:
            procs = {name: start_probe(tree, str(path), args.docs, cpus[(i + r) % 2])
                     for i, (name, tree) in enumerate(trees.items())}
            for name, proc in procs.items():
                got[name].append(result(proc))
        else:
            for name, tree in trees.items():
                got[name].append(result(start_probe(tree, str(path), args.docs, None)))
    print(f"{args.docs} articles per measure from {path.name}, one process per tree, batches of "
          f"16, {args.rounds} rounds (median), the trees side by side on separate CPUs\n")
    print("| tree | mixed docs/s | gazetteer-only docs/s | time outside NER / NER time | "
          "NER ms per en/fr article |")
    print("|---|---|---|---|---|")
    med = {k: {m: statistics.median(r[m] for r in v) for m in v[0]} for k, v in got.items()}
    for name, m in med.items():
        print(f"| {name} | {m['mixed']:.1f} | {m['gazetteer']:.0f} | {m['outside_ner']:.2f} "
              f"| {m['ner_ms']:.1f} |")
    this, other = med["this tree"], med[args.against]
    print(f"\nceiling ratio, this tree / {args.against}: {this['mixed'] / other['mixed']:.2f} "
          f"(goal >= 1.5); gazetteer-only {this['gazetteer']:.0f} docs/s (goal >= 500); "
          f"outside NER {this['outside_ner']:.2f} of NER (goal <= 0.15)")


if __name__ == "__main__":
    main()
