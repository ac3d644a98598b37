"""The sink and its producer lane with fake producers: failed batches are sent again on a new
producer, a batch refused for one record's size sends only that record to the DLQ, sends that
find no room wait, and only what waiting cannot mend is raised (no broker, milliseconds)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiokafka.errors import (
    KafkaError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    NotLeaderForPartitionError,
    TopicAuthorizationFailedError,
)

from worker import produce
from worker.produce import Lane, Sent, Sink, abandon
from worker.transform import Outcome

from .fakes import Rec

Rule = Callable[[str, bytes | None], BaseException | str | None]


@dataclass(eq=False)
class FakeProducer:
    """``ack`` decides each record's acknowledgement: None (ok), an exception, or "hang"
    (never answered, like a batch retried by a producer that is then closed)."""

    ack: Rule = lambda topic, value: None
    on_send: list[BaseException] = field(default_factory=list)  # raised by send(), in turn
    hang_send: bool = False
    sent: list[tuple[str, bytes | None]] = field(default_factory=list)
    started: bool = False
    stopped: bool = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    async def send(self, topic: str, value: bytes | None, key: Any = None,
                   headers: Any = None) -> asyncio.Future[Any]:
        if self.on_send:
            raise self.on_send.pop(0)
        if self.hang_send:
            await asyncio.Event().wait()
        self.sent.append((topic, value))
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        result = self.ack(topic, value)
        if isinstance(result, BaseException):
            fut.set_exception(result)
        elif result is None:
            fut.set_result(None)
        return fut


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(produce, "RETRY_FIRST_SECONDS", 0.001)
    monkeypatch.setattr(produce, "RETRY_MAX_SECONDS", 0.002)


def batch(*values: bytes) -> tuple[list[Rec], list[Outcome]]:
    recs = [Rec("in", 0, i, v) for i, v in enumerate(values)]
    return recs, [Outcome(value=v, article_id=f"a{i}") for i, v in enumerate(values)]


def lane_of(first: FakeProducer, *then: FakeProducer) -> Lane:
    fresh = iter(then)
    return Lane(first, factory=lambda: next(fresh))  # type: ignore[arg-type,return-value]


async def deliver(sink: Sink, lane: Lane, recs: list[Rec],
                  outs: list[Outcome]) -> list[Outcome]:
    sent = await sink.enqueue(lane, recs, outs)
    return await sink.confirm(lane, recs, sent)


async def test_a_failed_batch_is_sent_again_in_order_on_a_new_producer() -> None:
    broken = FakeProducer(ack=lambda t, v: NotLeaderForPartitionError())
    fresh = FakeProducer()
    lane = lane_of(broken, fresh)
    recs, outs = batch(b"one", b"two", b"three")
    final = await deliver(Sink("out", "dlq"), lane, recs, outs)
    assert [o.ok for o in final] == [True, True, True]
    assert fresh.sent == [("out", b"one"), ("out", b"two"), ("out", b"three")]
    assert lane.producer is fresh and lane.replaced == 1 and fresh.started
    assert lane.health.writable()
    await asyncio.sleep(0)
    assert broken.stopped, "the replaced producer is closed"


async def test_a_batch_refused_for_one_record_sends_only_that_record_to_the_dlq() -> None:
    big = b"x" * 5000

    def refuse_big(topic: str, value: bytes | None) -> BaseException | None:
        return MessageSizeTooLargeError() if topic == "out" and value == big else None

    broken = FakeProducer(ack=lambda t, v: MessageSizeTooLargeError())  # the whole batch
    fresh = [FakeProducer(ack=refuse_big) for _ in range(2)]  # a refusal leaves a gap: new
    rechecks: list[int] = []

    async def recheck() -> None:
        rechecks.append(1)

    recs, outs = batch(b"small", big, b"small too")
    final = await deliver(Sink("out", "dlq", recheck=recheck), lane_of(broken, *fresh), recs,
                          outs)
    assert [o.ok for o in final] == [True, False, True]
    assert final[1].reason == "output_too_large"
    assert fresh[0].sent == [("out", b"small"), ("out", big)]
    assert fresh[1].sent == [("dlq", big), ("out", b"small too")], \
        "the DLQ keeps the original bytes; the batch-mate goes out on its own merit"
    assert rechecks, "a refusal makes the worker read the topic's limit again"


async def test_a_send_that_finds_no_room_waits_and_goes_on() -> None:
    p = FakeProducer(on_send=[KafkaTimeoutError(), KafkaTimeoutError()])
    lane = Lane(p)  # type: ignore[arg-type]
    recs, outs = batch(b"one")
    final = await deliver(Sink("out", "dlq"), lane, recs, outs)
    assert [o.ok for o in final] == [True] and p.sent == [("out", b"one")]
    assert lane.replaced == 0, "a send that only waited does not need a new producer"


async def test_a_send_waiting_on_a_replaced_producer_moves_to_the_new_one() -> None:
    stuck = FakeProducer(hang_send=True)
    fresh = FakeProducer()
    lane = lane_of(stuck, fresh)
    recs, outs = batch(b"one")
    task = asyncio.ensure_future(deliver(Sink("out", "dlq"), lane, recs, outs))
    await asyncio.sleep(0.01)
    assert not task.done()
    await lane.replace(stuck)  # another batch's failure replaced it
    final = await asyncio.wait_for(task, 1)
    assert [o.ok for o in final] == [True] and fresh.sent == [("out", b"one")]


async def test_an_ack_from_a_replaced_producer_that_never_comes_is_sent_again() -> None:
    silent = FakeProducer(ack=lambda t, v: "hang")
    fresh = FakeProducer()
    lane = lane_of(silent, fresh)
    recs, outs = batch(b"one")
    sink = Sink("out", "dlq")
    sent = await sink.enqueue(lane, recs, outs)
    task = asyncio.ensure_future(sink.confirm(lane, recs, sent))
    await asyncio.sleep(0.01)
    await lane.replace(silent)
    final = await asyncio.wait_for(task, 1)
    assert [o.ok for o in final] == [True] and fresh.sent == [("out", b"one")]


async def test_authorisation_is_fatal() -> None:
    lane = lane_of(FakeProducer(ack=lambda t, v: TopicAuthorizationFailedError("out")),
                   FakeProducer())
    recs, outs = batch(b"one")
    with pytest.raises(KafkaError, match="produce failed for in"):
        await deliver(Sink("out", "dlq"), lane, recs, outs)


async def test_a_producer_that_cannot_be_replaced_raises_for_its_caller_to_abort() -> None:
    lane = Lane(FakeProducer(ack=lambda t, v: NotLeaderForPartitionError()))  # type: ignore[arg-type]
    recs, outs = batch(b"one")
    with pytest.raises(KafkaError):
        await deliver(Sink("out", "dlq"), lane, recs, outs)
    assert not lane.health.writable()


async def test_an_unreachable_cluster_at_producer_start_is_waited_for() -> None:
    class Down(FakeProducer):
        async def start(self) -> None:
            raise KafkaError("Unable to bootstrap")

    up = FakeProducer()
    lane = lane_of(Down(), up)
    await lane.start()
    assert lane.producer is up and up.started


async def test_an_ack_that_waits_makes_the_output_not_writable_until_one_arrives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(produce, "STALL_SECONDS", 0.01)
    silent = FakeProducer(ack=lambda t, v: "hang")  # a broker that is down: no answer yet
    lane = lane_of(silent, FakeProducer())
    sink = Sink("out", "dlq")
    recs, outs = batch(b"one")
    sent = await sink.enqueue(lane, recs, outs)
    task = asyncio.ensure_future(sink.confirm(lane, recs, sent))
    await asyncio.sleep(0.05)
    assert not lane.health.writable(), "readiness says so before the request timeout"
    await lane.replace(silent)
    assert [o.ok for o in await asyncio.wait_for(task, 1)] == [True]
    assert lane.health.writable()


async def test_a_producer_that_fails_a_send_is_replaced_not_tried_again() -> None:
    broken = FakeProducer(on_send=[NotLeaderForPartitionError()])
    fresh = FakeProducer()
    lane = lane_of(broken, fresh)
    recs, outs = batch(b"one")
    final = await deliver(Sink("out", "dlq"), lane, recs, outs)
    assert [o.ok for o in final] == [True] and fresh.sent == [("out", b"one")]


async def test_an_ack_that_never_comes_replaces_the_producer_after_the_delivery_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(produce, "STALL_SECONDS", 0.01)
    monkeypatch.setattr(produce, "DELIVERY_SECONDS", 0.05)
    silent = FakeProducer(ack=lambda t, v: "hang")  # aiokafka retrying a batch without end
    fresh = FakeProducer()
    lane = lane_of(silent, fresh)
    recs, outs = batch(b"one")
    final = await asyncio.wait_for(deliver(Sink("out", "dlq"), lane, recs, outs), 2)
    assert [o.ok for o in final] == [True] and fresh.sent == [("out", b"one")]
    assert lane.replaced == 1


async def test_abandoned_records_failures_are_observed_not_logged_as_never_retrieved() -> None:
    """A fenced transaction fails every record in it; nobody awaits their acks any more."""
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, ctx: reported.append(ctx))
    try:
        for observed in (False, True):
            futures = [loop.create_future() for _ in range(3)]
            if observed:
                abandon(Sent(f, Outcome(value=b"x")) for f in futures)
            for f in futures:
                f.set_exception(KafkaError("fenced"))
            await asyncio.sleep(0)  # done callbacks run
            del futures, f
            gc.collect()
            assert bool(reported) is not observed, reported
            reported.clear()
    finally:
        loop.set_exception_handler(previous)
