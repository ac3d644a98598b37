"""Ordinary words: is a capitalised word also a word of the dictionary?

News names firms, parties, products and venues with ordinary words of some language ("Copper
Branch", "Nike Tech", "Fine Gael", "Dassault Systèmes"), and a small NER model calls many of
them persons. A person's name is rarely made of dictionary words, and where it is ("Rose",
"Baker") the name lists know it. ``ner.merge`` asks this module about the model's person spans
that no rule confirms.

The dictionary is the lemmas of simplemma's lemmatisation lists (MIT code; data from Michal
Měchura's lists, ODbL, and Wiktionary, CC BY-SA) for every language the project has lexicons
for, minus Faker's given and family names. Six lists hold ~600,000 lemmas and take hundreds
of MB while loaded; the table is derived once (in a separate process, whose memory is returned
on exit) into the disk cache as sorted 64-bit hashes, which a process reads in milliseconds and
keeps in ~5 MB.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Container
from functools import cache
from importlib import metadata

from . import diskcache, lexicons, namedata

FORMAT = 1
MIN_CHARS = 3  # initials and particles ("S", "al", "de") are not words that make a name a thing
HASHES_PER_LINE = 6000  # a line of the stored dictionary: 48 kB of hashes


def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "big")


def _key() -> str:
    return (f"ordinary-words-{FORMAT}-simplemma-{metadata.version('simplemma')}-faker-"
            f"{metadata.version('faker')}-{'-'.join(lexicons.LANGS)}.b64")


def derive() -> str:
    """The table as text: base64 of the sorted hashes (needs simplemma's lists in memory)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    names = namedata.given_names() | namedata.surnames()
    factory = DefaultDictionaryFactory()
    lemmas: set[str] = set()
    for lang in lexicons.LANGS:
        lemmas.update(v.casefold() for v in factory.get_dictionary(lang).values())
    hashes = array("Q", sorted({_hash(w) for w in lemmas - names if len(w) >= MIN_CHARS}))
    return base64.b64encode(hashes.tobytes()).decode("ascii")


def prepare() -> bool:
    """Derive and store the table if it is not stored yet; True if it was written."""
    if diskcache.exists(_key()):
        return False
    return diskcache.write(_key(), derive())


SPLIT_MIN = 1 << 18  # below this, a split table's 65,537 bucket starts (256 kB) outweigh it


class Hashed(Container[str]):
    """A word list kept as sorted 64-bit hashes: simplemma's Polish list alone has 3.7
    million forms, hundreds of MB as a set of strings.

    A list of ``SPLIT_MIN`` words or more is split by the hash's top 16 bits into 65,536
    buckets; an entry keeps the next 16 bits and the low 32 (6 bytes a word instead of 8,
    26 MB instead of 34 for the seven largest lists), and a lookup still compares all 64
    bits, so it answers as the whole hashes do."""

    __slots__ = ("lows", "mids", "starts", "table")

    def __init__(self, table: array[int]) -> None:
        self.table = table
        self.starts = self.mids = self.lows = array("I")
        if len(table) < SPLIT_MIN or not _splittable():
            return
        raw = memoryview(table).cast("B")  # little-endian: bytes 0-3 low, 4-5 mid, 6-7 top
        n = len(table)
        lows, mids, tops = bytearray(4 * n), bytearray(2 * n), bytearray(2 * n)
        for b in range(4):
            lows[b::4] = raw[b::8]
        for b in range(2):
            mids[b::2] = raw[4 + b::8]
            tops[b::2] = raw[6 + b::8]
        raw.release()
        self.lows, self.mids, top = array("I"), array("H"), array("H")
        self.lows.frombytes(lows)
        self.mids.frombytes(mids)
        top.frombytes(tops)
        self.starts = array("I", (bisect_left(top, t) for t in range(1 << 16 | 1)))
        self.table = array("Q")

    def __len__(self) -> int:
        return len(self.lows) or len(self.table)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        h = _hash(word)
        if not self.lows:
            i = bisect_left(self.table, h)
            return i < len(self.table) and self.table[i] == h
        top, mid, low = h >> 48, h >> 32 & 0xFFFF, h & 0xFFFFFFFF
        lo, hi = self.starts[top], self.starts[top + 1]
        lo = bisect_left(self.mids, mid, lo, hi)
        hi = bisect_right(self.mids, mid, lo, hi)
        i = bisect_left(self.lows, low, lo, hi)
        return i < hi and self.lows[i] == low


def _splittable() -> bool:
    """The split reads a hash's bytes in little-endian order into 4- and 2-byte arrays."""
    return sys.byteorder == "little" and array("I").itemsize == 4 and array("H").itemsize == 2


def _derive_apart(key: str, call: str) -> None:
    """Unless ``key`` is stored, run ``call`` (a call of this module's that stores it) in a
    child process: deriving holds simplemma's lists, hundreds of MB returned on its exit."""
    if not diskcache.exists(key):
        subprocess.run([sys.executable, "-c", f"import {__name__} as m; m.{call}"],
                       check=False, stdout=subprocess.DEVNULL)


@cache
def _table() -> Hashed:
    _derive_apart(_key(), "prepare()")
    found = diskcache.read(_key())
    if found is None:  # no writable cache directory: derive here
        found = derive()
    table = array("Q")
    table.frombytes(base64.b64decode(found))
    return Hashed(table)


def load() -> int:
    """Load the table now (start-up, not the first article); its size."""
    return len(_table())


def is_ordinary(word: str) -> bool:
    """``word`` (any case) is a dictionary word and no known name: each part of a hyphenated
    word of three letters or more must be one ("al-Assad" is a name, "Aid-Live" things)."""
    parts = [p for p in word.casefold().split("-") if len(p) >= MIN_CHARS]
    table = _table()
    return bool(parts) and all(part in table for part in parts)


def _dictionary_key(lang: str) -> str:
    return (f"dictionary-{FORMAT}-lines-lower-{lang}-simplemma-{metadata.version('simplemma')}"
            ".b64")


def derive_dictionary(lang: str) -> str:
    """Every form and lemma of ``lang`` in simplemma's lists that it writes in lower case,
    case-folded and written as the script's normaliser writes them, as base64 of the sorted
    hashes ("" where it has none). A form it lists only capitalised is a name ("Бондаренком",
    a surname in the instrumental), no ordinary word; in a script without capitals every form
    is kept."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    from . import scripts

    try:
        table = DefaultDictionaryFactory().get_dictionary(lang)
    except (ValueError, FileNotFoundError, KeyError):
        return ""
    norm = scripts.normaliser(scripts.traits(lang)) or str
    hashes = array("Q", sorted({_hash(norm(w.casefold())) for pair in table.items()
                                for w in pair if w == w.lower()}))
    # in lines of whole hashes, so a reader decodes one line at a time
    return "\n".join(base64.b64encode(hashes[i:i + HASHES_PER_LINE].tobytes()).decode("ascii")
                     for i in range(0, len(hashes), HASHES_PER_LINE))


def prepare_dictionary(lang: str) -> bool:
    """Derive and store ``lang``'s dictionary if it is not stored yet; True if written."""
    if diskcache.exists(_dictionary_key(lang)):
        return False
    return diskcache.write(_dictionary_key(lang), derive_dictionary(lang))


@cache
def dictionary_words(lang: str) -> Hashed:
    """The words of ``lang``'s dictionary (simplemma's lists, case-folded, normalised like
    the script's text): in a script without capitals, what says that a word after a given
    name is a word of the language ("राम मंदिर", a temple) rather than the rest of a name;
    where capitals mark names, that a span is made of ordinary words. Derived once in a
    separate process (simplemma's list in memory is returned on exit) into the disk cache."""
    key = _dictionary_key(lang)
    _derive_apart(key, f"prepare_dictionary({lang!r})")
    table = array("Q")
    for line in diskcache.lines(key, lambda: derive_dictionary(lang)):
        if line.strip():
            table.frombytes(base64.b64decode(line.strip()))
    return Hashed(table)


def common_words(lang: str) -> frozenset[str]:
    """Words simplemma's list of ``lang`` has in lower case and never capitalised: common
    nouns and function words ("barat", west), not names ("Москва" is listed capitalised).
    Read where a table is built once and stored (the gazetteer), so not cached here."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    try:
        table = DefaultDictionaryFactory().get_dictionary(lang)
    except (ValueError, FileNotFoundError, KeyError):
        return frozenset()
    words = {w for pair in table.items() for w in pair}
    return frozenset(w for w in words if w.islower() and w[:1].upper() + w[1:] not in words)


# The most letters an inflection adds to a noun (a plural, an oblique case): "-ओं", "-ें".
MAX_ENDING_CHARS = 3


def inflected_words(lang: str) -> frozenset[str]:
    """Words simplemma's list of ``lang`` gives inflected forms of that are the word and an
    ending (a plural, an oblique case: "सागर" -> "सागरों", seas): common nouns, since a
    town's name takes no plural. In a script without capitals, where the list holds names as
    well as words, this is what tells a word from a name. Read where a table is built once and
    stored (the gazetteer), so not cached here."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    try:
        table = DefaultDictionaryFactory().get_dictionary(lang)
    except (ValueError, FileNotFoundError, KeyError):
        return frozenset()
    return frozenset(lemma for form, lemma in table.items()
                     if form != lemma and form.startswith(lemma)
                     and len(form) - len(lemma) <= MAX_ENDING_CHARS)
