"""How a language's script is written, as data (``langs/<code>/script.toml``), and the few
generic ways of finding words that follow from it.

Why: the six first languages are written with spaces between words and capitals on names, so
``\\w+`` finds their words. Chinese and Japanese have no spaces; Arabic and Persian join
prepositions, conjunctions and the article to the next word ("والحرب": and-the-war) and
pronouns to the end; Korean joins case particles ("한국은"). Each of these is a *trait*, listed
per language in the data file, and the code here reads the traits, never a language's name:

- ``segment``: an unspaced run of letters cut into the longest entries of a vocabulary, left
  to right (maximum matching, the standard baseline for Chinese word segmentation); letters no
  entry covers come out one by one;
- ``bare_forms``: the forms of a word with its clitics taken off, longest clitic first, for a
  lookup that failed on the word as written;
- ``normaliser``: letters written two ways mapped to one, vowel marks left out, for both the
  text and the tables it is looked up in.
"""

from __future__ import annotations

import unicodedata
import weakref
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

DEFAULT_MIN_WORD_CHARS = 3
MAX_SEGMENT_CHARS = 8  # the longest entry maximum matching tries at one position
_TATWEEL = "\u0640"
# Combining marks are no letters to ``\w``: Devanagari's vowel signs ("नहीं"), Thai's, an NFD
# accent. A word is letters and the marks on them; the marks are collected from the blocks of
# the scripts that write them (Latin combining accents up to Khmer, Indic extensions, kana).
_MARK_BLOCKS = (range(0x0300, 0x1800), range(0x1AB0, 0x1B00), range(0x1DC0, 0x1E00),
                range(0x20D0, 0x2100), range(0x3099, 0x309B), range(0xA800, 0xAB00),
                range(0xFE20, 0xFE30))
MARKS = "".join(chr(c) for block in _MARK_BLOCKS for c in block
                if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me"))
LETTER = "[\\w" + "".join(f"\\u{ord(c):04x}" for c in MARKS) + "]"


# The letters of the scripts a trait may name (``run_scripts``, and ``person_frames.toml``'s
# ``name_chars``), as character-class ranges.
SCRIPT_LETTERS = {"han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
                  "katakana": "\u30a0-\u30ff\u31f0-\u31ff"}


@dataclass(frozen=True, slots=True)
class Traits:
    """What finding words in one language's text needs to know about its script."""

    unspaced: bool = False
    cased: bool = True
    min_word_chars: int = DEFAULT_MIN_WORD_CHARS
    proclitics: tuple[str, ...] = ()  # longest first
    enclitics: tuple[str, ...] = ()  # longest first
    folds: tuple[tuple[str, str], ...] = ()
    strip_marks: bool = False
    person_suffixes: tuple[str, ...] = ()  # unspaced: a place name + this is a person ("人")
    city_alt_names: bool = True  # uncased: GeoNames' alternate city names in this script
    run_scripts: tuple[str, ...] = ()  # unspaced: a word in these is a whole run of them
    language_suffix: str = ""  # what names a language after its people or country ("어")

    @property
    def clitics(self) -> bool:
        return bool(self.proclitics or self.enclitics)


@cache
def traits(lang: str | None) -> Traits:
    """The script traits of ``lang`` (its pack's ``script.toml``); the defaults (spaced,
    cased, no clitics) for a language whose pack has none."""
    from . import langs

    return langs.get(lang).script


def normaliser(t: Traits) -> Callable[[str], str] | None:
    """The function that writes a word of this script one way (None: nothing to do)."""
    if not t.folds and not t.strip_marks:
        return None
    table = str.maketrans(dict(t.folds))
    if not t.strip_marks:
        return lambda word: word.translate(table)
    stripped = _Stripped(table)
    return lambda word: word.translate(stripped)


class _Stripped(dict[int, "int | str | None"]):
    """A ``str.translate`` table that leaves out the tatweel and every nonspacing mark and
    folds the other letters, filled on first sight of each letter: one C-level call per word
    instead of a category lookup per letter in Python."""

    def __init__(self, folds: Mapping[int, int | str | None]) -> None:
        super().__init__()
        self.folds = folds

    def __missing__(self, code: int) -> int | str | None:
        c = chr(code)
        value = None if c == _TATWEEL or unicodedata.category(c) == "Mn" else (
            self.folds.get(code, code))
        self[code] = value
        return value


def segment(run: str, vocabulary: Collection[str], min_chars: int,
            longest: int = MAX_SEGMENT_CHARS) -> list[str]:
    """``run`` (letters without spaces) cut into the longest ``vocabulary`` entries, left to
    right; a letter no entry of ``min_chars`` or more covers is a token of its own."""
    out: list[str] = []
    i, n = 0, len(run)
    starts = _lengths(vocabulary)
    while i < n:
        # only the lengths some entry starting with this letter has, longest first
        for size in starts.get(run[i], ()):
            if min_chars <= size <= min(longest, n - i) and run[i:i + size] in vocabulary:
                out.append(run[i:i + size])
                i += size
                break
        else:
            out.append(run[i])
            i += 1
    return out


_LENGTHS: weakref.WeakKeyDictionary[frozenset[str], dict[str, tuple[int, ...]]] = (
    weakref.WeakKeyDictionary())


def _lengths(vocabulary: Collection[str]) -> dict[str, tuple[int, ...]]:
    """By first letter, the lengths of the entries of ``vocabulary``, longest first: most
    positions of a run start no entry and cost one probe instead of one per length. Kept as
    long as the vocabulary where it cannot change (a language's frozen table)."""
    found = _LENGTHS.get(vocabulary) if isinstance(vocabulary, frozenset) else None
    if found is None:
        by_first: dict[str, set[int]] = {}
        for entry in vocabulary:
            if entry:
                by_first.setdefault(entry[0], set()).add(len(entry))
        found = {c: tuple(sorted(v, reverse=True)) for c, v in by_first.items()}
        if isinstance(vocabulary, frozenset):
            _LENGTHS[vocabulary] = found
    return found


def bare_forms(word: str, t: Traits, min_chars: int) -> Iterator[str]:
    """``word`` without a proclitic, an enclitic, or both (longest first), keeping at least
    ``min_chars`` letters: "والحرب" -> "الحرب", "حرب", ...; "한국은" -> "한국"."""
    # one ``startswith``/``endswith`` of the whole tuple rules out most words
    fronts = [p for p in t.proclitics if word.startswith(p)] if word.startswith(
        t.proclitics) else []
    backs = [s for s in t.enclitics if word.endswith(s)] if word.endswith(t.enclitics) else []
    for p in fronts:
        if len(word) - len(p) >= min_chars:
            yield word[len(p):]
    for s in backs:
        if len(word) - len(s) >= min_chars:
            yield word[:len(word) - len(s)]
    for p in fronts:
        for s in backs:
            if len(word) - len(p) - len(s) >= min_chars:
                yield word[len(p):len(word) - len(s)]
