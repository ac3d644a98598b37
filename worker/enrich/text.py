"""Article text helpers shared by the layers: fields, sentence spans, the lead."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
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


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    for m in _SENT_END.finditer(text):
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


def matches_from(pattern: re.Pattern[str], starts: re.Pattern[str],
                 text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, with ``pattern`` tried only where ``starts`` matches.

    Why: a pattern that opens with a look-behind or a case-insensitive alternation (month
    names, continent words) gets no help from the regex engine's prefix search, so finditer
    runs the whole alternation at every character of an article; a one-character ``starts``
    pattern skips to the few places a match can begin. The matches are the same as
    finditer's provided every match of ``pattern`` begins where ``starts`` matches and none is
    empty: both take the leftmost match and go on from its end (look-behinds and ``\\b``
    see the text before the position they are tried at)."""
    pos = 0
    while (cand := starts.search(text, pos)) is not None:
        at = cand.start()
        m = pattern.match(text, at)
        if m is None:
            pos = at + 1
            continue
        yield m
        pos = m.end() if m.end() > at else at + 1  # (an empty match: no loop)


@cache
def _cased() -> str:
    """Every character with another case form: the only ones IGNORECASE equates with another
    (read once per process, ~0.1 s)."""
    return "".join(c for c in map(chr, range(sys.maxunicode + 1))
                   if c.lower() != c or c.upper() != c)


def word_starts(firsts: Iterable[str], digit: bool = False) -> re.Pattern[str]:
    """The ``starts`` of ``matches_from`` for a pattern whose matches begin a word (nothing
    of ``\\w`` before them) with one of ``firsts`` in any case or, with ``digit``, a digit.

    Written as one character class, every case form spelled out (the ones IGNORECASE would
    equate), then a look-behind: a pattern that opens with a plain class is searched for by
    the regex engine in C, one character at a time, and handed back only at word starts."""
    wanted = set(firsts)
    chars = set(wanted)
    if wanted:
        fold = re.compile("[" + "".join(map(re.escape, sorted(wanted))) + "]", re.IGNORECASE)
        chars |= {c for c in _cased() if fold.fullmatch(c)}
    body = "".join(map(re.escape, sorted(chars))) + (r"\d" if digit else "")
    return re.compile(rf"[{body}](?<!\w[\s\S])" if body else "(?!)")


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
