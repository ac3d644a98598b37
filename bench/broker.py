"""What the benchmarks share: the articles they run on (the shared real news, read in place, or
the samples where it is absent), a broker (ENRICH_BOOTSTRAP_SERVERS, or the local one started
and stopped around the run) and fresh topics pre-loaded with articles."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from worker.evaluation.realnews import location

ROOT = Path(__file__).resolve().parent.parent
KAFKA = ROOT / "deploy" / "local" / "kafka"
REAL_NEWS = location() / "articles.jsonl"  # ENRICH_EVAL_REAL_NEWS, else ../shared beside us


@contextmanager
def broker() -> Iterator[str]:
    given = os.environ.get("ENRICH_BOOTSTRAP_SERVERS", "")
    if given:
        yield given
        return
    res = subprocess.run([str(KAFKA), "start"], capture_output=True, text=True, check=True)
    try:
        yield res.stdout.strip().splitlines()[-1].removeprefix("bootstrap=")
    finally:
        subprocess.run([str(KAFKA), "stop"], check=False, capture_output=True)


async def preload(bootstrap: str, docs: Sequence[dict[str, Any]], n: int,
                  partitions: int = 4) -> tuple[str, str, str]:
    """Fresh raw/output/DLQ topics; ``n`` articles (``docs`` repeated, new ids) on raw."""
    tag = uuid.uuid4().hex[:8]
    topics = (f"bench-raw-{tag}", f"bench-out-{tag}", f"bench-dlq-{tag}")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(t, partitions, 1) for t in topics])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    try:
        futs = [await producer.send(topics[0], orjson.dumps(
            {**docs[i % len(docs)], "id": f"bench-{i}"})) for i in range(n)]
        await asyncio.gather(*futs)
    finally:
        await producer.stop()
    return topics


async def drop(bootstrap: str, topics: Sequence[str]) -> None:
    """Delete a run's topics: a local broker kept for many runs otherwise carries hundreds of
    idle partitions into every later measurement."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(list(topics))
    finally:
        await admin.close()


def worker_env(bootstrap: str, topics: tuple[str, str, str], **settings: str) -> dict[str, str]:
    raw, out, dlq = topics
    return {**os.environ, "ENRICH_BOOTSTRAP_SERVERS": bootstrap, "ENRICH_INPUT_TOPIC": raw,
            "ENRICH_OUTPUT_TOPIC": out, "ENRICH_DLQ_TOPIC": dlq,
            "ENRICH_GROUP_ID": f"g-{raw}", "ENRICH_METRICS_PORT": "0",
            "ENRICH_LOG_LEVEL": "WARNING",
            **{f"ENRICH_{k.upper()}": v for k, v in settings.items()}}
