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
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

ROOT = Path(__file__).resolve().parent.parent
REAL_NEWS = ROOT.parent / "shared" / "eval" / "real-news" / "articles.jsonl"


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
    tag = uuid.uuid4().hex[:8]
    raw, out, dlq = f"bench-raw-{tag}", f"bench-out-{tag}", f"bench-dlq-{tag}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(t, 4, 1) for t in (raw, out, dlq)])
    await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    futs = [await producer.send(raw, orjson.dumps({**docs[i % len(docs)], "id": f"b{i}"}))
            for i in range(n)]
    await asyncio.gather(*futs)
    await producer.stop()
    env = {**os.environ, "ENRICH_BOOTSTRAP_SERVERS": bootstrap, "ENRICH_INPUT_TOPIC": raw,
           "ENRICH_OUTPUT_TOPIC": out, "ENRICH_DLQ_TOPIC": dlq, "ENRICH_GROUP_ID": f"g-{tag}",
           "ENRICH_WORKERS": "1", "ENRICH_METRICS_PORT": "0", "ENRICH_LOG_LEVEL": "WARNING",
           "ENRICH_PROCESSING_GUARANTEE": guarantee}
    proc = subprocess.Popen(  # noqa: ASYNC220 - a plain child: started and stopped here
        [sys.executable, "-m", "worker.cli", "run"], env=env, cwd=ROOT)
    consumer = AIOKafkaConsumer(out, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                group_id=f"reader-{tag}", isolation_level="read_committed")
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
    if len(arrivals) < n:
        raise SystemExit(f"only {len(arrivals)}/{n} enriched records arrived ({guarantee})")
    return steady_rate(arrivals)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1200)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    source, docs = articles()
    bootstrap = os.environ.get("ENRICH_BOOTSTRAP_SERVERS", "")
    started = False
    if not bootstrap:
        res = subprocess.run([str(ROOT / "deploy/local/kafka"), "start"], capture_output=True,
                             text=True, check=True)
        bootstrap = res.stdout.strip().splitlines()[-1].removeprefix("bootstrap=")
        started = True
    rates: dict[str, list[float]] = {"at_least_once": [], "exactly_once": []}
    try:
        for _ in range(args.rounds):
            for guarantee, got in rates.items():
                got.append(asyncio.run(run_once(bootstrap, docs, args.docs, guarantee)))
    finally:
        if started:
            subprocess.run([str(ROOT / "deploy/local/kafka"), "stop"], check=False,
                           capture_output=True)
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
