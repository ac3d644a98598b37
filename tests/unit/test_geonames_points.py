"""GeoNames' own country points: the crate is fetched like cargo fetches it and checked, its
k-d tree read, and one rule picks each country's entry among the entries named like it."""

from __future__ import annotations

import hashlib
import io
import json
import math
import struct
import tarfile
from collections.abc import Iterator

import pytest

from worker.enrich import cratedata, geonames, geonames_points, npmdata

from .fakes import registry_server


def _text(s: str) -> bytes:
    raw = s.encode()
    return struct.pack("<Q", len(raw)) + raw


def _leaf(entries: list[tuple[str, float, float, str]]) -> bytes:
    """A kiddo 0.2 leaf as bincode writes it, positions as unit vectors."""
    vecs = []
    for _, lat, lon, _ in entries:
        la, lo = math.radians(lat), math.radians(lon)
        vecs.append((math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)))
    out = struct.pack("<Q6f", len(entries), *([0.0] * 6)) + struct.pack("<I", 1)
    out += struct.pack("<Q", 3 * len(vecs)) + b"".join(struct.pack("<3f", *v) for v in vecs)
    out += struct.pack("<Q", len(entries))
    for (name, _, _, country), v in zip(entries, vecs, strict=True):
        out += _text(name) + struct.pack("<3f", *v) + _text(country)
    return out + struct.pack("<Q", 16)


def _stem(left: bytes, right: bytes) -> bytes:
    return (struct.pack("<Q6f", 0, *([0.0] * 6)) + struct.pack("<I", 0) + left + right
            + struct.pack("<fB", 0.5, 1))


def test_the_crates_tree_is_read_entry_by_entry() -> None:
    first = [("Northmoor", 51.2, -1.4, "Exampleland"), ("Southmoor", -33.5, 151.25, "XK")]
    second = [("Eastmoor", 10.0, 179.9, "Exampleland")]
    blob = _stem(_stem(_leaf(first), _leaf([])), _leaf(second))
    got = list(geonames_points.records(blob))
    assert [g[0] for g in got] == ["Northmoor", "Southmoor", "Eastmoor"]
    for (name, lat, lon, country), want in zip(got, first + second, strict=True):
        assert (name, country) == (want[0], want[3])
        assert abs(lat - want[1]) < 1e-4 and abs(lon - want[2]) < 1e-4
    with pytest.raises(ValueError, match="bytes after the tree"):
        list(geonames_points.records(blob + b"\0"))
    with pytest.raises(ValueError, match="unknown node tag 7"):
        list(geonames_points.records(struct.pack("<Q6fI", 0, *([0.0] * 6), 7)))


def test_the_entries_wanted_are_those_of_that_country_so_named() -> None:
    tree = [("Republic of Examplia", 12.0, 30.0, "EX"),
            ("Examplia", 40.0, -90.0, "OT"),  # a namesake in another country
            ("Port Examplia", 12.5, 30.5, "EX"),
            ("EXAMPLIA", 11.0, 29.0, "EX")]
    wanted = {"EX": {"examplia", "republic of examplia"}}
    assert geonames_points.candidates(tree, wanted) == {
        ("EX", "republic of examplia"): [("Republic of Examplia", 12.0, 30.0)],
        ("EX", "examplia"): [("EXAMPLIA", 11.0, 29.0)]}


def test_the_country_entry_is_not_a_town_then_officially_named_then_nearest_the_factbook(
        ) -> None:
    def is_town(name: str, lat: float, lon: float) -> bool:
        return (name, lat, lon) == ("Examplia", 11.0, 29.0)

    entries = [("Examplia", 11.0, 29.0), ("Examplia", 20.0, 31.0), ("Examplia", 13.0, 33.0)]
    # the capital, named like the country, is left out; then the nearer to the Factbook's
    assert geonames_points.pick(entries, None, (12.0, 32.0), is_town) == (13.0, 33.0)
    # an entry under the official name wins over the island or the region named shortly
    official = [*entries, ("Republic of Examplia", 25.0, 25.0)]
    assert geonames_points.pick(official, "Republic of Examplia", (12.0, 32.0),
                                is_town) == (25.0, 25.0)
    assert geonames_points.pick(entries[:1], None, (12.0, 32.0), is_town) is None
    assert geonames_points.pick(entries[1:2], None, None, is_town) == (20.0, 31.0)


def test_a_units_entry_lies_among_its_own_towns() -> None:
    """A region's entry: not a town, and its nearest town of the index is in that region (a
    village named like a state in another state is left out); of several, the nearest to
    the point derived from its towns."""
    grid = geonames_points.Grid([(50.0, 10.0, "EX.01"), (50.5, 11.0, "EX.01"),
                                 (40.0, 20.0, "EX.02"), (41.0, 21.0, "EX.02")])

    def inside(lat: float, lon: float) -> bool:
        return grid.nearest(lat, lon) == "EX.01"

    def is_town(name: str, lat: float, lon: float) -> bool:
        return (lat, lon) == (50.5, 11.0)

    cands = [("Northmark", 40.2, 20.1), ("Northmark", 50.5, 11.0), ("Northmark", 52.0, 9.0)]
    assert geonames_points.pick_unit(cands, (40.5, 20.5), is_town, inside) == (52.0, 9.0)
    assert geonames_points.pick_unit(cands[:2], (40.5, 20.5), is_town, inside) is None


