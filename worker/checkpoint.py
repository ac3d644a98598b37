"""Who owns the commit, per processing guarantee (after Quix Streams' ``Checkpoint``).

The pipeline hands each batch over in input order per partition (``send``), waits until it is
safe (``settle``), then marks its offsets done; the stream calls ``commit`` on a timer, on
revocation and on shutdown. What those steps mean depends on the guarantee:

At-least-once (``AtLeastOnce``), one shared idempotent producer:
  1. send: the batch's records go to the producer in input order;
  2. settle: their acks (acks=all) are awaited; only then are the input offsets done;
  3. commit: each partition's contiguous done prefix (``offsets``) is committed.
  A crash between 2 and 3 re-delivers: duplicates, never loss.

Exactly-once (``ExactlyOnce``), one transactional producer per assigned input partition with a
stable transactional id ``<prefix>-<topic>-<partition>`` (the scheme Kafka Streams used before
KIP-447; aiokafka cannot send group metadata with offsets, so a per-member id cannot fence a
member that lost its partitions while stalled):
  0. on assignment, the partition is held (paused) while its producer is initialised, which
     fences any earlier owner of the partition and aborts that owner's open transaction; then
     its committed offset is read afresh and the consumer seeks there, so the new owner starts
     exactly where the last *committed* transaction ended; then it is released;
  1. send: the batch's records join the partition's open transaction, in input order;
  2. settle: nothing to wait for; the transaction decides;
  3. commit: for each partition with records in its transaction, wait for their acks, add the
     offset after the last record written to the transaction, commit it.
  A member that stalls past its session and resumes finds its producers fenced: nothing it
  writes becomes visible, and the worker stops (fatal) rather than write on.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import (
    CommitFailedError,
    KafkaError,
)

from . import connections
from .config import Settings
from .logs import Throttle
from .observe import Sensor
from .offsets import OffsetTracker
from .produce import Lane, OutputHealth, Sent, Sink, abandon
from .transform import Outcome

log = logging.getLogger(__name__)
TP: TypeAlias = TopicPartition


class FatalError(RuntimeError):
    """The stream cannot go on without risking loss or duplicates; stop without committing."""


class Checkpoint:
    """The tracker of done offsets and the commit steps; subclasses fill the steps in."""

    holds_on_assign = False  # whether ``assigned`` needs the partitions paused meanwhile

    def __init__(self, settings: Settings, consumer: AIOKafkaConsumer, sink: Sink,
                 sensor: Sensor) -> None:
        self.s, self.consumer, self.sink, self.sensor = settings, consumer, sink, sensor
        self.tracker: OffsetTracker[TP] = OffsetTracker()

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def assigned(self, tps: set[TP], epoch: int) -> None:
        """Step 0, only where ``holds_on_assign``: prepare newly owned partitions."""

    async def send(self, tp: TP, recs: Sequence[Any], outcomes: Sequence[Outcome],
                   epoch: int) -> list[Sent] | None:
        """Step 1. None: the batch is no longer ours to write (dropped, not done)."""
        raise NotImplementedError

    async def settle(self, tp: TP, recs: Sequence[Any], sent: list[Sent]) -> None:
        """Step 2: returns when the batch's offsets may be marked done."""

    async def commit(self, only: set[TP] | None = None) -> None:
        """Step 3, for every owned partition (or those in ``only``)."""
        raise NotImplementedError

    async def revoked(self, tps: set[TP]) -> None:
        """The pipeline has finished (or abandoned) these partitions' batches."""
        await self.commit(only=tps)
        self.tracker.forget(tps)

    def done(self, tp: TP, recs: Sequence[Any]) -> None:
        for rec in recs:
            self.tracker.done(tp, rec.offset)


