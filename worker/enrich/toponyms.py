"""Place names in an article's text, each with its GeoNames candidates (``geo`` chooses).

Two readers of the same text: the place gazetteer's hits (``places``: countries, regions,
large cities, nationalities), mapped to GeoNames entries and joined by every town of the same
name, and a deeper scan for the towns and continents it does not hold (``geonames``: towns
down to ``geonames.DEPTH`` inhabitants, by their names in every language GeoNames lists).
Places inside organisation names ("Central Bank of Malta") are read too, and marked; so are
qualifiers ("Paris, Texas").
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from . import langs, orgs
from .geonames import Index, Place
from .places import Gazetteer, PlaceHit, country_name, key_of, stopwords
from .spans import Spans
from .text import Field, Openings, capitalised, matches_at, openings

# A city this large named like a region of its country is taken for the city.
_SEAT_MIN = 100_000
_QUALIFIER_GAP = re.compile(r"\s*[,(]\s*")


@dataclass(frozen=True, slots=True)
class FieldText:
    """One field as the other steps read it: its tokens, the spans that are no place (names of
    persons and organisations), the place gazetteer's hits and the spans a model labelled as
    places (none where no model serves the language)."""

    field: Field
    text: str
    toks: list[tuple[int, int, str]]
    folded: list[str]
    starts: list[int]  # where each run of word characters begins (``text.run_starts``)
    exclude: Spans
    hits: list[PlaceHit]
    modelled: Spans = dataclasses.field(default_factory=Spans)  # GPE: settlements, states
    persons: Spans = dataclasses.field(default_factory=Spans)
    areas: Spans = dataclasses.field(default_factory=Spans)  # LOC: continents, seas, ranges
    facilities: Spans = dataclasses.field(default_factory=Spans)  # FAC: buildings, airports


@dataclass(slots=True)
class Mention:
    field: Field
    start: int
    end: int
    text: str
    candidates: list[Place]
    from_gazetteer: bool  # a hit of the place gazetteer (else the deep scan's)
    modelled: bool = False  # a model labelled the span as a place
    embedded: bool = False  # inside an organisation's name ("Central Bank of Malta")
    # "Paris, Texas": Paris's qualifiers are Texas's (country, admin-1) candidates, and
    # Texas's ``qualified`` are Paris's candidates.
    qualifiers: set[tuple[str, str | None]] = dataclasses.field(default_factory=set)
    qualified: list[Place] = dataclasses.field(default_factory=list)
    # Regions left out for a large city of the same name ("Washington"), unless this name
    # qualifies a town of theirs ("Yakima, Washington").
    seats: list[Place] = dataclasses.field(default_factory=list)
    place: Place | None = None


def find(fields: Sequence[FieldText], idx: Index, gaz: Gazetteer) -> list[Mention]:
    """Every place name of the article's fields with its candidates and qualifiers."""
    mentions = [m for f in fields for m in _mentions(f, idx, gaz)]
    _qualify(mentions, {f.field: f.text for f in fields})
    return mentions


def _mentions(f: FieldText, idx: Index, gaz: Gazetteer) -> list[Mention]:
    """One field's place names: the gazetteer's hits (and those inside organisation names)
    with their GeoNames entries and namesake towns, then the deep scan's and coded ones."""
    out = []
    inside = _inside_names(f, gaz)
    facilities = set(f.facilities)
    for h in [*f.hits, *inside]:
        if (h.start, h.end) in facilities:
            continue  # a building named like a place ("White House", "Casablanca" in English)
        cands: list[Place] = []
        towns = False
        for c in h.candidates:
            found: Place | None = None
            if c.kind == "country" and c.code in idx.countries:
                found = _own_region(idx, c.code, h.text, gaz.lang) or idx.countries[c.code]
            elif c.kind == "demonym":
                found = idx.countries.get(c.code)
            elif c.kind == "region":
                link = idx.region_links.get((c.code, c.name))
                found = idx.regions.get(link) if link else idx.unlocated_region(c.code, c.name)
                towns = True
            else:
                found = next((p for p in idx.town_candidates(name_key(c.name))
                              if (p.country, p.population) == (c.code, c.population)), None)
                towns = True
            if found is not None and found not in cands:
                cands.append(found)
        if towns:
            cands += [p for p in idx.town_candidates(name_key(h.text))
                      if p not in cands and p.feature == "city"]
            # A region named like a city of its country is written for the city ("New
            # York", "Washington", "Quebec"): the region is said with its kind ("the state
            # of New York", "Washington state"), or after a town of its ("_qualify").
            seats = [p for p in cands if p.feature == "region" and any(
                q.feature == "city" and q.country == p.country and q.population >= _SEAT_MIN
                for q in cands)]
            cands = [p for p in cands if p not in seats]
            # only a region known to hold the town can be told from the city by it
            seats = [p for p in seats if p.admin1 is not None and p.located]
        else:
            seats = []
        if cands:
            out.append(Mention(f.field, h.start, h.end, h.text, cands, True,
                               f.modelled.overlaps(h.start, h.end),
                               f.exclude.overlaps(h.start, h.end), seats=seats))
    abbreviated = _abbreviated_regions(f, idx, gaz.lang, Spans((h.start, h.end) for h in f.hits))
    out += abbreviated
    out += _scan(f, idx, Spans([*((h.start, h.end) for h in f.hits),
                                *((m.start, m.end) for m in abbreviated)]))
    out += _towns_naming_bodies(f, idx, gaz.lang, Spans((m.start, m.end) for m in out))
    out += _region_codes(f, idx, out, Spans((m.start, m.end) for m in out))
    out += _coded(f, idx, Spans((m.start, m.end) for m in out))
    out += _continent_terms(f, idx, Spans((m.start, m.end) for m in out))
    return sorted(out, key=lambda m: m.start)


