"""Producing a batch's outcomes: enriched records to the output topic, the rest to the DLQ.

Keys: the input key, or the article ``id`` when the input has none, so one article's versions
land on one output partition in order. Input headers are carried over. ``write`` returns only
once the broker has acknowledged every record (acks=all), which is what allows the caller to
mark the input offsets done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError, MessageSizeTooLargeError

from . import dlq
from .metrics import Metrics
from .transform import Outcome

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Sink:
    producer: AIOKafkaProducer
    output_topic: str
    dlq_topic: str
    metrics: Metrics

    async def enqueue(self, records: Sequence[Any], outcomes: Sequence[Outcome]) -> list[
            asyncio.Future[Any]]:
        """Hand every record to the producer (in order); returns the ack futures."""
        futures = []
        for rec, out in zip(records, outcomes, strict=True):
            futures.append(await self._send(rec, out))
        return futures

    async def _send(self, rec: Any, out: Outcome) -> asyncio.Future[Any]:
        headers = list(rec.headers or ())
        if out.ok:
            key = rec.key if rec.key is not None else (out.article_id or "").encode()
            fut: asyncio.Future[Any] = await self.producer.send(
                self.output_topic, out.value, key=key, headers=headers)
            return fut
        return await self._send_dlq(rec, out, headers)

    async def _send_dlq(self, rec: Any, out: Outcome, headers: list[tuple[str, bytes]]
                        ) -> asyncio.Future[Any]:
        h = dlq.headers(out, rec.topic, rec.partition, rec.offset, rec.timestamp, headers)
        fut: asyncio.Future[Any] = await self.producer.send(
            self.dlq_topic, rec.value, key=rec.key, headers=h)
        return fut

    async def write(self, records: Sequence[Any], outcomes: Sequence[Outcome]) -> None:
        """Enqueue and wait for every ack; an output the broker refuses as too large is
        re-routed to the DLQ (``output_too_large``) so it is never silently dropped."""
        futures = await self.enqueue(records, outcomes)
        await self.confirm(records, outcomes, futures)

    async def confirm(self, records: Sequence[Any], outcomes: Sequence[Outcome],
                      futures: Sequence[asyncio.Future[Any]]) -> None:
        results = await asyncio.gather(*futures, return_exceptions=True)
        for rec, out, res in zip(records, outcomes, results, strict=True):
            if isinstance(res, MessageSizeTooLargeError) and out.ok:
                bad = Outcome(reason="output_too_large", error_class=type(res).__name__,
                              message=f"enriched record refused by the broker: {res}",
                              article_id=out.article_id)
                await (await self._send_dlq(rec, bad, list(rec.headers or ())))
                self.metrics.dlq.labels(reason="output_too_large").inc()
            elif isinstance(res, BaseException):
                raise KafkaError(f"produce failed for {rec.topic}[{rec.partition}]@"
                                 f"{rec.offset}: {res!r}") from res
            elif out.ok:
                self.metrics.produced.labels(topic=self.output_topic).inc()
            else:
                self.metrics.dlq.labels(reason=out.reason or "unknown").inc()