class AtLeastOnce(Checkpoint):
    """One shared idempotent producer, replaced after a failed batch (``Lane``); ``producer``
    and ``factory`` are for tests (a given producer without a factory is never replaced)."""

    def __init__(self, settings: Settings, consumer: AIOKafkaConsumer, sink: Sink,
                 sensor: Sensor, producer: AIOKafkaProducer | None = None,
                 factory: Callable[[], AIOKafkaProducer] | None = None,
                 health: OutputHealth | None = None) -> None:
        super().__init__(settings, consumer, sink, sensor)
        if producer is None:
            factory = factory or functools.partial(connections.producer, settings)
            producer = factory()
        self.lane = Lane(producer, factory, health, sensor.producer_replaced)
        self._lock = asyncio.Lock()
        self._failed_commits = Throttle()

    async def start(self) -> None:
        await self.lane.start()

    async def stop(self) -> None:
        await self.lane.stop()

    async def send(self, tp: TP, recs: Sequence[Any], outcomes: Sequence[Outcome],
                   epoch: int) -> list[Sent] | None:
        return await self.sink.enqueue(self.lane, recs, outcomes)

    async def settle(self, tp: TP, recs: Sequence[Any], sent: list[Sent]) -> None:
        self.sensor.delivered(await self.sink.confirm(self.lane, recs, sent))

    async def commit(self, only: set[TP] | None = None) -> None:
        async with self._lock:
            owned = self.consumer.assignment()
            offsets = self.tracker.committable(owned if only is None else only & owned)
            if not offsets:
                return
            try:
                await self.consumer.commit(offsets)
            except (CommitFailedError, KafkaError) as exc:
                # Not fatal: the records stay uncommitted and are redelivered (at-least-once).
                self.sensor.committed("failed")
                held = self._failed_commits.allow(type(exc).__name__)
                if held is not None:
                    log.warning("offset commit failed: %r", exc, extra={"suppressed": held})
                return
            self.tracker.mark_committed(offsets)
            self.sensor.committed("ok")


@dataclass(slots=True)
class _Txn:
    """One input partition's transactional producer and its open transaction."""

    lane: Lane  # never replaced: a new producer would abort the open transaction
    epoch: int
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    open: bool = False
    batches: list[tuple[Sequence[Any], list[Sent]]] = field(default_factory=list)
    next_offset: int = 0


