"""Every step reads the field's one split (``doc.FieldDoc``) and splits nothing again.

Two kinds of test: the split's views are what the patterns each step used to run would find
(generated text), and each step handed a split whose tokens differ from the text's (a word
taken out) reads the split, not the text: it no longer sees the word. Text written for
these tests."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.enrich import dateline, language, lexicons, names, places, scripts, sentiment
from worker.enrich.doc import FieldDoc, split
from worker.enrich.spans import Spans
from worker.enrich.text import run_starts, word_runs

# letters, digits, the underscore, marks (an accent, Devanagari signs, the tatweel), and the
# separators the views join across or cut at
_CHARS = st.sampled_from(list("ab9_ Xé-.'’,\n\u200c\u0301\u0640") + list("भरतिं्"))
_TEXT = st.text(_CHARS, max_size=30)


def _finds(pattern: str, text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in re.finditer(pattern, text)]


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_the_views_are_the_words_each_step_used_to_find_in_the_text(text: str) -> None:
    d = split(text, "body", None)
    assert d.runs == _finds(r"\w+", text)
    assert d.script_words() == _finds(f"{scripts.LETTER}+", text)
    assert d.joined(sentiment.APOSTROPHES, chain=False) == _finds(lexicons.WORD.pattern, text)
    assert d.joined("\u200c", chain=True) == _finds(
        f"{scripts.LETTER}+(?:\u200c{scripts.LETTER}+)*", text)


def _without(d: FieldDoc, *words: str) -> FieldDoc:
    """``d`` with the tokens that spell one of ``words`` (or part of one) taken out: a split
    that differs from the text's, which a step reading the text again would not notice."""
    toks = [t for t in d.toks if not any(t[2] in w for w in words)]
    return dataclasses.replace(d, toks=toks, folded=[t.casefold() for _, _, t in toks],
                               runs=word_runs(toks), starts=run_starts(toks), views={})


def test_sentiment_scores_the_words_of_the_split() -> None:
    lex = sentiment.lexicon("en")
    assert lex is not None
    text = "The talks went on. The attack was a disaster for the town."
    d = split(text, "body", "en")
    full = sentiment.sentence_scores(lex, d)
    assert full == [sentiment.sentence_score(lex, s.text) for s in d.sentences]
    assert full[1] < 0
    assert sentiment.sentence_scores(lex, _without(d, "attack", "disaster"))[1] == 0.0


def test_sentiment_rejoins_a_separable_verb_within_the_clause_of_the_split() -> None:
    lex = sentiment.lexicon("de")
    assert lex is not None
    d = split("Die Polizei nahm den Mann am Montag fest, sagte sie.", "body", "de")
    assert sentiment.sentence_scores(lex, d)[0] == sentiment.sentence_score(lex, d.text) < 0
    assert sentiment.sentence_scores(lex, _without(d, "fest"))[0] == 0.0


@pytest.mark.parametrize(("lang", "text", "word"), [
    ("ar", "وصل الوفد إلى والعراق أمس", "والعراق"),  # a clitic on the name
    ("hi", "भारत और नेपाल के बीच बातचीत हुई।", "भारत"),  # the word whole with its vowel sign
    ("zh", "美国总统今天访问了中国。", "美国总统今天访问了中国"),  # no spaces: one run
])
def test_the_script_readers_of_the_gazetteer_read_the_split(lang: str, text: str,
                                                            word: str) -> None:
    gaz = places.gazetteer(lang)
    d = split(text, "body", lang)
    found = {h.text for h in gaz.find(text, Spans(), d.toks, d.folded, d)}
    assert word in found or any(h in word for h in found), found
    # the word scan is handed the whole split, the script readers one without the word
    rest = {h.text for h in gaz.find(text, Spans(), d.toks, d.folded, _without(d, word))}
    assert not any(h in word for h in rest), rest


def test_the_frames_around_a_name_read_the_split() -> None:
    text = "وصل المبعوث الخاص إلى ليبيا جان دي بروين إلى العاصمة"
    gaz = places.gazetteer("ar")
    d = split(text, "body", "ar")
    assert "جان دي بروين" in {h.text for h in names.find(text, "ar", gaz, doc=d)}
    assert {h.text for h in names.find(text, "ar", gaz, doc=_without(d, "بروين"))} & {
        "جان دي بروين", "بروين"} == set()


def test_the_dateline_is_tried_at_the_words_the_split_starts() -> None:
    body = "LONDON, Feb 26 (Reuters) - Iran announced a new plan."
    d = split(body, "body", "en")
    assert dateline.find(body, d.starts) == (0, 6) == dateline.find(body)
    assert dateline.find(body, _without(d, "LONDON").starts) is None


def test_the_function_words_are_counted_off_the_split() -> None:
    title, body = "Il governo", "Il ministro ha detto che la riforma è pronta."
    docs = [split(title, "title", None), split(body, "body", None)]
    assert language.leading_words(docs) == re.findall(r"\w+", f"{title}\n{body}".casefold())
    assert "che" not in language.leading_words([docs[0], _without(docs[1], "che")])


_ITALIAN = ("Il governo ha approvato ieri la riforma delle pensioni che era stata annunciata dal "
            "ministro del lavoro nel mese di marzo, dopo una lunga trattativa con i sindacati e "
            "con le associazioni delle imprese.")


def test_a_declared_language_is_overruled_by_the_function_words_of_the_split() -> None:
    docs = [split("", "title", None), split(_ITALIAN, "body", None)]
    assert language.resolve("en", f"\n{_ITALIAN}", lambda: docs)["code"] == "it"
    # a split without the Italian function words no longer sides with the detector
    stops = language.stopwords("it") or frozenset()
    bare = _without(docs[1], *(t for _, _, t in docs[1].toks if t.casefold() in stops))
    assert language.resolve("en", f"\n{_ITALIAN}", lambda: [docs[0], bare])["code"] == "en"


def test_an_article_is_split_once_a_field_also_when_its_language_is_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from worker import enrich

    calls: list[str] = []

    def counted(text: str, fld: str, lang: str | None) -> FieldDoc:
        calls.append(fld)
        return split(text, fld, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(enrich, "split", counted)
    out = enrich.Enricher(ner_mode="rules").enrich(
        {"id": "x", "title": "Riforma", "body": _ITALIAN, "lang": "en"})
    assert out["language"]["declared_mismatch"] and out["language"]["code"] == "it"
    assert sorted(calls) == ["body", "title"]
