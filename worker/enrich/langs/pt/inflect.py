"""Rules of this language that are code, not data (read by ``worker.enrich.langs``)."""

from __future__ import annotations


def demonym(w: str) -> list[str]:
    """The inflected forms of a demonyms.txt base form (masculine singular)."""
    if w.endswith("ão"):
        b = w[:-2]
        return [w, b + "ã", b + "ães", b + "ãs", b + "ãos"]
    if w.endswith("ês"):
        b = w[:-2]
        return [w, b + "esa", b + "eses", b + "esas"]
    if w.endswith("o"):
        return [w, w[:-1] + "a", w + "s", w[:-1] + "as"]
    if w.endswith("eu"):
        return [w, w[:-2] + "eia", w + "s", w[:-2] + "eias"]
    if w.endswith(("e", "a", "i")):
        return [w, w + "s"]
    return [w, w + "es"]
