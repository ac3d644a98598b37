"""Document- and entity-level sentiment, in every language that has word valences.

One scorer for every language (the VADER recipe: word valences on a -4..+4 scale, negators
that flip, boosters that scale, a contrast word that shifts weight to the clause after it, and
the sum squashed into [-1, 1]); only the data differs per language: the valences come from
``lexicons`` (third-party lexicons plus news-event concepts, in every inflected form), the
closed-class words from the pack's ``sentiment_rules.toml``. A language without valences gets
``label: "unsupported"`` and ``score: null``, never a fake neutral.

Each score carries a ``confidence`` in [0, 1]: how much polar evidence there is and how far it
agrees (a single mildly polar word, or as much praise as blame, gives a low figure), so users
can keep only the scores they trust; ``method`` names the resources, so they can filter by it.

Two readings go beyond single words: a *shifter* ("end", "reduce") reverses the polar word it
governs, and a *direction* ("fell", "rose") scores with the quantity it moves: "exports fell"
is bad news and "unemployment fell" good (Malo et al. 2014), though neither word says so alone.

Entity-level sentiment is the score of the sentences that mention the entity: how the article
speaks of each person, organisation and country.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Literal, TypedDict

from . import lexicons, scripts
from .doc import FieldDoc, Token, split
from .text import fold

Label = Literal["negative", "neutral", "positive", "unsupported"]
# VADER's own threshold is 0.05 on its compound score: one weak word makes a sentence polar.
# News is mostly factual, so the band is wider, chosen on the project's own sentences
# (eval/sentiment.tsv, polar and plainly factual ones): from 0.05 to 0.15 factual sentences kept
# neutral go from 0.92 to 0.96 with polar ones unchanged at 0.96; wider gains nothing more.
NEUTRAL_BAND = 0.15
ALPHA = 15.0  # VADER's normalisation constant
NEGATION_SCALE = -0.74  # VADER's
NEGATION_WINDOW = 3
APOSTROPHES = "'’"  # what joins an elided word to the next ("don't", "l'accordo")
_ELIDED = re.compile(f"[{APOSTROPHES}]")
_start = itemgetter(0)
_CLAUSE = re.compile(r"[,;:()\u2013\u2014]")  # where a clause, and a verb bracket, ends
SHIFT_WINDOW = 4  # words after a shifter ("end", "reduce") whose polarity it reverses
SHIFT_BACK_WINDOW = 4  # or before it, when none follows ("the crisis was resolved")
BOOSTER_WINDOW = 2
# A direction word and the quantity it moves ("exports fell", "un calo delle vendite", "la
# disoccupazione è scesa") are at most this many words apart, either way; the pair scores as
# a moderately polar word (VADER's typical 2), signed by direction times quantity.
PAIR_WINDOW = 4
PAIR_VALENCE = 2.0
# Lexicon methods lean positive: praise words abound in plain reporting ("support", "help",
# "security"), so a bad-news article with a few of them reads as good news. SO-CAL (Taboada et
# al. 2011, Computational Linguistics 37(2)) counters this by weighting every expression whose
# final value is negative by 1.5; the same published figure is used here.
NEGATIVE_WEIGHT = 1.5
EVIDENCE_SCALE = 2.0  # polar sentences at which confidence reaches 1 - 1/e of its agreement


class SentimentOut(TypedDict):
    score: float | None
    label: Label
    method: str
    confidence: float | None


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A language's valences and closed-class words: all the scorer needs."""

    lang: str
    valences: lexicons.Valences
    negators: frozenset[str]
    boosters: dict[str, float]
    contrast: frozenset[str]
    elision: bool  # articles and prepositions fused with an apostrophe (fr, it)
    separable: frozenset[str]  # verb particles a main clause puts at its end (de: "fest")
    kinds: frozenset[str]  # every word the scorer treats other than by its valence alone
    norm: Callable[[str], str] | None = None  # letters written two ways -> one (scripts)
    vocabulary: frozenset[str] = frozenset()  # unspaced scripts: what a run is cut into

    @property
    def method(self) -> str:
        return self.valences.name


