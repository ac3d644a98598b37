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
from collections.abc import Iterable

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
    """A dateline may begin at ``at``: only white space between it and the body's start, a
    line break, or a sentence's end followed by white space, from ``floor`` on (where the last
    shape tried ended)."""
    w = at
    while w > 0 and text[w - 1].isspace():
        w -= 1
    return any(q == 0 or text[q - 1] == "\n"
               or (q >= 2 and text[q - 2] in _SENTENCE_END and text[q - 1].isspace())
               for q in range(max(w, floor), at + 1))


def find(body: str, starts: Iterable[int] | None = None) -> tuple[int, int] | None:
    """The character span of the dateline's place names in ``body``, or None. ``starts``:
    where the body's words begin (``doc.FieldDoc.starts``); a place name begins a word, so the
    shape is tried only there, in order, each try going on after the last shape found."""
    head = body[:SEARCH_CHARS]
    end = 0
    for at in run_starts(tokens(head)) if starts is None else starts:
        if at >= len(head):
            break
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
