"""What Kafka operators do under a running worker, on real brokers: a broker outage longer than
the producer's request timeout with records in flight, a worker started while the broker is
down, the output topic's ``max.message.bytes`` lowered and restored, the output topic deleted
and recreated. Each of these stopped the worker (exit 1) or sent good records to the DLQ
before; here the worker stays up, loses nothing and logs each condition about once per 10 s.

The outages use a broker of their own (stopped and started by the test with the project's
script, its data kept), so the session's broker stays up for the other tests."""

from __future__ import annotations

import asyncio
import base64
import collections
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from ..conftest import ROOT
from .conftest import (
    BIG,
    Worker,
    dlq_headers,
    make_topics,
    produce_articles,
    read_all,
    until,
)

SCRIPT = str(ROOT / "deploy" / "local" / "kafka")
RATE_INTERVAL = 10.0  # the worker's promise: one line per condition per interval


@dataclass
class OwnBroker:
    """A single-node broker that a test may stop and start again (same data, same port)."""

    port: int
    data: str

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _run(self, command: str) -> None:
        env = {**os.environ, "KAFKA_PORT": str(self.port), "KAFKA_DATA_DIR": self.data}
        out = subprocess.run([SCRIPT, command], env=env, capture_output=True, text=True,
                             timeout=300, check=False)
        assert out.returncode == 0, f"kafka {command}: {out.stderr[-2000:]}"

    def start(self) -> None:
        self._run("start")

    def stop(self) -> None:
        self._run("stop")


@pytest.fixture(scope="module")
def own_broker() -> Iterator[OwnBroker]:
    b = OwnBroker(int(os.environ.get("ENRICH_TEST_OUTAGE_PORT", "28292")),
                  tempfile.mkdtemp(prefix="enrich-kafka-outage-"))
    b.start()
    try:
        yield b
    finally:
        b.stop()
        shutil.rmtree(b.data, ignore_errors=True)


@pytest_asyncio.fixture
async def own_producer(own_broker: OwnBroker) -> AsyncIterator[AIOKafkaProducer]:
    own_broker.start()  # a test before may have left it stopped on failure
    p = AIOKafkaProducer(bootstrap_servers=own_broker.bootstrap, acks="all",
                         max_request_size=BIG)
    await p.start()
    try:
        yield p
    finally:
        await p.stop()


def ids(recs: list[Any]) -> set[str]:
    return {orjson.loads(r.value)["id"] for r in recs if r.value}


def source_offsets(recs: list[Any]) -> set[int]:
    return {int(dlq_headers(r)["dlq.source.offset"]) for r in recs}


def floods(log: str, seconds: float) -> dict[str, int]:
    """Warning and error lines per logger and message shape, where there are more than one
    per ``RATE_INTERVAL`` over ``seconds`` (plus the first of each)."""
    shapes: collections.Counter[str] = collections.Counter()
    for line in log.splitlines():
        if '"level":"error"' not in line and '"level":"warning"' not in line:
            continue
        rec = orjson.loads(line)
        shapes[f'{rec["logger"]}: {re.sub(r"[0-9]+", "#", rec["msg"])[:60]}'] += 1
    allowed = int(seconds / RATE_INTERVAL) + 2
    return {shape: n for shape, n in shapes.items() if n > allowed}


@pytest.mark.parametrize("guarantee", ["at_least_once"])
async def test_a_broker_outage_with_records_in_flight_is_waited_out(
    guarantee: str, own_broker: OwnBroker, own_producer: AIOKafkaProducer,
    workers: list[Worker],
) -> None:
    topics = await make_topics(own_broker.bootstrap, partitions=2)
    await produce_articles(own_producer, topics.raw, 2000)
    w = Worker(own_broker.bootstrap, topics, {
        "ENRICH_PROCESSING_GUARANTEE": guarantee, "ENRICH_COMMIT_INTERVAL_MS": "1000"}).start()
    workers.append(w)
    await w.ready()
    await until(lambda: w.metric("enrich_records_produced_total") >= 30, 120,
                "no output before the outage")
    own_broker.stop()
    stopped = time.monotonic()
    in_flight = w.metric("enrich_in_flight_records")
    assert in_flight > 0, "the outage must catch records in flight"
    # Longer than the producer's request timeout (40 s), which used to end the worker.
    await until(lambda: w.get("/readyz")[0] == 503, 60, "/readyz stayed 200 in the outage")
    await asyncio.sleep(max(0.0, 50 - (time.monotonic() - stopped)))
    assert w.proc is not None and w.proc.poll() is None, f"worker exited:\n{w.logs()}"
    assert w.get("/healthz")[0] == 200
    own_broker.start()
    outage = time.monotonic() - stopped
    outputs = await read_all(own_broker.bootstrap, topics.enriched, 2000, timeout=300,
                             isolation="read_committed")
    dlq = await read_all(own_broker.bootstrap, topics.dlq, 0, timeout=2)
    missing = {f"a{i}" for i in range(2000)} - ids(outputs)
    assert not missing, f"{len(missing)} missing, e.g. {sorted(missing)[:5]}:\n{w.diagnosis()}"
    assert not dlq, [dlq_headers(r) for r in dlq[:3]]
    if guarantee == "exactly_once":
        assert len(outputs) == 2000, f"{len(outputs) - 2000} duplicates under read_committed"
    await until(lambda: w.get("/readyz")[0] == 200, 60, "not ready after the outage")
    assert w.proc.poll() is None
    assert not floods(w.log.read_text(), outage + 60), floods(w.log.read_text(), outage + 60)


