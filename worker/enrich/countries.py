"""Which countries an article is *about*, scored from every place signal in it.

A baseline tagger (CLIFF's "most mentioned country") counts mentions. Here each mention is
weighted by what it is and where it is: a country named in the title says more than a city in
the last paragraph, and a nationality adjective ("giapponese", as a historical aside) says
less than the country's name. Scores are normalised so the strongest country is 1.0; countries
with at least ``PRIMARY_SHARE`` of the strongest signal are ``primary``, and so are those named
in the title or the lead sentence and again, from ``SECONDARY_SHARE``; never, outside the title
and beside a stronger country, one named once or one named only as an actor (nationalities,
institutions).

Two kinds of evidence say *where* a story happens and one says *who* takes part: places
(countries, regions, cities, towns resolved by another step) and national institutions ("the
Kremlin", "i carabinieri") place it; a nationality word placed next to a person ("un albanese
di 30 anni") only says who, and weighs far less. A story that names no place at all (local
news: the reader knows where the paper is) takes its country from a prior: the outlet's country
when the producer gives it; else, when the story names people by nationality and no place
(reporters name the nationality of foreigners in a story at home: "un albanese arrestato"), the
country where most speakers of the article's language live, where one country has most of them
(Italian, Portuguese).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TypedDict

from . import mentionroles
from .places import (
    CITY_MIN_POPULATION,
    Candidate,
    PlaceHit,
    country_name,
    country_population,
    official_in,
)
from .text import Field, Sentence, in_lead

KIND_WEIGHT = {"country": 1.0, "region": 0.8, "city": 0.8, "demonym": 0.5, "institution": 0.5}
# Kinds that say where a story happens (a demonym says who takes part).
WHERE_KINDS = frozenset({"country", "region", "city", "institution"})
# Kinds that name an actor: a nationality ("Chinese investors"), an institution ("the
# Pentagon"). A country named only so, and not in the title, takes part in a story about
# another: it is primary only where nothing stronger is named.
ACTOR_KINDS = frozenset({"demonym", "institution"})
# A nationality word that describes one person ("un cittadino albanese", "a 30-year-old
# Romanian") says who took part, not where: it weighs a third of a demonym and does not make
# its country prominent (see ``demonyms.of_person``).
NATIONAL_WEIGHT = 0.15
# A story that names no place gets its country from the prior (the outlet's country, or the
# language's), as much as a country named once in the body with no discount.
PRIOR_WEIGHT = 1.0
# The language prior: a language whose speakers live mostly in one country (CLDR's speaker
# shares in every territory): Italian 0.82 Italy, Portuguese 0.81 Brazil; German (0.54
# Germany), French, Spanish and English have none.
LANGUAGE_PRIOR_SHARE = 0.75
# A town another step resolved (GeoNames' lists go down to villages, where names repeat across
# countries) counts as a city where the article's other places, or other towns, agree with
# its country; alone against them, like a passing mention.
TOWN_DISSENT_WEIGHT = 0.25
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
# A country that is not primary and never named in the title or the lead sentence is context
# (the background of a story about others): its score is halved, so that the secondary band
# (from 0.15) holds the countries a story is partly about and context reads below it unless it
# is named again and again.
CONTEXT_SCORE = 0.5
# The score's bands: from PRIMARY_SHARE a subject, from 0.15 a secondary country, below that a
# mention in passing. A country named once, not in the title, and not primary is in passing
# even in an article that names few places (where its share of a weak strongest signal, or
# one mention in a short article's lead, would look high).
PASSING_SCORE = 0.1
# A country named in the title or the lead sentence and named again is one of the story's
# subjects even when another dominates the text (talks between two states, a war's two sides):
# it is primary from this share of the strongest signal. Chosen on the project's regression set
# (F1 0.987 -> 0.994 there). The lead here is the news lead, the body's first sentence (after
# the dateline), which says who did what where; the sentences after it, still within the first
# 400 characters, give the background (where an exile was spent, where the victim died).
SECONDARY_SHARE = 0.25
# Among candidates of an ambiguous name with no other evidence, the more specific kind wins.
_KIND_RANK = {"country": 0, "region": 1, "city": 2, "institution": 3, "demonym": 4}
# The prior's support when an ambiguous name is resolved: less than one agreeing mention.
PRIOR_SUPPORT = 0.5


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
    # Starts of the nationality words that describe a person (``demonyms.of_person``).
    nationals: frozenset[int] = frozenset()
    # The field's text: the words between two mentions say whether one qualifies the other
    # ("Istanbul, Turkey") or both are items of a list (``mentionroles``).
    text: str = ""
    # Where the field's lead sentence ends (``lead_end``); None: not known, and the lead of
    # ``in_lead`` serves.
    lead_end: int | None = None

    def in_dateline(self, hit: PlaceHit) -> bool:
        return self.dateline is not None and (
            self.dateline[0] <= hit.start and hit.end <= self.dateline[1])


def lead_end(sentences: Sequence[Sentence], dateline: tuple[int, int] | None = None) -> int:
    """Where the lead sentence of a field ends: its first sentence that goes on past the
    dateline ("TEGUCIGALPA, HONDURAS.- Tras la extradición ..." is one lead). 0 for an empty
    field."""
    after = dateline[1] if dateline is not None else 0
    return next((x.end for x in sentences if x.end > after), 0)


def resolve(all_hits: Iterable[FieldHits],
            prior: Prior | None = None) -> dict[tuple[Field, int], Candidate]:
    """Choose one candidate per hit. Every hit votes for each country it could mean (1/n of a
    vote each), so an ambiguous name follows the article: "Georgia" next to Atlanta is the US
    state, next to Tbilisi the country, and "Valencia, Barcelona, Zaragoza" agree on Spain.
    Ties go to the more specific kind, then to the bigger place (Madrid, Spain over Madrid,
    Colombia). The ``prior`` country leans ambiguous names its way, less than a mention."""
    groups = list(all_hits)
    support: defaultdict[str, float] = defaultdict(float)
    if prior is not None:
        support[prior.code] += PRIOR_SUPPORT
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


@dataclass(frozen=True, slots=True)
class ResolvedPlace:
    """A place another step resolved (a town from GeoNames' fuller lists, with its id and
    coordinates there): where it is in the text and which country it is in."""

    field: Field
    start: int
    code: str
    population: int = 0


@cache
def language_prior(lang: str | None) -> str | None:
    """The country where most speakers of ``lang`` live, if one has ``LANGUAGE_PRIOR_SHARE``
    of them (CLDR territory data: the share of each territory's population speaking it;
    populations from GeoNames)."""
    from babel.core import get_global

    if not lang:
        return None
    speakers: dict[str, float] = {}
    for territory, langs in get_global("territory_languages").items():
        info = langs.get(lang)
        if info:
            speakers[territory] = country_population(territory) * info["population_percent"]
    total = sum(speakers.values())
    if not total:
        return None
    code, most = max(speakers.items(), key=lambda kv: kv[1])
    return code if most >= LANGUAGE_PRIOR_SHARE * total else None


@dataclass(frozen=True, slots=True)
class Prior:
    """Where a story that names no place happens. ``given``: stated, by the producer (the
    outlet's country) or by the text (the one country whose money it counts in); else the
    language's country, a guess used only when the story names people by nationality."""

    code: str
    given: bool


def prior(source_country: object, lang: str | None, money: str | None = None) -> Prior | None:
    """The outlet's country (the input's ``source_country``), else the country whose money
    the story counts in (``currencies.country``: "una sanción de S/ 20 000" in a story about a
    court that names no place), else the language's (``language_prior``)."""
    if isinstance(source_country, str) and len(source_country) == 2 and source_country.isupper():
        return Prior(source_country, True)
    if money is not None:
        return Prior(money, True)
    code = language_prior(lang)
    return Prior(code, False) if code else None


def home(source_country: object, lang: str | None) -> frozenset[str] | None:
    """The countries an article may be local news of: where its language is official
    nationally (CLDR), and the outlet's country when the producer gives it. None when neither
    is known. A local story can name its own town once, in passing ("a bar in Ostia"); a story
    set abroad locates itself early (title, lead or dateline), so a foreign place named once,
    later, is a reference, not the setting (see ``score``)."""
    given = prior(source_country, None)
    codes = (official_in(lang) if lang else frozenset()) | (
        {given.code} if given is not None else set())
    return codes or None


def score(all_hits: Iterable[FieldHits],
          chosen: dict[tuple[Field, int], Candidate] | None = None,
          prior: Prior | None = None,
          towns: Iterable[ResolvedPlace] = (),
          home: frozenset[str] | None = None) -> list[CountryOut]:
    """Aboutness per country; ``chosen`` is ``resolve``'s answer when the caller has it;
    ``prior`` the country of a story that names no place (see ``prior``); ``towns`` places
    resolved by another step, weighed by whether the article's other places agree; ``home``
    the countries the story may be local news of (see ``home``; None: not known)."""
    groups = list(all_hits)
    if chosen is None:
        chosen = resolve(groups, prior)
    groups = _without_lone_small_capitals(groups, chosen)
    t = _Tally()
    for g in groups:
        _tally_field(g, chosen, t)
    raw, mentions, prominent, titled, where, placed = (
        t.raw, t.mentions, t.prominent, t.titled, t.where, t.placed)
    towns = list(towns)
    before = set(prominent)
    _add_towns(towns, where, prior, raw, mentions, prominent, titled)
    t.led |= prominent - before  # a town's sentence is not known: the lead of ``in_lead``
    placed |= {t.code for t in towns}
    for code in raw:
        if mentions[code] == 1 and code not in prominent:
            raw[code] *= PASSING_WEIGHT
        elif code not in prominent:
            raw[code] *= BODY_ONLY_WEIGHT
    if prior is not None and not where and (prior.given or raw):
        raw[prior.code] += PRIOR_WEIGHT  # no place named: the story happens at home
    if not raw:
        return []
    top, total = max(raw.values()), sum(raw.values())
    out = []
    for code, value in raw.items():
        primary = value >= PRIMARY_SHARE * top or (
            code in t.led and mentions[code] >= 2 and value >= SECONDARY_SHARE * top)
        if code not in titled and value < top and (
                mentions[code] == 1 or code not in placed):
            primary = False  # in passing, or an actor in a story about a stronger country
        if (home is not None and code not in home and mentions[code] == 1
                and code not in prominent and code not in t.datelined):
            primary = False  # a foreign place named once, in passing: not where a story is set
        # A subject is scored against the strongest subject; any other country by its share
        # of all the article's evidence: how much of what the article says about places
        # concerns it.
        share = value / top if primary else value / total
        if mentions[code] == 1 and code not in titled and not primary:
            share = min(share, PASSING_SCORE)  # in passing, however few the other places
        elif not primary and code not in t.led:
            share *= CONTEXT_SCORE  # context: below the secondary band unless named often
        out.append(CountryOut(code=code, name=country_name(code), score=round(share, 3),
                              mentions=mentions[code], primary=primary))
    out.sort(key=lambda c: (-c["score"], c["code"]))
    return out


def _small_capital(cand: Candidate) -> bool:
    """A city of a country smaller than the gazetteer's smallest city (a territory of a few
    thousand people: Anguilla, Nauru, Liechtenstein): its capital, in the table only as such.
    The country's size is the measure, not the town's, which GeoNames sometimes gives for a
    district of it (Washington, 16,664)."""
    return cand.kind == "city" and country_population(cand.code) < CITY_MIN_POPULATION


def _without_lone_small_capitals(groups: list[FieldHits],
                                 chosen: dict[tuple[Field, int], Candidate]) -> list[FieldHits]:
    """Drop the mentions of a small capital whose country nothing else in the article names.
    The gazetteer holds every capital whatever its size, and with it all its names in every
    script; the capital of a territory of a few thousand people is a word many languages have
    for something else (Stanley, the Falklands' capital, is a given name in any script). A
    geographer reads a small capital as its country's where the country, its people or another
    of its places are named too; alone, it is too weak to set a story."""
    small = {(g.field, h.start) for g in groups for h in g.hits
             if _small_capital(chosen[(g.field, h.start)])}
    if not small:
        return groups
    backed = {chosen[(g.field, h.start)].code for g in groups for h in g.hits
              if (g.field, h.start) not in small}
    drop = {key for key in small if chosen[key].code not in backed}
    if not drop:
        return groups
    return [replace(g, hits=[h for h in g.hits if (g.field, h.start) not in drop])
            for g in groups]


@dataclass
class _Tally:
    """What the mentions of an article add up to, per country."""

    raw: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    mentions: Counter[str] = field(default_factory=Counter)
    prominent: set[str] = field(default_factory=set)  # named in the title or the lead
    titled: set[str] = field(default_factory=set)
    where: set[str] = field(default_factory=set)  # countries of the places (not nationalities)
    placed: set[str] = field(default_factory=set)  # named as places, not only as actors
    datelined: set[str] = field(default_factory=set)  # named in the dateline
    led: set[str] = field(default_factory=set)  # named in the title or the lead sentence


def _tally_field(g: FieldHits, chosen: dict[tuple[Field, int], Candidate], t: _Tally) -> None:
    """Add one field's mentions to ``t``: each weighed by its kind and its position; a
    qualifier ("Istanbul, Turkey") is no mention of its own, an item of a list of countries in
    the body is one in passing (``mentionroles``)."""
    picked = {h.start: chosen[(g.field, h.start)] for h in g.hits}
    qualifiers = mentionroles.qualifiers(g.text, g.hits, picked)
    listed = mentionroles.enumerated(g.text, g.hits, picked)
    last: tuple[float, float] | None = None  # the previous mention's kind and position weights
    for h in sorted(g.hits, key=lambda h: h.start):
        cand = picked[h.start]
        if h.start in qualifiers and last is not None:
            # "Yokohama, Japan": one reference, as strong as its strongest name.
            kind_weight, at = last
            t.raw[cand.code] += max(0.0, KIND_WEIGHT[cand.kind] - kind_weight) * at
            continue
        national = cand.kind == "demonym" and h.start in g.nationals
        if cand.kind not in ACTOR_KINDS:
            t.placed.add(cand.code)
        if cand.kind in WHERE_KINDS:
            t.where.add(cand.code)
        if g.in_dateline(h):
            t.datelined.add(cand.code)
        if g.in_dateline(h) or (cand.code, cand.name) in INSTITUTION_SEATS:
            at = DATELINE_WEIGHT
        elif g.field == "title" or in_lead(g.field, h.start):
            at = TITLE_WEIGHT if g.field == "title" else LEAD_WEIGHT
            if not national:
                t.prominent.add(cand.code)
                if g.field == "title" or g.lead_end is None or h.start < g.lead_end:
                    t.led.add(cand.code)
                if g.field == "title":
                    t.titled.add(cand.code)
        elif h.start in listed:
            at = PASSING_WEIGHT  # a list in the body; one in the title or lead names subjects
        else:
            at = 1.0
        weight = NATIONAL_WEIGHT if national else KIND_WEIGHT[cand.kind]
        t.raw[cand.code] += weight * at
        t.mentions[cand.code] += 1
        last = (weight, at)


def _add_towns(towns: list[ResolvedPlace], where: set[str], prior: Prior | None,
               raw: defaultdict[str, float], mentions: Counter[str], prominent: set[str],
               titled: set[str]) -> None:
    """Towns count as cities where their country agrees with the article's other places, the
    prior, or another town; a lone dissenting town counts as a passing mention. ``where``
    gains their countries."""
    by_country = Counter(t.code for t in towns)
    agreed = where | ({prior.code} if prior else set()) | {
        c for c, n in by_country.items() if n > 1}
    for t in towns:
        at = TITLE_WEIGHT if t.field == "title" else LEAD_WEIGHT if in_lead(t.field, t.start) \
            else 1.0
        if t.code in agreed or not where:
            if at > 1.0:
                prominent.add(t.code)
                if t.field == "title":
                    titled.add(t.code)
            raw[t.code] += KIND_WEIGHT["city"] * at
        else:
            raw[t.code] += KIND_WEIGHT["city"] * TOWN_DISSENT_WEIGHT
        mentions[t.code] += 1
    where.update(by_country)
