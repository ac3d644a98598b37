"""ENRICH_NER and ENRICH_MODELS at start-up: what cannot be met is one line and exit 2, never a
worker that quietly runs something else."""

from __future__ import annotations

import subprocess
import sys

import pytest

from worker.config import ConfigError, Settings
from worker.enrich import models

from ..conftest import ROOT

KAFKA = {"ENRICH_BOOTSTRAP_SERVERS": "k:1"}


def test_the_default_mode_and_an_explicit_one() -> None:
    assert Settings.load(env=KAFKA).ner_mode == "both"
    assert Settings.load(env={**KAFKA, "ENRICH_NER": "rules"}).ner_mode == "rules"
    assert Settings.load(env=KAFKA, flags={"ner": "model"}).ner_mode == "model"


@pytest.mark.parametrize(("env", "words"), [
    ({"ENRICH_NER": "fast"}, "ENRICH_NER='fast': must be one of model, rules, both"),
    ({"ENRICH_MODELS": "en=en_core_web_xx_nowhere"}, "en_core_web_xx_nowhere is not installed"),
    ({"ENRICH_MODELS": "it=fr_core_news_sm"}, "fr_core_news_sm is a 'fr' pipeline, not 'it'"),
    ({"ENRICH_MODELS": "en"}, "LANG=PACKAGE"),
    ({"ENRICH_MODELS": "fr=fr_core_news_sm", "ENRICH_NER": "rules"},
     "ENRICH_MODELS names pipelines but ENRICH_NER=rules runs none"),
])
def test_settings_that_cannot_be_met_are_named(env: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        Settings.load(env={**KAFKA, **env})


def test_a_list_asks_for_the_first_installed() -> None:
    s = Settings.load(env={**KAFKA, "ENRICH_MODELS": "fr=fr_core_news_md|fr_core_news_sm"})
    assert s.models.startswith("fr=")
    with pytest.raises(ConfigError, match="fr_core_news_md or fr_core_news_lg is not installed"):
        Settings.load(env={**KAFKA, "ENRICH_MODELS": "fr=fr_core_news_md|fr_core_news_lg"})


def test_model_or_both_without_any_pipeline_is_an_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "_installed", lambda name: False)
    for mode in ("model", "both"):
        with pytest.raises(ConfigError, match=f"ENRICH_NER={mode}: no spaCy pipeline"):
            Settings.load(env={**KAFKA, "ENRICH_NER": mode})
    # Unset, the default runs the rules where no pipeline is installed, as every language
    # without one always did; rules never needs one.
    assert Settings.load(env=KAFKA).ner_mode == "both"
    assert Settings.load(env={**KAFKA, "ENRICH_NER": "rules"}).ner_mode == "rules"


def test_enrich_command_reports_a_missing_package_in_one_line() -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "worker.cli", "enrich", "--models",
                          "en=en_core_web_typo"], env=env, cwd=ROOT, input="",
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "en_core_web_typo is not installed" in out.stderr
