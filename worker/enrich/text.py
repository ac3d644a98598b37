"""Article text helpers shared by the layers: fields, sentence spans, the lead."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
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
