"""What the model-free person recogniser (``names``) knows, as data: given and family names
(Faker's locale data, MIT), and per language the words that frame a name in news text
(each pack's ``person_cues.toml``: offices, relations, occupations, reporting verbs, complements,
ages) and the calendar words that end one (CLDR, via babel). Adding a language is a file in
its pack; nothing here is specific to one.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import unicodedata
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources

from . import diskcache, langs
from .places import own_stopwords, stopwords
from .text import fold

MIN_HEAD_CHARS = 4  # a compound's office must be a word ("minister", "chef"), not a suffix
# Name particles written in lower case inside a name ("Ursula von der Leyen", "Marco de Santis").
# Names travel across languages ("von der Leyen" in Italian news): one list for all of them,
# ``data/name_particles.txt``.
PARTICLES = frozenset(
    line.strip() for line in resources.files(__package__).joinpath(
        "data/name_particles.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#"))


def _latin(name: str) -> bool:
    return all(c in "-' " or unicodedata.name(c, "").startswith("LATIN") for c in name)


@cache
def given_names() -> frozenset[str]:
    """Given names of every Faker locale, in Latin script, case-folded, also without their
    accents ("Jose" in text is "José" in the data); function words of the supported languages
    removed (a name that is also "la" or "will" is no evidence)."""
    names = _faker_list("given-names", ("first_names", "first_names_male", "first_names_female"))
    return frozenset((*names, *map(fold, names)))


@cache
def surnames() -> frozenset[str]:
    """Family names of every Faker locale, in Latin script, case-folded. Evidence only where
    a word is otherwise in doubt: a capitalised word that is also a function word ("Kurz")
    or a place ("Santos") may continue a name, and a lone word after a complement may be
    one; a surname alone never makes a person."""
    return frozenset(_faker_list("surnames",
                                 ("last_names", "last_names_male", "last_names_female")))


def _faker_list(kind: str, attrs: tuple[str, ...]) -> list[str]:
    """Names from Faker's person providers. Importing its ~90 person modules takes seconds,
    which every new enrichment process would pay; the list is cached as a text file keyed by
    Faker's version (``diskcache.text``)."""
    name = f"{kind}-faker-{metadata.version('faker')}.txt"
    return diskcache.text(name, lambda: "\n".join(sorted(_faker_names(attrs)))).split("\n")


def locale_names(locale: str, attrs: tuple[str, ...]) -> list[str]:
    """Names of one Faker locale in any script, case-folded (cached like the shared lists)."""
    name = f"names-{locale}-{'-'.join(attrs)}-faker-{metadata.version('faker')}-2.txt"

    def derive() -> str:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        found: set[str] = set()
        for attr in attrs:
            values = getattr(provider, attr, ())
            if isinstance(values, (tuple, list, dict)):
                # one Han character or Hangul syllable is a whole family name: "王", "김"
                found.update(n.casefold() for n in values if isinstance(n, str) and n.strip())
        return "\n".join(sorted(found))

    return [n for n in diskcache.text(name, derive).split("\n") if n]


GIVEN = ("first_names", "first_names_male", "first_names_female")
FAMILY = ("last_names", "last_names_male", "last_names_female")


class Joined(Container[str]):
    """The shared name list and a language's own read as one. A union copied into a new
    set would hold the shared list's 40,000 names again for every language that has its own
    (half a megabyte each)."""

    __slots__ = ("own", "shared")

    def __init__(self, shared: frozenset[str], own: frozenset[str]) -> None:
        self.shared, self.own = shared, own

    def __contains__(self, word: object) -> bool:
        return word in self.shared or word in self.own


class Inflected(Container[str]):
    """A name list read through a language's declension: a word is in it when it is a name
    as written or with a case ending replaced by the dictionary one ("юрия" -> "юрий")."""

    __slots__ = ("endings", "names")

    def __init__(self, names: Container[str], endings: tuple[tuple[str, str], ...]) -> None:
        self.names, self.endings = names, endings

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self.names:
            return True
        return any(word.endswith(case) and len(word) - len(case) >= MIN_STEM_CHARS
                   and word[:len(word) - len(case)] + base in self.names
                   for case, base in self.endings)


