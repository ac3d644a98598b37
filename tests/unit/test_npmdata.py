"""Pinned npm data files: fetched over HTTP from a registry, checked, cached; a failure is a
clear error, or (where tables are derived on first use) a left-out source, never a crash."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from worker.enrich import lexicons, npmdata

from .fakes import registry_server


def _tarball(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _integrity(blob: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode()


@pytest.fixture
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENRICH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    npmdata._download.cache_clear()
    monkeypatch.setattr(npmdata, "_failed", {})
    return tmp_path / "cache"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """A real HTTP server answering like the npm registry's tarball URLs."""
    served: dict[str, bytes] = {}
    with registry_server(served) as base:
        monkeypatch.setenv("npm_config_registry", f"{base}/")
        monkeypatch.delenv("NPM_CONFIG_REGISTRY", raising=False)
        yield served


def test_a_member_is_fetched_checked_and_then_read_from_the_cache(
        isolated_cache: Path, registry: dict[str, bytes]) -> None:
    blob = _tarball({"data/words.json": '{"bene": 2}'})
    registry["/demo-pkg/-/demo-pkg-1.0.0.tgz"] = blob
    pkg = npmdata.Package("demo-pkg", "1.0.0", _integrity(blob))
    assert npmdata.member(pkg, "data/words.json") == '{"bene": 2}'
    registry.clear()  # gone from the registry: the cache answers
    npmdata._download.cache_clear()
    assert npmdata.member(pkg, "data/words.json") == '{"bene": 2}'
    assert list(isolated_cache.iterdir())


def test_the_registry_is_read_like_npm_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = npmdata.Package("@scope/pkg", "1.2.3", "sha512-x")
    monkeypatch.delenv("NPM_CONFIG_REGISTRY", raising=False)
    monkeypatch.delenv("npm_config_registry", raising=False)
    assert pkg.url() == "https://registry.npmjs.org/@scope/pkg/-/pkg-1.2.3.tgz"
    monkeypatch.setenv("npm_config_registry", "https://mirror.example/npm/")
    assert pkg.url() == "https://mirror.example/npm/@scope/pkg/-/pkg-1.2.3.tgz"


def test_a_tarball_that_does_not_match_its_pin_is_refused(
        isolated_cache: Path, registry: dict[str, bytes]) -> None:
    registry["/demo-pkg/-/demo-pkg-1.0.0.tgz"] = _tarball({"a.json": "{}"})
    pkg = npmdata.Package("demo-pkg", "1.0.0", _integrity(b"something else"))
    with pytest.raises(npmdata.FetchError, match="sha512 mismatch"):
        npmdata.member(pkg, "a.json")
    assert not isolated_cache.exists() or not list(isolated_cache.iterdir())


def test_a_missing_member_or_package_is_one_clear_error(
        isolated_cache: Path, registry: dict[str, bytes]) -> None:
    blob = _tarball({"a.json": "{}"})
    registry["/demo-pkg/-/demo-pkg-1.0.0.tgz"] = blob
    with pytest.raises(npmdata.FetchError, match=r"no file package/b\.json"):
        npmdata.member(npmdata.Package("demo-pkg", "1.0.0", _integrity(blob)), "b.json")
    other = npmdata.Package("other-pkg", "2.0.0", _integrity(blob))
    with pytest.raises(npmdata.FetchError, match=r"cannot fetch .*other-pkg-2\.0\.0\.tgz"):
        npmdata.member(other, "a.json")
    # published now, but this process does not try again (no network: no second timeout)
    registry["/other-pkg/-/other-pkg-2.0.0.tgz"] = blob
    with pytest.raises(npmdata.FetchError, match="cannot fetch"):
        npmdata.member(other, "a.json")


def test_an_unreachable_lexicon_is_left_out_on_first_use_and_fails_prepare(
        isolated_cache: Path, registry: dict[str, bytes],
        caplog: pytest.LogCaptureFixture) -> None:
    """Spanish has only the translated AFINN: without it, the news concepts alone."""
    with pytest.raises(npmdata.FetchError):
        lexicons.derive("es", strict=True)
    table = lexicons.derive("es", strict=False)
    assert table["method"] == "lexicon:news"
    assert "afinn-mt left out for es" in caplog.text
    assert table["words"]  # the concepts in every inflected form are still there
