"""Article text helpers shared by the layers: fields, sentence spans, the lead."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import compress, count
from operator import itemgetter
from typing import Any, Literal

Field = Literal["title", "body"]
FIELDS: tuple[Field, ...] = ("title", "body")
LEAD_CHARS = 400
# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets) before white
# space and an upper-case letter or quote, or at a blank line. Abbreviations such as "U.S." or
# "Dr." followed by a name may split wrongly; sentences are used for sentiment context only.
_SENT_END = re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+(?=[\"'“«(\[]?[^\W\d_a-z])|\n\s*\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def field_texts(article: Mapping[str, Any]) -> dict[Field, str]:
    """The text fields the enrichment reads; a missing or non-string title is empty."""
    out: dict[Field, str] = {}
    for name in FIELDS:
        value = article.get(name)
        out[name] = value if isinstance(value, str) else ""
    return out


# Where a sentence end can begin: after a final mark (the look-behind) or at a line break.
# Searched for first, as one character class the regex engine scans for in C.
_SENT_END_AT = re.compile(r"[.!?…\n]")


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    ends = sorted({m.start() + (m.group() != "\n") for m in _SENT_END_AT.finditer(text)})
    for m in matches_at(_SENT_END, text, ends):
        _add(out, text, start, m.start())
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))


def word_runs(toks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The runs of word characters (``\\w``) with offsets, read off the tokens of
    ``places.tokens``: each token cut at its hyphens and full stops (the only other characters
    a token holds). Every ``\\w`` character is in a token, so these are all the runs."""
    out: list[tuple[int, int, str]] = []
    for t in toks:
        s, e, tok = t
        if "-" not in tok and "." not in tok:
            out.append(t)  # the token's own tuple: most runs are whole tokens
            continue
        a = 0
        for i, c in enumerate(tok):
            if c in "-.":
                if i > a:
                    out.append((s + a, s + i, tok[a:i]))
                a = i + 1
        if len(tok) > a:
            out.append((s + a, e, tok[a:]))
    return out


def capitalised(toks: Sequence[tuple[int, int, str]]) -> list[int]:
    """Indices of the tokens whose first character is a capital (``str.isupper``), read with
    C-level maps: a step that starts a place only at a capitalised word of its table tests
    those two words in ten, not every token in a Python loop."""
    return list(compress(count(), map(str.isupper, map(itemgetter(0), map(itemgetter(2),
                                                                          toks)))))


def run_starts(toks: list[tuple[int, int, str]]) -> list[int]:
    """Where each run of word characters (``\\w``) begins, in order (``word_runs``)."""
    return [s for s, _, _ in word_runs(toks)]


def matches_at(pattern: re.Pattern[str], text: str,
               positions: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` tried only at ``positions`` (ascending).

    Why: a pattern that opens with a look-behind or a case-insensitive alternation (month
    names, continent words) gets no help from the regex engine's prefix search, so finditer
    runs it at every character of an article, a tenth of the time of an article; the places a
    match can begin are a few word starts (``run_starts`` filtered by ``Openings``). The
    matches are finditer's when every match of ``pattern`` begins at one of ``positions``
    and none is empty: both take the leftmost match and go on from its end (a look-behind
    or ``\\b`` sees the text before the position it is tried at)."""
    end = 0
    for at in positions:
        if at >= end and (m := pattern.match(text, at)) is not None:
            yield m
            end = m.end()


@cache
def _cased() -> str:
    """Every character with another case form: the only ones IGNORECASE equates with another
    (read once per process, ~0.1 s)."""
    return "".join(c for c in map(chr, range(sys.maxunicode + 1))
                   if c.lower() != c or c.upper() != c)


@cache
def _forms(ch: str) -> frozenset[str]:
    """``ch`` and every character a case-insensitive pattern equates with it."""
    one = re.compile(re.escape(ch), re.IGNORECASE)
    return frozenset({ch, *(c for c in _cased() if one.fullmatch(c))})


_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Openings:
    """How the words of a case-insensitive pattern can open a text: their first two
    characters in every case form the pattern accepts (``pairs``; a one-character word's
    first in ``singles``). A run start opening otherwise begins no match."""

    firsts: frozenset[str]
    pairs: frozenset[str]
    singles: frozenset[str]

    def at(self, text: str, pos: int) -> bool:
        return text[pos] in self.singles or text[pos:pos + 2] in self.pairs


def openings(words: Iterable[str]) -> Openings | None:
    """The ``Openings`` of ``words``; None if one opens with a character outside ``\\w``
    (a match could then begin where no run of word characters does)."""
    pairs: set[str] = set()
    singles: set[str] = set()
    for w in words:
        if not w or not _WORD_CHAR.match(w[0]):
            return None
        if len(w) == 1:
            singles |= _forms(w[0])
        else:
            pairs |= {a + b for a in _forms(w[0]) for b in _forms(w[1])}
    return Openings(frozenset(singles | {p[0] for p in pairs}), frozenset(pairs),
                    frozenset(singles))


def in_lead(field: Field, start: int) -> bool:
    """The title and the first paragraph-ish of the body carry what the article is about."""
    return field == "title" or start < LEAD_CHARS


NER_CHUNK_CHARS = 10_000
_CUT_AT = ("\n\n", "\n", ". ", "! ", "? ", " ")


def chunks(text: str, size: int = NER_CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) covering ``text``, each at most ``size`` characters, cut at the last
    paragraph, line, sentence or word break before the limit. NER's cost and memory grow with
    the length of one Doc (seen: a 240 KB article took 28 s as one Doc), while entities are
    local, so long texts are analysed piece by piece; a text within ``size`` is one piece."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = next((i + len(sep) for sep in _CUT_AT if (i := window.rfind(sep)) > size // 2),
                   size)
        out.append((start, window[:cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def cap(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word break when there is one."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return head[:space] if space > limit // 2 else head


def fold(word: str) -> str:
    """``word`` without accents ("José" -> "Jose", "há" -> "ha"): LeIA is written without
    them, so Portuguese is looked up folded, and names are matched either way. Letters that
    do not decompose go too ("ł"), on both sides of every comparison alike."""
    if word.isascii():
        return word
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")
