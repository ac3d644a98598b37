"""Exactly-once vs at-least-once throughput through a real broker, side by side in one run.

Pre-loads --docs articles (the shared real news if present beside the repository, else the
samples; repeated with new ids) onto a fresh 4-partition topic per run, starts
``enrich-worker run`` with each guarantee in turn (alternating, --rounds times), and reads the
output with read_committed. The rate is taken over the steady-state window, between the 10th
and the 90th percentile of output arrival times, so a slow start or a late final flush does
not decide the figure. Prints docs/s per guarantee and the ratio exactly-once / at-least-once.
Uses ENRICH_BOOTSTRAP_SERVERS, or starts deploy/local/kafka.

    .venv/bin/python bench/eos_throughput.py [--docs 1200] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time

import orjson
from aiokafka import AIOKafkaConsumer

from bench.broker import REAL_NEWS, ROOT, broker, drop, preload, worker_env


def articles() -> tuple[str, list[dict[str, object]]]:
    path = REAL_NEWS if REAL_NEWS.is_file() else ROOT / "samples" / "articles.jsonl"
    keep = ("id", "lang", "title", "body")
    docs = [{k: v for k, v in orjson.loads(x).items() if k in keep}
            for x in path.read_bytes().splitlines() if x.strip()]
    return str(path.relative_to(ROOT.parent)), docs


def steady_rate(arrivals: list[float]) -> float:
    """Records per second between the 10th and the 90th percentile of arrival times."""
    arrivals = sorted(arrivals)
    lo, hi = int(len(arrivals) * 0.1), int(len(arrivals) * 0.9)
    span = arrivals[hi] - arrivals[lo]
    return (hi - lo) / span if span > 0 else float("nan")


async def run_once(bootstrap: str, docs: list[dict[str, object]], n: int,
                   guarantee: str) -> float:
    topics = await preload(bootstrap, docs, n)
    env = worker_env(bootstrap, topics, workers="1", processing_guarantee=guarantee)
    proc = subprocess.Popen(  # noqa: ASYNC220 - a plain child: started and stopped here
        [sys.executable, "-m", "worker.cli", "run"], env=env, cwd=ROOT)
    consumer = AIOKafkaConsumer(topics[1], bootstrap_servers=bootstrap,
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                isolation_level="read_committed")
    await consumer.start()
    arrivals: list[float] = []
    deadline = time.monotonic() + 900
    try:
        while len(arrivals) < n and time.monotonic() < deadline:
            for recs in (await consumer.getmany(timeout_ms=200)).values():
                arrivals += [time.monotonic()] * len(recs)
    finally:
        await consumer.stop()
        proc.terminate()
        proc.wait(60)
        await drop(bootstrap, topics)
    if len(arrivals) < n:
        raise SystemExit(f"only {len(arrivals)}/{n} enriched records arrived ({guarantee})")
    return steady_rate(arrivals)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1200)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    source, docs = articles()
    rates: dict[str, list[float]] = {"at_least_once": [], "exactly_once": []}
    with broker() as bootstrap:
        for _ in range(args.rounds):
            for guarantee, got in rates.items():
                got.append(asyncio.run(run_once(bootstrap, docs, args.docs, guarantee)))
    alo, eos = (statistics.median(rates[k]) for k in ("at_least_once", "exactly_once"))
    print(f"{args.docs} articles from {source} per run, 4 partitions, 1 enrichment process, "
          f"{args.rounds} alternating rounds; steady-state window (10th-90th percentile of "
          f"output arrivals), read_committed")
    for k, v in rates.items():
        print(f"{k:14} {statistics.median(v):7.1f} docs/s   rounds: "
              + ", ".join(f"{x:.1f}" for x in v))
    print(f"ratio exactly_once / at_least_once   {eos / alo:5.2f}   (goal >= 0.80)")


if __name__ == "__main__":
    main()
