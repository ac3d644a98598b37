"""Wire compatibility beyond aiokafka: librdkafka (confluent-kafka and kcat) on both ends."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from typing import Any

import orjson
import pytest
from confluent_kafka import Consumer, Producer

from .conftest import Worker


def _produce(bootstrap: str, topic: str, records: list[tuple[bytes, bytes]]) -> None:
    p = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    for key, value in records:
        p.produce(topic, value=value, key=key, headers=[("via", b"librdkafka")])
    assert p.flush(30) == 0


def _consume(bootstrap: str, topic: str, n: int, timeout: float = 90) -> list[Any]:
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"reader-{topic}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([topic])
    out: list[Any] = []
    import time

    deadline = time.monotonic() + timeout
    try:
        while len(out) < n and time.monotonic() < deadline:
            msg = c.poll(0.5)
            if msg is not None and msg.error() is None:
                out.append(msg)
    finally:
        c.close()
    return out


async def test_confluent_kafka_in_and_out(
    bootstrap: str, topics: Any, workers: list[Worker], samples: list[dict[str, Any]],
) -> None:
    w = Worker(bootstrap, topics).start()
    workers.append(w)
    await w.ready()
    records = [(a["id"].encode(), orjson.dumps(a)) for a in samples]
    await asyncio.to_thread(_produce, bootstrap, topics.raw, records)
    out = await asyncio.to_thread(_consume, bootstrap, topics.enriched, len(records))
    assert sorted(m.key() for m in out) == sorted(k for k, _ in records)
    for m in out:
        assert ("via", b"librdkafka") in (m.headers() or [])
        doc = orjson.loads(m.value())
        assert doc["enrichment"]["schema_version"].startswith("1.")


@pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat (Debian package) not installed")
async def test_kcat_reads_the_output(
    bootstrap: str, topics: Any, workers: list[Worker], seed: dict[str, Any],
) -> None:
    w = Worker(bootstrap, topics).start()
    workers.append(w)
    await w.ready()
    proc = await asyncio.create_subprocess_exec(
        "kcat", "-b", bootstrap, "-P", "-t", topics.raw, "-k", "kcat-key",
        stdin=asyncio.subprocess.PIPE)
    await proc.communicate(orjson.dumps(seed))
    assert proc.returncode == 0
    out = b""
    for _ in range(90):  # the worker needs a moment; kcat -e stops at the current end
        res = await asyncio.to_thread(
            subprocess.run,
            ["kcat", "-b", bootstrap, "-C", "-t", topics.enriched, "-c", "1", "-e", "-q",
             "-f", "%k\t%s\n"], capture_output=True, timeout=60, check=False)
        out = res.stdout
        if out.strip():
            break
        await asyncio.sleep(1)
    key, _, value = out.decode().partition("\t")
    assert key == "kcat-key"
    assert orjson.loads(value)["enrichment"]["language"]["code"] == "it"
