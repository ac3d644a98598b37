"""Dead-letter records: the original bytes untouched, the reason in headers.

Headers (all UTF-8): ``dlq.reason`` (stable, e.g. ``schema_violation``), ``dlq.error.class``,
``dlq.error.message``, ``dlq.source.topic``, ``dlq.source.partition``, ``dlq.source.offset``,
``dlq.source.timestamp``, ``dlq.worker.version``, ``dlq.attempts``; the input's own headers
come first, unchanged, so a replay tool can restore the record exactly (a header key that is
not UTF-8 cannot be written back as a key: it travels as ``dlq.invalid.header.key`` with its raw
bytes, followed by ``dlq.invalid.header.value``). A value too large for the DLQ topic is left
out and ``dlq.value.omitted``/``dlq.value.bytes`` say so; it stays at its source offset.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import __version__
from .transform import Outcome

Headers = list[tuple[str, bytes]]
MAX_MESSAGE = 1000


def headers(
    outcome: Outcome,
    topic: str,
    partition: int,
    offset: int,
    timestamp: int,
    original: Sequence[tuple[str, bytes]] = (),
) -> Headers:
    fields = {
        "dlq.reason": outcome.reason or "unknown",
        "dlq.error.class": outcome.error_class or "",
        "dlq.error.message": (outcome.message or "")[:MAX_MESSAGE],
        "dlq.source.topic": topic,
        "dlq.source.partition": str(partition),
        "dlq.source.offset": str(offset),
        "dlq.source.timestamp": str(timestamp),
        "dlq.worker.version": __version__,
        "dlq.attempts": str(outcome.attempts),
    }
    return [*original, *((k, v.encode("utf-8")) for k, v in fields.items())]


def omit_value(h: Headers, size: int, limits: str) -> Headers:
    """Headers of a DLQ record sent without the original value (it would not fit)."""
    return [*h, ("dlq.value.omitted", b"true"), ("dlq.value.bytes", str(size).encode()),
            ("dlq.value.omitted.reason", f"too large for the DLQ topic: {limits}".encode())]
