"""Named entities: spaCy NER where a pipeline exists, the gazetteer everywhere, one label set.

Each distinct entity is reported once with all its mentions (field + char offsets), the method
that found it, and - for places and nationalities - the country it resolves to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from . import language, namedata
from .places import Gazetteer, PlaceHit, key_of, stopwords, tokens
from .spans import Spans
from .text import FIELDS, Field

# The worker's label set. OntoNotes (English models), WikiNER (most European models) and the
# multilingual model all map onto it; numeric and temporal labels are not named entities.
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK", "LAW", "MISC")
LABEL_MAP: dict[str, str | None] = {
    "PERSON": "PERSON", "PER": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE", "LOC": "LOC", "FAC": "FAC",
    "NORP": "NORP",
    "EVENT": "EVENT", "PRODUCT": "PRODUCT", "WORK_OF_ART": "WORK", "LAW": "LAW",
    "LANGUAGE": "MISC", "MISC": "MISC",
    "DATE": None, "TIME": None, "PERCENT": None, "MONEY": None,
    "QUANTITY": None, "ORDINAL": None, "CARDINAL": None,
}
_LEAD_WORD = re.compile(r"(\w+)(?:['’]|\s+)")
_PLACE_LABEL = {"country": "GPE", "city": "GPE", "region": "GPE", "demonym": "NORP",
                "institution": "ORG"}


@dataclass(frozen=True, slots=True)
class Mention:
    field: Field
    start: int
    end: int
    text: str
    label: str
    method: str
    country: str | None = None


class MentionOut(TypedDict):
    field: str
    start: int
    end: int


class EntityOut(TypedDict):
    text: str
    label: str
    count: int
    method: str
    country: str | None
    mentions: list[MentionOut]


def trim(text: str) -> tuple[int, str]:
    """Drop punctuation and leading lower-case function words that some models put in the
    span ("de France", "the United States", "dell'Ucraina"); returns (chars dropped, text)."""
    stripped = text.lstrip(" \t\n.,;:!?\"'“”«»()")
    cut = len(text) - len(stripped)
    while (m := _LEAD_WORD.match(stripped)) and m.end() < len(stripped):
        word = m.group(1)
        if not word[:1].islower() or word.casefold() not in stopwords():
            break
        stripped, cut = stripped[m.end():], cut + m.end()
    return cut, stripped.rstrip(" \t\n.,;:!?\"'“”«»()")


def from_docs(parts: Iterable[tuple[int, Any]], field: Field, method: str) -> list[Mention]:
    """Mentions from the Docs of a field's chunks; ``parts`` are (chunk offset, Doc)."""
    out = []
    for offset, doc in parts:
        for ent in doc.ents:
            label = LABEL_MAP.get(ent.label_, "MISC")
            cut, text = trim(ent.text)
            if label is None or len(text) < 2:
                continue
            start = offset + ent.start_char + cut
            out.append(Mention(field, start, start + len(text), text, label, method))
    return out


def from_places(hits: Iterable[PlaceHit], field: Field, resolved: dict[int, str]) -> list[Mention]:
    """Gazetteer hits as mentions; ``resolved`` maps a hit's start to its chosen country."""
    return [
        Mention(field, h.start, h.end, h.text, _PLACE_LABEL[h.kind], "gazetteer",
                resolved.get(h.start, h.candidates[0].code))
        for h in hits
    ]


def merge(ner: list[Mention], gaz: list[Mention]) -> list[Mention]:
    """NER mentions win; gazetteer mentions fill what NER missed and lend their country to
    the NER mentions they coincide with. Where both agree it is a place or a nationality, the
    gazetteer's label is the finer one (WikiNER models say LOC for countries and cities too);
    a PERSON or ORG that happens to share a place's name ("Jordan") keeps the model's label."""
    by_span = {(m.field, m.start, m.end): m for m in gaz}
    out: list[Mention] = []
    for m in ner:
        g = by_span.get((m.field, m.start, m.end))
        if g is not None:
            label = g.label if m.label in ("GPE", "LOC", "NORP", "MISC") else m.label
            out.append(Mention(m.field, m.start, m.end, m.text, label, m.method, g.country))
        else:
            out.append(m)
    taken = {f: Spans((m.start, m.end) for m in ner if m.field == f) for f in FIELDS}
    for g in gaz:
        if not taken[g.field].overlaps(g.start, g.end):
            out.append(g)
    return sorted(out, key=lambda m: (m.field != "title", m.start))


