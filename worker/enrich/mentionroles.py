"""What a place mention does in its sentence, read from its neighbours, not from word lists.

Two shapes of text name a country without making it more of a subject:

- a **qualifier**: a place followed by the country or region it lies in, "Istanbul, Turkey",
  "Stockholm (Suède)", "Yokohama, Japão", "New York, New York". Gazetteers and geoparsers read
  the pair as one reference (the second name says which Istanbul is meant); counting it twice
  made a city named once in a comparison look like a subject;
- an **enumeration**: three or more countries in a row, separated by commas and at most a short
  conjunction or article ("Spain, Greece, France and Italy", "Bulgarien, Kroatien, ... und die
  Schweiz"): the members of an organisation, the stops of a route, the signatories of a treaty.
  A list in the body names each of its items once, in passing (one in the title or the lead
  names the story's subjects: "Leaders of France, Germany and Italy visit Kyiv").

Both are recognised by form (punctuation and the length of the words between two mentions), so
they hold in every language written with spaces and commas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

from .places import Candidate, PlaceHit

# Between a place and its qualifier: a comma or an opening bracket, nothing else.
_QUALIFIER_GAPS = frozenset({",", "("})
# Between two items of a list: a comma, or up to two lower-case words of at most this many
# letters (a conjunction or an article: and, und, et, y, e, ou, die), or both.
_LIST_WORD_MAX = 3
# Kinds a qualifier can be: the units a place lies in.
QUALIFIER_KINDS = frozenset({"country", "region"})
# Kinds a qualified place can be: the places that lie in one.
PLACE_KINDS = frozenset({"city", "region"})
# How many countries in a row make an enumeration.
LIST_MIN = 3


def qualifiers(text: str, hits: Sequence[PlaceHit],
               chosen: Mapping[int, Candidate]) -> frozenset[int]:
    """Starts of the hits that only say where the hit before them lies ("Istanbul, Turkey":
    Turkey's start). ``chosen``: each hit's candidate, by its start."""
    out: set[int] = set()
    ordered = sorted(hits, key=lambda h: h.start)
    for a, b in pairwise(ordered):
        place, unit = chosen[a.start], chosen[b.start]
        if (unit.kind in QUALIFIER_KINDS and place.kind in PLACE_KINDS
                and place.code == unit.code and text[a.end:b.start].strip() in _QUALIFIER_GAPS):
            out.add(b.start)
    return frozenset(out)


def enumerated(text: str, hits: Sequence[PlaceHit],
               chosen: Mapping[int, Candidate]) -> frozenset[int]:
    """Starts of the country names that are items of a list of ``LIST_MIN`` or more countries
    (at least one comma between them). ``chosen``: each hit's candidate, by its start."""
    out: set[int] = set()
    ordered = [h for h in sorted(hits, key=lambda h: h.start)
               if chosen[h.start].kind == "country"]
    run: list[PlaceHit] = []
    comma = False

    def close() -> None:
        if len(run) >= LIST_MIN and comma:
            out.update(h.start for h in run)

    for h in ordered:
        if run and _list_joint(text[run[-1].end:h.start]):
            comma = comma or "," in text[run[-1].end:h.start]
            run.append(h)
            continue
        close()
        run, comma = [h], False
    close()
    return frozenset(out)


def _list_joint(gap: str) -> bool:
    """Does ``gap`` join two items of a list: a comma and at most two short lower-case words
    after it, or one or two such words alone?"""
    words = gap.split()
    if words and words[0] == ",":
        words = words[1:]
    elif gap.lstrip().startswith(","):
        words[0] = words[0][1:]
    elif not words:
        return False  # two names with nothing between them are one name, not a list
    return len(words) <= 2 and all(
        w.isalpha() and w.islower() and len(w) <= _LIST_WORD_MAX for w in words)