MIN_STEM_CHARS = 3


@cache
def name_endings(lang: str) -> tuple[tuple[str, str], ...]:
    """``name_endings`` of ``lang`` in person_cues.toml: (inflected, dictionary) endings."""
    return tuple((str(a), str(b)) for a, b in (
        p for p in _words(lang, "name_endings") if isinstance(p, list) and len(p) == 2))


def _with_locales(lang: str, shared: frozenset[str], attrs: tuple[str, ...]
                  ) -> Container[str]:
    locales = [str(x) for x in _words(lang, "faker_locales")]
    if not locales:
        return shared  # the six first languages: the shared list itself, no extra lookups
    names = Joined(shared, frozenset(n for loc in locales for n in locale_names(loc, attrs)))
    endings = name_endings(lang)
    return Inflected(names, endings) if endings else names


def ordinary_words(lang: str) -> bool:
    """``ordinary_words`` of ``lang`` in person_cues.toml: a span of dictionary words with no
    known given name is no person there."""
    return bool(_cue_data(lang).get("ordinary_words"))


@cache
def own_given_names(lang: str) -> Container[str]:
    """Given names of the language's own Faker locales only (``faker_locales``), read through
    its declension: evidence a name of ordinary words still is one ("Сергей", "Emre")."""
    names = frozenset().union(*(locale_names(str(loc), GIVEN)
                                for loc in _words(lang, "faker_locales")))
    endings = name_endings(lang)
    return Inflected(names, endings) if endings else names


@cache
def given_names_for(lang: str) -> Container[str]:
    """The shared given names plus those of the language's own Faker locales (in their own
    script: Cyrillic for ru, uk), read through its declension where it has one."""
    return _with_locales(lang, given_names(), GIVEN)


@cache
def surnames_for(lang: str) -> Container[str]:
    """The shared family names plus the language's own locales', like ``given_names_for``."""
    return _with_locales(lang, surnames(), FAMILY)


def _faker_names(attrs: tuple[str, ...]) -> frozenset[str]:
    from faker.providers import person

    names: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{mod.name}").Provider
        for attr in attrs:
            values = getattr(provider, attr, ())
            if not isinstance(values, (tuple, list, dict)):
                continue  # computed in some locales (a property): their lists are also plain
            for name in values:
                if isinstance(name, str) and len(name) > 1 and _latin(name):
                    names.add(name.casefold())
    return frozenset(names - stopwords())


Index = dict[str, tuple[tuple[str, ...], ...]]
_APOSTROPHE = re.compile("['’]")


def _index(entries: Iterable[object]) -> Index:
    """Entries of one or more words as word tuples, indexed by their first word, longest
    first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for entry in entries:
        words = tuple(str(entry).split())
        index.setdefault(words[0], []).append(words)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


def _cue_data(lang: str) -> Mapping[str, object]:
    """The pack's ``person_cues.toml``; empty where it has none."""
    return langs.get(lang).person_cues or {}


def _words(lang: str, key: str) -> list[object]:
    value = _cue_data(lang).get(key, [])
    return list(value) if isinstance(value, list) else []


@cache
def cues(lang: str) -> Index:
    """Words of ``lang`` a person's name follows: offices, forms of address, family
    relations, occupations; where ``inflected_cues`` is set, a single-word cue in each of its
    case forms ("президента", "premierem")."""
    words = [str(w) for key in ("cues", "kin", "trades") for w in _words(lang, key)]
    if _cue_data(lang).get("inflected_cues"):
        endings = name_endings(lang)
        words += [w[:len(w) - len(base)] + case for w in words if " " not in w
                  for case, base in endings if w.endswith(base)]
    # the text's words are cut at apostrophes (``places.tokens``), so a cue is too:
    # "прем'єр-міністр" is matched as the two tokens "прем", "єр-міністр"
    return _index(dict.fromkeys(_APOSTROPHE.sub(" ", w) for w in words))


@cache
def kin_words(lang: str) -> frozenset[str]:
    return frozenset(str(w) for w in _words(lang, "kin") if " " not in str(w))


