"""Producing a batch's outcomes: enriched records to the output topic, the rest to the DLQ.

Keys: the input key, or the article ``id`` when the input has none, so one article's versions
land on one output partition in order. Input headers are carried over. ``write`` returns only
once the broker has acknowledged every record (acks=all), which is what allows the caller to
mark the input offsets done.

No record can make this module raise by itself: one that would not fit through the producer
or the topic is decided about before sending (an output becomes ``output_too_large`` in the
DLQ; a DLQ record whose original bytes are too large keeps its headers and loses its value,
which stays readable at its source offset), and a refusal that still happens (at ``send()`` or
on the broker's ack) takes the same roads. What remains are broker failures, which the caller
must not commit past.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError, MessageSizeTooLargeError

from . import dlq, records
from .sizes import SizeLimit, headers_size
from .transform import Outcome

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Sent:
    """A record handed to the producer: the ack future and the outcome it carries."""

    future: asyncio.Future[Any]
    outcome: Outcome


def too_large(out: Outcome, message: str) -> Outcome:
    return Outcome(reason="output_too_large", error_class="MessageSizeTooLarge",
                   message=message, article_id=out.article_id, attempts=out.attempts)


@dataclass(slots=True)
class Sink:
    """Where outcomes go. The producer is passed per call: at-least-once shares one, while
    exactly-once has a transactional producer per input partition."""

    output_topic: str
    dlq_topic: str
    output_limit: SizeLimit = field(default_factory=SizeLimit)
    dlq_limit: SizeLimit = field(default_factory=SizeLimit)

    async def enqueue(self, producer: AIOKafkaProducer, recs: Sequence[Any],
                      outcomes: Sequence[Outcome]) -> list[Sent]:
        """Hand every record to the producer (in order); returns the ack futures."""
        return [await self._send(producer, rec, out)
                for rec, out in zip(recs, outcomes, strict=True)]

    async def _send(self, producer: AIOKafkaProducer, rec: Any, out: Outcome) -> Sent:
        if out.ok:
            key = rec.key if rec.key is not None else (out.article_id or "").encode()
            headers = list(rec.headers or ())
            extra = len(key) + headers_size(headers)
            if not self.output_limit.fits(out.value, extra):
                out = too_large(out, f"the enriched record is {len(out.value or b'')} bytes; "
                                f"{self.output_limit.describe()}")
            else:
                try:
                    fut = await producer.send(self.output_topic, out.value, key=key,
                                                   headers=headers)
                    return Sent(fut, out)
                except MessageSizeTooLargeError as exc:
                    out = too_large(out, f"the producer refused the enriched record: {exc}")
        return await self._send_dlq(producer, rec, out)

    async def _send_dlq(self, producer: AIOKafkaProducer, rec: Any, out: Outcome) -> Sent:
        h = dlq.headers(out, rec.topic, rec.partition, rec.offset, rec.timestamp,
                        records.quarantine(rec.headers))
        value = rec.value
        extra = len(rec.key or b"") + headers_size(h)
        if not self.dlq_limit.fits(value, extra):
            value, h = None, dlq.omit_value(h, len(value or b""), self.dlq_limit.describe())
            log.warning("DLQ record without its value (too large for the DLQ topic); the "
                        "original stays at its source offset",
                        extra={"topic": rec.topic, "partition": rec.partition,
                               "offset": rec.offset, "reason": out.reason})
        fut: asyncio.Future[Any] = await producer.send(self.dlq_topic, value, key=rec.key,
                                                            headers=h)
        return Sent(fut, out)

    async def confirm(self, producer: AIOKafkaProducer, recs: Sequence[Any],
                      sent: Sequence[Sent], reroute: bool = True) -> list[Outcome]:
        """Wait for the acks; returns each record's final outcome. An output the broker
        refuses as too large is re-routed to the DLQ (``output_too_large``) so it is never
        silently dropped (not inside a transaction, ``reroute=False``: a refused record has
        already doomed it, and the caller aborts). Any other failure raises: the caller must
        not mark these records done."""
        results = await asyncio.gather(*(s.future for s in sent), return_exceptions=True)
        final = []
        for rec, s, res in zip(recs, sent, results, strict=True):
            out = s.outcome
            if isinstance(res, MessageSizeTooLargeError) and out.ok and reroute:
                out = too_large(out, f"enriched record refused by the broker: {res}")
                await (await self._send_dlq(producer, rec, out)).future
            elif isinstance(res, BaseException):
                raise KafkaError(f"produce failed for {rec.topic}[{rec.partition}]@"
                                 f"{rec.offset}: {res!r}") from res
            final.append(out)
        return final
