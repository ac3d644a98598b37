"""One tokenisation per field of an article, shared by the steps that read its words.

Why: the gazetteer scan, the person and organisation rules, the acronym reader and the deep
town scan all walk the same words of the same field. Each used to split the text (and
case-fold every word) on its own; a ``FieldDoc`` is split once and read by all of them, with
character offsets into the field's text so every mention they report points at the text as
sent.

What a word is:
- ``toks``: runs of ``\\w`` joined by hyphens and inner full stops ("U.S.", "China-Besuch"),
  cut at apostrophes ("dell'Ucraina" -> "dell", "Ucraina"); a final full stop is dropped
  unless the word is an abbreviation (``places.tokens``). In a script written without spaces
  (Chinese, Japanese) a run of letters is one token: the steps that read such scripts match
  character sequences inside it (``scriptplaces``, ``framednames``). In a script that joins
  clitics to words (Arabic, Persian) the clitics stay on the token and those steps take them
  off (``scripts.bare_forms``).
- ``script_words()``: letters together with their combining marks. ``\\w`` does not match a
  nonspacing or spacing vowel sign, so it cuts a Devanagari word at its signs ("भारत" ->
  "भ", "रत"); a reader of such a script needs the word whole. Computed on demand: the
  languages whose traits say the word scan sees every word never pay for it.
- ``sentences``: the sentence spans sentiment pools over (``text.sentences``).

Sentiment reads the Doc's sentences but still splits each one its own way: it normalises
letters before splitting (a vowel mark is no letter to ``\\w``), rejoins separable verbs and
splits elisions, and scores sentences that come without an article (the evaluation's
sentence sets). Dates, amounts and continent words are patterns over the raw text with its
separators, tried only where the tokens say a word begins (``starts``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import scripts
from .places import tokens
from .text import Field, Sentence, run_starts, sentences

Token = tuple[int, int, str]  # (start, end, word as written)


@cache
def _script_word() -> re.Pattern[str]:
    return re.compile(f"{scripts.LETTER}+")


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """One field of an article, split once."""

    field: Field
    text: str
    traits: scripts.Traits
    toks: list[Token]
    folded: list[str]  # case-folded ``toks`` words: the key every table is looked up by
    starts: list[int]  # where each run of word characters begins (``text.run_starts``)
    sentences: list[Sentence]

    def script_words(self) -> list[Token]:
        """Words as the script writes them (letters and their marks), with offsets."""
        return [(m.start(), m.end(), m.group()) for m in _script_word().finditer(self.text)]


def split(text: str, fld: Field, lang: str | None) -> FieldDoc:
    """``text`` (one field of an article in ``lang``) split once for every step."""
    toks = tokens(text)
    return FieldDoc(fld, text, scripts.traits(lang), toks, [t.casefold() for _, _, t in toks],
                    run_starts(toks), sentences(text))


__all__ = ["FieldDoc", "Token", "split"]
