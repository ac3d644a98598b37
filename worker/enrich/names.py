"""Person names without a trained model, for languages with no NER pipeline installed.

spaCy has pipelines for about 25 languages and not all can be installed where the worker runs;
Italian, German, Spanish and Portuguese have none here, so their articles named no one. This
recogniser finds PERSON mentions from general evidence, never from lists of particular people:

- a capitalised sequence whose first word is a known given name, followed by one to three
  capitalised words (particles such as "von der", "de", "bin" may stand between): "Kim
  Jong-un", "Ursula von der Leyen". Given names come from Faker's locale data (MIT; ~80
  locales, Latin script kept), so names from anywhere are known, not only local ones;
- a capitalised sequence right after an office or a form of address of the language
  (``data/person_cues.toml``: "il presidente", "Bundeskanzlerin", "el primer ministro");
- a later mention by one end of a found name alone ("Putin", "Kim") counts for the full name.

What keeps precision: a given name alone is not enough (it must be followed by a capitalised
word), month and weekday names (CLDR, via babel) and function words end a name, and a span
that is a known place is not a person. It is used only where no NER pipeline runs, never
instead of one, and its mentions say ``method: "rules"``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources

from . import diskcache
from .places import Gazetteer, stopwords, tokens

METHOD = "rules"
MAX_NAME_WORDS = 4
Tokens = list[tuple[int, int, str]]
PARTICLES = frozenset({"de", "del", "della", "di", "da", "dos", "das", "do", "van", "von",
                       "der", "den", "ter", "bin", "ben", "al", "el", "la", "le", "du"})
# Arabic name parts written lower-case with a hyphen ("al-Maliki", "el-Sisi", "bin-Salman").
_ARTICLE_PART = re.compile(r"^(?:al|el|ad|ar|as|at|az|ibn|bin|abu|abd|ben)[-‑][^\W\d_]",
                           re.IGNORECASE)
_REGNAL = re.compile(r"^[IVXL]{1,5}$")  # "Benedetto XVI", "Mohamed VI"


@dataclass(frozen=True, slots=True)
class NameHit:
    start: int
    end: int
    text: str


def _latin(name: str) -> bool:
    return all(c in "-' " or unicodedata.name(c, "").startswith("LATIN") for c in name)


@cache
def given_names() -> frozenset[str]:
    """Given names of every Faker locale, in Latin script, case-folded; function words of
    the supported languages removed (a name that is also "la" or "will" is no evidence).

    Importing Faker's ~90 person modules takes seconds, which every new enrichment process
    (a start, or the replacement of one that died) would pay; the extracted list is cached as
    a text file keyed by Faker's version (``diskcache.text``)."""
    name = f"given-names-faker-{metadata.version('faker')}.txt"
    return frozenset(diskcache.text(name, lambda: "\n".join(sorted(_extract_given_names())))
                     .split("\n"))


