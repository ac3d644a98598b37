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

    def run(self, values: Sequence[bytes | None]) -> list[Outcome]:
        out: list[Outcome | None] = [None] * len(values)
        good: list[tuple[int, dict[str, Any]]] = []
        for i, value in enumerate(values):
            try:
                good.append((i, self.codec.decode(value)))
            except BadInput as exc:
                out[i] = Outcome(reason=exc.reason, error_class="BadInput", message=exc.message)
        if good:
            for (i, _), outcome in zip(good, self._enrich([a for _, a in good]),
                                             strict=True):
                out[i] = outcome
        return [o for o in out if o is not None]

    def _enrich(self, articles: list[dict[str, Any]]) -> list[Outcome]:
        try:
            results = self.enricher.enrich_many(articles)
        except Exception:  # one bad article must not fail its batch-mates: go one by one
            log.warning("batch enrichment failed; retrying article by article", exc_info=True)
            return [self._one(a) for a in articles]
        return [self._ok(a, r) for a, r in zip(articles, results, strict=True)]

    def _one(self, article: dict[str, Any]) -> Outcome:
        last: Exception | None = None
        for attempt in range(1, self.retries + 2):
            try:
                return self._ok(article, self.enricher.enrich_many([article])[0], attempt)
            except Exception as exc:
                last = exc
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

    def _ok(self, article: dict[str, Any], result: Result, attempts: int = 1) -> Outcome:
        e = result.enrichment
        return Outcome(
            value=self.codec.encode(article, e),
            article_id=article["id"],
            language=e["language"]["code"],
            language_source=e["language"]["source"],
            entity_labels=tuple(x["label"] for x in e["entities"]),
            countries=tuple(c["code"] for c in e["countries"]),
            seconds=result.seconds,
            attempts=attempts,
        )