def _at(m: Mention) -> tuple[bool, int]:
    """Where a mention is in reading order: the title, then the body."""
    return (m.field != "title", m.start)


def _full_name(m: Mention, names: list[str], seen: dict[str, list[tuple[bool, int]]]) -> str:
    """Of the longest full names a one-word mention may stand for, the one a reader has in
    mind: the one mentioned last before it ("Penning" after "Zachary Penning" is Zachary, even
    if "Timothy Penning" came first), else the first one mentioned after it (a title's lone
    surname). The choice never rests on set order, so every process gives the same answer."""
    if len(names) == 1:
        return names[0]
    at = _at(m)
    before = [(max(p for p in seen[n] if p < at), n) for n in names if seen[n][0] < at]
    if before:
        return max(before)[1]  # (at one position, two names: the text decides)
    return min((seen[n][0], n) for n in names)[1]


def aggregate(mentions: list[Mention],
              endings: tuple[tuple[str, str], ...] = ()) -> list[EntityOut]:
    """One item per distinct entity. A one-word PERSON mention that is the first or last word
    of a longer PERSON in the same article ("Putin" / "Vladimir Putin") counts for the longer
    (the longest; among several as long, see ``_full_name``), also in its dictionary form
    where the full name is written only in a case form. Where the language declines
    names (``endings``, namedata.name_endings), a PERSON mention in a case form of a name the
    article also writes in its dictionary form is that name ("Дмитра Коваля" is "Дмитро
    Коваль")."""
    base = _dictionary_forms({m.text for m in mentions if m.label == "PERSON"}, endings)
    mentions = [Mention(m.field, m.start, m.end, base[m.text], m.label, m.method, m.country)
                if m.label == "PERSON" and m.text in base else m for m in mentions]
    seen: dict[str, list[tuple[bool, int]]] = {}
    for m in mentions:
        if m.label == "PERSON" and " " in m.text:
            seen.setdefault(m.text, []).append(_at(m))
    for positions in seen.values():
        positions.sort()
    alias: dict[str, list[str]] = {}
    # a lone word in its dictionary form counts for a full name written only in a case form
    # ("Гнатюк" for "Андрієм Гнатюком")
    singles = {m.text.casefold() for m in mentions if m.label == "PERSON" and " " not in m.text}
    for full in seen:
        parts = full.split()
        ends = (parts[0], parts[-1])
        for part in dict.fromkeys((*(p.casefold() for p in ends),
                                   *(_dictionary_word(p, singles, endings).casefold()
                                     for p in ends))):
            names = alias.setdefault(part, [])
            if not names or len(full) > len(names[0]):
                names[:] = [full]
            elif len(full) == len(names[0]):
                names.append(full)
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in mentions:
        canon = m.text
        if m.label == "PERSON" and " " not in m.text and m.text.casefold() in alias:
            canon = _full_name(m, alias[m.text.casefold()], seen)
        key = (m.country or canon.casefold(), m.label) if m.label == "NORP" else (
            canon.casefold(), m.label)
        groups.setdefault(key, []).append(
            m if canon == m.text else Mention(m.field, m.start, m.end, canon, m.label,
                                              m.method, m.country))
    out: list[EntityOut] = []
    for ms in groups.values():
        # The display form is the longest written form (the full name, not the surname).
        first = max(ms, key=lambda m: (len(m.text), -m.start))
        out.append(EntityOut(
            text=first.text, label=first.label, count=len(ms),
            method=first.method, country=next((m.country for m in ms if m.country), None),
            mentions=[MentionOut(field=m.field, start=m.start, end=m.end) for m in ms],
        ))
    out.sort(key=lambda e: (-e["count"], e["text"]))
    return out