@cache
def lexicon(lang: str | None) -> Lexicon | None:
    """The scorer's data for a language, loaded once per process; None if there is none."""
    table = lexicons.valences(lang)
    if table is None:
        return None
    rules = lexicons.rules(table.lang)
    norm = fold if table.fold_accents else str

    def words(kind: str) -> frozenset[str]:
        return frozenset(norm(str(w)) for w in rules.get(kind, ()))

    boosters = {norm(k): float(v) for k, v in rules.get("boosters", {}).items()}
    negators, contrast = words("negators") | table.negators, words("contrast")
    kinds = frozenset().union(contrast, negators, boosters, table.shifters,
                              table.shifter_phrases, table.phrases, table.directions,
                              table.quantities)
    return Lexicon(
        lang=table.lang,
        valences=table,
        negators=negators,
        boosters=boosters,
        contrast=contrast,
        elision=bool(rules.get("elision", False)),
        separable=words("separable"),
        kinds=kinds,
        norm=scripts.normaliser(table.script),
        vocabulary=frozenset(table.words) | kinds if table.script.unspaced else frozenset(),
    )


def _squash(total: float) -> float:
    return total / math.sqrt(total * total + ALPHA)


def _rejoined(lex: Lexicon, words: list[str]) -> list[str]:
    """A clause's words, its separable verb made whole again. German main clauses put the
    particle of a separable verb at the clause's end ("Die Polizei nahm den Mann fest",
    "Der Umsatz ging zurück"); it is joined back to the first word of the clause that makes
    a word of the table with it ("festnahm", "zurückging"), and dropped from the end."""
    if len(words) > 2 and words[-1] in lex.separable:
        table = lex.valences
        for i, w in enumerate(words[:-1]):
            verb = words[-1] + w
            if verb in table.words or verb in table.shifters or verb in table.directions:
                return [*words[:i], verb, *words[i + 1:-1]]
    return words


def _words(lex: Lexicon, text: str) -> list[str]:
    """The words of a text scored on its own (a sentence without an article, as in the
    evaluation's sentence sets), split as an article's field is."""
    d = split(text, "body", lex.lang)
    return _words_of(lex, text, d.joined(APOSTROPHES, chain=False))


def _words_of(lex: Lexicon, text: str, found: Sequence[Token]) -> list[str]:
    """The scorer's words, from the field's words (``doc.FieldDoc.joined``: a word and an
    elided one joined, "don't", "l'accordo"): each written as the script's normaliser writes
    it (a vowel mark left out) and case-folded, a separable verb rejoined within its clause,
    an elision split, an unspaced run cut into the table's words."""
    norm = lex.norm
    if norm is not None:  # a word of marks or tatweel alone is no word once they are left out
        found = [(s, e, n) for s, e, w in found if (n := norm(w))]
    if lex.separable:
        words: list[str] = []
        clause: list[str] = []
        end = 0
        for s, e, w in found:
            if clause and _CLAUSE.search(text, end, s):
                words += _rejoined(lex, clause)
                clause = []
            clause.append(w.casefold())
            end = e
        words += _rejoined(lex, clause)
    else:
        words = [w.casefold() for _, _, w in found]
    if lex.elision:
        # "l'accordo", "dell'attacco", "n'est": two words, split at the apostrophe
        words = [part for w in words
                 for part in (_ELIDED.split(w) if "'" in w or "’" in w else (w,)) if part]
    if lex.vocabulary:  # an unspaced script: each run cut into the table's longest entries
        min_chars = lex.valences.script.min_word_chars
        words = [part for w in words for part in scripts.segment(w, lex.vocabulary, min_chars)]
    return [fold(w) for w in words] if lex.valences.fold_accents else words


def _phrase_at(words: list[str], i: int, phrases: Iterable[tuple[str, ...]]) -> int | None:
    """Length of the first of ``phrases`` that the words from ``i`` on spell, if any."""
    for p in phrases:
        if tuple(words[i:i + len(p)]) == p:
            return len(p)
    return None


