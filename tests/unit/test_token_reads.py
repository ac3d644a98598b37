"""Faster reads find what the plain loops they replace find, on text written for these tests
and on generated text: the capitalised tokens read with C-level maps (``text.capitalised``),
acronyms among the words in capitals only, the dateline searched only where one can begin."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from worker.enrich import dateline, names, places
from worker.enrich.text import capitalised

# Word characters of several kinds (letters, a title-case letter, digits, underscore, a mark)
# and every separator a token holds, ends at or is cut at.
ALPHABET = st.sampled_from(
    ["a", "B", "é", "Ö", "ǅ", "ß", "д", "Д", "中", "1", "٣", "_", "\u0301", " ", "  ", "-",
     ".", "..", ",", "'", "’", "\n", "U.S.", "Dr.", "e.g.", "3.5", "!", "?", "»", "”", "–",
     "Roma", "LONDON", "(AFP)", "de"])
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)

# The dateline's shape as it was written before it read the split's word starts: its openings
# (the body's start, a line break, a sentence's end and a space, then any space) in the pattern.
_OLD_DATELINE = re.compile(r"""(?:^|(?<=\n)|(?<=[.!?»"”]\s))\s*""" + dateline._DATELINE.pattern,
                           re.VERBOSE)


def old_dateline(body: str) -> tuple[int, int] | None:
    """``dateline.find`` with its pattern tried at every character."""
    for m in _OLD_DATELINE.finditer(body[:dateline.SEARCH_CHARS]):
        words = m.group("place").replace("/", " ").split()
        if not words or any(w[:1].islower() and len(w) > 3 for w in words):
            continue
        if not all(w[:1].isupper() or len(w) <= 3 for w in words):
            continue
        return m.start("place"), m.end("place")
    return None


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_capitalised_as_a_loop(text: str) -> None:
    toks = places.tokens(text)
    assert capitalised(toks) == [k for k, (_, _, t) in enumerate(toks) if t[:1].isupper()]


def all_acronyms(text: str, gaz: places.Gazetteer) -> list[names.NameHit]:
    """``names.acronyms`` testing every token."""
    if text.isupper():
        return []
    return [names.NameHit(s, e, w) for s, e, w in places.tokens(text)
            if 2 <= len(w) <= 6 and w.isalpha() and w.isupper()
            and w.casefold() not in gaz.table and w.casefold() not in places.stopwords()
            and not re.match(r"^[IVXLCDM]+$", w)]


def test_acronyms_on_written_text() -> None:
    gaz = places.gazetteer("it")
    text = "La NATO e l'ONU, con gli USA e Carlo III; KCNA e Ǆ"
    assert [h.text for h in names.acronyms(text, gaz)] == ["NATO", "ONU", "KCNA"]
    assert names.acronyms(text, gaz) == all_acronyms(text, gaz)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_acronyms_on_generated_text(text: str) -> None:
    gaz = places.gazetteer("it")
    assert names.acronyms(text, gaz) == all_acronyms(text, gaz)


def test_dateline_on_written_text() -> None:
    body = "LONDON (Reuters) - Iran said. Wien – Am Dienstag"
    assert dateline.find(body) == old_dateline(body) == (0, 6)
    # a match from the start runs over the first place line: the next one is read
    body = "Intro sentence. LONDON (Reuters) - Iran said.\nWien – Am Dienstag"
    assert dateline.find(body) == old_dateline(body) == (46, 50)
    assert dateline.find("running text - no dateline here") is None


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_dateline_on_generated_text(body: str) -> None:
    assert dateline.find(body) == old_dateline(body)
