"""Rules of this language that are code, not data (read by ``worker.enrich.langs``)."""

from __future__ import annotations

_ACCENT = str.maketrans("áéíóú", "aeiou")


def demonym(w: str) -> list[str]:
    """The inflected forms of a demonyms.txt base form (masculine singular)."""
    if w.endswith("o"):
        return [w, w[:-1] + "a", w + "s", w[:-1] + "as"]
    if w.endswith(("é", "á", "í", "ú")):
        return [w, w + "s", w + "es"]
    if w.endswith(("e", "a")):
        return [w, w + "s"]
    if w[-2:] in ("és", "án", "ín", "ón"):  # francés -> francesa/franceses/francesas
        b = w[:-2] + w[-2].translate(_ACCENT) + w[-1]
        return [w, b + "a", b + "es", b + "as"]
    return [w, w + "a", w + "es", w + "as"]
