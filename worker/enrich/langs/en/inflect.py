"""Rules of this language that are code, not data (read by ``worker.enrich.langs``)."""

from __future__ import annotations


def demonym(w: str) -> list[str]:
    """The inflected forms of a demonyms.txt base form (masculine singular)."""
    if w.endswith(("sh", "ese", "ss", "tch", "nch", "sy", "ois", "que")) or " " in w[-4:]:
        return [w]
    return [w, w + "s"]