def test_the_nearest_label_is_found_across_cells_and_the_antimeridian() -> None:
    grid = geonames_points.Grid([(65.2, 179.9, "EAST"), (65.0, -175.0, "WEST"),
                                 (10.1, 20.1, "A"), (11.05, 21.05, "B")])
    assert grid.nearest(65.1, -179.95) == "EAST"  # across 180 degrees, 0.15 away
    assert grid.nearest(10.9, 20.95) == "B"  # in the next cell, nearer than A in its own
    assert grid.nearest(-40.0, 0.0) is None  # nothing within the rings searched


def test_geonames_own_points_where_the_crate_has_them() -> None:
    """The United States at GeoNames' point, Russia at the Factbook's (GeoNames' too), and
    a country the crate's cut lacks keeps countryinfo's."""
    idx = geonames.index()
    assert (idx.countries["US"].lat, idx.countries["US"].lon) == (39.76, -98.5)
    assert (idx.countries["JP"].lat, idx.countries["JP"].lon) == (35.68536, 139.7531)
    assert (idx.countries["RU"].lat, idx.countries["RU"].lon) == (60.0, 100.0)
    assert (idx.countries["FR"].lat, idx.countries["FR"].lon) == (46.0, 2.0)
    alberta, manitoba = idx.regions["CA.01"], idx.regions["CA.03"]
    assert (alberta.lat, alberta.lon) == (52.28333, -117.469)
    assert (manitoba.lat, manitoba.lon) == (55.00019, -97.00049)


def test_without_the_crate_the_factbook_points_are_used_and_not_stored(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def unreachable() -> Iterator[geonames_points.Record]:
        raise npmdata.FetchError("rgeo@0.3.0: cannot fetch")

    monkeypatch.setattr(geonames_points, "entries", unreachable)
    countries = {"US": [6252001, "United States", 38.0, -97.0, 1]}
    regions = {"US.TX": [4736286, "Texas", 31.5, -99.0, 1]}
    assert not geonames._own_points(countries, regions, {}, {}, [], {})
    assert countries["US"][2:4] == [38.0, -97.0] and regions["US.TX"][2:4] == [31.5, -99.0]
    assert "GeoNames' own points left out" in caplog.text


def _crate(name: str, version: str, files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(f"{name}-{version}/{path}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@pytest.fixture
def index_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """A real HTTP server answering like a sparse crates index and its downloads."""
    served: dict[str, bytes] = {}
    with registry_server(served) as base:
        served["/index/config.json"] = json.dumps({"dl": f"{base}/dl"}).encode()
        monkeypatch.setenv("ENRICH_CRATES_INDEX", f"{base}/index/")
        monkeypatch.setattr(cratedata, "_failed", {})
        yield served


def test_a_crate_is_fetched_as_cargo_fetches_it_and_checked(
        index_server: dict[str, bytes]) -> None:
    blob = _crate("demo", "1.0.0", {"src/data/a.bin": b"\x01\x02", "README": b"hi"})
    index_server["/dl/demo/1.0.0/download"] = blob
    crate = cratedata.Crate("demo", "1.0.0", hashlib.sha256(blob).hexdigest())
    assert cratedata.members(crate, "src/data/a.bin", "README") == [b"\x01\x02", b"hi"]
    with pytest.raises(npmdata.FetchError, match=r"no file demo-1\.0\.0/src/data/b\.bin"):
        cratedata.members(crate, "src/data/b.bin")
    wrong = cratedata.Crate("demo", "1.0.0", hashlib.sha256(b"other").hexdigest())
    with pytest.raises(npmdata.FetchError, match="sha256 mismatch"):
        cratedata.members(wrong, "src/data/a.bin")
    missing = cratedata.Crate("gone", "2.0.0", "0" * 64)
    with pytest.raises(npmdata.FetchError, match="cannot fetch"):
        cratedata.members(missing, "src/data/a.bin")
    # published now, but this process does not try again (no network: no second timeout)
    index_server["/dl/gone/2.0.0/download"] = blob
    with pytest.raises(npmdata.FetchError, match="cannot fetch"):
        cratedata.members(missing, "src/data/a.bin")


def test_the_download_address_follows_cargos_template_rule() -> None:
    crate = cratedata.Crate("rgeo", "0.3.0", "ab" * 32)
    assert (cratedata.download_url(crate, "https://dl.example/crates")
            == "https://dl.example/crates/rgeo/0.3.0/download")
    assert (cratedata.download_url(crate, "https://dl.example/{prefix}/{crate}-{version}.crate")
            == "https://dl.example/rg/eo/rgeo-0.3.0.crate")
    assert [cratedata._prefix(n) for n in ("a", "ab", "abc", "serde")] == [
        "1", "2", "3/a", "se/rd"]

