"""Faults that used to stop the worker, on the real broker: poison records, dying and stuck
enrichment processes. Each test's input crashed (or stalled) the worker before the fix; here the
worker must stay up, and every input offset must end in exactly one output or DLQ record."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from ..conftest import ROOT
from .conftest import (
    Worker,
    dlq_headers,
    enrichment_processes,
    make_topics,
    produce_articles,
    read_all,
    until,
    wait_committed,
)

DEEP = b"[" * 300 + b"]" * 300
BIG_INT = b"123456789012345678901234567890"


def english_text(chars: int) -> str:
    samples = [orjson.loads(x) for x in (ROOT / "samples/articles.jsonl").read_bytes()
               .splitlines() if x.strip()]
    en = next(a for a in samples if a["lang"] == "en")["body"]
    return ((en + "\n\n") * (chars // len(en) + 1))[:chars]


def by_id(recs: list[Any]) -> dict[str, Any]:
    return {orjson.loads(r.value)["id"]: r for r in recs if r.value}


def by_source(recs: list[Any]) -> dict[int, dict[str, bytes]]:
    return {int(dlq_headers(r)["dlq.source.offset"]): dlq_headers(r) for r in recs}


async def send_in_order(producer: AIOKafkaProducer, topic: str,
                        values: list[tuple[str, bytes]]) -> None:
    for key, value in values:
        await producer.send_and_wait(topic, value, key=key.encode(), partition=0)


def kcat_bad_header(bootstrap: str, topic: str) -> None:
    """A record whose header key is not UTF-8: librdkafka writes one, aiokafka cannot."""
    subprocess.run(["kcat", "-P", "-b", bootstrap, "-t", topic, "-p", "0", "-k", "hdr",
                    "-H", b"\xff\xfe=v".decode("utf-8", "surrogateescape"),
                    "-H", "trace=abc"],
                   input=b'{"id":"hdr","body":"Roma."}\n', check=True, timeout=30)


async def test_poison_records_go_to_the_dlq_and_the_worker_carries_on(
    bootstrap: str, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    if shutil.which("kcat") is None:
        pytest.skip("kcat (Debian package) writes the non-UTF-8 header key; .ci/run installs it")
    topics = await make_topics(bootstrap, partitions=1)
    await send_in_order(producer, topics.raw, [
        ("deep", b'{"id":"deep","body":"Roma e Parigi.","x":' + DEEP + b"}"),
        ("bigint", b'{"id":"bigint","body":"Roma.","n":' + BIG_INT + b"}"),
        # 1.0 MB of input that enriches to ~10 MB of mention offsets.
        ("roma", orjson.dumps({"id": "roma", "lang": "it", "body": "Roma " * 199_999})),
        # Over ENRICH_MAX_BODY_BYTES and over the producer's 4 MiB: its DLQ record cannot
        # carry the value.
        ("huge", orjson.dumps({"id": "huge", "body": "x" * 4_500_000})),
    ])
    kcat_bad_header(bootstrap, topics.raw)
    await send_in_order(producer, topics.raw, [("ok", b'{"id":"ok","body":"Parigi."}')])
    n = 6
    w = Worker(bootstrap, topics).start()
    workers.append(w)
    await w.ready()
    assert await wait_committed(bootstrap, topics, n, timeout=120) == n, w.logs()
    assert w.proc is not None and w.proc.poll() is None, "the worker is still running"
    assert w.get("/readyz")[0] == 200
    outputs = by_id(await read_all(bootstrap, topics.enriched, 4, timeout=30))
    dlq = by_source(await read_all(bootstrap, topics.dlq, 2, timeout=30))
    assert set(outputs) == {"deep", "bigint", "roma", "ok"}, w.logs()
    assert DEEP in outputs["deep"].value, "the input is kept byte for byte"
    assert b'"n":' + BIG_INT + b"," in outputs["bigint"].value
    roma = orjson.loads(outputs["roma"].value)["enrichment"]
    assert roma["truncated"]["body_chars"] == 999_995
    assert dlq[3]["dlq.reason"] == b"body_too_large"
    assert dlq[3]["dlq.value.omitted"] == b"true" and dlq[3]["dlq.value.bytes"] == b"4500023"
    assert dlq[4]["dlq.reason"] == b"invalid_header"
    assert dlq[4]["dlq.invalid.header.key"] == b"\xff\xfe"
    assert dlq[4]["dlq.invalid.header.value"] == b"v" and dlq[4]["trace"] == b"abc"
    assert w.metric("enrich_dlq_records_total") == 2


async def test_an_output_over_the_topic_limit_is_shrunk_or_dead_lettered(
    bootstrap: str, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    # "many" enriches to ~1.1 MB, 133 kB after gzip (36 kB after zstd): over the limit until
    # mentions are capped; "noise" stays ~200 kB after any codec whatever is capped.
    topics = await make_topics(bootstrap, partitions=1, max_bytes={"enriched": 30_000})
    words = " ".join(os.urandom(6).hex() for _ in range(30_000))  # ~390 kB, compresses poorly
    await send_in_order(producer, topics.raw, [
        ("many", orjson.dumps({"id": "many", "lang": "it", "body": "Roma, Parigi. " * 6000})),
        ("noise", orjson.dumps({"id": "noise", "lang": "it", "body": words})),
        ("ok", b'{"id":"ok","body":"Parigi."}'),
    ])
    w = Worker(bootstrap, topics).start()
    workers.append(w)
    await w.ready()
    assert await wait_committed(bootstrap, topics, 3, timeout=120) == 3, w.logs()
    outputs = by_id(await read_all(bootstrap, topics.enriched, 2, timeout=30))
    dlq = by_source(await read_all(bootstrap, topics.dlq, 1, timeout=30))
    assert set(outputs) == {"many", "ok"}
    ents = orjson.loads(outputs["many"].value)["enrichment"]["entities"]
    assert any(e.get("mentions_truncated") for e in ents), "mentions were capped to fit"
    assert dlq[1]["dlq.reason"] == b"output_too_large"
    assert w.proc is not None and w.proc.poll() is None



async def test_enrichment_processes_killed_twice_within_0_3_s(
    bootstrap: str, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    topics = await make_topics(bootstrap, partitions=3)
    n = 1500
    await produce_articles(producer, topics.raw, n)
    w = Worker(bootstrap, topics, {"ENRICH_WORKERS": "2", "ENRICH_MAX_IN_FLIGHT": "256",
                                   "ENRICH_BATCH_SIZE": "8"}).start()
    workers.append(w)
    await w.ready()
    assert w.proc is not None
    await until(lambda: w.metric("enrich_records_produced_total") >= 100, 60)
    assert w.metric("enrich_in_flight_records") > 0
    first, second = enrichment_processes(w.proc.pid)
    produced_at_kill = w.metric("enrich_records_produced_total")
    os.kill(first, signal.SIGKILL)
    await asyncio.sleep(0.3)
    os.kill(second, signal.SIGKILL)
    # Both slots come back (not ready while one is being replaced), never with more processes
    # than configured; the deadline only bounds a hang, it is not a speed claim.
    deadline = time.monotonic() + 120
    most, was_unready = 0, False
    while time.monotonic() < deadline:
        most = max(most, len(enrichment_processes(w.proc.pid)))
        ready = w.get("/readyz")[0] == 200
        was_unready |= not ready
        if ready and w.metric("enrich_pool_restarts_total", reason="died") == 2:
            break
        await asyncio.sleep(0.02)
    assert most <= 2, f"{most} enrichment processes at once (2 configured)"
    assert was_unready, "readiness dropped while an enrichment process was replaced"
    assert w.get("/readyz")[0] == 200, w.logs()
    restarts = w.metric("enrich_pool_restarts_total", reason="died")
    assert restarts == 2 and len(enrichment_processes(w.proc.pid)) == 2, (
        f"killed {first} and {second}; restarts {restarts}; records produced "
        f"{produced_at_kill} at the kills, {w.metric('enrich_records_produced_total')} now\n"
        + w.diagnosis())
    assert await wait_committed(bootstrap, topics, n) == n
    outputs = await read_all(bootstrap, topics.enriched, n, timeout=30)
    assert {orjson.loads(r.value)["id"] for r in outputs} == {f"a{i}" for i in range(n)}
    assert w.metric("enrich_pool_restarts_total", reason="died") == 2
    assert w.proc.poll() is None and w.get("/readyz")[0] == 200


async def test_a_batch_past_the_time_bound_costs_only_the_slow_article(
    bootstrap: str, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    topics = await make_topics(bootstrap, partitions=1)
    slow = orjson.dumps({"id": "slow", "lang": "en", "body": english_text(480_000)})
    fast = [(f"f{i}", orjson.dumps({"id": f"f{i}", "lang": "en",
                                    "body": "Talks in Paris and Berlin went well."}))
            for i in range(3)]
    await send_in_order(producer, topics.raw, [fast[0], ("slow", slow), *fast[1:]])
    # No cap on the analysed text: only the time bound stands between this article and a
    # partition held for as long as it takes.
    w = Worker(bootstrap, topics, {"ENRICH_BATCH_TIMEOUT_SECONDS": "3",
                                   "ENRICH_MAX_ANALYSED_CHARS": "1000000",
                                   "ENRICH_BATCH_SIZE": "4"}).start()
    workers.append(w)
    await w.ready()
    assert await wait_committed(bootstrap, topics, 4, timeout=120) == 4, w.logs()
    outputs = by_id(await read_all(bootstrap, topics.enriched, 3, timeout=30))
    dlq = by_source(await read_all(bootstrap, topics.dlq, 1, timeout=30))
    assert set(outputs) == {"f0", "f1", "f2"}
    assert dlq[1]["dlq.reason"] == b"enrichment_timeout"
    assert w.metric("enrich_pool_restarts_total", reason="timeout") >= 1
    assert w.proc is not None and w.proc.poll() is None


async def test_sigusr1_prints_every_thread_stack_and_the_worker_carries_on(
    bootstrap: str, workers: list[Worker],
) -> None:
    topics = await make_topics(bootstrap, partitions=1)
    w = Worker(bootstrap, topics).start()
    workers.append(w)
    await w.ready()
    assert w.proc is not None
    w.proc.send_signal(signal.SIGUSR1)
    await until(lambda: "most recent call first" in w.logs(), 10, "no stacks on stderr")
    assert "Current thread" in w.logs() and w.proc.poll() is None
    assert w.get("/readyz")[0] == 200