def _extract_given_names() -> frozenset[str]:
    from faker.providers import person

    names: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{mod.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            values = getattr(provider, attr, ())
            if not isinstance(values, (tuple, list, dict)):
                continue  # computed in some locales (a property): their lists are also plain
            for name in values:
                if isinstance(name, str) and len(name) > 1 and _latin(name):
                    names.add(name.casefold())
    return frozenset(names - stopwords())


@cache
def cues(lang: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Role words of ``lang`` as word tuples, indexed by their first word, longest first."""
    raw = resources.files(__package__).joinpath("data/person_cues.toml").read_text("utf-8")
    entries = tomllib.loads(raw).get(lang, {}).get("cues", [])
    index: dict[str, list[tuple[str, ...]]] = {}
    for entry in entries:
        words = tuple(str(entry).split())
        index.setdefault(words[0], []).append(words)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


@cache
def office_words(lang: str) -> frozenset[str]:
    """Every word of every cue of ``lang`` ("premier", "ministre", "m.")."""
    return frozenset(w for cues_ in cues(lang).values() for cue in cues_ for w in cue)


@cache
def non_name_words(lang: str) -> frozenset[str]:
    """Words that cannot be part of a name: function words, months, weekdays."""
    return stopwords() | calendar_words(lang)


@cache
def calendar_words(lang: str) -> frozenset[str]:
    """Month and weekday names of ``lang`` in every region (de_AT says "Jänner"), from CLDR,
    case-folded. Only the article's language: "May" is a month in English, a name in French."""
    from babel import Locale, UnknownLocaleError, localedata

    regional = [c for c in localedata.locale_identifiers() if c.split("_")[0] == lang]
    out: set[str] = set()
    for code in dict.fromkeys((lang, *regional)):
        try:
            loc = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
        for table in (loc.months, loc.days):
            for context in table.values():
                for width in context.values():
                    out.update(str(v).casefold() for v in width.values())
    return frozenset(out)


def _capitalised(word: str) -> bool:
    """A name word: capitalised, not an acronym ("KCNA"), or an initial ("F.")."""
    return word[:1].isupper() and (not word.isupper() or (len(word) == 2 and word[1] == "."))


def _name_word(word: str) -> bool:
    """A word that may continue a name: capitalised, an Arabic article part, a regnal
    number."""
    return _capitalised(word) or bool(_ARTICLE_PART.match(word)) or bool(_REGNAL.match(word))


def find(text: str, lang: str, gaz: Gazetteer, toks: Tokens | None = None,
         lowered: list[str] | None = None) -> list[NameHit]:
    """PERSON mentions in ``text``: full names, then lone mentions of their family names.
    ``toks``, ``lowered``: the text's ``places.tokens`` and their case-folded words when the
    caller has them already."""
    if text.isupper():
        return []  # an all-capitals headline has no case to read names from
    toks = tokens(text) if toks is None else toks
    known = given_names()
    stop = non_name_words(lang)
    role = cues(lang)
    lowered = [t.casefold() for _, _, t in toks] if lowered is None else lowered
    hits: list[NameHit] = []
    # Only a capitalised word or the first word of a cue can start a name: most words are
    # neither, and are skipped without further work.
    starts = [k for k, (_, _, t) in enumerate(toks) if t[:1].isupper() or lowered[k] in role]
    free = 0  # the first token not inside a name found so far
    for i in starts:
        if i < free:
            continue
        after_cue = cue_at(lowered, i, role)
        start = after_cue if after_cue is not None else i
        if start < len(toks) and _capitalised(toks[start][2]) and lowered[start] not in stop:
            end = _name_end(toks, lowered, start, stop, gaz)
            words = end - start
            given = lowered[start] in known and words >= 2
            if (given or (after_cue is not None and words >= 1)) and not _is_place(
                    gaz, toks, start, end):
                s, e = toks[start][0], toks[end - 1][1]
                hits.append(NameHit(s, e, text[s:e]))
                free = end
    return hits + _family_mentions(text, toks, hits)


def cue_at(lowered: list[str], i: int,
           role: dict[str, tuple[tuple[str, ...], ...]]) -> int | None:
    """Where the office or address word(s) starting at token ``i`` end, if any."""
    for cue in role.get(lowered[i], ()):
        if tuple(lowered[i : i + len(cue)]) == cue:
            return i + len(cue)
    return None


def _name_end(toks: list[tuple[int, int, str]], lowered: list[str], start: int,
              stop: frozenset[str], gaz: Gazetteer) -> int:
    """One past the last word of the name starting at ``start``."""
    end, words, j = start + 1, 1, start + 1
    while j < len(toks) and words < MAX_NAME_WORDS and toks[j][0] - toks[j - 1][1] <= 1:
        word = toks[j][2]
        k = j
        while k < len(toks) and k - j < 2 and lowered[k] in PARTICLES:  # "von der", "de la"
            k += 1
        if (k > j and k < len(toks) and _capitalised(toks[k][2])
                and lowered[k] not in gaz.table):  # "di Genova" is a place, not a name
            j = k
            continue
        if not _name_word(word) or lowered[j] in stop:
            break
        words += 1
        j += 1
        end = j
    return end


def _is_place(gaz: Gazetteer, toks: Tokens, start: int, end: int) -> bool:
    """The span is a known place, or made only of known places ("Roma Roma", "Paris
    Berlin": a given name that is also a city does not make a list of cities a person)."""
    words = [t.casefold() for _, _, t in toks[start:end]]
    return " ".join(words) in gaz.table or all(w in gaz.table for w in words)


def _family_mentions(text: str, toks: list[tuple[int, int, str]],
                     names: Iterable[NameHit]) -> list[NameHit]:
    """Lone capitalised mentions of the first or last word of a found name ("Putin" after
    "Vladimir Putin", "Kim" for "Kim Jong-un"), outside the found names; the entity layer
    counts them for the full name."""
    found = list(names)
    family = {part for n in found if " " in n.text
              for part in (n.text.split()[0], n.text.split()[-1])}
    taken = [(n.start, n.end) for n in found]
    out = []
    for s, e, word in toks:
        if word in family and not any(a <= s < b for a, b in taken):
            out.append(NameHit(s, e, word))
    return out


_ROMAN = re.compile(r"^[IVXLCDM]+$")


def acronyms(text: str, gaz: Gazetteer, toks: Tokens | None = None) -> list[NameHit]:
    """Organisations written as acronyms ("KCNA", "ONU", "NATO", "EU"): two to six capital
    letters, in text that is not itself all capitals, and not a place ("USA", "UK"), a
    function word or a Roman numeral."""
    if text.isupper():
        return []
    stop = stopwords()
    out = []
    for s, e, word in tokens(text) if toks is None else toks:
        if (2 <= len(word) <= 6 and word.isalpha() and word.isupper()
                and word.casefold() not in gaz.table and word.casefold() not in stop
                and not _ROMAN.match(word)):
            out.append(NameHit(s, e, word))
    return out
