"""One record's path without Kafka: bytes -> decode/validate -> enrich -> encode -> outcome.

This is what runs inside each pool process, and what ``enrich-worker enrich`` runs in-process,
so the offline command and the stream produce byte-for-byte the same enrichment logic.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .codec import BadInput, Codec
from .enrich import Enricher, Result
from .sizes import SizeLimit

# Room left for the record's key and headers, which the pool process does not see (at most a
# tenth of the topic's limit); the sink checks the exact size again before sending.
KEY_AND_HEADERS_ROOM = 64 * 1024
# When an enriched record is too large, mentions per entity and place are capped at these, in turn
# (``count`` keeps the total and ``mentions_truncated`` says so) before giving up.
MENTION_CAPS = (100, 10, 1)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input record; small and picklable (it crosses processes)."""

    value: bytes | None = None  # the enriched article, when ok
    article_id: str | None = None
    reason: str | None = None  # DLQ reason, when not ok
    error_class: str | None = None
    message: str | None = None
    language: str | None = None
    language_source: str | None = None
    entity_labels: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    seconds: float = 0.0
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.value is not None


@dataclass(slots=True)
class Transform:
    codec: Codec = field(default_factory=Codec)
    enricher: Enricher = field(default_factory=Enricher)
    retries: int = 2
    limit: SizeLimit = field(default_factory=SizeLimit)

    def run(self, values: Sequence[bytes | None]) -> list[Outcome]:
        out: list[Outcome | None] = [None] * len(values)
        good: list[tuple[int, bytes, dict[str, Any]]] = []
        for i, value in enumerate(values):
            try:
                good.append((i, value or b"", self.codec.decode(value)))
            except BadInput as exc:
                out[i] = _bad(exc)
        if good:
            outcomes = self._enrich([(raw, a) for _, raw, a in good])
            for (i, _, _), outcome in zip(good, outcomes, strict=True):
                out[i] = outcome
        return [o for o in out if o is not None]

    def _enrich(self, items: list[tuple[bytes, dict[str, Any]]]) -> list[Outcome]:
        try:
            results = self.enricher.enrich_many([a for _, a in items])
        except Exception:  # one bad article must not fail its batch-mates: go one by one
            log.warning("batch enrichment failed; retrying article by article", exc_info=True)
            return [self._one(raw, a) for raw, a in items]
        return [self._ok(raw, a, r) for (raw, a), r in zip(items, results, strict=True)]

    def _one(self, raw: bytes, article: dict[str, Any]) -> Outcome:
        last: Exception | None = None
        for attempt in range(1, self.retries + 2):
            try:
                result = self.enricher.enrich_many([article])[0]
            except Exception as exc:
                last = exc
                continue
            return self._ok(raw, article, result, attempt)
        assert last is not None
        log.error("enrichment failed after %d attempts: %r", self.retries + 1, last,
                  extra={"article_id": article.get("id")})
        return Outcome(
            article_id=str(article.get("id")),
            reason="enrichment_failed",
            error_class=type(last).__name__,
            message=f"enrichment failed after {self.retries + 1} attempts: {last}"[:1000],
            attempts=self.retries + 1,
        )

    def _ok(self, raw: bytes, article: dict[str, Any], result: Result,
            attempts: int = 1) -> Outcome:
        e = result.enrichment
        try:
            value = self._encode(raw, article, e)
        except BadInput as exc:
            log.warning("enriched article not sent: %s", exc.message,
                        extra={"article_id": article.get("id"), "reason": exc.reason})
            return _bad(exc, article_id=str(article.get("id")), attempts=attempts)
        return Outcome(
            value=value,
            article_id=article["id"],
            language=e["language"]["code"],
            language_source=e["language"]["source"],
            entity_labels=tuple(x["label"] for x in e["entities"]),
            countries=tuple(c["code"] for c in e["countries"]),
            seconds=result.seconds,
            attempts=attempts,
        )

    def _encode(self, raw: bytes, article: dict[str, Any], e: Any) -> bytes:
        """The record, with mentions capped until it fits the topic's limit. One that fits
        only the producer's cap goes to the sink as it is: the sink decides against the
        topic's limit in force when it sends (an operator may have raised it since this
        batch left), and dead-letters it if it still does not fit."""
        room = min(KEY_AND_HEADERS_ROOM, self.limit.topic_bytes // 10)
        value = self.codec.encode(raw, article, e)
        if self.limit.fits(value, room):
            return value
        for cap in MENTION_CAPS:
            value = self.codec.encode(raw, article, cap_mentions(e, cap))
            if self.limit.fits(value, room):
                return value
        if self.limit.within_request(value, room):
            return value
        raise BadInput("output_too_large",
                       f"the enriched record is {len(value)} bytes even with one mention per "
                       f"entity; {self.limit.describe()}")


def cap_mentions(enrichment: Any, cap: int) -> Any:
    """A copy with at most ``cap`` mentions per entity and per place (``count`` still says
    how many)."""
    capped = {
        key: [{**item, "mentions": item["mentions"][:cap], "mentions_truncated": True}
              if len(item["mentions"]) > cap else item for item in enrichment[key]]
        for key in ("entities", "places") if key in enrichment
    }
    return {**enrichment, **capped}


def _bad(exc: BadInput, article_id: str | None = None, attempts: int = 1) -> Outcome:
    return Outcome(reason=exc.reason, error_class="BadInput", message=exc.message,
                   article_id=article_id, attempts=attempts)
