"""The packed tables answer as the list and dict they replace (worker.enrich.packed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.enrich import packed

_words = st.text(min_size=0, max_size=12)  # any code point, the empty string and surrogates
_ids = st.lists(st.integers(min_value=0, max_value=2**31 - 1), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.lists(_words, max_size=40))
def test_strings_as_list(items: list[str]) -> None:
    table = packed.Strings(items)
    assert len(table) == len(items)
    assert [table[i] for i in range(len(items))] == items
    assert [table[-i] for i in range(1, len(items) + 1)] == [items[-i] for i in range(
        1, len(items) + 1)]
    with pytest.raises(IndexError):
        table[len(items)]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_words, _ids, max_size=40), st.lists(_words, max_size=20))
def test_lookup_as_dict(entries: dict[str, list[int]], others: list[str]) -> None:
    table = packed.Lookup((k, tuple(v)) for k, v in entries.items())
    assert len(table) == len(entries)
    for key, ids in entries.items():
        assert key in table
        assert table.get(key) == (ids[0] if len(ids) == 1 else tuple(ids))
    for word in others:
        assert (word in table) == (word in entries)
        if word not in entries:
            assert table.get(word) is None


class _Same(str):
    """A key whose hash is every other key's: the table must still tell them apart."""

    def __hash__(self) -> int:
        return 7


def test_lookup_equal_hashes() -> None:
    table = packed.Lookup([(_Same("a"), (1,)), (_Same("b"), (2, 3)), (_Same("c"), (4,))])
    assert [table.get(_Same(k)) for k in "abcd"] == [1, (2, 3), 4, None]
    assert _Same("d") not in table
