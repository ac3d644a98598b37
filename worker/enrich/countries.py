"""Which countries an article is *about*, scored from every place signal in it.

A baseline tagger (CLIFF's "most mentioned country") counts mentions. Here each mention is
weighted by what it is and where it is: a country named in the title says more than a city in
the last paragraph, and a nationality adjective ("giapponese", as a historical aside) says
less than the country's name. Scores are normalised so the strongest country is 1.0; countries
with at least ``PRIMARY_SHARE`` of the strongest signal are ``primary``, and so are those named
in the title or lead and again, from ``SECONDARY_SHARE``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from .places import Candidate, PlaceHit, country_name
from .text import Field, in_lead

KIND_WEIGHT = {"country": 1.0, "region": 0.8, "city": 0.8, "demonym": 0.5}
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
# A place in the dateline says where the story was filed: it counts for little, and never as
# part of the lead (see ``dateline``).
DATELINE_WEIGHT = 0.25
# A country named once, in the body after the lead and nowhere in the title, is mentioned in
# passing ("talks in Geneva", "like Japan before it"): its one mention counts a quarter.
PASSING_WEIGHT = 0.25
# A country named several times but never in the title or the lead is context (news puts its
# subjects first): it counts half, so its score says so to a reader filtering on it.
BODY_ONLY_WEIGHT = 0.5
# Cities that host supranational institutions stand, in news, for the institution more often
# than for the host country ("Brussels wants ...": the EU; "talks in Geneva": a UN venue): a
# mention counts like a dateline and does not make its country prominent. Keyed by the place's
# own (GeoNames) name, so every language's spelling is covered.
INSTITUTION_SEATS = frozenset({("BE", "Brussels"), ("CH", "Geneva"), ("CH", "Genève"),
                               ("FR", "Strasbourg"), ("NL", "The Hague")})
PRIMARY_SHARE = 0.5
# The score's bands: from PRIMARY_SHARE a subject, from 0.15 a secondary country, below that a
# mention in passing. A country named once, not in the title, and not primary is in passing
# even in an article that names few places (where its share of a weak strongest signal, or
# one mention in a short article's lead, would look high).
PASSING_SCORE = 0.1
# A country named in the title or the lead and named again is one of the story's subjects even
# when another dominates the text (talks between two states, a war's two sides): it is primary
# from this share of the strongest signal. Chosen on the project's regression set (F1 0.987 ->
# 0.994 there).
SECONDARY_SHARE = 0.25
# Among candidates of an ambiguous name with no other evidence, the more specific kind wins.
_KIND_RANK = {"country": 0, "region": 1, "city": 2, "demonym": 3}


class CountryOut(TypedDict):
    code: str
    name: str
    score: float
    mentions: int
    primary: bool


@dataclass(frozen=True, slots=True)
class FieldHits:
    field: Field
    hits: list[PlaceHit]
    dateline: tuple[int, int] | None = None  # the dateline's span in this field, if any

    def in_dateline(self, hit: PlaceHit) -> bool:
        return self.dateline is not None and (
            self.dateline[0] <= hit.start and hit.end <= self.dateline[1])


def resolve(all_hits: Iterable[FieldHits]) -> dict[tuple[Field, int], Candidate]:
    """Choose one candidate per hit. Every hit votes for each country it could mean (1/n of a
    vote each), so an ambiguous name follows the article: "Georgia" next to Atlanta is the US
    state, next to Tbilisi the country, and "Valencia, Barcelona, Zaragoza" agree on Spain.
    Ties go to the more specific kind, then to the bigger place (Madrid, Spain over Madrid,
    Colombia)."""
    groups = list(all_hits)
    support: defaultdict[str, float] = defaultdict(float)
    for g in groups:
        for h in g.hits:
            codes = {c.code for c in h.candidates}
            for code in codes:
                support[code] += 1 / len(codes)
    chosen: dict[tuple[Field, int], Candidate] = {}
    for g in groups:
        for h in g.hits:
            chosen[(g.field, h.start)] = min(
                h.candidates,
                key=lambda c: (-support[c.code], _KIND_RANK[c.kind], -c.population),
            )
    return chosen


def score(all_hits: Iterable[FieldHits],
          chosen: dict[tuple[Field, int], Candidate] | None = None) -> list[CountryOut]:
    """Aboutness per country; ``chosen`` is ``resolve``'s answer when the caller has it."""
    groups = list(all_hits)
    if chosen is None:
        chosen = resolve(groups)
    raw: defaultdict[str, float] = defaultdict(float)
    mentions: Counter[str] = Counter()
    prominent: set[str] = set()  # named in the title or the lead
    titled: set[str] = set()
    for g in groups:
        for h in g.hits:
            cand = chosen[(g.field, h.start)]
            if g.in_dateline(h) or (cand.code, cand.name) in INSTITUTION_SEATS:
                where = DATELINE_WEIGHT
            elif g.field == "title" or in_lead(g.field, h.start):
                where = TITLE_WEIGHT if g.field == "title" else LEAD_WEIGHT
                prominent.add(cand.code)
                if g.field == "title":
                    titled.add(cand.code)
            else:
                where = 1.0
            raw[cand.code] += KIND_WEIGHT[cand.kind] * where
            mentions[cand.code] += 1
    for code in raw:
        if mentions[code] == 1 and code not in prominent:
            raw[code] *= PASSING_WEIGHT
        elif code not in prominent:
            raw[code] *= BODY_ONLY_WEIGHT
    if not raw:
        return []
    top = max(raw.values())
    out = []
    for code, value in raw.items():
        primary = value >= PRIMARY_SHARE * top or (
            code in prominent and mentions[code] >= 2 and value >= SECONDARY_SHARE * top)
        if mentions[code] == 1 and code not in titled and value < top:
            primary = False  # named once beside a stronger country: in passing
        share = value / top
        if mentions[code] == 1 and code not in titled and not primary:
            share = min(share, PASSING_SCORE)  # in passing, however few the other places
        out.append(CountryOut(code=code, name=country_name(code), score=round(share, 3),
                              mentions=mentions[code], primary=primary))
    out.sort(key=lambda c: (-c["score"], c["code"]))
    return out
