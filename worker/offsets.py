"""Per-partition tracking of which input offsets are done, and what is safe to commit.

An offset is *done* once its output (or DLQ) record is acknowledged by the broker. A Kafka
commit is one "next offset to read" per partition, so only a done prefix may be committed: if
5 is done but 4 is not, committing 6 would lose 4 on a crash.

Offsets arrive in increasing order per partition but not necessarily consecutively
(compaction, transaction markers), so "contiguous" means contiguous among the offsets fetched:
the commit point is the lowest offset still in flight, or one past the highest done offset
when nothing is in flight. Pure and synchronous, so it is tested without a broker.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

P = TypeVar("P", bound=Hashable)


@dataclass(slots=True)
class _Partition:
    committed: int  # the commit point last confirmed (initially: the first offset fetched)
    high_done: int = -1
    pending: set[int] = field(default_factory=set)

    def point(self) -> int:
        if self.pending:
            return min(self.pending)
        return max(self.committed, self.high_done + 1)


@dataclass(slots=True)
class OffsetTracker(Generic[P]):
    _parts: dict[P, _Partition] = field(default_factory=dict)

    def track(self, tp: P, offset: int) -> None:
        """Record that ``offset`` was fetched and is now in flight."""
        part = self._parts.get(tp)
        if part is None:
            # The group's position is where this fetch started, so nothing below it is ours.
            part = self._parts[tp] = _Partition(committed=offset)
        elif offset < part.point():
            raise ValueError(f"offset {offset} of {tp} is below the commit point {part.point()}")
        part.pending.add(offset)

    def done(self, tp: P, offset: int) -> None:
        part = self._parts.get(tp)
        if part is None or offset not in part.pending:
            return  # the partition was revoked meanwhile: nothing of ours to commit
        part.pending.discard(offset)
        part.high_done = max(part.high_done, offset)

    def committable(self, only: set[P] | None = None) -> dict[P, int]:
        """Partitions (optionally among ``only``) whose commit point moved since last commit."""
        out: dict[P, int] = {}
        for tp, part in self._parts.items():
            if (only is None or tp in only) and part.point() > part.committed:
                out[tp] = part.point()
        return out

    def mark_committed(self, offsets: dict[P, int]) -> None:
        for tp, off in offsets.items():
            part = self._parts.get(tp)
            if part is not None:
                part.committed = max(part.committed, off)

    def in_flight(self, tp: P | None = None) -> int:
        if tp is not None:
            part = self._parts.get(tp)
            return len(part.pending) if part else 0
        return sum(len(p.pending) for p in self._parts.values())

    def committed(self, tp: P) -> int | None:
        part = self._parts.get(tp)
        return part.committed if part else None

    def forget(self, tps: set[P]) -> None:
        """Drop partitions this worker no longer owns (after a rebalance)."""
        for tp in tps:
            self._parts.pop(tp, None)