def _own_region(idx: Index, country: str, text: str, lang: str | None) -> Place | None:
    """The first-order region of ``country`` that another name standing for the country
    names ("England", "Scotland", "Wales": the country tables count them for the United
    Kingdom, and GeoNames has each as a region of it, with its own id and point). The
    country's own name stays the country, whatever region shares it ("Mexico", the state
    of México; "Guatemala", its department)."""
    key = name_key(text)
    region = next((r for k in idx.region_names.get(key, ()) if k.startswith(f"{country}.")
                   and (r := idx.regions.get(k)) is not None and r.name), None)
    # CLDR's names are looked up only where a region matched: a locale's data, loaded for
    # every country named, would cost each process megabytes.
    if region is None or key in {name_key(idx.countries[country].name),
                                 name_key(country_name(country)),
                                 name_key(country_name(country, lang or ""))}:
        return None
    return region


def _inside_names(f: FieldText, gaz: Gazetteer) -> list[PlaceHit]:
    """Places of the place gazetteer inside names of organisations ("Central Bank of Malta",
    "The Washington Post"): longest match of capitalised words. Unlike in running text, a
    place word followed by another capitalised word is still the place here."""
    out: list[PlaceHit] = []
    if not f.exclude:
        return out
    toks, folded, firsts = f.toks, f.folded, gaz.firsts
    free = 0  # the first token after the last place found
    # only a capitalised word that starts a name of the gazetteer can start a place
    for i in [i for i in capitalised(toks) if folded[i] in firsts]:
        start = toks[i][0]
        if (i < free or not f.exclude.overlaps(start, toks[i][1])
                or f.persons.overlaps(start, toks[i][1])):
            continue
        for n in range(min(firsts[folded[i]], len(toks) - i), 0, -1):
            cands = gaz.table.get(" ".join(folded[i:i + n]))
            end = toks[i + n - 1][1]
            kept = tuple(cands or ())
            if kept and not f.persons.overlaps(start, end):
                out.append(PlaceHit(start, end, f.text[start:end], kept))
                free = i + n
                break
    return out


def _coded(f: FieldText, idx: Index, taken: Spans) -> list[Mention]:
    """A span a model labels as a place that is a country's ISO code in capitals ("US"):
    the gazetteer leaves such words out, being function words in lower case ("us")."""
    out = []
    for start, end in f.modelled:
        text = f.text[start:end]
        code = idx.iso_codes.get(text) if text.isupper() and text.isalpha() else None
        if code in idx.countries and not taken.overlaps(start, end):
            out.append(Mention(f.field, start, end, text, [idx.countries[code]], True, True))
    return out


