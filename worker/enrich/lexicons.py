"""Word valences per language: third-party lexicons plus news-event concepts, in every form.

Why this shape: news polarity is carried by event words (killed, victims, collapse, agreement,
rescued) in all their inflected forms, while the permissive lexicons that exist are small,
social-media oriented and list word forms, not lemmas. So a language's table is built from:

1. third-party lexicons where permissive ones are published (``lexicon_sources``, most trusted
   first: VADER for English, Pattern's French and Italian lexicons, the German Polarity
   Lexicon, LeIA for Portuguese (a translation of VADER's); then AFINN-165 machine-translated
   into the other five languages, which only widens coverage: a curated value wins, and a
   translated word counts half);
2. the news-event concepts of ``data/news_polarity.toml``, defined once with one valence and
   expressed per language as lemmas (these win over the third-party value);
3. every inflected form of those lemmas, from simplemma's lemmatisation lists (MIT code; data
   from Michal Měchura's lemmatization lists, ODbL, and Wiktionary): "uccisi" -> "uccidere",
   "getöteten" -> "töten", "destruyeron" -> "destruir" get their lemma's valence; participles
   the lists give a lemma of their own are read as their verb by the regular endings of
   the pack's ``sentiment_rules.toml`` ("fallecido" -> "fallecer");
4. adverbs and abstract nouns of the table's adjectives, by the same file's derivation endings
   ("cruel" -> "cruelmente", "blöd" -> "Blödheit"), where the lists know the derived word;
5. the direction words and quantities of the concepts ("fell", "exports"), apart: the scorer
   reads them in pairs.

Scoring then needs one dictionary lookup per word: no lemmatiser on the hot path and no
lemmatisation lists in memory (they take ~300 MB for six languages). The table is derived once
(``lexicons.main``, run by ``make setup`` and the image build, or on first
use in a separate process so an enrichment process never holds the lists) and stored with
``diskcache``, keyed by the versions and hashes of everything it is made from.

German compounds ("Regierungskrise", "Verkehrsunfall") are read by their head noun: the longest
noun of the news-event concepts the word ends with (``heads``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from typing import Any, NotRequired, TypedDict

from . import diskcache, langs, npmdata, scripts
from .lexicon_sources import (
    MULTILANG_FILES,
    TRANSLATED_WEIGHT,
    Source,
    method_name,
    shipped_negators,
    third_party,
    translated_only,
)
from .text import fold

CONCEPT_FIELDS = frozenset({"valence", "direction", "quantity"})  # a concept's non-language keys


def _concept_languages() -> tuple[str, ...]:
    """The languages ``data/news_polarity.toml`` expresses its concepts in, in the file's
    order: the languages with news concepts (and with curated tables derived together)."""
    raw = resources.files(__package__).joinpath("data/news_polarity.toml").read_text("utf-8")
    return tuple(dict.fromkeys(key for concept in tomllib.loads(raw).values()
                               for key in concept if key not in CONCEPT_FIELDS))


LANGS = _concept_languages()
TABLE_FORMAT = 17  # bump when the way a table is derived changes
# Shorter inflected forms are too often other words ("da", "fu"); a script's own figure in
# ``langs/<code>/script.toml`` (one Han character is a morpheme, two a word).
MIN_FORM_CHARS = scripts.DEFAULT_MIN_WORD_CHARS
MIN_HEAD_CHARS = 4  # a compound's head must be a real word, not a suffix
MIN_BASE_CHARS = 4  # an adjective shorter is too often chat ("lol" -> "lolly")
LEMMA_HOPS = 3
Concept = dict[str, Any]  # "valence": float, and per language code a list of lemmas
COMPOUND_MEMO = 100_000  # German words whose head was looked for, remembered per process
log = logging.getLogger(__name__)
WORD = re.compile(rf"{scripts.LETTER}+(?:['’]{scripts.LETTER}+)?", re.UNICODE)


class Table(TypedDict):
    """A language's derived table as stored on disk (JSON)."""

    method: str
    words: dict[str, float]
    phrases: list[tuple[list[str], float]]
    heads: list[str]
    shifters: list[str]
    shifter_phrases: list[list[str]]
    directions: dict[str, int]
    quantities: dict[str, int]
    negators: NotRequired[list[str]]  # the lexicon's own, where the rules file lists none
    trust: NotRequired[float]  # what the confidence of a score counts (a translation: half)


