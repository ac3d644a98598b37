"""Producing a batch's outcomes: enriched records to the output topic, the rest to the DLQ.

Keys: the input key, or the article ``id`` when the input has none, so one article's versions
land on one output partition in order. Input headers are carried over. ``confirm`` returns only
once the broker has acknowledged every record (acks=all), which is what allows the caller to
mark the input offsets done.

No record can make this module raise by itself: one that would not fit through the producer
or the topic is decided about before sending (an output becomes ``output_too_large`` in the
DLQ; a DLQ record whose original bytes are too large keeps its headers and loses its value,
which stays readable at its source offset), and a refusal that still happens (at ``send()`` or
on the broker's ack) takes the same roads.

Broker trouble is waited out, not raised (operators restart brokers, delete and recreate
topics, change their limits): a send that finds no room or no topic is tried again with
backoff; a failed ack has its record sent again, on its own, after the producer that failed is
replaced where the ``Lane`` can (an idempotent producer whose batch failed has a gap in its
sequence numbers and refuses every later batch with ``OutOfOrderSequenceNumber``; the Java
client recovers by bumping the epoch, KIP-360, which aiokafka cannot, so a new producer id is
the same recovery). Meanwhile the batch is not done, so fetching pauses at the in-flight cap
and nothing is committed past it. Only what waiting cannot mend is raised: authorisation, and
any failure of a producer that cannot be replaced (a transaction's: the caller aborts).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    CorruptRecordException,
    KafkaError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    ProducerClosed,
    RecordListTooLargeError,
    RecordTooLargeError,
    TopicAuthorizationFailedError,
    TransactionalIdAuthorizationFailed,
    UnknownTopicOrPartitionError,
)

from . import dlq, records
from .logs import Throttle
from .sizes import SizeLimit, headers_size
from .transform import Outcome

log = logging.getLogger(__name__)

RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 5.0
CLOSE_SECONDS = 10.0  # how long a replaced producer may take to close in the background
STALL_SECONDS = 10.0  # a send or an ack waiting this long: the output is not writable now
DELIVERY_SECONDS = 120.0  # the Java producer's delivery.timeout.ms
# Refusals of one record's content: sent alone and refused again, it goes to the DLQ.
TOO_LARGE = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError)
REFUSED = (*TOO_LARGE, CorruptRecordException)
# What waiting and a new producer cannot mend: the worker must stop and say so.
FATAL = (TopicAuthorizationFailedError, ClusterAuthorizationFailedError,
         TransactionalIdAuthorizationFailed)
# A send that only waited (no room, no metadata for the topic): the producer is still sound.
WAITED = (KafkaTimeoutError, UnknownTopicOrPartitionError)


@dataclass(frozen=True, slots=True)
class Sent:
    """A record handed to the producer: the ack future, the outcome it carries, and the
    producer it went through (a failed ack replaces that one, not a newer one)."""

    future: asyncio.Future[Any]
    outcome: Outcome
    producer: Any = None


def abandon(sent: Iterable[Sent]) -> None:
    """Records of a transaction given up as a whole: their acks are not awaited, and the
    failures they end in (fenced, aborted) are expected, so they are observed here rather than
    each logged by asyncio as "Future exception was never retrieved" (hundreds of error lines
    for one fenced member)."""
    for s in sent:
        s.future.add_done_callback(_observe)


def _observe(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def too_large(out: Outcome, message: str) -> Outcome:
    return Outcome(reason="output_too_large", error_class="MessageSizeTooLarge",
                   message=message, article_id=out.article_id, attempts=out.attempts)


def refused(out: Outcome, exc: BaseException) -> Outcome:
    if isinstance(exc, TOO_LARGE):
        return too_large(out, f"enriched record refused by the broker: {exc!r}")
    return Outcome(reason="output_refused", error_class=type(exc).__name__,
                   message=f"enriched record refused by the broker: {exc!r}",
                   article_id=out.article_id, attempts=out.attempts)


@dataclass(slots=True)
class OutputHealth:
    """Whether outputs can be written now, for readiness and for one log line per condition
    per interval (naming the topic, never thousands of lines a second)."""

    failing_since: float | None = None
    cause: str = ""
    missing: set[str] = field(default_factory=set)  # topics the last metadata check lacked
    throttle: Throttle = field(default_factory=Throttle)

    def writable(self) -> bool:
        return self.failing_since is None and not self.missing

    def failed(self, topic: str, exc: BaseException, doing: str) -> None:
        if self.failing_since is None:
            self.failing_since = time.monotonic()
        self.cause = f"{topic}: {exc!r}"
        held = self.throttle.allow(("failed", topic, type(exc).__name__))
        if held is not None:
            log.warning("cannot %s topic %s (%r) for %.0f s; retrying, nothing is committed "
                        "past these records", doing, topic, exc,
                        time.monotonic() - self.failing_since,
                        extra={"topic": topic, "suppressed": held})

    def stalled(self, doing: str) -> None:
        """Nothing has failed yet, but a send or an ack has waited ``STALL_SECONDS``: the
        output cannot be written now (readiness says so before the request timeout)."""
        if self.failing_since is None:
            self.failing_since = time.monotonic() - STALL_SECONDS
            self.cause = f"{doing} waited {STALL_SECONDS:.0f} s"

    def recovered(self) -> None:
        if self.failing_since is not None:
            log.info("writing resumed after %.1f s", time.monotonic() - self.failing_since,
                     extra={"cause": self.cause})
            self.failing_since, self.cause = None, ""


class Lane:
    """The producer that records go through and, where it can be, its replacement after a
    failure that left it unusable. At-least-once has one shared, replaceable lane; a
    transactional producer cannot be swapped under its open transaction (no ``factory``)."""

    def __init__(self, producer: AIOKafkaProducer,
                 factory: Callable[[], AIOKafkaProducer] | None = None,
                 health: OutputHealth | None = None,
                 on_replaced: Callable[[], None] | None = None) -> None:
        self.producer = producer
        self.factory = factory
        self.health = health or OutputHealth()
        self.replaced = 0
        self.on_replaced = on_replaced
        self._lock = asyncio.Lock()
        self._closing: set[asyncio.Task[None]] = set()
        self._stopped = False
        # Set when a producer is replaced: its unacknowledged records will never be (aiokafka
        # leaves their futures pending when a producer is stopped mid-retry), so whoever
        # waits for them sends them again instead.
        self._retired: weakref.WeakKeyDictionary[Any, asyncio.Future[None]] = (
            weakref.WeakKeyDictionary())

    @property
    def replaceable(self) -> bool:
        return self.factory is not None

    async def start(self) -> None:
        self.producer = await self._started(self.producer)

    async def _started(self, producer: AIOKafkaProducer) -> AIOKafkaProducer:
        """Start ``producer``; while the cluster cannot be reached, wait for it with a fresh
        producer per try (a failed start leaves aiokafka's client closed)."""
        delay = RETRY_FIRST_SECONDS
        while True:
            try:
                await producer.start()
                return producer
            except FATAL:
                raise
            except (KafkaError, OSError) as exc:
                self.health.failed("(producer start)", exc, "start a producer for")
                with contextlib.suppress(KafkaError, OSError):
                    await producer.stop()
                if self.factory is None or self._stopped:
                    raise
            await asyncio.sleep(delay)
            delay = min(RETRY_MAX_SECONDS, delay * 2)
            producer = self.factory()

    async def replace(self, failed: Any) -> bool:
        """Put a new producer in place of ``failed`` (unless another batch already did). False
        where this lane cannot replace its producer."""
        if self.factory is None:
            return False
        async with self._lock:
            if self.producer is not failed or self._stopped:
                return True
            fresh = await self._started(self.factory())
            old, self.producer = self.producer, fresh
            retired = self.retired(old)  # done already if nobody waited on ``old``
            if not retired.done():
                retired.set_result(None)
            self.replaced += 1
            if self.on_replaced is not None:
                self.on_replaced()
            log.info("producer replaced after a failed batch (a new producer id, as KIP-360 "
                     "recovers an idempotent producer)", extra={"replacements": self.replaced})
        task = asyncio.create_task(self._close(old), name="close-replaced-producer")
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)
        return True

    def retired(self, producer: Any) -> asyncio.Future[None]:
        """Done once ``producer`` has been replaced (kept while a record refers to it)."""
        if producer not in self._retired:
            fut = self._retired[producer] = asyncio.get_running_loop().create_future()
            if producer is not self.producer:
                fut.set_result(None)
        return self._retired[producer]

    async def send(self, producer: Any, topic: str, value: bytes | None, key: bytes | None,
                   headers: list[tuple[str, bytes]]) -> asyncio.Future[Any] | None:
        """``producer.send``, or None if the producer is replaced while the send waits (for
        room or for the topic's metadata): a closed aiokafka client never answers it."""
        send = asyncio.ensure_future(producer.send(topic, value, key=key, headers=headers))
        try:
            await self._first(send, self.retired(producer), "a send")
        finally:
            if not send.done():
                send.cancel()  # aiokafka: cancelling send() itself keeps the record out
                with contextlib.suppress(asyncio.CancelledError, KafkaError):
                    await send
        if send.cancelled():
            return None
        fut: asyncio.Future[Any] = send.result()
        return fut

    async def _first(self, waited: asyncio.Future[Any], retired: asyncio.Future[None],
                     what: str, limit: float | None = None) -> None:
        """Until ``waited`` or ``retired`` is done (or ``limit`` seconds); past
        ``STALL_SECONDS`` the output counts as not writable (a broker that is down fails
        nothing before the request timeout)."""
        done, _ = await asyncio.wait({waited, retired}, timeout=STALL_SECONDS,
                                     return_when=asyncio.FIRST_COMPLETED)
        if not done:
            self.health.stalled(what)
            await asyncio.wait({waited, retired}, return_when=asyncio.FIRST_COMPLETED,
                               timeout=None if limit is None else limit - STALL_SECONDS)

    async def ack(self, sent: Sent) -> Any:
        """The broker's acknowledgement of ``sent``; ``ProducerClosed`` if its producer was
        replaced first (then it may or may not have been written: it is sent again). An
        idempotent aiokafka producer retries a batch without end, so where the producer can
        be replaced an acknowledgement gets ``DELIVERY_SECONDS`` (the Java client's
        delivery.timeout.ms): then the producer is replaced and the record sent again."""
        retired = self.retired(sent.producer)
        limit = DELIVERY_SECONDS if self.replaceable else None
        await self._first(sent.future, retired, "an acknowledgement", limit)
        if sent.future.done():
            return sent.future.result()
        if not retired.done():
            held = self.health.throttle.allow(("undelivered", id(self)))
            if held is not None:
                log.warning("no acknowledgement in %.0f s: replacing the producer, its "
                            "records are sent again", DELIVERY_SECONDS,
                            extra={"suppressed": held})
            await self.replace(sent.producer)
        raise ProducerClosed()

    @staticmethod
    async def _close(producer: AIOKafkaProducer) -> None:
        with contextlib.suppress(KafkaError, OSError, TimeoutError):
            await asyncio.wait_for(producer.stop(), CLOSE_SECONDS)

    async def stop(self) -> None:
        self._stopped = True
        await self._close(self.producer)
        for task in list(self._closing):
            with contextlib.suppress(asyncio.CancelledError):
                await task


