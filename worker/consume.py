"""The consumer loop: fetch, backpressure, batching, ordered produce, commits, rebalances.

Guarantees (at-least-once, the default):
- a record's input offset is committed only after its output or DLQ record is acknowledged,
  and only as part of the contiguous done prefix of its partition (``offsets``);
- per input partition, results are produced in input order, even though batches are
  enriched in parallel;
- in-flight records are bounded by ``max_in_flight``: above it every owned partition is
  paused (the consumer keeps polling so it stays in the group) until work completes;
- on revocation, in-flight work of the revoked partitions is finished and committed before
  the partitions are released.

With ``exactly_once``, each batch's records and its input offsets are committed in one Kafka
transaction instead; batches are then written one at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError

from .config import Settings
from .metrics import Metrics
from .offsets import OffsetTracker
from .pool import EnrichPool
from .produce import Sink
from .transform import Outcome

log = logging.getLogger(__name__)


class FatalError(RuntimeError):
    """The stream cannot go on without risking loss; stop without committing past it."""


class Stream:
    def __init__(self, settings: Settings, consumer: AIOKafkaConsumer, sink: Sink,
                 pool: EnrichPool, metrics: Metrics) -> None:
        self.s, self.consumer, self.sink, self.pool, self.m = (
            settings, consumer, sink, pool, metrics)
        self.tracker: OffsetTracker[TopicPartition] = OffsetTracker()
        self.exactly_once = settings.processing_guarantee == "exactly_once"
        self.joined = False
        self.fatal: BaseException | None = None
        self._stopping = asyncio.Event()
        self._capacity = asyncio.Event()
        self._tasks: dict[TopicPartition, set[asyncio.Task[None]]] = {}
        self._enqueued: dict[TopicPartition, asyncio.Event] = {}  # tail of each partition
        self._txn_lock = asyncio.Lock()
        self._commit_lock = asyncio.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    def listener(self) -> ConsumerRebalanceListener:
        return _Rebalance(self)

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """Fetch until ``stop()``; returns with work possibly still in flight (see drain)."""
        committer = asyncio.create_task(self._commit_loop(), name="commit-loop")
        try:
            while not self._stopping.is_set() and self.fatal is None:
                await self._fetch_once()
        finally:
            committer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await committer

    async def drain(self, timeout: float) -> bool:
        """Wait for every in-flight batch, then commit. True if nothing was abandoned."""
        tasks = [t for ts in self._tasks.values() for t in ts]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout)
            for t in pending:
                t.cancel()
            if pending:
                log.warning("grace period over: %d batches abandoned (their records will be "
                            "redelivered)", len(pending))
        await self.commit()
        return self.tracker.in_flight() == 0

    # -- fetching and backpressure ---------------------------------------------------------

    async def _fetch_once(self) -> None:
        room = self.s.max_in_flight - self.tracker.in_flight()
        if room <= 0:
            await self._wait_for_room()
            return
        batches = await self.consumer.getmany(timeout_ms=200, max_records=room)
        for tp, records in batches.items():
            if not records:
                continue
            self.m.consumed.labels(topic=tp.topic).inc(len(records))
            for rec in records:
                self.tracker.track(tp, rec.offset)
            for i in range(0, len(records), self.s.batch_size):
                self._submit(tp, records[i : i + self.s.batch_size])
        self.m.in_flight.set(self.tracker.in_flight())

    async def _wait_for_room(self) -> None:
        owned = self.consumer.assignment()
        self.consumer.pause(*owned)
        self.m.paused.set(1)
        self._capacity.clear()
        while (self.tracker.in_flight() >= self.s.max_in_flight
               and not self._stopping.is_set() and self.fatal is None):
            # Keep polling (paused partitions return nothing) so the group keeps us.
            await self.consumer.getmany(timeout_ms=0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._capacity.wait(), 0.5)
        self.consumer.resume(*self.consumer.paused())
        self.m.paused.set(0)

    # -- one batch -------------------------------------------------------------------------

    def _submit(self, tp: TopicPartition, records: Sequence[Any]) -> None:
        prev = self._enqueued.get(tp)
        mine = self._enqueued[tp] = asyncio.Event()
        task = asyncio.create_task(self._handle(tp, records, prev, mine),
                                   name=f"batch-{tp.topic}-{tp.partition}-{records[0].offset}")
        self._tasks.setdefault(tp, set()).add(task)
        task.add_done_callback(lambda t: self._finished(tp, t))

    def _finished(self, tp: TopicPartition, task: asyncio.Task[None]) -> None:
        self._tasks.get(tp, set()).discard(task)
        self._capacity.set()
        self.m.in_flight.set(self.tracker.in_flight())
        if not task.cancelled() and task.exception() is not None and self.fatal is None:
            self.fatal = task.exception()
            log.error("stopping: %r", self.fatal)
            self._stopping.set()

    async def _handle(self, tp: TopicPartition, records: Sequence[Any],
                      prev: asyncio.Event | None, mine: asyncio.Event) -> None:
        try:
            self.m.batch_size.observe(len(records))
            outcomes = await self.pool.run([r.value for r in records])
            self._observe(outcomes)
            if prev is not None:
                await prev.wait()  # keep input order per partition
            if self.exactly_once:
                await self._write_transaction(tp, records, outcomes)
            else:
                futures = await self.sink.enqueue(records, outcomes)
                mine.set()  # enqueued in order: the next batch may enqueue behind us
                await self.sink.confirm(records, outcomes, futures)
        finally:
            mine.set()  # also on failure, so later batches are not stuck behind us
        now = time.time()
        for rec in records:
            self.tracker.done(tp, rec.offset)
            if rec.timestamp and rec.timestamp > 0:
                self.m.end_to_end.observe(max(0.0, now - rec.timestamp / 1000))

    async def _write_transaction(self, tp: TopicPartition, records: Sequence[Any],
                                 outcomes: Sequence[Outcome]) -> None:
        producer = self.sink.producer
        async with self._txn_lock:
            try:
                async with producer.transaction():
                    await self.sink.write(records, outcomes)
                    await producer.send_offsets_to_transaction(
                        {tp: records[-1].offset + 1}, self.s.group_id)
            except KafkaError as exc:
                raise FatalError(f"transaction for {tp} aborted: {exc!r}") from exc
        self.tracker.mark_committed({tp: records[-1].offset + 1})
        self.m.commits.labels(result="transaction").inc()

    def _observe(self, outcomes: Iterable[Outcome]) -> None:
        for o in outcomes:
            if o.attempts > 1:
                self.m.retries.inc(o.attempts - 1)
            if not o.ok:
                continue
            self.m.processing.observe(o.seconds)
            self.m.languages.labels(language=o.language or "unknown",
                                    source=o.language_source or "none").inc()
            for label in o.entity_labels:
                self.m.entities.labels(label=label).inc()
            for code in o.countries:
                self.m.countries.labels(country=code).inc()

    # -- commits ---------------------------------------------------------------------------

    async def commit(self, only: set[TopicPartition] | None = None) -> None:
        if self.exactly_once:
            return  # offsets are committed inside each transaction
        async with self._commit_lock:
            owned = self.consumer.assignment()
            offsets = self.tracker.committable(owned if only is None else only & owned)
            if not offsets:
                return
            try:
                await self.consumer.commit(offsets)
            except (CommitFailedError, KafkaError) as exc:
                # Not fatal: the records stay uncommitted and are redelivered (at-least-once).
                self.m.commits.labels(result="failed").inc()
                log.warning("offset commit failed: %r", exc)
                return
            self.tracker.mark_committed(offsets)
            self.m.commits.labels(result="ok").inc()

    async def _commit_loop(self) -> None:
        while True:
            await asyncio.sleep(self.s.commit_interval_ms / 1000)
            await self.commit()
            await self._update_lag()

    async def _update_lag(self) -> None:
        """Lag as ``kafka-consumer-groups`` reports it: log end minus committed offset."""
        for tp in self.consumer.assignment():
            high = self.consumer.highwater(tp)
            if high is None:
                continue  # nothing fetched from it yet: the end offset is unknown
            base = self.tracker.committed(tp)
            if base is None:
                with contextlib.suppress(KafkaError):
                    base = await self.consumer.committed(tp)
            self.m.lag.labels(topic=tp.topic, partition=str(tp.partition)).set(
                max(0, high - (base or 0)))

    # -- rebalance -------------------------------------------------------------------------

    async def on_revoked(self, revoked: set[TopicPartition]) -> None:
        if not revoked:
            return  # aiokafka calls this with nothing before the first assignment
        tasks = [t for tp in revoked for t in self._tasks.get(tp, ())]
        if tasks:
            await asyncio.wait(tasks, timeout=self.s.shutdown_grace_seconds)
        await self.commit(only=revoked)
        self.tracker.forget(revoked)
        for tp in revoked:
            self._enqueued.pop(tp, None)
            with contextlib.suppress(KeyError):
                self.m.lag.remove(tp.topic, str(tp.partition))
        self.m.rebalances.labels(kind="revoked").inc()
        log.info("partitions revoked", extra={"partitions": _names(revoked)})

    def on_assigned(self, assigned: set[TopicPartition]) -> None:
        self.joined = True
        self.m.assigned.set(len(self.consumer.assignment()))
        self.m.rebalances.labels(kind="assigned").inc()
        log.info("partitions assigned", extra={"partitions": _names(assigned)})


def _names(tps: Iterable[TopicPartition]) -> list[str]:
    return sorted(f"{tp.topic}[{tp.partition}]" for tp in tps)


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    async def on_partitions_revoked(self, revoked: Any) -> None:
        await self.stream.on_revoked(set(revoked))

    async def on_partitions_assigned(self, assigned: Any) -> None:
        self.stream.on_assigned(set(assigned))