@dataclass(frozen=True, slots=True)
class Valences:
    """Everything the scorer looks up for one language."""

    lang: str
    name: str
    words: dict[str, float]
    phrases: dict[str, tuple[tuple[tuple[str, ...], float], ...]]  # by first word, longest first
    heads: frozenset[str]  # nouns a German compound may end with
    shifters: frozenset[str]  # words that reverse what follows ("end", "reduce")
    shifter_phrases: dict[str, tuple[tuple[str, ...], ...]]  # "porre fine", by first word
    directions: dict[str, int]  # "rose" +1, "fell" -1
    quantities: dict[str, int]  # "exports" +1, "unemployment" -1: good news when they rise?
    fold_accents: bool
    script: scripts.Traits = field(default_factory=scripts.Traits)
    negators: frozenset[str] = frozenset()
    trust: float = 1.0
    deep: bool = False  # a word not in ``words`` may still have a value: a compound, clitics

    compounds: dict[str, float | None] = field(default_factory=dict, compare=False)

    def value(self, word: str) -> float | None:
        """Valence of one case-folded word form, of the head of a compound, or of the bare
        form of a word written with clitics ("والحرب" -> "حرب")."""
        v = self.words.get(word)
        if v is None and self.script.clitics:
            if word in self.compounds:
                return self.compounds[word]
            if len(self.compounds) >= COMPOUND_MEMO:
                self.compounds.clear()
            for bare in scripts.bare_forms(word, self.script, self.script.min_word_chars):
                v = self.words.get(bare)
                if v is not None:
                    break
            self.compounds[word] = v
            return v
        if v is None and self.heads and len(word) >= 2 * MIN_HEAD_CHARS:
            if word in self.compounds:
                return self.compounds[word]
            if len(self.compounds) >= COMPOUND_MEMO:
                self.compounds.clear()  # bounded: a long run meets ever new words
            for i in range(MIN_HEAD_CHARS, len(word) - MIN_HEAD_CHARS + 1):
                if word[i:] in self.heads:
                    v = self.words[word[i:]]
                    break
            self.compounds[word] = v
        return v


# Every language with a method: the six with news concepts, and every language a permissive
# lexicon (so far only a machine translation) covers.
SUPPORTED = tuple(dict.fromkeys((*LANGS, *MULTILANG_FILES)))


def supported(lang: str) -> bool:
    """``lang`` has a method: news concepts, or a lexicon its pack or the translations give."""
    return lang in SUPPORTED or bool(third_party(lang))


def _compounding(lang: str) -> bool:  # read by its compounds' head noun (the pack says)
    return langs.get(lang).compounding


def _folds_accents(lang: str) -> bool:  # words looked up without their accents (the pack says)
    return langs.get(lang).fold_accents


def rules(lang: str) -> Mapping[str, Any]:
    """The pack's ``sentiment_rules.toml``: closed-class words for the scorer, word endings
    for the tables; empty where it has none."""
    return langs.get(lang).sentiment_rules or {}


@cache
def _endings(lang: str, kind: str) -> tuple[tuple[str, str], ...]:
    """A language's ending pairs of one ``kind`` in ``sentiment_rules.toml``: "participles"
    ([participle ending, infinitive ending]) or "derived" ([adjective, derived word])."""
    return tuple((str(a), str(b)) for a, b in rules(lang).get(kind, ()))


def _derived(values: Mapping[str, float], lang: str, forms: Collection[str]) -> dict[str, float]:
    """Adverbs and abstract nouns of the table's adjectives that the language has (in
    ``forms``) and the table lacks, with the adjective's value: "sad" -> "sadness"."""
    out: dict[str, float] = {}
    for word, v in values.items():
        for ending, derived in _endings(lang, "derived"):
            if word.endswith(ending) and len(word) >= MIN_BASE_CHARS:
                new = word[:len(word) - len(ending)] + derived
                if new not in values and new in forms:
                    out.setdefault(new, v)
    return out


def _verb_of(lemma: str, lang: str, known: Collection[str]) -> str | None:
    """The known verb a participle lemma belongs to ("fallecido" -> "fallecer"), if any."""
    for ending, infinitive in _endings(lang, "participles"):
        if lemma.endswith(ending) and len(lemma) > len(ending) + 2:
            verb = lemma[:len(lemma) - len(ending)] + infinitive
            if verb in known:
                return verb
    return None


def _concepts_raw() -> bytes:
    return resources.files(__package__).joinpath("data/news_polarity.toml").read_bytes()


@cache
def _concept_data() -> dict[str, Concept]:
    return tomllib.loads(_concepts_raw().decode("utf-8"))


