"""The disk cache of derived data: where it writes, and that it never blocks the work."""

from __future__ import annotations

from pathlib import Path

import pytest

from worker.enrich import diskcache


def test_explicit_directory_first_then_home_then_temp(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENRICH_CACHE_DIR", str(tmp_path / "image"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    found = diskcache.dirs()
    assert found[0] == tmp_path / "image" and found[1] == tmp_path / "home" / "enrich-worker"


def test_derived_once_then_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENRICH_CACHE_DIR", str(tmp_path))
    calls = []

    def derive() -> str:
        calls.append(1)
        return "data"

    assert diskcache.text("t-derived.txt", derive) == "data"
    assert diskcache.text("t-derived.txt", derive) == "data"
    assert len(calls) == 1 and (tmp_path / "t-derived.txt").read_text() == "data"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_unwritable_directory_is_skipped(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a directory below a file cannot be made, even by root
    monkeypatch.setenv("ENRICH_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    assert diskcache.write("t-ro.txt", "x")
    assert (tmp_path / "home" / "enrich-worker" / "t-ro.txt").read_text() == "x"
    assert diskcache.read("t-ro.txt") == "x"
