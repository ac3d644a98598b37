"""The stream's metrics as an observer (faust's ``Sensor``): the processing code says what
happened, in its own words, and only this module knows which Prometheus series that moves.

Keeping the metric calls out of fetching, ordering and committing is what lets those parts be
read (and unit-tested with fakes) as the delivery logic they are.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Sequence
from typing import Any

from .metrics import Metrics
from .transform import Outcome


class Sensor:
    def __init__(self, metrics: Metrics, output_topic: str) -> None:
        self.m = metrics
        self.output_topic = output_topic

    def fetched(self, topic: str, n: int) -> None:
        self.m.consumed.labels(topic=topic).inc(n)

    def in_flight(self, n: int) -> None:
        self.m.in_flight.set(n)

    def paused(self, on: bool) -> None:
        self.m.paused.set(1 if on else 0)

    def batch(self, outcomes: Iterable[Outcome], size: int) -> None:
        """A batch came back from enrichment."""
        self.m.batch_size.observe(size)
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

    def delivered(self, outcomes: Iterable[Outcome]) -> None:
        """Records that are now durable (acknowledged, or their transaction committed)."""
        for o in outcomes:
            if o.ok:
                self.m.produced.labels(topic=self.output_topic).inc()
            else:
                self.m.dlq.labels(reason=o.reason or "unknown").inc()

    def done(self, recs: Sequence[Any]) -> None:
        now = time.time()
        for rec in recs:
            if rec.timestamp and rec.timestamp > 0:
                self.m.end_to_end.observe(max(0.0, now - rec.timestamp / 1000))

    def producer_replaced(self) -> None:
        self.m.producer_replacements.inc()

    def committed(self, result: str) -> None:
        self.m.commits.labels(result=result).inc()

    def rebalanced(self, kind: str, owned: int) -> None:
        self.m.assigned.set(owned)
        self.m.rebalances.labels(kind=kind).inc()

    def lag(self, topic: str, partition: int, value: int | None) -> None:
        """``None`` drops the series (the partition is no longer ours)."""
        if value is None:
            with contextlib.suppress(KeyError):
                self.m.lag.remove(topic, str(partition))
            return
        self.m.lag.labels(topic=topic, partition=str(partition)).set(value)
