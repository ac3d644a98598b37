"""The stream's delivery logic with a fake consumer and producer: order, backpressure,
revocation, contiguous commits and fatal errors, in milliseconds (no broker, no NLP)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.errors import KafkaError

from worker.checkpoint import AtLeastOnce
from worker.config import Settings
from worker.consume import Stream
from worker.metrics import Metrics
from worker.observe import Sensor
from worker.produce import Sink
from worker.transform import Outcome

from .fakes import Rec

TP = TopicPartition
T0, T1 = TP("in", 0), TP("in", 1)


@dataclass
class FakeConsumer:
    logs: dict[TP, list[Rec]]
    positions: dict[TP, int] = field(default_factory=dict)
    paused_tps: set[TP] = field(default_factory=set)
    commits: list[dict[TP, int]] = field(default_factory=list)
    pause_calls: int = 0

    def assignment(self) -> set[TP]:
        return set(self.logs)

    def pause(self, *tps: TP) -> None:
        self.pause_calls += 1
        self.paused_tps |= set(tps)

    def resume(self, *tps: TP) -> None:
        self.paused_tps -= set(tps)

    def paused(self) -> set[TP]:
        return set(self.paused_tps)

    async def getmany(self, *tps: TP, timeout_ms: int = 0,
                      max_records: int | None = None) -> dict[TP, list[Rec]]:
        await asyncio.sleep(0.001)
        out: dict[TP, list[Rec]] = {}
        room = max_records if max_records is not None else 10**9
        for tp, log in self.logs.items():
            if tp in self.paused_tps or room <= 0:
                continue
            pos = self.positions.get(tp, 0)
            recs = log[pos : pos + min(room, 5)]
            if recs:
                out[tp] = recs
                self.positions[tp] = pos + len(recs)
                room -= len(recs)
        return out

    async def commit(self, offsets: dict[TP, int]) -> None:
        self.commits.append(dict(offsets))

    def highwater(self, tp: TP) -> int | None:
        return None

    async def committed(self, tp: TP) -> int | None:
        return None

    def last_commit(self, tp: TP) -> int:
        return max((c[tp] for c in self.commits if tp in c), default=0)


@dataclass(eq=False)  # hashable, like a real producer
class FakeProducer:
    sent: list[tuple[str, bytes | None]] = field(default_factory=list)
    fail: bool = False

    async def send(self, topic: str, value: bytes | None, key: Any = None,
                   headers: Any = None) -> asyncio.Future[Any]:
        self.sent.append((topic, value))
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if self.fail:
            fut.set_exception(KafkaError("broker gone"))
        else:
            fut.set_result(None)
        return fut


def log_of(tp: TP, n: int) -> list[Rec]:
    return [Rec(tp.topic, tp.partition, i, f"{tp.partition}:{i}".encode()) for i in range(n)]


def make_stream(consumer: FakeConsumer, enrich: Callable[[Sequence[bytes | None]],
                Awaitable[list[Outcome]]], **settings: Any) -> tuple[Stream, FakeProducer]:
    s = Settings(**{"bootstrap_servers": "fake:1", "commit_interval_ms": 10, **settings})
    sensor = Sensor(Metrics(), s.output_topic)
    producer = FakeProducer()
    checkpoint = AtLeastOnce(s, consumer, Sink(s.output_topic, s.dlq_topic), sensor,  # type: ignore[arg-type]
                             producer=producer)  # type: ignore[arg-type]
    return Stream(s, consumer, checkpoint, enrich, sensor), producer  # type: ignore[arg-type]


async def jittered(values: Sequence[bytes | None]) -> list[Outcome]:
    await asyncio.sleep(random.random() * 0.01)  # batches finish out of order
    return [Outcome(value=v, article_id="x") for v in values]


async def until(cond: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not cond():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.002)


async def stop(stream: Stream, task: asyncio.Task[None]) -> bool:
    stream.stop()
    await task
    return await stream.drain(5)


async def test_output_keeps_input_order_per_partition_and_commits_to_the_end() -> None:
    random.seed(7)
    consumer = FakeConsumer({T0: log_of(T0, 60), T1: log_of(T1, 45)})
    stream, producer = make_stream(consumer, jittered, batch_size=4)
    task = asyncio.create_task(stream.run())
    await until(lambda: consumer.last_commit(T0) == 60 and consumer.last_commit(T1) == 45)
    assert await stop(stream, task)
    for tp, n in ((T0, 60), (T1, 45)):
        got = [v for _, v in producer.sent if v and v.startswith(f"{tp.partition}:".encode())]
        assert got == [f"{tp.partition}:{i}".encode() for i in range(n)]


async def test_a_slow_batch_holds_back_the_batches_behind_it_and_the_commit() -> None:
    release = asyncio.Event()
    enriched: list[bytes | None] = []

    async def first_batch_slow(values: Sequence[bytes | None]) -> list[Outcome]:
        if b"0:0" in values:
            await release.wait()
        enriched.extend(values)
        return [Outcome(value=v) for v in values]

    consumer = FakeConsumer({T0: log_of(T0, 12)})
    stream, producer = make_stream(consumer, first_batch_slow, batch_size=4)
    task = asyncio.create_task(stream.run())
    await until(lambda: len(enriched) == 8)  # batches 2 and 3 are enriched ...
    await asyncio.sleep(0.05)  # ... and several commit intervals pass
    assert producer.sent == [] and stream.tracker.in_flight() == 12
    assert consumer.last_commit(T0) == 0, "nothing may be committed ahead of offset 0"
    release.set()
    await until(lambda: consumer.last_commit(T0) == 12)
    assert await stop(stream, task)


async def test_backpressure_pauses_at_the_bound_and_resumes() -> None:
    gate = asyncio.Event()
    in_flight_seen: list[int] = []

    async def gated(values: Sequence[bytes | None]) -> list[Outcome]:
        await gate.wait()
        return [Outcome(value=v) for v in values]

    consumer = FakeConsumer({T0: log_of(T0, 40), T1: log_of(T1, 40)})
    stream, producer = make_stream(consumer, gated, batch_size=4, max_in_flight=8)
    task = asyncio.create_task(stream.run())
    await until(lambda: consumer.paused_tps == {T0, T1})
    in_flight_seen.append(stream.tracker.in_flight())
    await asyncio.sleep(0.05)
    assert stream.tracker.in_flight() == in_flight_seen[0] <= 8, "nothing fetched while paused"
    gate.set()
    await until(lambda: len(producer.sent) == 80)
    assert not consumer.paused_tps
    assert await stop(stream, task)


async def test_revocation_finishes_and_commits_the_revoked_work_first() -> None:
    gate = asyncio.Event()

    async def gated(values: Sequence[bytes | None]) -> list[Outcome]:
        await gate.wait()
        return [Outcome(value=v) for v in values]

    consumer = FakeConsumer({T0: log_of(T0, 8)})
    stream, producer = make_stream(consumer, gated, batch_size=4,
                                   commit_interval_ms=60_000)
    task = asyncio.create_task(stream.run())
    await until(lambda: stream.tracker.in_flight() == 8)
    revoke = asyncio.create_task(stream.on_revoked({T0}))
    await asyncio.sleep(0.02)
    assert not revoke.done(), "revocation waits for in-flight batches"
    gate.set()
    await revoke
    assert consumer.last_commit(T0) == 8 and len(producer.sent) == 8
    assert stream.tracker.in_flight() == 0 and stream.tracker.committed(T0) is None
    assert await stop(stream, task)


async def test_a_produce_failure_is_fatal_and_nothing_is_committed_past_it() -> None:
    consumer = FakeConsumer({T0: log_of(T0, 8)})
    stream, producer = make_stream(consumer, jittered, batch_size=4)
    producer.fail = True
    task = asyncio.create_task(stream.run())
    await asyncio.wait_for(task, 5)  # the stream stops by itself
    assert isinstance(stream.fatal, KafkaError)
    assert not await stream.drain(5)
    assert consumer.last_commit(T0) == 0


async def test_a_failed_member_that_is_assigned_partitions_does_not_take_them() -> None:
    """A member stopping on a fatal error (a fenced transaction found while revoking) can be
    handed partitions by a rejoin before its consumer has left. Preparing them would open
    transactional producers that fence the partitions' live owner; they are held instead."""
    prepared: list[set[TP]] = []

    class Holding(AtLeastOnce):
        holds_on_assign = True

        async def assigned(self, tps: set[TP], epoch: int) -> None:
            prepared.append(set(tps))

    consumer = FakeConsumer({T0: log_of(T0, 8), T1: log_of(T1, 8)})
    s = Settings(bootstrap_servers="fake:1")
    sensor = Sensor(Metrics(), s.output_topic)
    checkpoint = Holding(s, consumer, Sink(s.output_topic, s.dlq_topic), sensor,  # type: ignore[arg-type]
                         producer=FakeProducer())  # type: ignore[arg-type]
    stream = Stream(s, consumer, checkpoint, jittered, sensor)  # type: ignore[arg-type]
    await stream.on_assigned({T0})
    assert prepared == [{T0}], "a healthy member prepares what it is given"
    stream.fail(KafkaError("fenced"))
    await stream.on_assigned({T1})
    assert prepared == [{T0}], "a failed member must not prepare (fence) anything"
    assert T1 in consumer.paused(), "held: nothing of it is fetched"


@pytest.mark.parametrize("bad_key", ["\udcff\udcfe"])
async def test_a_header_key_that_is_not_utf8_is_quarantined_not_enriched(bad_key: str) -> None:
    seen: list[bytes | None] = []

    async def enrich(values: Sequence[bytes | None]) -> list[Outcome]:
        seen.extend(values)
        return [Outcome(value=v) for v in values]

    recs = log_of(T0, 3)
    recs[1] = Rec("in", 0, 1, b"1", headers=((bad_key, b"v"),))
    consumer = FakeConsumer({T0: recs})
    stream, producer = make_stream(consumer, enrich, batch_size=4)
    task = asyncio.create_task(stream.run())
    await until(lambda: consumer.last_commit(T0) == 3)
    assert await stop(stream, task)
    assert seen == [b"0:0", b"0:2"]
    assert [t for t, _ in producer.sent] == ["articles.enriched", "articles.dlq",
                                             "articles.enriched"]
