"""A large word list split into buckets answers as the sorted 64-bit hashes it came from."""

from __future__ import annotations

from array import array

from worker.enrich import ordinary


def test_split_table_answers_as_the_whole_hashes() -> None:
    words = [f"wort{i}" for i in range(ordinary.SPLIT_MIN + 5_000)]
    others = [f"wort{i}" for i in range(len(words), len(words) + 20_000)]
    hashes = array("Q", sorted({ordinary._hash(w) for w in words}))
    split = ordinary.Hashed(hashes)
    assert len(split.lows) == len(words) and not split.table  # split, 6 bytes a word
    whole = ordinary.Hashed(array("Q", hashes[: ordinary.SPLIT_MIN - 1]))
    assert not whole.lows  # below the size the split pays for
    assert len(split) == len(words)
    assert all(w in split for w in words)
    assert not any(w in split for w in others)
    kept = set(hashes[: ordinary.SPLIT_MIN - 1])
    sample = words[:3000] + others[:3000]
    assert [w in whole for w in sample] == [ordinary._hash(w) in kept for w in sample]
    assert 42 not in split