def _key(lang: str) -> str:
    """File name of a language's table: changes with anything the table is derived from."""
    h = hashlib.sha256(_concepts_raw())
    h.update(f"{TABLE_FORMAT}|{metadata.version('simplemma')}".encode())
    h.update(repr((_endings(lang, "participles"), _endings(lang, "derived"))).encode())
    h.update(repr(scripts.traits(lang)).encode())
    for third in third_party(lang):
        h.update(f"|{third.pin()}".encode())
    return f"sentiment-{lang}-{h.hexdigest()[:16]}.json"


SHIFTERS = "shifters"  # the concept whose words reverse the next polar word
DIRECTION, QUANTITY = "direction", "quantity"  # concepts read in pairs, not by a valence


def _lemmas(lang: str, concept: Concept) -> list[str]:
    """A concept's lemmas in one language, tokenised like the text and joined by spaces."""
    return [" ".join(WORD.findall(lem.casefold())) for lem in concept.get(lang, ())]


def concepts(lang: str) -> tuple[dict[str, float], set[str]]:
    """Lemma (or phrase) -> valence for one language, and the shifter lemmas apart."""
    out: dict[str, float] = {}
    shifters: set[str] = set()
    for name, concept in _concept_data().items():
        if name == SHIFTERS:
            shifters.update(_lemmas(lang, concept))
            continue
        if "valence" not in concept:
            continue
        for key in _lemmas(lang, concept):
            out.setdefault(key, float(concept["valence"]))
    return out, shifters


def signs(lang: str, kind: str) -> dict[str, int]:
    """Lemma -> +1 or -1 in one language for the concepts that carry ``kind``: which way a
    direction word points, or whether a quantity rising is good news."""
    out: dict[str, int] = {}
    for concept in _concept_data().values():
        if kind in concept:
            for key in _lemmas(lang, concept):
                if " " not in key:
                    out.setdefault(key, int(concept[kind]))
    return out


def _third_party(lang: str, skip: frozenset[str], key: Callable[[str], str],
                 strict: bool) -> tuple[dict[str, float], list[Source]]:
    """The language's third-party valences merged, most trusted source first, and the sources
    used. Not ``strict``: a source that cannot be fetched is left out with a warning (the
    table is then not stored, so the next process tries again)."""
    merged: dict[str, float] = {}
    used: list[Source] = []
    script = scripts.traits(lang)
    norm, min_chars = scripts.normaliser(script), script.min_word_chars
    for src in third_party(lang):
        try:
            values = src.valences()
        except npmdata.FetchError as exc:
            if strict:
                raise
            log.warning("sentiment lexicon %s left out for %s: %s", src.name, lang, exc)
            continue
        used.append(src)
        # Function words are no evidence, whatever a social-media lexicon says ("para",
        # "tout"), and neither are its one- and two-letter entries: interjections and emoticon
        # letters of chat ("ha", "l") that are ordinary words of news text ("há" is "ha").
        for word, v in values.items():
            w = norm(word) if norm else word
            if w not in merged and key(w) not in skip and len(w) >= min_chars:
                merged[w] = v
    return merged, used


def _lemma_of(table: Mapping[str, str], lemma: str, known: Collection[str],
              third: Collection[str]) -> str:
    """The lemma a form's valence comes from. Lists give some forms a form as lemma ("uccisi"
    -> "ucciso" -> "uccidere"): follow the chain a few steps until a concept's lemma; failing
    that, the first step a third-party lexicon knows ("ucciso" is in the translated AFINN,
    weaker than the concept "uccidere", which must win)."""
    in_third = lemma if lemma.casefold() in third else None
    for _ in range(LEMMA_HOPS):
        if lemma.casefold() in known or table.get(lemma, lemma) == lemma:
            break
        lemma = table[lemma]
        if in_third is None and lemma.casefold() in third:
            in_third = lemma
    if lemma.casefold() not in known and in_third is not None:
        return in_third
    return lemma


