"""The evaluation reads every visible real-news set and adds them up per language."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from worker.evaluation import realnews
from worker.evaluation.scores import PRF


def test_both_visible_sets_are_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(realnews.ENV, raising=False)
    paths = realnews.locations()
    assert [p.name for p in paths] == ["real-news", "real-news-2"]
    assert paths[0].parent == paths[1].parent and paths[0].parent.name == "eval"
    assert realnews.location() == paths[0]


def test_sets_can_be_given_as_a_path_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(realnews.ENV, os.pathsep.join(["/a/one", "/b/two"]))
    assert realnews.locations() == [Path("/a/one"), Path("/b/two")]
    assert realnews.locations("/c/three") == [Path("/c/three")]


def test_sets_add_up_per_language() -> None:
    one, two = realnews.RealNews(), realnews.RealNews()
    one.langs["it"].n, one.langs["it"].primary = 2, PRF(tp=2, fp=1, fn=0)
    two.langs["it"].n, two.langs["it"].primary = 3, PRF(tp=3, fp=0, fn=1)
    two.langs["de"].n, two.langs["de"].scored = 1, PRF(tp=1, fp=1, fn=0)
    both = realnews.combined([one, two])
    assert both.langs["it"].n == 5
    assert (both.langs["it"].primary.tp, both.langs["it"].primary.fp,
            both.langs["it"].primary.fn) == (5, 1, 1)
    assert both.langs["de"].scored.fp == 1
    table = realnews.countries_table(both)
    assert "| it | 5 |" in table and "| all | 6 |" in table


def test_a_missing_set_is_skipped_with_a_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert realnews.main_all([tmp_path / "nothing"]) is False
    assert "skipped" in capsys.readouterr().out
