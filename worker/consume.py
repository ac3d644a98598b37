"""The consumer loop: fetch, backpressure, rebalances and the commit timer.

The parts it assembles each have one job: ``pipeline`` keeps per-partition order while
batches are enriched in parallel, ``checkpoint`` owns the commit for the chosen guarantee,
``observe`` turns what happens into metrics. What stays here:

- fetching, bounded by ``max_in_flight``: above it every owned partition is paused (the
  consumer keeps polling, so it stays in the group) until work completes;
- rebalances: on revocation, the revoked partitions' in-flight batches are finished and
  committed before the partitions are released; on assignment, a checkpoint that needs it
  (exactly-once) gets the new partitions held paused while it prepares them, and batches
  fetched before that are recognised by their epoch and dropped;
- the commit timer and the lag gauge;
- stopping: the first fatal error stops fetching; ``drain`` then finishes in-flight work and
  commits, unless the error means committing could be wrong.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any, TypeAlias

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError

from . import records
from .checkpoint import Checkpoint, FatalError
from .config import Settings
from .observe import Sensor
from .offsets import OffsetTracker
from .pipeline import Enrich, Pipeline

log = logging.getLogger(__name__)
records.install()  # a record with a non-UTF-8 header key reaches us instead of crashing getmany
TP: TypeAlias = TopicPartition

__all__ = ["FatalError", "Stream"]


class Stream:
    def __init__(self, settings: Settings, consumer: AIOKafkaConsumer, checkpoint: Checkpoint,
                 enrich: Enrich, sensor: Sensor) -> None:
        self.s, self.consumer, self.checkpoint, self.sensor = (
            settings, consumer, checkpoint, sensor)
        self.pipeline = Pipeline(settings.batch_size, enrich, checkpoint, sensor, self.fail)
        self.joined = False
        self.fatal: BaseException | None = None
        self._stopping = asyncio.Event()
        self._held: set[TP] = set()  # paused while the checkpoint prepares them
        self._epoch: dict[TP, int] = {}  # the assignment generation a partition came with
        self._generation = 0
        self._throttled = False

    @property
    def tracker(self) -> OffsetTracker[TP]:
        return self.checkpoint.tracker

    # -- lifecycle -------------------------------------------------------------------------

    def listener(self) -> ConsumerRebalanceListener:
        return _Rebalance(self)

    def stop(self) -> None:
        self._stopping.set()

    def fail(self, exc: BaseException) -> None:
        """The first fatal error wins; fetching stops and nothing is committed past it."""
        if self.fatal is None:
            self.fatal = exc
            log.error("stopping: %r", exc)
        self._stopping.set()

    async def run(self) -> None:
        """Fetch until ``stop()``; returns with work possibly still in flight (see drain)."""
        committer = asyncio.create_task(self._commit_loop(), name="commit-loop")
        committer.add_done_callback(self._commit_loop_ended)
        try:
            while not self._stopping.is_set():
                await self._fetch_once()
        finally:
            committer.cancel()
            with contextlib.suppress(asyncio.CancelledError, FatalError):
                await committer

    def _commit_loop_ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and (exc := task.exception()) is not None:
            self.fail(exc)

    async def drain(self, timeout: float) -> bool:
        """Finish in-flight batches, then commit. True if nothing was abandoned. After a fatal
        error nothing is committed: what was not committed before is redelivered."""
        finished = await self.pipeline.wait(None, timeout)
        if self.fatal is None:
            try:
                await self.checkpoint.commit()
            except FatalError as exc:
                self.fail(exc)
        return finished and self.fatal is None and self.tracker.in_flight() == 0

    # -- fetching and backpressure ---------------------------------------------------------

    async def _fetch_once(self) -> None:
        room = self.s.max_in_flight - self.tracker.in_flight()
        if room <= 0:
            await self._wait_for_room()
            return
        batches = await self.consumer.getmany(timeout_ms=200, max_records=room)
        for tp, recs in batches.items():
            if not recs or tp in self._held:
                continue
            self.sensor.fetched(tp.topic, len(recs))
            for rec in recs:
                self.tracker.track(tp, rec.offset)
            self.pipeline.submit(tp, recs, self._epoch.get(tp, 0))
        self.sensor.in_flight(self.tracker.in_flight())

    async def _wait_for_room(self) -> None:
        self._throttled = True
        self.consumer.pause(*self.consumer.assignment())
        self.sensor.paused(True)
        while (self.tracker.in_flight() >= self.s.max_in_flight
               and not self._stopping.is_set()):
            self.pipeline.changed.clear()
            # Keep polling (paused partitions return nothing) so the group keeps us.
            await self.consumer.getmany(timeout_ms=0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.pipeline.changed.wait(), 0.5)
            self.sensor.in_flight(self.tracker.in_flight())
        self._throttled = False
        self.consumer.resume(*(self.consumer.assignment() - self._held))
        self.sensor.paused(False)

    # -- commits ---------------------------------------------------------------------------

    async def _commit_loop(self) -> None:
        while True:
            await asyncio.sleep(self.s.commit_interval_ms / 1000)
            await self.checkpoint.commit()
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
            self.sensor.lag(tp.topic, tp.partition, max(0, high - (base or 0)))

    # -- rebalance -------------------------------------------------------------------------

    async def on_revoked(self, revoked: set[TP]) -> None:
        if not revoked:
            return  # aiokafka calls this with nothing before the first assignment
        await self.pipeline.wait(revoked, self.s.shutdown_grace_seconds)
        if self.fatal is None:
            try:
                await self.checkpoint.revoked(revoked)
            except FatalError as exc:
                self.fail(exc)
        self.pipeline.forget(revoked)
        for tp in revoked:
            self._epoch.pop(tp, None)
            self.sensor.lag(tp.topic, tp.partition, None)
        self.sensor.rebalanced("revoked", len(self.consumer.assignment()))
        log.info("partitions revoked", extra={"partitions": _names(revoked)})

    async def on_assigned(self, assigned: set[TP]) -> None:
        if self.fatal is not None:
            # A member that failed (e.g. found its producers fenced while revoking) is on its
            # way out, but the consumer may still rejoin the group before it has stopped.
            # Taking the partitions would open transactional producers that fence their
            # rightful owner, which then stops too: both members gone, the stream stalled.
            # So they are held, never fetched, and handed back when the consumer leaves.
            self._held |= assigned
            self.consumer.pause(*assigned)
            log.warning("partitions assigned while stopping: not taken",
                        extra={"partitions": _names(assigned)})
            return
        if self.checkpoint.holds_on_assign or not assigned:
            await self._take(assigned)
        else:
            self._new_epoch(assigned)
        self.joined = True
        self.sensor.rebalanced("assigned", len(self.consumer.assignment()))
        log.info("partitions assigned", extra={"partitions": _names(assigned)})


    def _new_epoch(self, tps: set[TP]) -> None:
        self._generation += 1
        for tp in tps:  # batches fetched before now belong to an older ownership
            self._epoch[tp] = self._generation

    async def _take(self, tps: set[TP]) -> None:
        """Held (paused) while the checkpoint prepares ``tps``."""
        self._new_epoch(tps)
        if not tps:
            return
        self._held |= tps
        self.consumer.pause(*tps)
        try:
            await self.checkpoint.assigned(tps, self._generation)
        except (FatalError, KafkaError) as exc:
            self.fail(exc)
        finally:
            self._held -= tps
            if not self._throttled:
                self.consumer.resume(*(tps & self.consumer.assignment()))


def _names(tps: Iterable[TP]) -> list[str]:
    return sorted(f"{tp.topic}[{tp.partition}]" for tp in tps)


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    async def on_partitions_revoked(self, revoked: Any) -> None:
        await self.stream.on_revoked(set(revoked))

    async def on_partitions_assigned(self, assigned: Any) -> None:
        await self.stream.on_assigned(set(assigned))
