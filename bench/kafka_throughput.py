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
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

ROOT = Path(__file__).resolve().parent.parent


async def run_once(bootstrap: str, docs: int, workers: int) -> float:
    tag = uuid.uuid4().hex[:8]
    raw, out, dlq = f"bench-raw-{tag}", f"bench-out-{tag}", f"bench-dlq-{tag}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(t, 4, 1) for t in (raw, out, dlq)])
    await admin.close()
    samples = [orjson.loads(x) for x in (ROOT / "samples/articles.jsonl").read_bytes()
               .splitlines() if x.strip()]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    futs = [await producer.send(raw, orjson.dumps({**samples[i % len(samples)],
                                                   "id": f"bench-{i}"})) for i in range(docs)]
    await asyncio.gather(*futs)
    await producer.stop()
    env = {**os.environ, "ENRICH_BOOTSTRAP_SERVERS": bootstrap, "ENRICH_INPUT_TOPIC": raw,
           "ENRICH_OUTPUT_TOPIC": out, "ENRICH_DLQ_TOPIC": dlq, "ENRICH_GROUP_ID": f"g-{tag}",
           "ENRICH_WORKERS": str(workers), "ENRICH_METRICS_PORT": "0",
           "ENRICH_LOG_LEVEL": "WARNING"}
    # A plain child process: the bench only starts and stops it.
    proc = subprocess.Popen(  # noqa: ASYNC220
        [sys.executable, "-m", "worker.cli", "run"], env=env, cwd=ROOT)
    consumer = AIOKafkaConsumer(out, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                group_id=f"reader-{tag}")
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
    bootstrap = os.environ.get("ENRICH_BOOTSTRAP_SERVERS", "")
    started = False
    if not bootstrap:
        res = subprocess.run([str(ROOT / "deploy/local/kafka"), "start"], capture_output=True,
                             text=True, check=True)
        bootstrap = res.stdout.strip().splitlines()[-1].removeprefix("bootstrap=")
        started = True
    try:
        one = asyncio.run(run_once(bootstrap, args.docs, 1))
        many = asyncio.run(run_once(bootstrap, args.docs, args.workers))
    finally:
        if started:
            subprocess.run([str(ROOT / "deploy/local/kafka"), "stop"], check=False,
                           capture_output=True)
    print(f"{args.docs} sample articles (6 languages; en/fr NER, others gazetteer) through "
          f"Kafka and the worker")
    print(f"1 enrichment process            {one:7.1f} docs/s")
    print(f"{args.workers} enrichment processes          {many:7.1f} docs/s")
    print(f"ratio {args.workers} / 1                       {many / one:7.2f}")


if __name__ == "__main__":
    main()
