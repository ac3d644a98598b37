"""The ordered per-partition path of fetched records.

A partition's records are cut into batches that are enriched in parallel (the pool has several
processes), but handed to the checkpoint strictly in input order: each batch waits for the one
before it in its partition (a chain of events), so the output of a partition keeps the order of
its input whatever order the enrichment finishes in. Settling follows the same chain: a batch
whose records must be sent again (a failed producer batch, recovered by the checkpoint) is sent
again before the batches behind it, so recovery keeps the order too. Once the checkpoint says
a batch is settled, its offsets are done.

A failure here (the checkpoint raising, e.g. a broker error after retries or a fenced
transaction) is reported once through ``on_error``; the stream then stops without committing
past it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeAlias

from aiokafka import TopicPartition

from . import records
from .checkpoint import Checkpoint
from .observe import Sensor
from .transform import Outcome

log = logging.getLogger(__name__)
TP: TypeAlias = TopicPartition
Enrich = Callable[[Sequence[bytes | None]], Awaitable[list[Outcome]]]


def invalid_header(keys: list[bytes]) -> Outcome:
    return Outcome(reason="invalid_header", error_class="UnicodeDecodeError",
                   message=f"header key(s) {keys!r} are not UTF-8; kept in the DLQ headers as "
                   "dlq.invalid.header.key")


async def enrich_records(enrich: Enrich, recs: Sequence[Any]) -> list[Outcome]:
    """Outcomes in record order. A record whose headers could not be written back (a key that
    is not UTF-8) is quarantined as it is, without being enriched."""
    bad = {i: keys for i, r in enumerate(recs) if (keys := records.invalid_header_keys(r.headers))}
    good = [r.value for i, r in enumerate(recs) if i not in bad]
    done = iter(await enrich(good) if good else [])
    return [invalid_header(bad[i]) if i in bad else next(done) for i in range(len(recs))]


class Pipeline:
    def __init__(self, batch_size: int, enrich: Enrich, checkpoint: Checkpoint,
                 sensor: Sensor, on_error: Callable[[BaseException], None]) -> None:
        self.batch_size = batch_size
        self.enrich, self.checkpoint, self.sensor = enrich, checkpoint, sensor
        self.on_error = on_error
        self.changed = asyncio.Event()  # set whenever a batch finishes (room may be free)
        self._tasks: dict[TP, set[asyncio.Task[None]]] = {}
        self._tails: dict[TP, tuple[asyncio.Event, asyncio.Event]] = {}  # (sent, settled)

    def submit(self, tp: TP, recs: Sequence[Any], epoch: int = 0) -> None:
        for i in range(0, len(recs), self.batch_size):
            batch = recs[i : i + self.batch_size]
            prev = self._tails.get(tp)
            mine = self._tails[tp] = (asyncio.Event(), asyncio.Event())
            task = asyncio.create_task(self._handle(tp, batch, prev, mine, epoch),
                                       name=f"batch-{tp.topic}-{tp.partition}-{batch[0].offset}")
            self._tasks.setdefault(tp, set()).add(task)
            task.add_done_callback(functools.partial(self._finished, tp))

    def _finished(self, tp: TP, task: asyncio.Task[None]) -> None:
        self._tasks.get(tp, set()).discard(task)
        self.changed.set()
        if not task.cancelled() and (exc := task.exception()) is not None:
            self.on_error(exc)

    async def _handle(self, tp: TP, recs: Sequence[Any],
                      prev: tuple[asyncio.Event, asyncio.Event] | None,
                      mine: tuple[asyncio.Event, asyncio.Event], epoch: int) -> None:
        sent_event, settled_event = mine
        try:
            outcomes = await enrich_records(self.enrich, recs)
            self.sensor.batch(outcomes, len(recs))
            if prev is not None:
                await prev[0].wait()  # keep input order per partition
            sent = await self.checkpoint.send(tp, recs, outcomes, epoch)
            sent_event.set()  # handed over in order: the next batch may follow
            if sent is None:
                return  # not ours to write any more: neither written nor done
            if prev is not None:
                await prev[1].wait()  # a batch sent again goes before the ones behind it
            await self.checkpoint.settle(tp, recs, sent)
        finally:
            sent_event.set()  # also on failure, so later batches are not stuck behind us
            settled_event.set()
        self.checkpoint.done(tp, recs)
        self.sensor.done(recs)

    def tasks(self, tps: set[TP] | None = None) -> list[asyncio.Task[None]]:
        return [t for tp, ts in self._tasks.items() if tps is None or tp in tps for t in ts]

    async def wait(self, tps: set[TP] | None, timeout: float) -> bool:
        """Wait for the batches of ``tps`` (all if None); past ``timeout`` they are cancelled
        (their records stay uncommitted and are redelivered). True if none was abandoned."""
        tasks = self.tasks(tps)
        if not tasks:
            return True
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        for t in pending:
            t.cancel()
        if pending:
            log.warning("grace period over: %d batches abandoned (their records will be "
                        "redelivered)", len(pending))
            await asyncio.wait(pending)
        return not pending

    def forget(self, tps: set[TP]) -> None:
        for tp in tps:
            self._tails.pop(tp, None)
