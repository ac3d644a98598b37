"""Delivery semantics on a real broker: crash/restart, SIGTERM drain, group scaling, EOS."""

from __future__ import annotations

import asyncio
import signal
import time
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from .conftest import (
    Worker,
    children,
    committed,
    enrichment_processes,
    make_topics,
    read_all,
    running,
    until,
)

TEXTS = [
    "Il governo italiano ha firmato un accordo con la Francia a Parigi.",
    "The United Nations warned of famine in Sudan and South Sudan.",
    "Le président a rencontré le chancelier allemand à Berlin.",
]


def article(i: int) -> bytes:
    if i % 10 == 7:
        return b"not json at all"  # a steady trickle of DLQ traffic
    return orjson.dumps({"id": f"a{i}", "body": TEXTS[i % len(TEXTS)] + f" Numero {i}."})


async def produce_many(producer: AIOKafkaProducer, topic: str, n: int) -> None:
    futures = [await producer.send(topic, article(i), key=f"k{i}".encode()) for i in range(n)]
    await asyncio.gather(*futures)


async def crash_after(worker: Worker, produced: int) -> None:
    """SIGKILL ``worker`` once it has produced ``produced`` records: no drain, no commit.
    Its enrichment processes must not outlive it."""
    await worker.ready()
    deadline = time.monotonic() + 120
    while (worker.metric("enrich_records_produced_total") < produced
           and time.monotonic() < deadline):
        await asyncio.sleep(0.2)
    assert worker.proc is not None
    pool = enrichment_processes(worker.proc.pid)
    assert pool, "the worker runs its enrichment in child processes"
    pool += children(worker.proc.pid)  # the forkserver and the resource tracker too
    worker.signal(signal.SIGKILL)
    worker.wait()
    deadline = time.monotonic() + 15
    while any(running(p) for p in pool) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    alive = [p for p in pool if running(p)]
    assert not alive, f"orphaned enrichment processes: {alive}"


