"""Floors on the shipped evaluation, set below the figures measured when they were written
(README table), so a regression fails here while noise-free small changes do not."""

from __future__ import annotations

import pytest

from worker.evaluation import realnews, worldnews
from worker.evaluation.regression import DATA, PRF, Report, evaluate, most_mentioned, table


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(DATA)


def test_the_labelled_data_is_big_enough(report: Report) -> None:
    langs = [lang for lang, r in report.langid.items() if r[1] > 0]
    assert sum(report.langid[lang][1] for lang in langs) >= 60 and len(langs) >= 5
    for lang, (_, n) in report.sentiment.items():
        assert n >= 20, lang


def test_country_tagging_floors(report: Report) -> None:
    tot, base = PRF(), PRF()
    for lang, prf in report.countries.items():
        assert prf.f1 >= 0.85, (lang, prf)
        for agg, src in ((tot, prf), (base, report.baseline[lang])):
            agg.tp, agg.fp, agg.fn = agg.tp + src.tp, agg.fp + src.fp, agg.fn + src.fn
    assert tot.f1 >= 0.93
    assert tot.f1 >= base.f1, "must not fall behind the most-mentioned baseline"


def test_language_id_and_sentiment_floors(report: Report) -> None:
    rows = report.as_dict()
    for lang, r in rows.items():
        if r["langid_acc"] is not None:
            assert r["langid_acc"] >= 0.9, lang
    floors = {"en": 0.9, "it": 0.9, "de": 0.85, "fr": 0.85, "pt": 0.85, "es": 0.9}
    for lang, floor in floors.items():
        assert rows[lang]["sentiment_acc"] >= floor, (lang, rows[lang])


def test_ner_floors(report: Report) -> None:
    rows = report.as_dict()
    assert rows["en"]["ner_f1"] >= 0.8
    assert rows["fr"]["ner_f1"] >= 0.8
    assert rows["it"]["ner_f1"] >= 0.75  # rules (persons) + gazetteer (places, nationalities)


def test_baseline_and_table(report: Report) -> None:
    assert most_mentioned([{"code": "A", "mentions": 2}, {"code": "B", "mentions": 2},
                           {"code": "C", "mentions": 1}]) == {"A", "B"}
    assert most_mentioned([]) == set()
    assert "| all |" in table(report)


# -- real news (../shared/eval/real-news, read in place) -----------------------------------------

@pytest.fixture(scope="module")
def real() -> realnews.RealNews:
    path = realnews.location()
    if not (path / "articles.jsonl").is_file():
        pytest.skip(f"the real-news set is not at {path} (CI has ../shared beside the clone)")
    return realnews.evaluate(path)


def test_real_news_floors(real: realnews.RealNews) -> None:
    """Just under the figures measured on 2026-11-28 (README): a drop fails here."""
    total = real.total()
    assert total.n == 102
    assert total.primary.f1 >= 0.91 and total.primary.p >= 0.91  # measured 0.923 / 0.93
    assert total.scored.p >= 0.84 and total.scored.r >= 0.93  # measured 0.855 / 0.944
    assert total.langid.value is not None and total.langid.value >= 0.98
    for lang, x in real.langs.items():
        assert x.primary.f1 >= 0.87, (lang, x.primary)  # measured 0.885 (en) to 0.97
        # persons, measured 2026-11-28: recall 0.87 (fr) to 0.96 (de)
        assert x.persons_found.value is not None and x.persons_found.value >= 0.85, lang
    for lang in ("de", "es", "it", "pt"):  # the model-free recogniser: precision 0.90-0.98
        assert real.langs[lang].persons_right.value >= 0.87, lang  # type: ignore[operator]
    # Sentiment (curated + translated lexicons + news concepts in every inflected form,
    # negatives x1.5, directions with their quantities), measured 2026-11-28: polar 0.78,
    # neutral kept 0.70, article tone 0.81.
    assert total.polar.value is not None and total.polar.value >= 0.76
    assert total.neutral.value is not None and total.neutral.value >= 0.67
    assert total.tone.value is not None and total.tone.value >= 0.78


def test_person_matching_is_on_the_last_word() -> None:
    found, right = realnews.Acc(), realnews.Acc()
    ents = [{"text": "président Erdogan", "label": "PERSON"}, {"text": "Samedi", "label": "PERSON"},
            {"text": "Damas", "label": "GPE"}]
    realnews.match_persons(["Recep Tayyip Erdogan", "Jim Mattis"], ents, found, right)
    assert (found.right, found.n) == (1, 2) and (right.right, right.n) == (1, 2)


def test_a_last_word_keeps_its_vowel_signs() -> None:
    """Two different Devanagari names sharing a last letter do not match."""
    found, right = realnews.Acc(), realnews.Acc()
    realnews.match_persons(["सुरेश राज"], [{"text": "मोहन रोज", "label": "PERSON"}], found, right)
    assert (found.right, right.right) == (0, 0)
    assert realnews._last_word("संजय पांडे") == "पांडे"


# -- world news (../shared/eval/world-news, read in place) ---------------------------------------

@pytest.fixture(scope="module")
def world() -> realnews.RealNews:
    path = worldnews.location()
    if not any((path / name).is_file() for name in worldnews.FILES):
        pytest.skip(f"the world-news set is not at {path} (CI has ../shared beside the clone)")
    return worldnews.evaluate(path)


def test_world_news_floors(world: realnews.RealNews) -> None:
    """Just under the figures measured on 2026-12-03 (issue 18): a drop fails here."""
    total = world.total()
    assert total.n == 72 and len(world.langs) == 12
    assert total.langid.value is not None and total.langid.value >= 0.98
    # tone of the clearly positive or negative articles: 0.00 before (no method), 0.85 (46)
    assert total.tone.n >= 40 and total.tone.value is not None and total.tone.value >= 0.80
    # persons: recall 0.19 -> 0.53, precision 0.63
    assert total.persons_found.value is not None and total.persons_found.value >= 0.50
    assert total.persons_right.value is not None and total.persons_right.value >= 0.60
    # countries: primary F1 0.49 -> 0.78 (places in unspaced scripts, clitics, case endings)
    assert total.primary.f1 >= 0.75


def test_world_news_table_has_every_language(world: realnews.RealNews) -> None:
    out = worldnews.table(world)
    assert "| all | 72 |" in out and all(f"| {lang} | 6 |" in out for lang in world.langs)