def _continent_terms(f: FieldText, idx: Index, taken: Spans) -> list[Mention]:
    """Groupings of countries on one continent ("EU", "the European Union") and continents'
    adjectives ("European"), read anywhere, organisation names included ("EU Transport
    Commissioner", "European Aviation Strategy"), where they say which continent is meant.
    A code is read in capitals only, a word capitalised; an adjective right before a
    nationality ("African American") is part of that nationality."""
    out = []
    pattern, opens = _continent_pattern(idx)
    field = f.text
    hits = pattern.finditer(field) if opens is None else matches_at(
        pattern, field, [p for p in f.starts if field[p] in opens.firsts and opens.at(field, p)])
    for hit in hits:
        start, end = hit.span()
        text = hit.group()
        place = idx.continent_codes.get(text) or idx.continent_terms.get(name_key(text))
        if (place is None or not text[:1].isupper() or taken.overlaps(start, end)
                or (f.text[end:end + 1] == " " and taken.overlaps(end + 1, end + 2))):
            continue
        out.append(Mention(f.field, start, end, text, [place], True,
                           f.modelled.overlaps(start, end), f.exclude.overlaps(start, end)))
    return out


_PATTERNS: dict[int, tuple[re.Pattern[str], Openings | None]] = {}


def _continent_pattern(idx: Index) -> tuple[re.Pattern[str], Openings | None]:
    """The pattern of the codes and terms, and how a match of it opens: it begins a word, so
    it is tried only at word starts opening like a code or a term (``text.matches_at``)."""
    found = _PATTERNS.get(id(idx))
    if found is None:
        names = sorted(idx.continent_terms, key=len, reverse=True)
        codes = "|".join(map(re.escape, sorted(idx.continent_codes))) or "(?!)"
        words = "|".join(r"\s+".join(map(re.escape, n.split())) for n in names) or "(?!)"
        found = _PATTERNS[id(idx)] = (
            re.compile(rf"\b(?:{codes})\b|(?i:\b(?:{words})\b)"),
            openings([*idx.continent_codes, *names]))
    return found


def _abbreviated_regions(f: FieldText, idx: Index, lang: str, taken: Spans) -> list[Mention]:
    """Regions as the language's news style books abbreviate them after a town's name
    ("Springfield, Ill.", "Jackson County (Ga.)", a legislator's "(D-Calif.)"; the pack's
    ``region_abbreviations``). Read only there and as written, full stops included: elsewhere
    most such words are others ("La", "Miss", "Mass"). Being a region, it then qualifies the
    town before it (``_qualify``)."""
    found = _abbreviation_pattern(lang)
    if found is None:
        return []
    pattern, isos = found
    out = []
    for hit in pattern.finditer(f.text):
        start, end = hit.span("abbr")
        key = idx.region_isos.get(isos[hit.group("abbr")], "")
        region = idx.regions.get(key)
        if region is not None and not taken.overlaps(start, end):
            out.append(Mention(f.field, start, end, hit.group("abbr"), [region], True,
                               f.modelled.overlaps(start, end), f.exclude.overlaps(start, end)))
    return out


# Words between a town and the head noun of the body it names ("Springfield City Council",
# "Fresno Community Hospital").
_BODY_GAP = 2


def _towns_naming_bodies(f: FieldText, idx: Index, lang: str, taken: Spans) -> list[Mention]:
    """A town that opens the name of a local body: its name, at most ``_BODY_GAP`` capitalised
    words, then a head noun of the language's organisation names (``orgs.grammar``): "the
    Montclair Garden Club", "Fresno Community Hospital", "Springfield City Council". The
    deep scan leaves a town out of such names (a word before another capitalised one is part
    of a name); here the head says the name is a body's, and such bodies are named after
    where they are. Scan-found, so reported only with the evidence ``geo`` asks of any."""
    grammar = orgs.grammar(lang)
    if grammar is None or grammar.head_first:
        return []
    toks, folded, heads = f.toks, f.folded, grammar.heads
    out = []
    for j in [j for j, w in enumerate(folded) if w in heads and toks[j][2][:1].isupper()]:
        if j and folded[j - 1] in heads:
            continue  # the run of heads starts earlier ("Police Department")
        for gap in range(min(_BODY_GAP, j) + 1):
            if not (all(t[2][:1].isupper() or t[2] == "s" for t in toks[j - gap:j])
                    and _joined(f, j - gap - 1, j)):
                break
            found = _town_ending_at(f, idx, j - gap, taken)
            if found is not None:
                out.append(found)
                break
    return out


def _joined(f: FieldText, first: int, last: int) -> bool:
    """Are tokens ``first``..``last`` one run of words (a space or an apostrophe between)?"""
    return first >= 0 and all(f.text[f.toks[k][1]:f.toks[k + 1][0]] in (" ", "'", "’")
                              for k in range(first, last))


