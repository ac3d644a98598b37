"""Places on the map: every place mention resolved to a GeoNames entry with coordinates, and
what the article is about at country, region and city level (its focus).

``toponyms`` finds the place names and their GeoNames candidates (the place gazetteer's hits
and a deeper scan for towns and continents). A name with several candidates ("Paris",
"Georgia", "Hamilton") is resolved as a geographer would, each rule a term of one score (the
``*_W`` constants):

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
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypedDict, TypeVar

from . import ordinary
from .countries import ResolvedPlace
from .geonames import Place, index
from .places import gazetteer
from .text import Field, in_lead
from .toponyms import FieldText, Mention, find, holds, name_key

# Terms of the candidate score (see the module docstring); population is log10(inhabitants).
POPULATION_W = 1.0
COUNTRY_W = 3.0  # a country's own name
CAPITAL_W = 1.0  # a national capital is better known than its size says ("Washington")
SUPPORT_W = 2.0  # share of the article's other place evidence for the candidate's country
CONTAINED_W = 1.5  # the candidate's region is named in the article, or holds a named city
NEAR_W = 1.0  # another place the article names is in the candidate's region
QUALIFIED_W = 4.0  # "Paris, Texas", "Hamilton (Ontario)"
# A county in a state the article names: a country has many counties of one name (thirty
# Montgomery Counties in the US) and a story names the state to say which.
DISTRICT_W = 3.0
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
_SENTENCE_END = frozenset(".!?:;\"“”‘’'«»()[]—–-\n")


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


def resolve(fields: Sequence[FieldText], lang: str | None, has_model: bool) -> list[Mention]:
    """Every place mention of the article with its chosen place (unresolved ones dropped).

    Two passes: the first reads containment from the regions the article may name; the
    second from what the first chose, so a city and its region find each other both ways
    ("Atlanta" makes "Georgia" the state, "Texas" makes "Paris" the Texan town)."""
    idx = index()
    mentions = find(fields, idx, gazetteer(lang))
    support: Counter[str] = Counter()
    by_name: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        votes = _votes(m)  # (once: a Counter made and added in Python, per mention)
        support.update(votes)
        by_name[m.text.casefold()].update(votes)
    texts = {f.field: f.text for f in fields}
    for m in mentions:
        _drop_foreign_regions(m, support)
    main = frozenset(cc for cc, code in idx.main_language.items() if code and code == lang)
    named: Counter[tuple[str, str | None]] = Counter(
        area for m in mentions for area in _named_areas(m))
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
                m.from_gazetteer or _evidenced(m, named, support, has_model)
                or _unlabelled_town(m, support, texts)):
            out.append(m)
    return out


def _named_areas(m: Mention) -> list[tuple[str, str | None]]:
    """The (country, admin-1) areas a mention may name, unless it names several regions of
    one country ("Montgomery County" is in eighteen states): that says where none is."""
    areas = [(p.country, p.admin1) for p in m.candidates if p.feature == "region"]
    return areas if len({cc for cc, _ in areas}) == len(areas) else []


def _drop_foreign_regions(m: Mention, support: Counter[str]) -> None:
    """A region only the deep scan read, in a country the article's other places never name,
    gives way to towns of its name: a region's people are all its towns', so by size alone
    "Santa Barbara" would be the Honduran department in a Californian story."""
    if m.from_gazetteer:
        return
    kept = [p for p in m.candidates if p.feature != "region" or support[p.country] > 0]
    if kept:
        m.candidates = kept


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
        if (p.feature == "city" or p.district) and self.named[area] > _named_areas(
                m).count(area):
            s += DISTRICT_W if p.district else CONTAINED_W  # in a region the article names
        elif p.feature == "city" and near > 0:
            s += NEAR_W  # in the region of another place the article names
        elif p.feature == "region" and near > 0:
            s += CONTAINED_W  # holds a city the article names
        if area in m.qualifiers or (p.country, None) in m.qualifiers or (
                p.feature != "city" and holds(p, m.qualified)):
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
    # A first-order region in a country the article names elsewhere: a whole region's name
    # is rarely a word or a person's name, and the scan reads none inside names of persons
    # ("Tamil Nadu ... Karnataka", which the model leaves unlabelled).
    if p.feature == "region" and support[p.country] > 0:
        return True
    if has_model:
        return False
    # Without a model: a continent, or a town of some size in a country the article names,
    # by the town's own name (alternate names hold nicknames and old names: "Center",
    # "Ramadan") unless it is a city.
    return p.feature == "continent" or (
        support[p.country] > 0 and p.population >= UNMODELLED_TOWN_MIN
        and (name_key(p.name) == name_key(m.text) or p.population >= UNMODELLED_ALT_MIN))


def _unlabelled_town(m: Mention, support: Counter[str], texts: Mapping[Field, str]) -> bool:
    """A town the model left without a GPE label, mid-sentence, by its own name, of some size
    and in a country the article names ("fighting went on in Douma", Syria named): the rule
    that stands where no model serves the language. A capital after a sentence's end says
    nothing ("Reading the report..."), so the word before must not end one; and a name made
    of dictionary words ("March", "Near North Side") is more often the word. A town that
    opens a body's name needs more: a company or a family foundation is named like towns too
    ("the Lancaster Foundation"), so there only its region named or a qualifier
    (``_evidenced``) tells."""
    p = m.place
    if p is None or p.feature != "city" or m.modelled or m.from_gazetteer or m.embedded:
        return False
    before = texts[m.field][:m.start].rstrip()
    return (bool(before) and before[-1] not in _SENTENCE_END
            and support[p.country] > 0 and p.population >= UNMODELLED_TOWN_MIN
            and name_key(p.name) == name_key(m.text)
            and not all(ordinary.is_ordinary(w) for w in m.text.split()))


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


def country_evidence(mentions: Iterable[Mention]) -> list[ResolvedPlace]:
    """Towns and regions resolved here that the place gazetteer did not see: the evidence the
    country scores add (a story set in three small Ohio towns is about the United States even
    if it never names a state or the country). Places inside an organisation's name are not
    where the story happens."""
    return [ResolvedPlace(m.field, m.start, m.place.country, m.place.population or 0)
            for m in mentions
            if m.place is not None and not m.from_gazetteer and not m.embedded
            and m.place.feature in ("city", "region") and m.place.country]


__all__ = ["FieldText", "FocusOut", "Mention", "PlaceOut", "country_evidence", "focus",
           "places_out", "resolve"]
