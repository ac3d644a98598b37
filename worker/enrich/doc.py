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
- ``runs``, ``starts``: the runs of ``\\w`` inside each token (the token cut at its hyphens
  and full stops) and where they begin.
- ``script_words()``: letters together with their combining marks, derived from ``runs``.
  ``\\w`` does not match a nonspacing or spacing vowel sign, so it cuts a Devanagari word at
  its signs ("भारत" -> "भ", "रत"); a reader of such a script needs the word whole. A text
  without marks (most Latin or Cyrillic text) has its runs as they are.
- ``joined()``: script words joined across one separator: an apostrophe for sentiment
  ("don't", "l'accordo"), the zero-width non-joiner for Persian names ("کره‌جنوبی").
- ``sentences``: the sentence spans sentiment pools over (``text.sentences``).

The views are derived from ``toks`` (never by splitting the text again); ``script_words``
and ``joined`` on first use, then kept. Every step reads them: the gazetteer, the name rules
and the deep town scan ``toks``; ``scriptplaces`` ``script_words`` (or, in a script without
spaces, the characters inside ``toks``); ``framednames`` the words joined across the
non-joiner; sentiment the words of ``joined`` within each sentence, normalised word by word;
language identification's function-word count ``runs``. Dates, amounts, continent words
and datelines are patterns over the raw text with its separators, tried only where the
tokens say a word begins (``starts``).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache
from operator import itemgetter

from . import scripts
from .places import tokens
from .text import Field, Sentence, sentences, word_runs

Token = tuple[int, int, str]  # (start, end, word as written)


_MARK_CLASS = "[" + "".join(f"\\u{ord(c):04x}" for c in scripts.MARKS) + "]"
_MARK = re.compile(_MARK_CLASS)
_MARK_RUN = re.compile(f"{_MARK_CLASS}+")
_MARK_SET = frozenset(scripts.MARKS)
_end = itemgetter(1)


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """One field of an article, split once."""

    field: Field
    text: str
    traits: scripts.Traits
    toks: list[Token]
    folded: list[str]  # case-folded ``toks`` words: the key every table is looked up by
    runs: list[Token]  # the runs of word characters inside the tokens (``text.word_runs``)
    starts: list[int]  # where each of ``runs`` begins
    sentences: list[Sentence]
    # views derived from ``runs`` on first use (``script_words``, ``joined``)
    views: dict[str, list[Token]] = dataclasses.field(default_factory=dict, repr=False,
                                                      compare=False)

    def script_words(self) -> list[Token]:
        """Words as the script writes them (letters and their marks), with offsets."""
        found = self.views.get("script")
        if found is None:
            found = self.views["script"] = _with_marks(self.text, self.runs)
        return found

    def joined(self, seps: str, chain: bool) -> list[Token]:
        """``script_words`` joined where exactly one character of ``seps`` stands between two
        of them ("don't", "کره‌جنوبی"): each word with the next one only (``chain`` false:
        "a'b'c" -> "a'b", "c") or with every next one so joined."""
        key = f"joined{seps}{chain}"
        found = self.views.get(key)
        if found is None:
            found = self.views[key] = _joined(self.text, self.script_words(), seps, chain)
        return found

    def read_as(self, lang: str | None) -> FieldDoc:
        """The same split with ``lang``'s script traits: the split itself does not depend on
        the language, so it is made before the language is known (identification reads it)."""
        t = scripts.traits(lang)
        return self if t == self.traits else replace(self, traits=t)


def _with_marks(text: str, runs: list[Token]) -> list[Token]:
    """``runs`` with the marks on their letters: runs apart by marks alone made one, marks
    before and after a run taken in, and marks on no letter a word of their own, as a
    pattern of letters and marks (``scripts.LETTER``) would find them. A text without marks
    (most text in a Latin or Cyrillic script) has its runs as they are."""
    if _MARK.search(text) is None:
        return runs
    out: list[Token] = []
    prev = 0  # end of the last word kept
    cur_s = cur_e = -1
    # set tests on the characters between two runs (C) before any pattern: between most
    # runs of a word there is one vowel sign, between words a space
    for s, e, _ in runs:
        if cur_e >= 0 and _MARK_SET.issuperset(text[cur_e:s]):
            cur_e = e  # only marks between (never nothing: runs are apart): one word
            continue
        if cur_e >= 0:
            prev = _close(text, out, cur_s, cur_e, s)
        cur_s, cur_e = s, e
        if not _MARK_SET.isdisjoint(text[prev:s]):
            m = _MARK_RUN.search(text, prev, s)
            while m is not None and m.end() < s:  # marks on no letter, between two words
                out.append((m.start(), m.end(), m.group()))
                m = _MARK_RUN.search(text, m.end(), s)
            if m is not None:
                cur_s = m.start()
    if cur_e >= 0:
        prev = _close(text, out, cur_s, cur_e, len(text))
    out += [(m.start(), m.end(), m.group()) for m in _MARK_RUN.finditer(text, prev)]
    return out


def _close(text: str, out: list[Token], start: int, end: int, limit: int) -> int:
    """Keep the word ``text[start:end]`` with the marks after it (up to ``limit``); its end."""
    if end < limit and text[end] in _MARK_SET:
        end = _MARK_RUN.match(text, end, limit).end()  # type: ignore[union-attr]
    out.append((start, end, text[start:end]))
    return end


def _joined(text: str, words: list[Token], seps: str, chain: bool) -> list[Token]:
    """``words`` joined across one of ``seps``, found from where those characters stand in
    the text (one search in C): most texts have few, and most words are kept as they are."""
    joins: list[int] = []  # k: word k joins word k + 1
    for m in _separators(seps).finditer(text):
        k = bisect_left(words, m.start(), key=_end)
        if k + 1 < len(words) and words[k][1] == m.start() and words[k + 1][0] == m.end():
            joins.append(k)
    if not joins:
        return words
    out: list[Token] = []
    last = idx = 0
    while idx < len(joins):
        k, idx = joins[idx], idx + 1
        if k < last:
            continue  # the second word of a pair joined already ("a'b'c" -> "a'b", "c")
        j = k + 1
        while chain and idx < len(joins) and joins[idx] == j:
            j, idx = j + 1, idx + 1
        out += words[last:k]
        start, end = words[k][0], words[j][1]
        out.append((start, end, text[start:end]))
        last = j + 1
    return out + words[last:]


@cache
def _separators(seps: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(seps)}]")


def split(text: str, fld: Field, lang: str | None) -> FieldDoc:
    """``text`` (one field of an article in ``lang``) split once for every step."""
    toks = tokens(text)
    runs = word_runs(toks)
    return FieldDoc(fld, text, scripts.traits(lang), toks, [t.casefold() for _, _, t in toks],
                    runs, [s for s, _, _ in runs], sentences(text))


__all__ = ["FieldDoc", "Token", "split"]