async def wait_all_committed(bootstrap: str, topics: Any, n: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = await committed(bootstrap, topics.group, topics.raw, topics.partitions)
        if sum(done.values()) == n:
            return
        await asyncio.sleep(1)


async def test_crash_and_restart_loses_nothing(
    bootstrap: str, topics: Any, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    n = 300
    await produce_many(producer, topics.raw, n)
    w1 = Worker(bootstrap, topics, {"ENRICH_BATCH_SIZE": "4"}).start()
    workers.append(w1)
    await crash_after(w1, 40)
    before = await committed(bootstrap, topics.group, topics.raw, topics.partitions)
    assert sum(before.values()) < n, "the crash happened mid-stream"
    w2 = Worker(bootstrap, topics).start()
    workers.append(w2)
    await w2.ready()
    await wait_all_committed(bootstrap, topics, n)
    raw = await read_all(bootstrap, topics.raw, n)
    outputs = await read_all(bootstrap, topics.enriched, n - n // 10, timeout=30)
    dlq = await read_all(bootstrap, topics.dlq, n // 10, timeout=30)
    out_keys = {r.key for r in outputs}
    dlq_src = set()
    for r in dlq:
        h = {k: v.decode() for k, v in r.headers}
        dlq_src.add((int(h["dlq.source.partition"]), int(h["dlq.source.offset"])))
    missing = [(r.partition, r.offset) for r in raw
               if r.key not in out_keys and (r.partition, r.offset) not in dlq_src]
    assert not missing, f"inputs without output or DLQ record: {missing[:10]}"
    assert len(outputs) + len(dlq) >= n  # duplicates are allowed after a crash, loss is not


async def test_sigterm_drains_commits_and_exits_zero(
    bootstrap: str, topics: Any, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    n = 400
    await produce_many(producer, topics.raw, n)
    w = Worker(bootstrap, topics, {"ENRICH_MAX_IN_FLIGHT": "64", "ENRICH_BATCH_SIZE": "8",
                                   "ENRICH_COMMIT_INTERVAL_MS": "60000"}).start()
    workers.append(w)
    await w.ready()
    await until(lambda: w.metric("enrich_records_produced_total") >= 20, 120)
    in_flight = w.metric("enrich_in_flight_records")
    w.signal(signal.SIGTERM)
    assert w.wait(timeout=60) == 0
    logs = w.logs()
    assert '"msg":"drained"' in logs and '"in_flight":0' in logs, logs
    # Everything committed has an output; what was in flight at SIGTERM was finished.
    done = await committed(bootstrap, topics.group, topics.raw, topics.partitions)
    total = sum(done.values())
    assert 0 < total < n, (total, in_flight)
    outputs = await read_all(bootstrap, topics.enriched, 10_000, timeout=5)
    dlq = await read_all(bootstrap, topics.dlq, 10_000, timeout=5)
    assert len(outputs) + len(dlq) == total, "each committed input has exactly one record"


async def test_two_workers_split_the_partitions(
    bootstrap: str, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    topics = await make_topics(bootstrap, partitions=4)
    a = Worker(bootstrap, topics).start()
    b = Worker(bootstrap, topics).start()
    workers += [a, b]
    await asyncio.gather(a.ready(), b.ready())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        split = (a.metric("enrich_assigned_partitions"), b.metric("enrich_assigned_partitions"))
        if split == (2, 2):
            break
        await asyncio.sleep(0.5)
    assert split == (2, 2), split
    await produce_many(producer, topics.raw, 80)
    outputs = await read_all(bootstrap, topics.enriched, 72)
    assert len(outputs) >= 72
    assert a.metric("enrich_records_consumed_total") > 0
    assert b.metric("enrich_records_consumed_total") > 0
    assert a.metric("enrich_records_consumed_total") + b.metric(
        "enrich_records_consumed_total") == 80
    # One leaves cleanly: the other takes over all partitions at once.
    a.signal(signal.SIGTERM)
    assert a.wait(60) == 0
    deadline = time.monotonic() + 60
    while b.metric("enrich_assigned_partitions") != 4 and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    assert b.metric("enrich_assigned_partitions") == 4


async def test_exactly_once_survives_a_crash_without_duplicates(
    bootstrap: str, topics: Any, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    n = 200
    await produce_many(producer, topics.raw, n)
    eos = {"ENRICH_PROCESSING_GUARANTEE": "exactly_once", "ENRICH_BATCH_SIZE": "4"}
    w1 = Worker(bootstrap, topics, eos).start()
    workers.append(w1)
    await crash_after(w1, 40)
    # Same partitions, same transactional ids (<group>-<topic>-<partition>): w2 fences w1.
    w2 = Worker(bootstrap, topics, eos).start()
    workers.append(w2)
    await w2.ready()
    await wait_all_committed(bootstrap, topics, n)
    outputs = await read_all(bootstrap, topics.enriched, n, timeout=20,
                             isolation="read_committed")
    dlq = await read_all(bootstrap, topics.dlq, n, timeout=10, isolation="read_committed")
    ids = [orjson.loads(r.value)["id"] for r in outputs]
    assert len(ids) == len(set(ids)), "no duplicates under read_committed"
    assert len(outputs) + len(dlq) == n


async def test_rebalance_commits_finished_work_of_revoked_partitions(
    bootstrap: str, topics: Any, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    # Periodic commits are pushed out of the picture (60 s): only the commit on revocation
    # can keep the second worker from redoing what the first one finished.
    slow_commits = {"ENRICH_COMMIT_INTERVAL_MS": "60000", "ENRICH_BATCH_SIZE": "4"}
    n = 300
    await produce_many(producer, topics.raw, n)
    a = Worker(bootstrap, topics, slow_commits).start()
    workers.append(a)
    await a.ready()
    await until(lambda: a.metric("enrich_records_produced_total") >= 60, 120)
    b = Worker(bootstrap, topics, slow_commits).start()  # joining revokes a's partitions
    workers.append(b)
    await b.ready()
    outputs = await read_all(bootstrap, topics.enriched, n - n // 10, timeout=180)
    for w in (a, b):
        w.signal(signal.SIGTERM)
    assert a.wait(60) == 0 and b.wait(60) == 0
    assert "partitions revoked" in a.logs()
    done = await committed(bootstrap, topics.group, topics.raw, topics.partitions)
    assert sum(done.values()) == n
    outputs = await read_all(bootstrap, topics.enriched, n, timeout=10)
    ids = [orjson.loads(r.value)["id"] for r in outputs]
    assert len(set(ids)) == n - n // 10
    assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} records were enriched twice"