def _town_ending_at(f: FieldText, idx: Index, end_tok: int, taken: Spans) -> Mention | None:
    """The longest town name whose last word is the one before ``end_tok`` and which opens a
    name (the word before it is not capitalised, or a function word: "The")."""
    toks, folded = f.toks, f.folded
    for n in range(min(4, end_tok), 0, -1):
        i = end_tok - n
        words = toks[i:end_tok]
        if not all(t[2][:1].isupper() for t in words) or (
                i and toks[i - 1][2][:1].isupper() and folded[i - 1] not in stopwords()):
            continue
        cands = [p for p in idx.town_candidates(" ".join(folded[i:end_tok]))
                 if p.feature == "city"]
        start, end = words[0][0], words[-1][1]
        if cands and not taken.overlaps(start, end) and not f.persons.overlaps(start, end):
            return Mention(f.field, start, end, f.text[start:end], cands, False,
                           f.modelled.overlaps(start, end), True)
    return None


# ", BC", ", NSW", ", TX" right after a town: ISO 3166-2's code of a region, in capitals.
_REGION_CODE = re.compile(r",[ \t]+(?P<code>[A-Z]{2,3})(?![\w.])")


def _region_codes(f: FieldText, idx: Index, towns: Iterable[Mention],
                  taken: Spans) -> list[Mention]:
    """A region written by its ISO 3166-2 code after a town ("Kamloops, BC", "Dubbo, NSW",
    "Paris, TX"), as datelines and addresses write it. Such codes are also words and other
    codes ("IN", "OR", "IL" is Israel's), so one is read only where it names the region of
    one of the towns the name before it may be, and of one such region only; being a region,
    it then qualifies that town (``_qualify``)."""
    out = []
    for m in towns:
        hit = _REGION_CODE.match(f.text, m.end)
        if hit is None or taken.overlaps(*hit.span("code")):
            continue
        code = hit.group("code")
        keys = {key for p in m.candidates if p.feature == "city" and p.admin1
                if idx.region_isos.get(f"{p.country}-{code}") == (key := f"{p.country}.{p.admin1}")}
        if len(keys) == 1 and (region := idx.regions.get(keys.pop())) is not None:
            start, end = hit.span("code")
            out.append(Mention(f.field, start, end, code, [region], True,
                               f.modelled.overlaps(start, end), f.exclude.overlaps(start, end)))
    return out


_ABBREVIATIONS: dict[str, tuple[re.Pattern[str], dict[str, str]] | None] = {}