def derive(lang: str, stop: Iterable[str] = (), strict: bool = True) -> Table:
    """Build one language's table (needs simplemma's lists in memory: run it apart)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    # Where accents are folded, a form is skipped when its folded spelling is a function word:
    # Portuguese "dóis" (you hurt) is read as "dois" (two).
    key = fold if _folds_accents(lang) else str
    skip = frozenset(key(w.casefold()) for w in stop)
    third, used = _third_party(lang, skip, key, strict)
    lemmas, shifter_lemmas = concepts(lang)
    shifters = {s for s in shifter_lemmas if " " not in s}
    from_concepts: dict[str, float] = {}
    from_third: dict[str, float] = {}
    heads: set[str] = set()
    table = _lemma_table(DefaultDictionaryFactory(), lang)
    min_chars = scripts.traits(lang).min_word_chars
    multi = [k.split(" ") for k in (*lemmas, *shifter_lemmas) if " " in k]
    forms_of: defaultdict[str, set[str]] = defaultdict(set)  # first words of phrases
    for ws in multi:
        forms_of[ws[0]].add(ws[0])
    known = lemmas.keys() | shifter_lemmas | forms_of.keys()
    for form, first in table.items():
        f = form.casefold()
        if len(f) < min_chars or key(f) in skip:
            continue
        lemma = _lemma_of(table, first, known, third)
        lem = lemma.casefold()
        verb = None if lem in known else _verb_of(lem, lang, known)
        if verb is not None:  # a participle with a lemma of its own: its verb's
            lem = verb
        if lem in forms_of:  # "pone fine" is "porre fine"
            forms_of[lem].add(f)
        # A verb both a shifter and an event ("deter", "detener", "arrêter": stop, arrest) is
        # the event as a participle: "é detido", "fue detenido" is somebody arrested.
        if lem in shifter_lemmas and not (verb is not None and lem in lemmas):
            shifters.add(f)
            continue
        if lem in lemmas:
            from_concepts.setdefault(f, lemmas[lem])
            # Heads are the concepts' nouns only: a third-party entry read as a head turns
            # "Königreich" into "reich" (rich) and "Sicherheitskräfte" into "Kräfte".
            if _compounding(lang) and lemma[:1].isupper():
                heads.add(f)
        elif lem in third:
            from_third.setdefault(f, third[lem])
    words = {**third, **from_third, **from_concepts,
             **{k: v for k, v in lemmas.items() if " " not in k}}
    words.update(_derived(words, lang, {f.casefold() for f in table}))
    if _compounding(lang):  # the lemmas themselves: German nouns are written capitalised
        heads |= {lem.casefold() for c in _concept_data().values()
                  for lem in c.get(lang, ()) if lem[:1].isupper() and " " not in lem}
    phrases = [([f, *ws[1:]], v) for k, v in lemmas.items() if " " in k
               for ws in [k.split(" ")] for f in sorted(forms_of[ws[0]])]
    shifter_phrases = [[f, *ws[1:]] for k in sorted(shifter_lemmas) if " " in k
                       for ws in [k.split(" ")] for f in sorted(forms_of[ws[0]])]
    directions, quantities = _signed_forms(table, lang, key, skip)
    out = Table(method=method_name(used, news=bool(lemmas or shifter_lemmas)), words=words,
                phrases=phrases, heads=sorted(heads), shifters=sorted(shifters),
                shifter_phrases=shifter_phrases, directions=directions, quantities=quantities)
    out = _pruned(_folded(out) if _folds_accents(lang) else out)
    out["negators"] = _negators(lang, strict)
    # A table made of machine translations alone (no curated lexicon, no news concepts) is
    # trusted half, like each of its words: its scores' confidence says so.
    out["trust"] = TRANSLATED_WEIGHT if translated_only(lang) and not lemmas else 1.0
    return out


def _lemma_table(factory: Any, lang: str) -> dict[str, str]:
    """simplemma's form -> lemma list of ``lang``; empty where it has none (Chinese,
    Japanese, Korean): the table is then the lexicons' own forms."""
    try:
        table: dict[str, str] = factory.get_dictionary(lang)
    except (ValueError, FileNotFoundError, KeyError):
        return {}
    return table


def _negators(lang: str, strict: bool) -> list[str]:
    """Negation words from the translated lexicon's package, for a language whose rules
    (``sentiment_rules.toml``) list none; normalised like the text."""
    if rules(lang).get("negators") or not third_party(lang):
        return []
    script = scripts.traits(lang)
    try:
        found = shipped_negators(lang, script.unspaced)
    except npmdata.FetchError as exc:
        if strict:
            raise
        log.warning("negators left out for %s: %s", lang, exc)
        return []
    norm = scripts.normaliser(script)
    return sorted({norm(w) if norm else w for w in found})