@dataclass(slots=True)
class Sink:
    """Where outcomes go. The lane is passed per call: at-least-once shares one, while
    exactly-once has a transactional producer per input partition. The limits are replaced
    while the worker runs (``max.message.bytes`` is re-read periodically and on a refusal)."""

    output_topic: str
    dlq_topic: str
    output_limit: SizeLimit = field(default_factory=SizeLimit)
    dlq_limit: SizeLimit = field(default_factory=SizeLimit)
    # Reads the topics' limits again (the caller keeps it cheap): before a record is
    # dead-lettered for its size, and after the broker refused one.
    recheck: Callable[[], Awaitable[None]] | None = None

    @property
    def batch_bytes(self) -> int:
        """What one produce batch may hold: one producer writes both topics, so a batch must
        fit through the stricter of their ``max.message.bytes``."""
        return min(self.output_limit.topic_bytes, self.dlq_limit.topic_bytes)

    async def enqueue(self, lane: Lane, recs: Sequence[Any],
                      outcomes: Sequence[Outcome]) -> list[Sent]:
        """Hand every record to the producer (in order); returns the ack futures. If one
        cannot be handed over, those already handed are abandoned with the batch."""
        sent: list[Sent] = []
        try:
            for rec, out in zip(recs, outcomes, strict=True):
                sent.append(await self._send(lane, rec, out))
        except BaseException:
            abandon(sent)
            raise
        return sent

    async def _send(self, lane: Lane, rec: Any, out: Outcome) -> Sent:
        if out.ok:
            key = rec.key if rec.key is not None else (out.article_id or "").encode()
            headers = list(rec.headers or ())
            extra = len(key) + headers_size(headers)
            if not self.output_limit.fits(out.value, extra) and self.recheck is not None:
                await self.recheck()
            if not self.output_limit.fits(out.value, extra):
                out = too_large(out, f"the enriched record is {len(out.value or b'')} bytes; "
                                f"{self.output_limit.describe()}")
            else:
                try:
                    return await self._hand(lane, self.output_topic, out, out.value, key,
                                            headers)
                except MessageSizeTooLargeError as exc:
                    out = too_large(out, f"the producer refused the enriched record: {exc}")
        return await self._send_dlq(lane, rec, out)

    async def _send_dlq(self, lane: Lane, rec: Any, out: Outcome,
                        without_value: bool = False) -> Sent:
        h = dlq.headers(out, rec.topic, rec.partition, rec.offset, rec.timestamp,
                        records.quarantine(rec.headers))
        value = rec.value
        extra = len(rec.key or b"") + headers_size(h)
        if without_value or not self.dlq_limit.fits(value, extra):
            value, h = None, dlq.omit_value(h, len(value or b""), self.dlq_limit.describe())
            log.warning("DLQ record without its value (too large for the DLQ topic); the "
                        "original stays at its source offset",
                        extra={"topic": rec.topic, "partition": rec.partition,
                               "offset": rec.offset, "reason": out.reason})
        return await self._hand(lane, self.dlq_topic, out, value, rec.key, h)

    async def _hand(self, lane: Lane, topic: str, out: Outcome, value: bytes | None,
                    key: bytes | None, headers: list[tuple[str, bytes]]) -> Sent:
        """``producer.send`` until the producer takes the record. A send that only waited
        (no room in a full batch, the topic missing from the metadata) is tried again on the
        same producer; a broken producer is replaced first where the lane can."""
        delay = RETRY_FIRST_SECONDS
        while True:
            producer = lane.producer
            try:
                fut = await lane.send(producer, topic, value, key, headers)
                if fut is None:
                    continue  # replaced while this send waited: on the new one at once
                return Sent(fut, out, producer)
            except (MessageSizeTooLargeError, *FATAL):
                raise
            except KafkaError as exc:
                lane.health.failed(topic, exc, "write to")
                if not lane.replaceable and not isinstance(exc, WAITED):
                    raise
                if not isinstance(exc, (*WAITED, ProducerClosed)):
                    await lane.replace(producer)
            await asyncio.sleep(delay)
            delay = min(RETRY_MAX_SECONDS, delay * 2)

    async def confirm(self, lane: Lane, recs: Sequence[Any], sent: Sequence[Sent],
                      reroute: bool = True) -> list[Outcome]:
        """Wait for the acks; returns each record's final outcome. A record whose batch
        failed is sent again on its own (after the failed producer is replaced), in input
        order, until the broker takes it; one refused for its own content (too large) goes to
        the DLQ, its batch-mates to the output. Not inside a transaction (``reroute=False``,
        a lane that cannot replace its producer): any failure raises and the caller aborts."""
        results = await asyncio.gather(*(lane.ack(s) for s in sent), return_exceptions=True)
        final: list[Outcome] = []
        for rec, s, res in zip(recs, sent, results, strict=True):
            if not isinstance(res, BaseException):
                final.append(s.outcome)
                continue
            lane.health.failed(self.output_topic if s.outcome.ok else self.dlq_topic, res,
                               "write to")
            if not reroute or not lane.replaceable or isinstance(res, FATAL):
                raise KafkaError(f"produce failed for {rec.topic}[{rec.partition}]@"
                                 f"{rec.offset}: {res!r}") from res
            if isinstance(res, REFUSED) and self.recheck is not None:
                await self.recheck()  # the topic's limit may have changed under us
            await lane.replace(s.producer)
            final.append(await self._deliver_alone(lane, rec, s.outcome))
        if sent:
            lane.health.recovered()
        return final

    async def _deliver_alone(self, lane: Lane, rec: Any, out: Outcome) -> Outcome:
        """One record, sent and acknowledged before the next: its own merit decides."""
        delay = RETRY_FIRST_SECONDS
        without_value = False
        while True:
            s = (await self._send(lane, rec, out) if out.ok and not without_value
                 else await self._send_dlq(lane, rec, out, without_value))
            try:
                await lane.ack(s)
                return s.outcome
            except FATAL:
                raise
            except REFUSED as exc:
                if s.outcome.ok:
                    out = refused(s.outcome, exc)
                elif not without_value:
                    out, without_value = s.outcome, True  # the DLQ keeps at least the headers
                else:
                    raise KafkaError(f"the DLQ topic {self.dlq_topic} refuses even the "
                                     f"headers of {rec.topic}[{rec.partition}]@{rec.offset}: "
                                     f"{exc!r}") from exc
                await lane.replace(s.producer)
            except KafkaError as exc:
                lane.health.failed(self.output_topic if s.outcome.ok else self.dlq_topic, exc,
                                   "write to")
                await lane.replace(s.producer)
                await asyncio.sleep(delay)
                delay = min(RETRY_MAX_SECONDS, delay * 2)
