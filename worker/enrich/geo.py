"""Places on the map: every place mention resolved to a GeoNames entry with coordinates, and
what the article is about at country, region and city level (its focus).

Candidates come from two readers of the same text: the place gazetteer's hits (``places``:
countries, regions, large cities, nationalities) and a deeper scan for towns and continents
(``geonames``: towns down to ``geonames.DEPTH`` inhabitants, in every language GeoNames
lists). A name with several candidates ("Paris", "Georgia", "Hamilton") is resolved as a
geographer would, each rule a term of one score (``ScoreWeights``):

- population: the bigger place is the likelier (log scale);
- feature type: a country's name means the country before anything named after it;
- the article's other places: a candidate in a country the article names elsewhere is
  preferred ("Paris" in a story about Texas and Dallas);
- containment: a town inside a region the article names ("Hamilton ... Ontario"), and more
  so one qualified by it ("Paris, Texas"); a region holding a city the article names
  ("Georgia ... Atlanta"); less, a town in the region of another named town;
- the language's area: a candidate in a country whose main language is the article's.

A town that only the deep scan found is reported only with evidence that the word is a place
(a language model's place label, a qualifier, its region named, or, without a model, its
country named): small towns share their names with ordinary words ("Police", "Mobile").
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TypedDict, TypeVar

from .geonames import Index, Place, index
from .places import Gazetteer, PlaceHit, gazetteer, key_of, stopwords
from .spans import Spans
from .text import Field, in_lead

# Terms of the candidate score (see the module docstring); population is log10(inhabitants).
POPULATION_W = 1.0
COUNTRY_W = 3.0  # a country's own name
CAPITAL_W = 1.0  # a national capital is better known than its size says ("Washington")
SUPPORT_W = 2.0  # share of the article's other place evidence for the candidate's country
CONTAINED_W = 1.5  # the candidate's region is named in the article, or holds a named city
NEAR_W = 1.0  # another place the article names is in the candidate's region
QUALIFIED_W = 4.0  # "Paris, Texas", "Hamilton (Ontario)"
LANGUAGE_W = 0.5  # the candidate's country speaks the article's language
# A town found only by the deep scan, in a language without a model, needs its country named
# in the article and at least this many inhabitants.
UNMODELLED_TOWN_MIN = 15000
UNMODELLED_ALT_MIN = 100_000
# Focus: position weights like the country scores', and the share of the strongest signal
# from which a region or city is one of the article's subjects.
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
CONTAINED_SHARE = 0.5  # a city mention counts this much for its region
FOCUS_SHARE = 0.5
K = TypeVar("K")
# A city this large named like a region of its country is taken for the city.
_SEAT_MIN = 100_000
_QUALIFIER_GAP = re.compile(r"\s*[,(]\s*")


class MentionOut(TypedDict):
    field: str
    start: int
    end: int


class Admin1Out(TypedDict):
    code: str
    name: str | None


class PlaceOut(TypedDict):
    name: str
    geonameid: int | None
    lat: float
    lon: float
    country: str | None
    admin1: Admin1Out | None
    feature: str
    population: int | None
    count: int
    mentions: list[MentionOut]


class FocusCountry(TypedDict):
    code: str
    name: str
    score: float


class FocusPlace(TypedDict):
    name: str
    geonameid: int | None
    country: str
    admin1: str | None
    score: float


class FocusOut(TypedDict):
    countries: list[FocusCountry]
    regions: list[FocusPlace]
    cities: list[FocusPlace]


@dataclass(frozen=True, slots=True)
class FieldText:
    """One field as the other steps read it: its tokens, the spans that are no place (names of
    persons and organisations), the place gazetteer's hits and the spans a model labelled as
    places (none where no model serves the language)."""

    field: Field
    text: str
    toks: list[tuple[int, int, str]]
    folded: list[str]
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
    place: Place | None = None


def resolve(fields: Sequence[FieldText], lang: str | None, has_model: bool) -> list[Mention]:
    """Every place mention of the article with its chosen place (unresolved ones dropped).

    Two passes: the first reads containment from the regions the article may name; the
    second from what the first chose, so a city and its region find each other both ways
    ("Atlanta" makes "Georgia" the state, "Texas" makes "Paris" the Texan town)."""
    idx = index()
    gaz = gazetteer(lang)
    mentions = [m for f in fields for m in _mentions(f, idx, gaz)]
    _qualify(mentions, {f.field: f.text for f in fields})
    support: Counter[str] = Counter()
    by_name: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        support.update(_votes(m))
        by_name[m.text.casefold()].update(_votes(m))
    main = frozenset(cc for cc, code in idx.main_language.items() if code and code == lang)
    named: Counter[tuple[str, str | None]] = Counter(
        (p.country, p.admin1) for m in mentions for p in m.candidates if p.feature == "region")
    context = _Context(support, by_name, main, named, Counter(), idx.capitals)
    _choose(mentions, context)
    near: Counter[tuple[str, str | None]] = Counter(
        (m.place.country, m.place.admin1) for m in mentions
        if m.place is not None and m.place.feature == "city" and m.place.admin1 is not None)
    context = _Context(support, by_name, main, named, near, idx.capitals)
    _choose(mentions, context)
    out = []
    for m in mentions:
        assert m.place is not None
        if m.place.located and (
                m.from_gazetteer or _evidenced(m, named, support, has_model)):
            out.append(m)
    return out


def _score_of(context: _Context, m: Mention, p: Place) -> tuple[float, int]:
    return context.score(p, m)


def _choose(mentions: list[Mention], context: _Context) -> None:
    """Each mention's best candidate; mentions that read alike (same name, same kind of hit,
    same qualifiers and, in the second pass, same first choice) are scored once."""
    done: dict[tuple[object, ...], Place] = {}
    for m in mentions:
        key = (m.text.casefold(), m.from_gazetteer, len(m.candidates),
               frozenset(m.qualifiers), frozenset((q.country, q.admin1) for q in m.qualified),
               m.place)
        found = done.get(key)
        if found is None:
            found = done[key] = max(m.candidates, key=partial(_score_of, context, m))
        m.place = found


@dataclass(frozen=True, slots=True)
class _Context:
    """What the rest of the article says: country votes (of its other names), the article
    language's countries, the (country, admin-1) regions it may name, and (second pass) the
    regions of the cities the first pass chose."""

    support: Counter[str]
    by_name: Mapping[str, Counter[str]]  # the votes of each name's own mentions
    main: frozenset[str]
    named: Counter[tuple[str, str | None]]
    near: Counter[tuple[str, str | None]]
    capitals: Mapping[int, object]
    top: float = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "top", max(self.support.values(), default=0.0) or 1.0)

    def score(self, p: Place, m: Mention) -> tuple[float, int]:
        s = POPULATION_W * math.log10(1 + p.population)
        if p.feature == "country":
            s += COUNTRY_W
        elif p.geonameid in self.capitals:
            s += CAPITAL_W
        # Other names only: "Paris" said three times is no evidence for France.
        own = self.by_name.get(m.text.casefold(), Counter())[p.country]
        s += SUPPORT_W * (self.support[p.country] - own) / self.top
        area = (p.country, p.admin1)
        mine = m.place
        near = self.near[area] - int(mine is not None and mine.feature == "city"
                                     and (mine.country, mine.admin1) == area)
        if p.feature == "city" and self.named[area] > sum(
                1 for q in m.candidates if q.feature == "region"
                and (q.country, q.admin1) == area):
            s += CONTAINED_W  # in a region the article names
        elif p.feature == "city" and near > 0:
            s += NEAR_W  # in the region of another place the article names
        elif p.feature == "region" and near > 0:
            s += CONTAINED_W  # holds a city the article names
        if area in m.qualifiers or (p.country, None) in m.qualifiers or (
                p.feature != "city" and _holds(p, m.qualified)):
            s += QUALIFIED_W
        if p.country in self.main:
            s += LANGUAGE_W
        return s, p.population


def _votes(m: Mention) -> Counter[str]:
    """A place gazetteer hit votes for the countries it may be in, 1/n each (the deep scan's
    candidates are too many and too small to vote, and a place inside an organisation's name
    says where the organisation is, not what the story is about)."""
    codes = {p.country for p in m.candidates if p.country} if (
        m.from_gazetteer and not m.embedded) else set()
    return Counter({code: 1 / len(codes) for code in codes})


def _evidenced(m: Mention, named: Counter[tuple[str, str | None]], support: Counter[str],
               has_model: bool) -> bool:
    """Is a name only the deep scan found a place here? (See the module docstring.)"""
    p = m.place
    assert p is not None
    if m.modelled or (p.country, p.admin1) in m.qualifiers:
        return True
    if p.feature == "city" and named[(p.country, p.admin1)] > 0:
        return True
    if has_model:
        return False
    # Without a model: a continent, or a town of some size in a country the article names,
    # by the town's own name (alternate names hold nicknames and old names: "Center",
    # "Ramadan") unless it is a city.
    return p.feature == "continent" or (
        support[p.country] > 0 and p.population >= UNMODELLED_TOWN_MIN
        and (_key(p.name) == _key(m.text) or p.population >= UNMODELLED_ALT_MIN))


def _mentions(f: FieldText, idx: Index, gaz: Gazetteer) -> list[Mention]:
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
            if c.kind in ("country", "demonym"):
                found = idx.countries.get(c.code)
            elif c.kind == "region":
                link = idx.region_links.get((c.code, c.name))
                found = idx.regions.get(link) if link else idx.unlocated_region(c.code, c.name)
                towns = True
            else:
                found = next((p for p in idx.town_candidates(_key(c.name))
                              if (p.country, p.population) == (c.code, c.population)), None)
                towns = True
            if found is not None and found not in cands:
                cands.append(found)
        if towns:
            cands += [p for p in idx.town_candidates(_key(h.text)) if p not in cands]
            # A region named like a city of its country is written for the city ("New
            # York", "Washington", "Quebec"): the region is said with its kind ("the state
            # of New York", "Washington state").
            cands = [p for p in cands if p.feature != "region" or not any(
                q.feature == "city" and q.country == p.country and q.population >= _SEAT_MIN
                for q in cands)]
        if cands:
            out.append(Mention(f.field, h.start, h.end, h.text, cands, True,
                               f.modelled.overlaps(h.start, h.end),
                               f.exclude.overlaps(h.start, h.end)))
    out += _scan(f, idx, Spans((h.start, h.end) for h in f.hits))
    out += _coded(f, idx, Spans((m.start, m.end) for m in out))
    return sorted(out, key=lambda m: m.start)


def _inside_names(f: FieldText, gaz: Gazetteer) -> list[PlaceHit]:
    """Places of the place gazetteer inside names of organisations ("Central Bank of Malta",
    "The Washington Post"): longest match of capitalised words. Unlike in running text, a
    place word followed by another capitalised word is still the place here."""
    out: list[PlaceHit] = []
    toks, folded = f.toks, f.folded
    i = 0
    while i < len(toks):
        start = toks[i][0]
        longest = gaz.firsts.get(folded[i], 0)
        if (not longest or not toks[i][2][:1].isupper() or not f.exclude.overlaps(
                start, toks[i][1]) or f.persons.overlaps(start, toks[i][1])):
            i += 1
            continue
        for n in range(min(longest, len(toks) - i), 0, -1):
            cands = gaz.table.get(" ".join(folded[i:i + n]))
            end = toks[i + n - 1][1]
            kept = tuple(cands or ())
            if kept and not f.persons.overlaps(start, end):
                out.append(PlaceHit(start, end, f.text[start:end], kept))
                i += n - 1
                break
        i += 1
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


def _scan(f: FieldText, idx: Index, taken: Spans) -> list[Mention]:
    """Towns and continents the place gazetteer does not hold: longest match of capitalised
    words, outside its hits and outside names of persons and organisations."""
    out = []
    toks, folded = f.toks, f.folded
    i = 0
    while i < len(toks):
        word = folded[i]
        longest = max(idx.longest(word), 2 if word in _continent_firsts(idx) else 0)
        if not longest and "-" in word and f.modelled and not taken.overlaps(*toks[i][:2]):
            out += _compound(f, idx, i)
        if not longest or not toks[i][2][:1].isupper():
            i += 1
            continue
        for n in range(min(longest, len(toks) - i), 0, -1):
            key = " ".join(folded[i:i + n])
            cands = idx.town_candidates(key)
            continent = idx.continents.get(key)
            if continent is not None:
                cands = [continent]
            if not cands:
                continue
            start, end = toks[i][0], toks[i + n - 1][1]
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
            i += n - 1
            break
        i += 1
    return out


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


_key = lru_cache(maxsize=8192)(key_of)  # place names recur within and across articles

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
    """"Paris, Texas" / "Hamilton (Ontario)": the second place qualifies the first."""
    for a, b in itertools.pairwise(mentions):
        if a.field != b.field or not _QUALIFIER_GAP.fullmatch(texts[a.field][a.end:b.start]):
            continue
        b.qualified += a.candidates
        for p in b.candidates:
            if p.feature == "region":
                a.qualifiers.add((p.country, p.admin1))
            elif p.feature == "country":
                a.qualifiers.add((p.country, None))


def _holds(area: Place, places: Iterable[Place]) -> bool:
    """Does the region or country ``area`` hold one of ``places``? (A region without an
    admin-1 code holds what its country holds.)"""
    return any(p.country == area.country and p.feature == "city"
               and (area.feature == "country" or area.admin1 in (None, p.admin1))
               for p in places)


def _place_key(p: Place) -> tuple[object, ...]:
    return (p.feature, p.geonameid) if p.geonameid is not None else (
        p.feature, p.country, p.admin1, p.name)


def places_out(mentions: Iterable[Mention]) -> list[PlaceOut]:
    """One item per distinct place, most mentioned first."""
    idx = index()
    groups: dict[tuple[object, ...], list[Mention]] = {}
    for m in mentions:
        assert m.place is not None
        groups.setdefault(_place_key(m.place), []).append(m)
    out = []
    for ms in groups.values():
        p = ms[0].place
        assert p is not None
        region = idx.region(p.country, p.admin1) if p.feature in ("city", "region") else None
        out.append(PlaceOut(
            name=p.name, geonameid=p.geonameid, lat=p.lat, lon=p.lon,
            country=p.country or None,
            admin1=Admin1Out(code=p.admin1, name=region.name if region and region.name
                             else None) if p.admin1 else None,
            feature=p.feature, population=p.population if p.feature in ("city", "country")
            else None,
            count=len(ms),
            mentions=[MentionOut(field=m.field, start=m.start, end=m.end) for m in ms]))
    out.sort(key=lambda p: (-p["count"], p["mentions"][0]["field"] != "title",
                            p["mentions"][0]["start"]))
    return out


def focus(mentions: Iterable[Mention], countries: Iterable[FocusCountry]) -> FocusOut:
    """What the article is about: its primary countries (as ``countries`` scores them) and the
    regions and cities that carry at least ``FOCUS_SHARE`` of the strongest signal at their
    level, inside those countries. A city's mentions count for its region too."""
    idx = index()
    chosen = list(countries)
    codes = {c["code"] for c in chosen}
    regions: defaultdict[str, float] = defaultdict(float)
    cities: defaultdict[int, float] = defaultdict(float)
    by_id: dict[int, Place] = {}
    for m in mentions:
        p = m.place
        if p is None or p.country not in codes or m.embedded:
            continue
        where = TITLE_WEIGHT if m.field == "title" else (
            LEAD_WEIGHT if in_lead(m.field, m.start) else 1.0)
        if p.feature == "region" and p.admin1:
            regions[f"{p.country}.{p.admin1}"] += where
        elif p.feature == "city" and p.geonameid is not None:
            cities[p.geonameid] += where
            by_id[p.geonameid] = p
            if p.admin1:
                regions[f"{p.country}.{p.admin1}"] += CONTAINED_SHARE * where
    region_out = [FocusPlace(name=r.name, geonameid=r.geonameid, country=r.country,
                             admin1=r.admin1, score=s)
                  for key, s in _shares(regions)
                  if (r := idx.regions.get(key)) is not None and r.name]
    city_out = [FocusPlace(name=by_id[i].name, geonameid=i, country=by_id[i].country,
                           admin1=by_id[i].admin1, score=s) for i, s in _shares(cities)]
    return FocusOut(countries=chosen, regions=region_out, cities=city_out)


def _shares(weights: Mapping[K, float]) -> list[tuple[K, float]]:
    if not weights:
        return []
    top = max(weights.values())
    kept = [(k, round(v / top, 3)) for k, v in weights.items() if v >= FOCUS_SHARE * top]
    return sorted(kept, key=lambda kv: -kv[1])


def country_evidence(mentions: Iterable[Mention]) -> Counter[str]:
    """Towns and regions resolved here that the place gazetteer did not see, per country: the
    evidence the country scores can add (a story set in three small Ohio towns is about the
    United States even if it never names a state or the country)."""
    return Counter(m.place.country for m in mentions
                   if m.place is not None and not m.from_gazetteer
                   and m.place.feature in ("city", "region") and m.place.country)