def _pairs(table: lexicons.Valences, words: list[str]) -> dict[int, float | None]:
    """Each direction word paired with the nearest quantity within ``PAIR_WINDOW``: the
    pair's value at the direction's index and None (skip) at the quantity's. Plain directions
    may share a quantity ("unemployment fell to its lowest level"); a word that is both
    ("growth") is a direction only with a quantity no other direction took: "export growth
    slowed" is growth slowing."""
    quantity = {i for i, w in enumerate(words) if w in table.quantities}
    moves = [i for i, w in enumerate(words) if w in table.directions]
    out: dict[int, float | None] = {}
    for i in sorted(moves, key=lambda k: k in quantity):  # plain directions first
        if i in out:
            continue
        plain = i not in quantity
        for j in (k for d in range(1, PAIR_WINDOW + 1) for k in (i - d, i + d)):
            if j in quantity and (j not in out or (plain and out[j] is None)):
                sign = table.directions[words[i]] * table.quantities[words[j]]
                out[i], out[j] = PAIR_VALENCE * sign, None
                break
    return out


def _phrase_value(table: lexicons.Valences, words: list[str], i: int) -> tuple[float | None, int]:
    """The valence of the phrase the words from ``i`` on spell ("ums Leben"), if any, and the
    index after it (``i`` when there is none)."""
    for phrase, v in table.phrases.get(words[i], ()):
        if tuple(words[i:i + len(phrase)]) == phrase:
            return v, i + len(phrase)
    return None, i


def _in_context(lex: Lexicon, words: list[str], i: int, v: float, shifted: bool) -> float:
    """A valence scaled by the boosters just before it and flipped by a near negator or a
    shifter before it."""
    for j in range(max(0, i - BOOSTER_WINDOW), i):
        b = lex.boosters.get(words[j])
        if b is not None:
            v += math.copysign(b, v) * (1.0 if j == i - 1 else 0.95)
    if any(words[j] in lex.negators for j in range(max(0, i - NEGATION_WINDOW), i)):
        v *= NEGATION_SCALE
    if shifted:  # "end the war": the shifter reverses the first polar word only
        v *= NEGATION_SCALE
    return v


def _weighted(v: float) -> float:
    return v * NEGATIVE_WEIGHT if v < 0 else v


@dataclass(slots=True)
class _Tally:
    """One sentence's running sums, either side of a contrast word, and its last polar word,
    so that a shifter after it can still reverse it ("the war ended", "la crisi è stata
    superata": in these languages the subject comes first)."""

    before: float = 0.0
    after: float = 0.0
    contrast: bool = False
    last: tuple[int, float, bool] | None = None  # index, value before weighting, side

    def _put(self, v: float, after: bool) -> None:
        if after:
            self.after += v
        else:
            self.before += v

    def add(self, i: int, v: float) -> None:
        self.last = (i, v, self.contrast)
        self._put(_weighted(v), self.contrast)

    def reverse_last(self, shifter_at: int) -> None:
        """Reverse the polar word just before a shifter that found none after it."""
        if self.last is not None and 0 < shifter_at - self.last[0] <= SHIFT_BACK_WINDOW:
            _, v, after = self.last
            self._put(_weighted(v * NEGATION_SCALE) - _weighted(v), after)
        self.last = None

    def total(self) -> float:
        if self.contrast and self.after:
            return self.before * 0.5 + self.after * 1.5
        return self.before + self.after


def raw_score(lex: Lexicon, text: str) -> float:
    """Sum of adjusted valences (unsquashed), so sentences can be pooled before squashing."""
    return _raw(lex, _words(lex, text))


