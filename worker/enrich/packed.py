"""Large read-only string tables kept as a few flat buffers instead of Python objects.

A Python ``str`` costs ~50 bytes before its first character and a dict entry or an ``int``
above 256 another few dozen: the GeoNames index's 290,000 folded names and 170,000 town names
took ~45 MB as strings, ints and dicts, ~8 MB packed here. Both tables answer exactly as the
dict and list they replace (a name is compared in full, not only its hash); a lookup costs
a binary search (~1 µs) instead of a dict's probe, which the callers pay only for words
their cheaper tables have not already turned away.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable

_CODEC = ("utf-8", "surrogatepass")


class Strings:
    """A list of strings as one UTF-8 buffer and the end offset of each."""

    __slots__ = ("blob", "ends")

    def __init__(self, items: Iterable[str] = ()) -> None:
        blob, self.ends = bytearray(), array("I")
        for s in items:
            blob += s.encode(*_CODEC)
            self.ends.append(len(blob))
        self.blob = bytes(blob)

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i: int) -> str:
        if i < 0:
            i += len(self.ends)
        end = self.ends[i]  # (raises IndexError as a list does)
        return self.blob[self.ends[i - 1] if i else 0:end].decode(*_CODEC)


class Lookup:
    """A read-only ``dict[str, int | tuple[int, ...]]`` of non-negative ints: keys sorted by
    their ``hash`` (this process's, so built at load) in an ``array('q')``, the keys beside
    them (``Strings``) to compare in full, and the values as ints in an array (one value
    itself, several as ``-1 - offset`` of a count and the values in ``more``)."""

    __slots__ = ("hashes", "keys", "more", "values")

    def __init__(self, items: Iterable[tuple[str, tuple[int, ...]]]) -> None:
        hashes, keys, values, more = array("q"), [], array("i"), array("i")
        for key, ints in items:
            hashes.append(hash(key))
            keys.append(key)
            if len(ints) == 1:
                values.append(ints[0])
            else:
                values.append(-1 - len(more))
                more.append(len(ints))
                more.extend(ints)
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self.hashes = array("q", (hashes[i] for i in order))
        self.values = array("i", (values[i] for i in order))
        self.keys = Strings(keys[i] for i in order)
        self.more = more

    def __len__(self) -> int:
        return len(self.hashes)

    def _find(self, key: str) -> int:
        """The position of ``key``, or -1."""
        hashes, h = self.hashes, hash(key)
        i = bisect_left(hashes, h)
        while i < len(hashes) and hashes[i] == h:
            if self.keys[i] == key:
                return i
            i += 1
        return -1

    def __contains__(self, key: str) -> bool:
        return self._find(key) >= 0

    def get(self, key: str) -> int | tuple[int, ...] | None:
        i = self._find(key)
        if i < 0:
            return None
        v = self.values[i]
        if v >= 0:
            return v
        at = -1 - v
        return tuple(self.more[at + 1:at + 1 + self.more[at]])
