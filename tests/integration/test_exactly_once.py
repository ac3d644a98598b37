"""Exactly-once across rebalances: a member that stalls past its session (GC pause, SIGSTOP)
and then resumes must not get a single transaction committed for partitions it lost."""

from __future__ import annotations

import signal

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from .conftest import Worker, make_topics, produce_articles, read_all, until, wait_committed

EOS = {"ENRICH_PROCESSING_GUARANTEE": "exactly_once", "ENRICH_BATCH_SIZE": "8",
       "ENRICH_COMMIT_INTERVAL_MS": "1000"}


# A normal run takes 40-90 s; the longer bound lets a stall fail on its own assertion, which
# carries both members' logs, rather than on pytest-timeout's, which carries none.
@pytest.mark.timeout(600)
async def test_a_stalled_member_that_resumes_is_fenced_no_duplicates_no_loss(
    bootstrap: str, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    topics = await make_topics(bootstrap, partitions=2)
    n = 3000
    await produce_articles(producer, topics.raw, n)
    # Two pods: two host names. (A transactional id made of the host name then differs per
    # member and fences nothing; the partition-derived ids do not depend on it.)
    a = Worker(bootstrap, topics, {**EOS, "HOSTNAME": "member-a"}).start()
    workers.append(a)
    await a.ready()
    await until(lambda: a.metric("enrich_records_produced_total") >= 300, 120,
                "member A made no progress")
    a.signal(signal.SIGSTOP)  # mid-stream, with an open transaction per partition
    try:
        b = Worker(bootstrap, topics, {**EOS, "HOSTNAME": "member-b"}).start()
        workers.append(b)
        await b.ready(timeout=180)  # joins once A's session has expired
        await until(lambda: b.metric("enrich_assigned_partitions") == 2, 120,
                    "B never owned both partitions")
        await until(lambda: b.metric("enrich_records_produced_total") > 0, 60,
                    "B committed nothing")
    finally:
        a.signal(signal.SIGCONT)  # A resumes, still believing it owns its partitions
    # Both members' logs on failure: a stalled stream here has meant the resumed member
    # fenced the live one (it took partitions again while stopping on its own fencing).
    assert await wait_committed(bootstrap, topics, n, timeout=240) == n, \
        f"member A:\n{a.logs()}\nmember B:\n{b.diagnosis()}"
    outputs = await read_all(bootstrap, topics.enriched, n, timeout=60,
                             isolation="read_committed")
    ids = [orjson.loads(r.value)["id"] for r in outputs]
    dupes = len(ids) - len(set(ids))
    assert dupes == 0, f"{dupes} duplicates under read_committed"
    assert set(ids) == {f"a{i}" for i in range(n)}, f"{n - len(set(ids))} missing"
    # A found its transactional producers fenced and stopped rather than write on.
    await until(lambda: a.proc is not None and a.proc.poll() is not None, 60,
                "the fenced member kept running")
    assert a.proc is not None and a.proc.returncode == 1
    assert "fenced" in a.logs().lower() or "ProducerFenced" in a.logs(), a.logs()
