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

from .text import matches_at

SEARCH_CHARS = 600
_NAME = r"[^\W\d_][\w'’.\-]*"
_PARTICLE = r"(?:[a-zà-ÿ]{1,3}\s+)?"  # Rio de Janeiro, Frankfurt am Main, Saint-Denis
_DATELINE = re.compile(
    rf"""(?:^|(?<=\n)|(?<=[.!?»"”]\s))\s*
    (?P<place>{_NAME}(?:(?:\s+|\s*/\s*){_PARTICLE}{_NAME}){{0,3}})
    (?:\s*,\s*[^\n–—\-:.]{{1,30}}?)?          # ", Feb 26" / ", 3 dic" / ", Italy"
    (?:\s*\((?P<agency>[^)\n]{{1,30}})\))?    # "(Reuters)", "(AFP)", "(EFE)"
    \.?\s*(?:–|—|-{{1,2}})\s*(?=\S)            # the dash
    """,
    re.VERBOSE,
)


# Where a dateline can begin (the look-behinds above): after a line break or after a final
# mark and a space. Found first in C; the pattern, which opens with look-behinds the regex
# engine cannot search for, is tried only there (``text.matches_at``), not at every character.
_OPENING = re.compile(r'\n|[.!?»"”]\s')


def find(body: str) -> tuple[int, int] | None:
    """The character span of the dateline's place names in ``body``, or None."""
    head = body[:SEARCH_CHARS]
    for m in matches_at(_DATELINE, head, [0, *(o.end() for o in _OPENING.finditer(head))]):
        place = m.group("place")
        words = place.replace("/", " ").split()
        if not words or any(w[:1].islower() and len(w) > 3 for w in words):
            continue  # a lower-case word is running text, not a place line
        if not all(w[:1].isupper() or len(w) <= 3 for w in words):
            continue
        return m.start("place"), m.end("place")
    return None
