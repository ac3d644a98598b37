"""Overlap tests against a set of non-overlapping spans in O(log n), not a scan.

NER entities never overlap each other, so sorted by start their ends are sorted too, and the
only span that can overlap [start, end) is the last one starting before ``end``. A linear scan
per lookup made long articles quadratic (every gazetteer hit against every NER entity).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator


class Spans:
    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._ends = [e for _, e in ordered]
        self._pairs: frozenset[tuple[int, int]] | None = None

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end) - 1
        return i >= 0 and self._ends[i] > start and self._starts[i] < end

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._starts, self._ends, strict=True)

    def pairs(self) -> frozenset[tuple[int, int]]:
        """The spans as a set, for exact-span tests (built once)."""
        if self._pairs is None:
            self._pairs = frozenset(self)
        return self._pairs

    def __bool__(self) -> bool:
        return bool(self._starts)


def joined(spans: list[tuple[int, int]], extra: Iterable[tuple[int, int]]) -> Spans:
    """``spans`` and those of ``extra`` that overlap none of them (the spans stay disjoint,
    which ``Spans.overlaps`` relies on)."""
    base = Spans(spans)
    return Spans(spans + [s for s in extra if not base.overlaps(*s)])
