"""ENRICH_NER=model|rules|both: how the model's and the rules' mentions are merged, and what
each mode runs."""

from __future__ import annotations

from typing import Any

import pytest

from worker.enrich import Enricher, ModelRegistry, ner, ordinary
from worker.enrich.entities import Mention


def _m(text: str, start: int, label: str, method: str = "ner:x", field: str = "body",
       ) -> Mention:
    return Mention(field, start, start + len(text), text, label, method)  # type: ignore[arg-type]


def _r(text: str, start: int, label: str = "PERSON") -> Mention:
    return _m(text, start, label, "rules")


def _spans(ms: list[Mention]) -> list[tuple[str, str, str]]:
    return [(m.text, m.label, m.method) for m in ms]


def test_agreement_takes_the_rule_boundary_and_the_model_method() -> None:
    # "M. Macron" from the model, "Macron" from the rules: one mention, the rule's span.
    out = ner.merge([_m("M. Macron", 10, "PERSON")], [_r("Macron", 13)])
    assert _spans(out) == [("Macron", "PERSON", "ner:x")]


def test_a_rule_person_relabels_the_model_org_or_misc_but_not_a_place() -> None:
    model = [_m("Oksana Petrenko", 0, "ORG"), _m("Ana Silva", 30, "MISC"),
             _m("Georgia Street", 60, "LOC")]
    rules = [_r("Oksana Petrenko", 0), _r("Ana Silva", 30), _r("Georgia", 60)]
    assert _spans(ner.merge(model, rules)) == [
        ("Oksana Petrenko", "PERSON", "ner:x"), ("Ana Silva", "PERSON", "ner:x"),
        ("Georgia Street", "LOC", "ner:x")]


def test_a_model_org_named_after_a_place_stays_an_org() -> None:
    # "Washington" and "Savannah" are given names too; a model ORG starting with a place is an
    # organisation named after it, and keeps its label (and its place for the geoparser).
    model = [_m("Washington Post", 0, "ORG"), _m("Savannah Morning News", 30, "ORG"),
             _m("Washington Irving", 60, "PERSON")]
    rules = [_r("Washington Post", 0), _r("Savannah Morning", 30), _r("Washington Irving", 60)]
    out = ner.merge(model, rules, lambda w: w in {"Washington", "Savannah"})
    assert _spans(out) == [("Washington Post", "ORG", "ner:x"),
                           ("Savannah Morning News", "ORG", "ner:x"),
                           ("Washington Irving", "PERSON", "ner:x")]
    assert _spans(ner.merge(model[:1], rules[:1]))[0][1] == "PERSON", "without the place test"


def test_an_unconfirmed_lone_model_person_needs_a_longer_person_it_ends() -> None:
    model = [_m("Vladimir Putin", 0, "PERSON"), _m("Putin", 40, "PERSON"),
             _m("Huawei", 80, "PERSON")]
    out = ner.merge(model, [_r("Vladimir Putin", 0)])
    assert [m.text for m in out] == ["Vladimir Putin", "Putin"]


def test_an_unconfirmed_model_person_made_of_dictionary_words_is_dropped() -> None:
    assert ordinary.is_ordinary("Fleece") and not ordinary.is_ordinary("Kalashnyk")
    model = [_m("Mykola Kalashnyk", 0, "PERSON"), _m("Tech Fleece", 40, "PERSON")]
    assert [m.text for m in ner.merge(model, [])] == ["Mykola Kalashnyk"]


def test_rule_mentions_fill_the_gaps_between_model_spans() -> None:
    model = [_m("Bank of England", 0, "ORG")]
    rules = [_r("England", 8, "ORG"), _r("NATO", 30, "ORG"), _r("Anna Rossi", 50)]
    out = ner.merge(model, rules)
    assert _spans(out) == [("Bank of England", "ORG", "ner:x"), ("NATO", "ORG", "rules"),
                           ("Anna Rossi", "PERSON", "rules")]


def test_fields_do_not_mix() -> None:
    out = ner.merge([_m("Anna Rossi", 0, "ORG", field="title")], [_r("Anna Rossi", 0)])
    assert _spans(out) == [("Anna Rossi", "ORG", "ner:x"), ("Anna Rossi", "PERSON", "rules")]


def test_longest_of_overlapping_rule_mentions() -> None:
    got = ner.longest([_r("George Washington", 0), _r("George Washington University", 0, "ORG"),
                       _r("Anna", 40)])
    assert [m.text for m in got] == ["George Washington University", "Anna"]


# -- the Enricher per mode ------------------------------------------------------------------

TEXT = ("The Ministry of Defence said on Monday that Oksana Petrenko, a spokeswoman, had met "
        "the European Central Bank's president in Frankfurt.")


@pytest.fixture(scope="module")
def registry() -> ModelRegistry:
    return ModelRegistry()


def _enrich(registry: ModelRegistry, mode: str, article: dict[str, Any]) -> dict[str, Any]:
    return dict(Enricher(registry, ner_mode=mode).enrich(article))


def test_rules_mode_runs_no_pipeline(registry: ModelRegistry) -> None:
    e = _enrich(registry, "rules", {"id": "r", "lang": "en", "body": TEXT})
    assert e["pipeline"]["ner"] is None
    methods = {x["method"] for x in e["entities"]}
    assert methods <= {"rules", "gazetteer"}
    by = {x["text"]: x["label"] for x in e["entities"]}
    assert by.get("Ministry of Defence") == "ORG" and by.get("European Central Bank") == "ORG"
    assert by.get("Oksana Petrenko") == "PERSON"


def test_model_and_both_run_the_pipeline(registry: ModelRegistry) -> None:
    for mode in ("model", "both"):
        e = _enrich(registry, mode, {"id": "m", "lang": "en", "body": TEXT})
        assert e["pipeline"]["ner"].startswith("en_core_web_sm"), mode
        assert any(x["method"].startswith("ner:") for x in e["entities"]), mode


def test_model_mode_keeps_the_output_of_before_where_no_pipeline_exists(
        registry: ModelRegistry) -> None:
    art = {"id": "i", "lang": "it", "body": "Il ministero dell'Interno ha convocato il "
           "prefetto, mentre la Banca d'Italia ha pubblicato il rapporto annuale."}
    model = {x["text"] for x in _enrich(registry, "model", art)["entities"]}
    rules = {x["text"] for x in _enrich(registry, "rules", art)["entities"]}
    assert "Banca d'Italia" not in model  # the organisation rules are new: not in "model"
    assert {"Banca d'Italia", "ministero dell'Interno"} <= rules


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="ner_mode"):
        Enricher(ner_mode="fast")