def _raw(lex: Lexicon, words: list[str]) -> float:
    table = lex.valences
    tally = _Tally()
    skip_to = 0
    shift_until = -1
    shifter_at = -1  # a shifter still looking for the polar word it reverses
    pairs: dict[int, float | None] | None = None  # found when a direction or quantity is met
    for i, w in enumerate(words):
        if shifter_at >= 0 and i > shift_until:  # none after it: the one before, if near
            tally.reverse_last(shifter_at)
            shifter_at = -1
        if i < skip_to:
            continue  # inside a phrase already counted
        if w not in lex.kinds:  # the common case: an ordinary word, polar or not
            v = table.words.get(w)
            if v is None:
                if not table.deep:
                    continue
                v = table.value(w)
                if v is None:
                    continue
        elif w in lex.contrast:
            tally.contrast = True
            continue
        elif w in lex.boosters or w in lex.negators:
            continue
        elif (w in table.directions or w in table.quantities) and i in (
                pairs := _pairs(table, words) if pairs is None else pairs):
            v = pairs[i]
            if v is None:
                continue  # the quantity of a pair, counted at its direction
        elif w in table.shifters:
            shifter_at, shift_until = i, i + SHIFT_WINDOW
            continue
        else:
            shifter = _phrase_at(words, i, table.shifter_phrases.get(w, ()))
            if shifter is not None:
                skip_to = i + shifter
                shifter_at, shift_until = i, skip_to - 1 + SHIFT_WINDOW
                continue
            v, skip_to = _phrase_value(table, words, i)
            if v is None:
                v = table.value(w)
            if v is None:
                continue
        shifted = i <= shift_until
        tally.add(i, _in_context(lex, words, i, v, shifted))
        if shifted:
            shift_until, shifter_at = -1, -1
    if shifter_at >= 0:
        tally.reverse_last(shifter_at)
    return tally.total()


def label_of(score: float, pooled_over: int = 1) -> Label:
    """The label of one sentence's score, or of the mean of ``pooled_over`` sentence scores.

    A mean over n sentences spreads about 1/sqrt(n) as much as one sentence (most sentences
    of an article are factual, so the mean is diluted), hence the band shrinks with sqrt(n):
    0.15 for a sentence, 0.05 for a nine-sentence article."""
    band = NEUTRAL_BAND / math.sqrt(max(1, pooled_over))
    if score >= band:
        return "positive"
    if score <= -band:
        return "negative"
    return "neutral"


def unsupported() -> SentimentOut:
    return SentimentOut(score=None, label="unsupported", method="none", confidence=None)


def sentence_score(lex: Lexicon, text: str) -> float:
    """One sentence's score in [-1, 1]; computed once per sentence and pooled as needed."""
    return _squash(raw_score(lex, text))


def sentence_scores(lex: Lexicon, doc: FieldDoc) -> list[float]:
    """The score of each of ``doc``'s sentences, read off the field's one split: the words
    inside each sentence's span (a word never crosses a sentence's end)."""
    found = doc.joined(APOSTROPHES, chain=False)
    out: list[float] = []
    k = 0
    for sent in doc.sentences:
        k = bisect_left(found, sent.start, lo=k, key=_start)
        j = bisect_left(found, sent.end, lo=k, key=_start)
        out.append(_squash(_raw(lex, _words_of(lex, doc.text, found[k:j]))))
        k = j
    return out


def confidence(values: list[float]) -> float:
    """Evidence times agreement: grows with the number of polar sentences, shrinks when they
    pull both ways. Zero with no polar sentence; near 1 only for many that agree."""
    n, total, size = 0, 0.0, 0.0
    for v in values:
        if v:
            n, total, size = n + 1, total + v, size + abs(v)
    if not n:
        return 0.0
    return round(abs(total) / size * (1.0 - math.exp(-n / EVIDENCE_SCALE)), 2)


def pooled(lex: Lexicon | None, scores: Iterable[float]) -> SentimentOut:
    """Mean of sentence scores (the document's, or those mentioning one entity). The mean
    keeps a long article from saturating at +/-1 on volume alone."""
    if lex is None:
        return unsupported()
    values = list(scores)
    if not values:
        return SentimentOut(score=0.0, label="neutral", method=lex.method, confidence=0.0)
    value = round(sum(values) / len(values), 4)
    trust = lex.valences.trust  # a table of machine translations alone: half the confidence
    return SentimentOut(score=value, label=label_of(value, len(values)), method=lex.method,
                        confidence=confidence(values) if trust == 1.0
                        else round(confidence(values) * trust, 2))


def score_text(lex: Lexicon | None, texts: Iterable[str]) -> SentimentOut:
    """Pooled score of several texts scored from scratch."""
    if lex is None:
        return unsupported()
    return pooled(lex, (sentence_score(lex, t) for t in texts))