@dataclass(frozen=True, slots=True)
class Grammar:
    """How news text of one language frames a name besides the cues (person_cues.toml)."""

    speech: Index  # reporting verbs: "ha detto Rossi"
    of: Index  # office to complement: "ministro dell'Interno Rossi"
    articles: frozenset[str]  # "Rossi, l'ex presidente"
    ages: frozenset[str]  # "Rossi, 49 anni"
    heads: dict[str, tuple[str, ...]]  # compound heads ("Außenminister") by last 3 letters
    firsts: frozenset[str]  # first words of the cues and the reporting verbs
    bare_complement: bool = False  # an office's complement follows it with no "of"
    case_endings: tuple[str, ...] = ()  # after an office inside a compound ("Präsidenten")
    and_words: frozenset[str] = frozenset()  # "and": a second name after a cued one


@cache
def grammar(lang: str) -> Grammar:
    heads: dict[str, list[str]] = {}
    if _cue_data(lang).get("compounds"):
        for cue in (c for group in cues(lang).values() for c in group):
            if len(cue) == 1 and len(cue[0]) >= MIN_HEAD_CHARS and cue[0].isalpha():
                heads.setdefault(cue[0][-3:], []).append(cue[0])
    speech = _index(_words(lang, "speech"))
    return Grammar(speech, _index(_words(lang, "of")),
                   frozenset(map(str, _words(lang, "articles"))),
                   frozenset(map(str, _words(lang, "ages"))),
                   {k: tuple(v) for k, v in heads.items()}, frozenset((*cues(lang), *speech)),
                   bool(_cue_data(lang).get("bare_complement")),
                   langs.get(lang).compound_case_endings or ("",),
                   frozenset(map(str, _words(lang, "and"))))


def compound_cue(word: str, heads: dict[str, tuple[str, ...]],
                 case_endings: tuple[str, ...]) -> bool:
    """``word`` (case-folded) is an office written inside a compound or with a case ending
    ("außenministers", "parteichef", "präsidenten"): it ends with a cue word, perhaps plus one
    of the pack's ``compound_case_endings``, and what comes before the cue is a word of its own
    (three letters or more)."""
    for ending in case_endings:
        if not word.endswith(ending):
            continue
        stem = word[: len(word) - len(ending)]
        for head in heads.get(stem[-3:], ()):
            if stem.endswith(head) and (len(stem) == len(head) or len(stem) - len(head) >= 3):
                return True
    return False


@cache
def office_words(lang: str) -> frozenset[str]:
    """Every word of every cue of ``lang`` ("premier", "ministre", "m.")."""
    return frozenset(w for cues_ in cues(lang).values() for cue in cues_ for w in cue)


@cache
def non_name_words(lang: str) -> frozenset[str]:
    """Words that cannot be part of a name: function words, months, weekdays. The function
    words are those of the supported languages and the language's own (spaCy's list: for a
    language beyond the supported ones, "ini", this, ends "Dewi Ini" in Indonesian), less
    the language's known given and family names ("Elke", "Kim")."""
    names = given_names_for(lang), surnames_for(lang)
    own = frozenset(w for w in own_stopwords(lang) if not any(w in n for n in names))
    return stopwords() | own | calendar_words(lang)


@cache
def calendar_words(lang: str) -> frozenset[str]:
    """Month and weekday names of ``lang`` in every region (de_AT says "Jänner"), from CLDR,
    case-folded. Only the article's language: "May" is a month in English, a name in French.
    Stored on disk (``diskcache``): babel keeps every locale it has read, and the regions of
    18 languages (a hundred for English) would hold 25 MB in each process for a few words."""
    name = f"calendar-words-{lang}-babel-{metadata.version('babel')}.txt"
    text = diskcache.text(name, lambda: "\n".join(sorted(_calendar_words(lang))))
    return frozenset(text.split("\n")) if text else frozenset()


def _calendar_words(lang: str) -> set[str]:
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
    return out


def cue_at(lowered: list[str], i: int, role: Index) -> int | None:
    """Where the office or address word(s) starting at token ``i`` end, if any."""
    for cue in role.get(lowered[i], ()):
        if tuple(lowered[i : i + len(cue)]) == cue:
            return i + len(cue)
    return None
