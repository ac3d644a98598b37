"""The commit tracker against a brute-force model, on random interleavings."""

from __future__ import annotations

import random

import pytest

from worker.offsets import OffsetTracker


def model_point(fetched: list[int], done: set[int], start: int) -> int:
    """Brute force: the first fetched offset not done, else one past the last fetched."""
    for off in fetched:
        if off not in done:
            return off
    return fetched[-1] + 1 if fetched else start


@pytest.mark.parametrize("seed", range(200))
def test_commit_point_matches_model(seed: int) -> None:
    rng = random.Random(seed)
    t: OffsetTracker[str] = OffsetTracker()
    offsets = sorted(rng.sample(range(1000), rng.randint(1, 60)))  # gaps like compaction
    start = offsets[0]
    fetched: list[int] = []
    done: set[int] = set()
    todo = list(offsets)
    while todo or len(done) < len(fetched):
        if todo and (rng.random() < 0.5 or len(done) == len(fetched)):
            off = todo.pop(0)
            t.track("p", off)
            fetched.append(off)
        else:
            off = rng.choice([o for o in fetched if o not in done])
            t.done("p", off)
            done.add(off)
        expect = model_point(fetched, done, start)
        got = t.committable().get("p")
        if expect > start and (got is not None or expect != t.committed("p")):
            assert got == expect
        if got is not None and rng.random() < 0.3:
            t.mark_committed({"p": got})
    assert t.in_flight() == 0


def test_never_commits_past_an_unfinished_offset() -> None:
    t: OffsetTracker[str] = OffsetTracker()
    for off in (10, 11, 12):
        t.track("p", off)
    t.done("p", 12)
    t.done("p", 11)
    assert t.committable() == {}  # 10 is still in flight
    t.done("p", 10)
    assert t.committable() == {"p": 13}


def test_partitions_are_independent_and_forgettable() -> None:
    t: OffsetTracker[str] = OffsetTracker()
    t.track("a", 0)
    t.track("b", 5)
    t.done("a", 0)
    assert t.committable() == {"a": 1}
    assert t.committable(only={"b"}) == {}
    t.forget({"a"})
    t.done("a", 0)  # a late completion for a revoked partition is ignored
    assert t.committable() == {}
    assert t.in_flight("b") == 1


def test_mark_committed_stops_repeats_and_rejects_going_back() -> None:
    t: OffsetTracker[str] = OffsetTracker()
    t.track("p", 3)
    t.done("p", 3)
    t.mark_committed(t.committable())
    assert t.committable() == {}
    assert t.committed("p") == 4
    with pytest.raises(ValueError, match="below the commit point"):
        t.track("p", 2)