def _dictionary_forms(names: set[str], endings: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Person names of one article in a case form -> the dictionary form the article also
    writes: each word whose case ending, replaced by the dictionary one, makes a word written
    in another name; a name of several words only where the whole form is written too."""
    if not endings:
        return {}
    texts = {n.casefold(): n for n in sorted(names)}  # sorted: the same in every process
    words = {w for n in texts for w in n.split()}
    out: dict[str, str] = {}
    for name in names:
        parts = name.split()
        bare = [_dictionary_word(p, words, endings) for p in parts]
        form = " ".join(bare)
        if form == name:
            continue
        if len(parts) == 1 or form.casefold() in texts:
            out[name] = texts.get(form.casefold(), form)
    return out


def _dictionary_word(word: str, words: set[str], endings: tuple[tuple[str, str], ...]) -> str:
    low = word.casefold()
    for case, base in endings:
        if low.endswith(case) and len(low) - len(case) >= namedata.MIN_STEM_CHARS:
            form = low[:len(low) - len(case)] + base
            if form != low and form in words:
                return word[:len(word) - len(case)] + base
    return word


_ELIDED_ARTICLE = re.compile(r"^(?:[lLjJnNsScCmMtT]|[qQ]u)['’]")  # "L’UE", "qu’il"


def _name_shaped(text: str, gaz: Gazetteer) -> bool:
    """A name starts with a capital or a name particle before one ("de Gaulle", "van Gogh"),
    not with an elided article ("L’UE", "qu’il arrive"), and is not places joined by hyphens
    ("Italia-Francia")."""
    words = text.split()
    first = words[0]
    if not first[:1].isupper() and not (
            first.casefold() in namedata.PARTICLES and len(words) > 1 and words[1][:1].isupper()):
        return False  # "de la République", "workshops"
    if _ELIDED_ARTICLE.match(text):
        return False
    parts = first.split("-") if len(words) == 1 else []
    return not (len(parts) > 1 and all(key_of(p) in gaz.table for p in parts))


def filter_persons(mentions: list[Mention], lang: str, gaz: Gazetteer) -> list[Mention]:
    """General filters on a model's PERSON spans (small models tag much as a person: the French
    one reads "Damas", "Samedi", "Premier Ministre" and "n’" as people). A leading office or
    form of address is cut off the span ("président Erdogan" -> "Erdogan"); a span that is
    then empty, has fewer than two letters, is a known place or nationality, is made only of
    function, calendar or office words, or is not shaped like a name (``_name_shaped``) is
    dropped. Other labels pass unchanged."""
    role = namedata.cues(lang)
    plain = namedata.non_name_words(lang)
    offices = namedata.office_words(lang)
    own = language.stopwords(lang) or frozenset()  # "may" is a word in English, not French
    out = []
    for m in mentions:
        if m.label != "PERSON":
            out.append(m)
            continue
        toks = tokens(m.text)
        lowered = [t.casefold() for _, _, t in toks]
        k = 0
        while k < len(toks) and (cue := namedata.cue_at(lowered, k, role)) is not None:
            k = cue
        if k >= len(toks):
            continue
        rest = m.text[toks[k][0]:]
        words = [w for w in lowered[k:] if any(c.isalpha() for c in w)]
        # After an office or a title ("Mme May") the words are a name even if they are
        # also ordinary words; without one, a span of ordinary words is no name.
        ordinary = own if k else plain | offices
        if (sum(c.isalpha() for c in rest) < 2 or key_of(rest) in gaz.table
                or all(w in ordinary for w in words) or not _name_shaped(rest, gaz)):
            continue
        start = m.start + toks[k][0]
        out.append(Mention(m.field, start, start + len(rest), rest, m.label, m.method,
                           m.country))
    return out
