"""``enrich-worker enrich``: the stream's transform on JSON lines, without Kafka.

Good lines become enriched JSON lines on stdout, in input order; a bad line is reported on
stderr as ``line N: reason: message`` and skipped, and the exit code is 1 if any line was bad.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from itertools import islice
from typing import IO

from .config import Settings
from .pool import PoolConfig, build_transform


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for n, raw in enumerate(stream, 1):
        line = raw.rstrip(b"\r\n")
        if line.strip():
            yield n, line


def enrich_lines(path: str | None, settings: Settings) -> int:
    transform, _ = build_transform(PoolConfig(
        processes=1, models=settings.models, ner=settings.ner_mode, batch_size=settings.batch_size,
        max_body_bytes=settings.max_body_bytes, retries=settings.enrich_retries, preload=(),
        max_chars=settings.max_analysed_chars))
    bad = 0
    try:
        src: IO[bytes] = open(path, "rb") if path else sys.stdin.buffer  # noqa: SIM115
    except OSError as exc:
        raise OSError(f"cannot read {path}: {exc.strerror}") from None
    out = sys.stdout.buffer
    with src:
        lines = _lines(src)
        while chunk := list(islice(lines, settings.batch_size)):
            for (n, _), outcome in zip(chunk, transform.run([v for _, v in chunk]),
                                       strict=True):
                if outcome.ok and outcome.value is not None:
                    out.write(outcome.value + b"\n")
                else:
                    bad += 1
                    print(f"line {n}: {outcome.reason}: {outcome.message}", file=sys.stderr)
            out.flush()
    if bad:
        print(f"enrich-worker: {bad} line(s) could not be enriched", file=sys.stderr)
    return 1 if bad else 0