class ExactlyOnce(Checkpoint):
    holds_on_assign = True

    def __init__(self, settings: Settings, consumer: AIOKafkaConsumer, sink: Sink,
                 sensor: Sensor, health: OutputHealth | None = None) -> None:
        super().__init__(settings, consumer, sink, sensor)
        self.health = health or OutputHealth()
        self.prefix = settings.transactional_id or settings.group_id
        self._txns: dict[TP, _Txn] = {}

    def transactional_id(self, tp: TP) -> str:
        return f"{self.prefix}-{tp.topic}-{tp.partition}"

    async def assigned(self, tps: set[TP], epoch: int) -> None:
        """Step 0 (the stream holds ``tps`` paused meanwhile)."""
        new = [tp for tp in tps if tp not in self._txns]
        lanes = await asyncio.gather(*(self._open(tp) for tp in new))
        for tp, lane in zip(new, lanes, strict=True):
            self._txns[tp] = _Txn(lane, epoch, open=True)
        for tp in tps:
            self._txns[tp].epoch = epoch
            self.tracker.forget({tp})
            position = await self.consumer.committed(tp)  # read after the fencing, not before
            if position is None:
                reset = (self.consumer.seek_to_beginning if self.s.auto_offset_reset ==
                         "earliest" else self.consumer.seek_to_end)
                await reset(tp)
            else:
                self.consumer.seek(tp, position)
        log.info("transactional producers ready",
                 extra={"transactional_ids": sorted(self.transactional_id(tp) for tp in new)})

    async def _open(self, tp: TP) -> Lane:
        """The partition's transactional producer, started once the cluster can be reached
        (waited for like any producer's start)."""
        make = functools.partial(connections.producer, self.s,
                                 transactional_id=self.transactional_id(tp),
                                 topic_bytes=self.sink.batch_bytes)
        lane = Lane(make(), make, self.health)
        try:
            await lane.start()
            lane.factory = None  # never swapped under an open transaction
            # Waits for the producer id: by then the previous owner is fenced and its open
            # transaction aborted. Beginning is local until the first record is sent.
            await lane.producer.begin_transaction()
        except KafkaError as exc:
            await lane.stop()
            raise FatalError(f"transactional producer for {tp} failed to start: {exc!r}") \
                from exc
        return lane

    async def send(self, tp: TP, recs: Sequence[Any], outcomes: Sequence[Outcome],
                   epoch: int) -> list[Sent] | None:
        txn = self._txns.get(tp)
        if txn is None or txn.epoch != epoch:
            return None  # fetched before the partition was (re)assigned: re-fetched since
        async with txn.lock:
            try:
                if not txn.open:
                    await txn.lane.producer.begin_transaction()
                    txn.open = True
                sent = await self.sink.enqueue(txn.lane, recs, outcomes)
            except KafkaError as exc:
                failed: KafkaError | None = exc
                abandon(itertools.chain.from_iterable(sent for _, sent in txn.batches))
            else:
                failed = None
                txn.batches.append((recs, sent))
                txn.next_offset = recs[-1].offset + 1
        if failed is not None:
            self._lost(tp, failed, "writing to the transaction")
            return None
        return sent

    async def commit(self, only: set[TP] | None = None) -> None:
        tps = [tp for tp, t in self._txns.items() if t.batches and (only is None or tp in only)]
        await asyncio.gather(*(self._commit(tp, self._txns[tp]) for tp in tps))

    async def _commit(self, tp: TP, txn: _Txn) -> None:
        failed: KafkaError | None = None
        async with txn.lock:
            if not txn.batches:
                return
            batches, txn.batches = txn.batches, []
            try:
                finals = [await self.sink.confirm(txn.lane, recs, sent, reroute=False)
                          for recs, sent in batches]
                await txn.lane.producer.send_offsets_to_transaction({tp: txn.next_offset},
                                                                    self.s.group_id)
                await txn.lane.producer.commit_transaction()
            except KafkaError as exc:
                self.sensor.committed("failed")
                failed = exc
                abandon(itertools.chain.from_iterable(sent for _, sent in batches))
            else:
                txn.open = False
        if failed is not None:
            self._lost(tp, failed, "committing the transaction")
            return
        self.tracker.mark_committed({tp: txn.next_offset})
        self.sensor.delivered(itertools.chain.from_iterable(finals))
        self.sensor.committed("transaction")

    @staticmethod
    def _lost(tp: TP, exc: KafkaError, doing: str) -> None:
        """A transaction that failed: its records stay invisible to read_committed readers
        and are redone by the partition's owner. Starting the partition again in place (a new
        producer with the same id) was tried and let a fenced member run on, so it stops."""
        raise FatalError(f"{doing} of {tp} failed ({exc!r}); its records stay invisible to "
                         "read_committed readers and will be redone by the partition's "
                         "owner") from exc

    async def revoked(self, tps: set[TP]) -> None:
        try:
            await self.commit(only=tps)
        finally:
            self.tracker.forget(tps)
            await asyncio.gather(*(self._close(tp) for tp in tps))

    async def _close(self, tp: TP) -> None:
        txn = self._txns.pop(tp, None)
        if txn is not None:
            await txn.lane.stop()

    async def stop(self) -> None:
        await asyncio.gather(*(self._close(tp) for tp in list(self._txns)))


def checkpoint_for(settings: Settings, consumer: AIOKafkaConsumer, sink: Sink,
                   sensor: Sensor, health: OutputHealth | None = None,
                   factory: Callable[[], AIOKafkaProducer] | None = None) -> Checkpoint:
    if settings.processing_guarantee == "exactly_once":
        return ExactlyOnce(settings, consumer, sink, sensor, health)
    return AtLeastOnce(settings, consumer, sink, sensor, factory=factory, health=health)
