"""Datelines: where a story was filed, not what it is about.

Wire and newspaper copy opens with the place of filing in every language this project reads:
"LONDON, Feb 26 - Iran announced ...", "Wien – Am Dienstag ...", "PARIS (AFP) - ...",
"Madrid, 3 dic (EFE).- ...", "Klagenfurt – ...". A London dateline on a story about Iran and
Iraq says where the correspondent sat; counting it as a London mention in the lead made the UK
look central. The shape is the same everywhere (one to four capitalised words, optionally a
date or an agency, then a dash), so it is recognised by form, not by a list of places.

It is looked for at the start of the body and at the start of a paragraph or a sentence within
the first ``SEARCH_CHARS`` (some sources put a lead paragraph before the dateline).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from .places import tokens
from .text import run_starts

SEARCH_CHARS = 600
_NAME = r"[^\W\d_][\w'’.\-]*"
_PARTICLE = r"(?:[a-zà-ÿ]{1,3}\s+)?"  # Rio de Janeiro, Frankfurt am Main, Saint-Denis
# From the place on; what may stand before it (the body's start, a line break, or a sentence's
# end and white space) is read by ``_opens``.
_DATELINE = re.compile(
    rf"""(?P<place>{_NAME}(?:(?:\s+|\s*/\s*){_PARTICLE}{_NAME}){{0,3}})
    (?:\s*,\s*[^\n–—\-:.]{{1,30}}?)?          # ", Feb 26" / ", 3 dic" / ", Italy"
    (?:\s*\((?P<agency>[^)\n]{{1,30}})\))?    # "(Reuters)", "(AFP)", "(EFE)"
    \.?\s*(?:–|—|-{{1,2}})\s*(?=\S)            # the dash
    """,
    re.VERBOSE,
)
_SENTENCE_END = frozenset('.!?»"”')


def _opens(text: str, at: int, floor: int) -> bool:
    """A dateline may begin at ``at``: only white space (``text[w:at]``) between it and the
    body's start, a line break, or a sentence's end, from ``floor`` on (where the last shape
    tried ended)."""
    if at and not text[at - 1].isspace():
        return False  # most words: a word or a sign right before them
    w = at
    while w > 0 and text[w - 1].isspace():
        w -= 1
    lo = max(w, floor)
    return lo <= at and (lo == 0 or "\n" in text[lo - 1:at]
                         or (w >= lo - 1 and w >= 1 and text[w - 1] in _SENTENCE_END))


def find(body: str, starts: Sequence[int] | None = None) -> tuple[int, int] | None:
    """The character span of the dateline's place names in ``body``, or None. ``starts``:
    where the body's words begin (``doc.FieldDoc.starts``); a place name begins a word, so the
    shape is tried only there, in order, each try going on after the last shape found."""
    head = body[:SEARCH_CHARS]
    starts = run_starts(tokens(head)) if starts is None else starts
    end = 0
    # most words follow a letter and a space, or a sign: none of them opens a dateline
    for at in [a for a in starts[:bisect_left(starts, len(head))]
               if a < 2 or head[a - 1] == "\n" or (head[a - 1].isspace() and (
                   head[a - 2] in _SENTENCE_END or head[a - 2].isspace()))]:
        if at < end or not _opens(head, at, end):
            continue
        m = _DATELINE.match(head, at)
        if m is None:
            continue
        end = m.end()
        place = m.group("place")
        words = place.replace("/", " ").split()
        if not words or any(w[:1].islower() and len(w) > 3 for w in words):
            continue  # a lower-case word is running text, not a place line
        if not all(w[:1].isupper() or len(w) <= 3 for w in words):
            continue
        return m.start("place"), m.end("place")
    return None
