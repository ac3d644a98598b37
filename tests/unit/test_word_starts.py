"""Patterns tried at word starts only (``text.run_starts``, ``text.openings``,
``text.matches_at``) find what a scan of every character finds, on text written for these
tests and on generated text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from worker.enrich import places, quantities
from worker.enrich.text import Field, matches_at, openings, run_starts

WORD_RUN = re.compile(r"\w+")

# Letters IGNORECASE equates with others (long s, Kelvin sign, dotless i), separators a token
# holds or cuts at, digits of two scripts, and the names of the patterns below.
ALPHABET = st.sampled_from(
    ["a", "E", "u", "s", "S", "ſ", "k", "K", "K", "ı", "I", "ß", "д", "Д", "1", "2", "٣",
     " ", "  ", "-", ".", ",", "'", "’", "\n", "eu", "EU", "Eu", "european", "agosto",
     "Agosto", "AGOSTO", "15", "2024", "lunedì", "marzo", "sept", "SEPT"])
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)


def every_start(pattern: re.Pattern[str], text: str, words: list[str]) -> list[tuple[int, int]]:
    opens = openings(words)
    assert opens is not None
    at = [p for p in run_starts(places.tokens(text))
          if text[p].isdecimal() or (text[p] in opens.firsts and opens.at(text, p))]
    return [m.span() for m in matches_at(pattern, text, at)]


def test_run_starts_are_the_starts_of_word_runs() -> None:
    text = "Il pre-agosto dell'U.S. Navy: 1-15 marzo, e-mail.Fine"
    assert run_starts(places.tokens(text)) == [m.start() for m in WORD_RUN.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_run_starts_on_generated_text(text: str) -> None:
    assert run_starts(places.tokens(text)) == [m.start() for m in WORD_RUN.finditer(text)]


def test_openings_hold_every_case_form() -> None:
    opens = openings(["kelvin", "sept"])
    assert opens is not None
    assert {"ke", "Ke", "KE", "\u212ae", "\u212aE", "se", "Se", "SE", "ſe", "ſE"} <= opens.pairs
    assert openings(["-ish"]) is None  # opens with no word character: scan everything


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_word_patterns_match_as_a_full_scan(text: str) -> None:
    words = ["eu", "european", "sept", "kelvin"]
    pattern = re.compile(r"(?i:\b(?:european|eu|sept|kelvin)\b)")
    assert every_start(pattern, text, words) == [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_dates_match_as_a_full_scan(text: str) -> None:
    spec = quantities._lang("it")
    assert every_start(spec.date, text, list(spec.months)) == [
        m.span() for m in spec.date.finditer(text)]


def test_dates_and_amounts_from_the_fields_tokens() -> None:
    texts: dict[Field, str] = {"title": "Il 3 marzo",
                               "body": "Dal pre-agosto 2024 arrivano 5.000 operai; lunedì."}
    starts = {f: run_starts(places.tokens(t)) for f, t in texts.items()}
    with_toks = quantities.extract(texts, "it", "2025-08-13T10:00:00Z", starts)
    assert with_toks == quantities.extract(texts, "it", "2025-08-13T10:00:00Z")
    dates, amounts = with_toks
    assert [d["text"] for d in dates] == ["3 marzo", "agosto 2024", "lunedì"]
    assert [(a["text"], a["noun"]) for a in amounts] == [("5.000", "operai")]