def _signed_forms(table: Mapping[str, str], lang: str, key: Callable[[str], str],
                  skip: Collection[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Every form of the direction words and of the quantities, with their sign."""
    directions, quantities = signs(lang, DIRECTION), signs(lang, QUANTITY)
    tagged = directions.keys() | quantities.keys()
    form_direction, form_quantity = dict(directions), dict(quantities)
    min_chars = scripts.traits(lang).min_word_chars
    for form, first in table.items():
        f = form.casefold()
        if len(f) < min_chars or key(f) in skip:
            continue
        tag = _lemma_of(table, first, tagged, ()).casefold()
        if tag not in tagged:
            tag = _verb_of(tag, lang, tagged) or tag
        if tag in directions:
            form_direction.setdefault(f, directions[tag])
        if tag in quantities:
            form_quantity.setdefault(f, quantities[tag])
    return form_direction, form_quantity


def _folded(t: Table) -> Table:
    """The table with every word's accents folded, as the scorer folds the text's."""
    return Table(method=t["method"], words={fold(k): v for k, v in t["words"].items()},
                 phrases=[([fold(w) for w in ws], v) for ws, v in t["phrases"]],
                 heads=[fold(h) for h in t["heads"]], shifters=[fold(w) for w in t["shifters"]],
                 shifter_phrases=[[fold(w) for w in ws] for ws in t["shifter_phrases"]],
                 directions={fold(k): v for k, v in t["directions"].items()},
                 quantities={fold(k): v for k, v in t["quantities"].items()})


def _pruned(t: Table) -> Table:
    """Shifters carry no valence of their own; heads must be real words with one."""
    shifters = set(t["shifters"])
    words = {k: v for k, v in t["words"].items() if k not in shifters}
    heads = sorted({h for h in t["heads"] if len(h) >= MIN_HEAD_CHARS and h in words})
    return Table(method=t["method"], words=words, phrases=t["phrases"], heads=heads,
                 shifters=sorted(shifters), shifter_phrases=t["shifter_phrases"],
                 directions=t["directions"], quantities=t["quantities"])


def _stopwords(lang: str) -> frozenset[str]:
    from .language import stopwords

    return stopwords(lang) or frozenset()


def prepare(langs: Iterable[str] | None = None) -> list[str]:
    """Derive and store the tables that are not stored yet; the names of those written."""
    written = []
    for lang in SUPPORTED if langs is None else langs:
        name = _key(lang)
        if diskcache.read(name) is None:
            diskcache.write(name, json.dumps(derive(lang, _stopwords(lang)), ensure_ascii=False))
            written.append(name)
    return written


def _table(lang: str) -> Table:
    name = _key(lang)
    found = diskcache.read(name)
    if found is None:  # derive it in a separate process: its ~300 MB are returned on exit
        together = LANGS if lang in LANGS else (lang,)  # the six share one derivation run
        subprocess.run([sys.executable, "-c", f"import {__name__} as m; m.main()", *together],
                       check=False, stdout=subprocess.DEVNULL)
        found = diskcache.read(name)
    if found is None:  # no writable cache directory, or a source unreachable: derive here
        return derive(lang, _stopwords(lang), strict=False)
    table: Table = json.loads(found)
    return table


_VALUES: dict[tuple[type, float, float], float] = {}


def _one_object_per_value(words: dict[str, float]) -> dict[str, float]:
    """``words`` with equal valences one float object: a table decoded from JSON has one per
    word (300,000 over 18 languages, 7 MB) for ~160 distinct values. (Type and sign are
    part of the key: 2 stays an int, -0.0 stays -0.0.)"""
    return {w: _VALUES.setdefault((type(v), v, math.copysign(1.0, v)), v)
            for w, v in words.items()}


@cache
def valences(lang: str | None) -> Valences | None:
    """A language's table, loaded once per process; None where the project has no method."""
    if lang is None or not supported(lang):
        return None
    table = _table(lang)
    phrases: defaultdict[str, list[tuple[tuple[str, ...], float]]] = defaultdict(list)
    for ws, v in table["phrases"]:
        phrases[ws[0]].append((tuple(ws), float(v)))
    script = scripts.traits(lang)
    shifter_phrases: defaultdict[str, list[tuple[str, ...]]] = defaultdict(list)
    for ws in table["shifter_phrases"]:
        shifter_phrases[ws[0]].append(tuple(ws))
    return Valences(
        lang=lang,
        name=table["method"],
        words=_one_object_per_value(table["words"]),
        phrases={k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in phrases.items()},
        heads=frozenset(table["heads"]),
        shifters=frozenset(table["shifters"]),
        shifter_phrases={k: tuple(v) for k, v in shifter_phrases.items()},
        directions=table["directions"],
        quantities=table["quantities"],
        fold_accents=_folds_accents(lang),
        script=script,
        negators=frozenset(table.get("negators", ())),
        trust=float(table.get("trust", 1.0)),
        deep=bool(table["heads"]) or script.clitics,
    )


def main() -> None:
    """Derive the tables of the languages named on the command line (default: all)."""
    try:
        for written in prepare(sys.argv[1:] or None):
            print(f"derived {written}")
    except npmdata.FetchError as exc:
        sys.exit(f"enrich-worker: {exc}")


if __name__ == "__main__":
    main()