async def test_a_worker_started_while_the_broker_is_down_waits_for_it(
    own_broker: OwnBroker, own_producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    topics = await make_topics(own_broker.bootstrap, partitions=2)
    own_broker.stop()
    w = Worker(own_broker.bootstrap, topics).start()
    workers.append(w)
    await asyncio.sleep(10)  # it used to exit within a second
    assert w.proc is not None and w.proc.poll() is None, f"worker exited:\n{w.logs()}"
    assert w.get("/healthz")[0] == 200
    status, body = w.get("/readyz")
    assert status == 503 and "FAIL broker_reachable" in body, body
    own_broker.start()
    p = AIOKafkaProducer(bootstrap_servers=own_broker.bootstrap, acks="all")
    await p.start()
    try:
        await produce_articles(p, topics.raw, 50)
    finally:
        await p.stop()
    await w.ready(120)
    outputs = await read_all(own_broker.bootstrap, topics.enriched, 50, timeout=120)
    assert ids(outputs) == {f"a{i}" for i in range(50)}
    assert "waiting for the Kafka cluster" in w.logs()


def incompressible_article(i: int, chars: int) -> bytes:
    noise = base64.b64encode(os.urandom(chars * 3 // 4)).decode()
    return orjson.dumps({"id": f"big{i}", "lang": "it", "body": f"Roma e Parigi. {noise}"})


async def set_limit(bootstrap: str, topic: str, limit: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.alter_configs([ConfigResource(
            ConfigResourceType.TOPIC, topic, {"max.message.bytes": str(limit)})])
    finally:
        await admin.close()


async def test_a_lowered_output_limit_dead_letters_only_what_does_not_fit(
    bootstrap: str, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    topics = await make_topics(bootstrap, partitions=1)
    w = Worker(bootstrap, topics).start()
    workers.append(w)
    await w.ready()
    await set_limit(bootstrap, topics.enriched, 2000)
    # Small records (about 1 kB enriched) and large ones that do not compress below 2,000.
    await produce_articles(producer, topics.raw, 40)
    for i in range(10):
        await producer.send_and_wait(topics.raw, incompressible_article(i, 4000))
    outputs = await read_all(bootstrap, topics.enriched, 40, timeout=120)
    dlq = await read_all(bootstrap, topics.dlq, 10, timeout=60)
    assert ids(outputs) == {f"a{i}" for i in range(40)}, "small records reach the output"
    assert {dlq_headers(r)["dlq.reason"] for r in dlq} == {b"output_too_large"}
    assert source_offsets(dlq) == set(range(40, 50)), "only the large records are refused"
    await asyncio.sleep(20)  # the limit stays low for a while under the running worker
    await set_limit(bootstrap, topics.enriched, BIG)
    for i in range(10, 20):
        await producer.send_and_wait(topics.raw, incompressible_article(i, 4000))
    outputs = await read_all(bootstrap, topics.enriched, 50, timeout=120)
    assert {f"big{i}" for i in range(10, 20)} <= ids(outputs), \
        "after the restore, large records reach the output"
    assert len(await read_all(bootstrap, topics.dlq, 11, timeout=3)) == 10
    assert w.proc is not None and w.proc.poll() is None, f"worker exited:\n{w.logs()}"


async def test_a_deleted_output_topic_is_waited_for_and_named(
    bootstrap: str, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    topics = await make_topics(bootstrap, partitions=1)
    w = Worker(bootstrap, topics).start()
    workers.append(w)
    await w.ready()
    await produce_articles(producer, topics.raw, 10)
    assert len(await read_all(bootstrap, topics.enriched, 10, timeout=60)) == 10
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics([topics.enriched])
        deleted = time.monotonic()
        for i in range(10, 40):
            await producer.send_and_wait(topics.raw, orjson.dumps(
                {"id": f"a{i}", "lang": "it", "body": f"Il governo di Roma, numero {i}."}))
        await until(lambda: w.get("/readyz")[0] == 503, 60,
                    "/readyz stayed 200 without the output topic")
        body = w.get("/readyz")[1]
        assert "FAIL output_writable" in body, body
        # Longer than the producer's request timeout (40 s), which used to end the worker.
        await asyncio.sleep(max(0.0, 50 - (time.monotonic() - deleted)))
        assert w.proc is not None and w.proc.poll() is None, f"worker exited:\n{w.logs()}"
        await admin.create_topics([NewTopic(topics.enriched, 1, 1, topic_configs={
            "max.message.bytes": str(BIG)})])
        gone = time.monotonic() - deleted
    finally:
        await admin.close()
    outputs = await read_all(bootstrap, topics.enriched, 30, timeout=120)
    dlq = await read_all(bootstrap, topics.dlq, 0, timeout=2)
    assert ids(outputs) == {f"a{i}" for i in range(10, 40)}, \
        f"0 lost while it was missing; DLQ {[dlq_headers(r) for r in dlq[:2]]}\n{w.logs()}"
    await until(lambda: w.get("/readyz")[0] == 200, 60, "not ready after the recreate")
    log = w.log.read_text()
    assert f"topic {topics.enriched} does not exist" in log, "the line names the output topic"
    assert not floods(log, gone + 30), floods(log, gone + 30)
    assert w.proc.poll() is None
