"""Rules of this language that are code, not data (read by ``worker.enrich.langs``)."""

from __future__ import annotations


def demonym(w: str) -> list[str]:
    """The inflected forms of a demonyms.txt base form (masculine singular)."""
    if w.endswith(("co", "go")):  # tedesco -> tedeschi/tedesche, greco -> greci
        s, c = w[:-1], w[-2]
        h = "ch" if c == "c" else "gh"
        return [w, s + "a", w[:-2] + h + "i", w[:-2] + h + "e", s + "i"]
    if w.endswith("io"):
        return [w, w[:-1] + "a", w[:-1], w[:-1] + "e"]
    if w.endswith("o"):
        return [w, w[:-1] + "a", w[:-1] + "i", w[:-1] + "e"]
    if w.endswith("e"):
        return [w, w[:-1] + "i"]
    if w.endswith("a"):
        return [w, w[:-1] + "i", w[:-1] + "e"]
    return [w]
