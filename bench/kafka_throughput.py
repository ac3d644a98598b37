"""End-to-end throughput through a real broker: raw topic -> worker -> enriched topic.

Pre-loads --docs copies of the sample articles (unique ids) onto a fresh topic, starts
``enrich-worker run`` as a subprocess, and reports docs/s between the first and the last
enriched record, for 1 process and for --workers processes, in one run (so the ratio is
measured side by side). Uses ENRICH_BOOTSTRAP_SERVERS, or starts deploy/local/kafka.

    .venv/bin/python bench/kafka_throughput.py [--docs 600] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time

import orjson
from aiokafka import AIOKafkaConsumer

from bench.broker import ROOT, broker, preload, worker_env


async def run_once(bootstrap: str, docs: int, workers: int) -> float:
    samples = [orjson.loads(x) for x in (ROOT / "samples/articles.jsonl").read_bytes()
               .splitlines() if x.strip()]
    topics = await preload(bootstrap, samples, docs)
    env = worker_env(bootstrap, topics, workers=str(workers))
    # A plain child process: the bench only starts and stops it.
    proc = subprocess.Popen(  # noqa: ASYNC220
        [sys.executable, "-m", "worker.cli", "run"], env=env, cwd=ROOT)
    consumer = AIOKafkaConsumer(topics[1], bootstrap_servers=bootstrap,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    seen, first, last = 0, 0.0, 0.0
    deadline = time.monotonic() + 600
    try:
        while seen < docs and time.monotonic() < deadline:
            for recs in (await consumer.getmany(timeout_ms=500)).values():
                now = time.monotonic()
                first = first or now
                last = now
                seen += len(recs)
    finally:
        await consumer.stop()
        proc.terminate()
        proc.wait(60)
    if seen < docs:
        raise SystemExit(f"only {seen}/{docs} enriched records arrived")
    return (seen - 1) / (last - first)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with broker() as bootstrap:
        one = asyncio.run(run_once(bootstrap, args.docs, 1))
        many = asyncio.run(run_once(bootstrap, args.docs, args.workers))
    print(f"{args.docs} sample articles (6 languages; en/fr NER, others gazetteer) through "
          f"Kafka and the worker")
    print(f"1 enrichment process            {one:7.1f} docs/s")
    print(f"{args.workers} enrichment processes          {many:7.1f} docs/s")
    print(f"ratio {args.workers} / 1                       {many / one:7.2f}")


if __name__ == "__main__":
    main()
