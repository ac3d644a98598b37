"""Rules of this language that are code, not data (read by ``worker.enrich.langs``)."""

from __future__ import annotations

from collections.abc import Iterator


def demonym(w: str) -> list[str]:
    """The inflected forms of a demonyms.txt base form (masculine singular)."""
    if w[0].islower():  # adjective: russisch -> russische/russischen/russischer/...
        return [w] + [w + e for e in ("e", "en", "er", "es", "em")]
    if w.endswith("e"):  # Russe -> Russen, Russin, Russinnen
        return [w, w + "n", w[:-1] + "in", w[:-1] + "innen"]
    if w.endswith("er"):  # Amerikaner -> Amerikanern, Amerikanerin(nen)
        return [w, w + "n", w + "in", w + "innen"]
    return [w, w + "s", w + "n"]


def place_name(name: str) -> Iterator[str]:
    """German inflects names: the genitive of the last word ("Frankreichs",
    "Saudi-Arabiens", "des Vereinigten Königreichs"; not after s, x, z or ß, where it takes an
    apostrophe or nothing), the dative plural ("den Vereinigten Arabischen Emiraten"), and the
    adjectives of a name of several words after an article or a preposition ("die Vereinigten
    Staaten", "der Zentralafrikanischen Republik"). Over-generation is harmless (a form that
    does not exist never occurs in text); a missing form misses every mention written so."""
    *head, last = name.split(" ")
    weak = [w[:-1] + "en" if w.endswith("es") else w + "n" if w.endswith("e") else w
            for w in head]
    lasts = [last]
    if last[-1:] not in "sxzß":
        lasts.append(last + "s")
    if last.endswith("e"):
        lasts.append(last + "n")
    for words in dict.fromkeys((tuple(head), tuple(weak))):
        for end in lasts:
            yield " ".join((*words, end))