def _abbreviation_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The pack's abbreviations after ", " or "(" (or a party's letter: "(D-"), longest
    first, not followed by a letter or a further full stop ("N.C." is no part of "N.C.A.A.")."""
    if lang not in _ABBREVIATIONS:
        isos = dict(langs.get(lang).region_abbreviations)
        forms = "|".join(map(re.escape, sorted(isos, key=lambda a: (-len(a), a))))
        _ABBREVIATIONS[lang] = (re.compile(
            rf"(?:,[ \t]+|\((?:[A-Z]-)?)(?P<abbr>{forms})(?![\w.])"), isos) if isos else None
    return _ABBREVIATIONS[lang]


def _scan(f: FieldText, idx: Index, taken: Spans) -> list[Mention]:
    """Towns and continents the place gazetteer does not hold: longest match of capitalised
    words, outside its hits and outside names of persons and organisations."""
    out = []
    toks, folded = f.toks, f.folded
    continents = _continent_firsts(idx)
    free = 0  # the first token after the last town found
    # Only a capitalised word (a name) or, beside a model, a hyphenated compound can start
    # one: most words are neither and cost nothing past this list.
    modelled = bool(f.modelled)  # (a Python-level test: once, not once a word)
    for i in [i for i, (_, _, t) in enumerate(toks) if t[:1].isupper() or (modelled and "-" in t)]:
        if i < free:
            continue
        word = folded[i]
        longest = max(idx.longest(word), 2 if word in continents else 0)
        if not longest and "-" in word and f.modelled and not taken.overlaps(*toks[i][:2]):
            out += _compound(f, idx, i)
        if not longest or not toks[i][2][:1].isupper():
            continue
        for n in range(min(longest, len(toks) - i), 0, -1):
            key, end = " ".join(folded[i:i + n]), toks[i + n - 1][1]
            cands = idx.town_candidates(key)
            if not cands and (head := _compound_head(f, i, n)):
                key, end = head
                cands = idx.town_candidates(key)
            continent = idx.continents.get(key)
            if continent is not None:
                cands = [continent]
            if not cands:
                continue
            start = toks[i][0]
            if taken.overlaps(start, end) or f.exclude.overlaps(start, end):
                break
            # A model's LOC is a region, sea or range: evidence for a continent, not a town
            # (the Atlantic is no town in Iowa).
            # The model's span must be the name itself: "Republic" inside its "Islamic
            # Republic" is no town.
            modelled = (start, end) in f.modelled.pairs() or (
                continent is not None and f.areas.overlaps(start, end))
            if not modelled and ((n == 1 and _glued(toks, i)) or _follows_name(f, i)):
                break
            out.append(Mention(f.field, start, end, f.text[start:end], cands, False, modelled))
            free = i + n
            break
    return out


def _compound_head(f: FieldText, i: int, n: int) -> tuple[str, int] | None:
    """The key and end of a name of ``n`` > 1 words from token ``i`` that heads a hyphenated
    compound ("Hong Kong-based", "Kuala Lumpur-born": the last token is one), read only where
    a model labels that very span a place, as ``_compound`` reads a one-word head."""
    last = f.toks[i + n - 1]
    if n == 1 or "-" not in last[2]:
        return None
    head = last[2].split("-", 1)[0]
    end = last[0] + len(head)
    if not head or (f.toks[i][0], end) not in f.modelled.pairs():
        return None
    return " ".join([*f.folded[i:i + n - 1], head.casefold()]), end


def _follows_name(f: FieldText, i: int) -> bool:
    """A town word right after a capitalised word that is not a function word ends a longer
    name ("Islamic Republic", "Polícia Federal", "Johns Hopkins", "Harvard University")."""
    if i == 0:
        return False
    prev, here = f.toks[i - 1], f.toks[i]
    return (here[0] - prev[1] <= 1 and prev[2][:1].isupper()
            and f.folded[i - 1] not in stopwords() and f.text[prev[1]:here[0]] in ("", " "))


def _compound(f: FieldText, idx: Index, i: int) -> list[Mention]:
    """A town at the head of a hyphenated compound ("Beijing-based", "Lagos-born") where a
    model labels that part a place: the place gazetteer reads only countries and
    nationalities inside compounds, for city names there are too often parts of a name."""
    start = f.toks[i][0]
    head = f.toks[i][2].split("-", 1)[0]
    end = start + len(head)
    cands = idx.town_candidates(head.casefold())
    if not cands or not head[:1].isupper() or not f.modelled.overlaps(start, end):
        return []
    return [Mention(f.field, start, end, head, cands, False, True)]


name_key = lru_cache(maxsize=8192)(key_of)  # place names recur within and across articles

_FIRSTS: dict[int, frozenset[str]] = {}


def _continent_firsts(idx: Index) -> frozenset[str]:
    found = _FIRSTS.get(id(idx))
    if found is None:
        found = _FIRSTS[id(idx)] = frozenset(k.split(" ", 1)[0] for k in idx.continents)
    return found


def _glued(toks: list[tuple[int, int, str]], i: int) -> bool:
    """A lone word followed at once by another capitalised word is part of a name."""
    if i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    return nxt[0] - toks[i][1] <= 1 and nxt[2][:1].isupper()


def _qualify(mentions: list[Mention], texts: dict[Field, str]) -> None:
    """"Paris, Texas" / "Hamilton (Ontario)": the second place qualifies the first. A region
    left out for a large city of its name is the region again after a town of its
    ("Yakima, Washington", not the capital): the largest town of the first name, so that in
    a list of cities ("Bologna, Padova, Venezia") a village named like the first in the
    Veneto does not make Padova the Veneto."""
    for a, b in itertools.pairwise(mentions):
        if a.field != b.field or not _QUALIFIER_GAP.fullmatch(texts[a.field][a.end:b.start]):
            continue
        towns = [p for p in a.candidates if p.feature == "city"]
        if towns and b.seats:  # the town as most would read it, not any namesake of it
            largest = max(towns, key=lambda p: p.population)
            b.candidates += [r for r in b.seats if holds(r, [largest])]
        b.qualified += a.candidates
        for p in b.candidates:
            if p.feature == "region":
                a.qualifiers.add((p.country, p.admin1))
            elif p.feature == "country":
                a.qualifiers.add((p.country, None))


def holds(area: Place, places: Iterable[Place]) -> bool:
    """Does the region or country ``area`` hold one of ``places``? (A region without an
    admin-1 code holds what its country holds.)"""
    return any(p.country == area.country and p.feature == "city"
               and (area.feature == "country" or area.admin1 in (None, p.admin1))
               for p in places)
