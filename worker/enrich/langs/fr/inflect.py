"""Rules of this language that are code, not data (read by ``worker.enrich.langs``)."""

from __future__ import annotations


def demonym(w: str) -> list[str]:
    """The inflected forms of a demonyms.txt base form (masculine singular)."""
    if w.endswith("e"):
        return [w, w + "s"]
    if w.endswith("ien"):
        return [w, w + "ne", w + "s", w + "nes"]
    if w.endswith(("s", "x", "z")):
        return [w, w + "e", w + "es"]
    return [w, w + "e", w + "s", w + "es"]
