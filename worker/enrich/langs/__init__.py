"""Language packs: everything the enrichment knows about one language, found through one
registry, after spaCy's ``spacy/lang/<code>/``.

Why: the core (every other module of ``worker/enrich``) runs the same steps for every
language and reads what differs from the language's pack, never from a ``lang == "xx"``. A pack
is a folder ``langs/<code>/`` of data files, each optional (``FORMAT.md`` documents their
keys), plus, only where a rule is code, a small ``inflect.py``:

- ``script.toml``: how the script is written (``Traits``: spaced or not, cased, clitics, ...);
- ``person_cues.toml`` / ``person_frames.toml``: what frames a person's name (cased scripts /
  scripts without capitals);
- ``org_heads.toml``: head nouns of organisation names;
- ``nationality_cues.toml``: what makes a nationality word describe one person;
- ``sentiment_rules.toml``: negators, boosters, contrast words, participle and derived endings;
- ``place_articles.toml``: definite articles (``articles``);
- ``region_abbreviations.toml``: regions as news style books abbreviate them ("Calif.");
- ``quantities.toml``: words that scale a number (``[scales]``);
- ``pack.toml``: single facts (see ``Pack``): demonyms capitalised, compounds, accent folding,
  capitalised nouns, lexicon sources, spaCy pipeline genre, ...;
- ``inflect.py``: ``demonym(base) -> forms`` and ``place_name(name) -> extra forms``.

A pack is read on the first ``get`` of its code and kept; a code with no folder gets the
default pack (spaced, cased script, no tables), which is how every language CLDR and the
lexicons know is read unless a pack says otherwise.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..scripts import DEFAULT_MIN_WORD_CHARS, SCRIPT_LETTERS, Traits

# The language CLDR's and GeoNames' base names are in: country names fall back to it, and the
# gazetteer of every language also reads its names (news writes "Brexit", "UK" everywhere).
PIVOT = "en"
# Codes the language identifier (CLD2) still returns for languages that have a newer code.
LEGACY_CODES: Mapping[str, str] = MappingProxyType(
    {"iw": "he", "in": "id", "jw": "jv", "mo": "ro", "tl": "fil"})
_CODE = re.compile(r"[a-z]{2,3}")
SHIPPED = Path(__file__).parent
_roots: list[Path] = [SHIPPED]  # searched in order: registered folders first
Table = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Pack:
    """What the enrichment knows about one language. A table is None where the pack has no
    such file (the step then does what it does for a language without one)."""

    code: str
    script: Traits = field(default_factory=Traits)
    person_cues: Table | None = None
    person_frames: Table | None = None
    org_heads: Table | None = None
    nationality_cues: Table | None = None
    sentiment_rules: Table | None = None
    place_articles: frozenset[str] = frozenset()
    # A region's abbreviation after a town's name ("Calif.") -> its ISO 3166-2 code ("US-CA").
    region_abbreviations: Mapping[str, str] = field(default_factory=dict)
    scales: Mapping[str, int] = field(default_factory=dict)  # "million" -> 10**6
    # demonyms.txt's base form -> its inflected forms ("russo" -> "russa", "russi", "russe")
    inflect_demonym: Callable[[str], list[str]] | None = None
    # a place name -> its inflected forms besides itself ("Frankreich" -> "Frankreichs")
    inflect_place_name: Callable[[str], Iterable[str]] | None = None
    capitalised_demonyms: bool = False  # "Polish": a lower-case "polish" is an ordinary word
    compounding: bool = False  # sentiment reads a compound by its head noun ("Kriegsgefahr")
    fold_accents: bool = False  # sentiment looks words up without their accents
    nouns_capitalised: bool = False  # every noun has a capital: "5 Millionen Menschen"
    compound_case_endings: tuple[str, ...] = ()  # endings after an office in a compound
    lexicon_sources: tuple[str, ...] = ()  # names of lexicon_sources' sources, most trusted first
    second_script: str | None = None  # the translation's file in the other script ("zh-tw")
    spacy_genre: str | None = None  # official spaCy pipelines: "<code>_core_<genre>_sm"
    spacy_aliases: tuple[str, ...] = ()  # re-uploads of them, tried after the official names


def register(folder: Path) -> None:
    """Read packs from ``folder`` too (one sub-folder per code), before the shipped ones: a
    language added or replaced without changing the package. Takes effect for the codes not
    read yet in this process (steps keep what they derived from a pack)."""
    if not folder.is_dir():
        raise ValueError(f"language packs: {folder} is not a directory")
    _roots.insert(0, folder)
    _folder.cache_clear()
    get.cache_clear()


def codes() -> tuple[str, ...]:
    """Every code with a pack folder, sorted (listing folders loads no pack)."""
    return tuple(sorted({p.name for root in _roots for p in root.iterdir()
                         if p.is_dir() and _CODE.fullmatch(p.name)}))


@cache
def _folder(code: str) -> Path | None:
    """The folder of ``code``'s pack: the first root that has one."""
    return next((root / code for root in _roots if (root / code).is_dir()), None)


def _toml(code: str, name: str) -> Table | None:
    folder = _folder(code)
    if folder is None or not (folder / name).is_file():
        return None
    return MappingProxyType(tomllib.loads((folder / name).read_text("utf-8")))


def _strings(values: object) -> tuple[str, ...]:
    return tuple(str(v) for v in values) if isinstance(values, list) else ()


def _longest_first(values: object) -> tuple[str, ...]:
    return tuple(sorted(set(_strings(values)), key=lambda s: (-len(s), s)))


def _traits(raw: Table | None) -> Traits:
    if raw is None:
        return Traits()
    folds = raw.get("folds", {})
    return Traits(
        unspaced=bool(raw.get("unspaced", False)),
        cased=bool(raw.get("cased", True)),
        min_word_chars=int(str(raw.get("min_word_chars", DEFAULT_MIN_WORD_CHARS))),
        proclitics=_longest_first(raw.get("proclitics")),
        enclitics=_longest_first(raw.get("enclitics")),
        folds=tuple(sorted((str(a), str(b)) for a, b in folds.items()))
        if isinstance(folds, dict) else (),
        strip_marks=bool(raw.get("strip_marks", False)),
        person_suffixes=_longest_first(raw.get("person_suffixes")),
        city_alt_names=bool(raw.get("city_alt_names", True)),
        run_scripts=tuple(x for x in _longest_first(raw.get("run_scripts"))
                          if x in SCRIPT_LETTERS),
        language_suffix=str(raw.get("language_suffix", "")),
    )


def _rule(code: str, name: str) -> Callable[..., Any] | None:
    """A function of the pack's ``inflect.py`` (a rule that is code, not data), if any."""
    folder = _folder(code)
    if folder is None or not (folder / "inflect.py").is_file():
        return None
    if folder.parent == SHIPPED:
        module = importlib.import_module(f"{__package__}.{code}.inflect")
    else:  # a registered folder: not a package of ours, loaded from its file
        spec = importlib.util.spec_from_file_location(f"{__package__}._registered_{code}",
                                                      folder / "inflect.py")
        if spec is None or spec.loader is None:
            raise ImportError(f"language pack {code}: cannot load {folder / 'inflect.py'}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    found: Callable[..., Any] | None = getattr(module, name, None)
    return found


# The keys pack.toml may hold: a misspelt one would silently leave a fact at its default.
PACK_KEYS = frozenset({"capitalised_demonyms", "compounding", "fold_accents",
                       "nouns_capitalised", "compound_case_endings", "lexicon_sources",
                       "second_script", "spacy_genre", "spacy_aliases"})


def _load(code: str) -> Pack:
    facts = _toml(code, "pack.toml") or {}
    unknown = sorted(set(facts) - PACK_KEYS)
    if unknown:
        raise ValueError(f"language pack {code}: pack.toml has unknown keys {unknown}")
    quantities = _toml(code, "quantities.toml") or {}
    articles = _toml(code, "place_articles.toml") or {}
    abbreviations = (_toml(code, "region_abbreviations.toml") or {}).get("abbreviations", {})
    genre = facts.get("spacy_genre")
    second = facts.get("second_script")
    return Pack(
        code=code,
        script=_traits(_toml(code, "script.toml")),
        person_cues=_toml(code, "person_cues.toml"),
        person_frames=_toml(code, "person_frames.toml"),
        org_heads=_toml(code, "org_heads.toml"),
        nationality_cues=_toml(code, "nationality_cues.toml"),
        sentiment_rules=_toml(code, "sentiment_rules.toml"),
        place_articles=frozenset(_strings(articles.get("articles"))),
        region_abbreviations=MappingProxyType({form: str(iso) for iso, forms in
                                               abbreviations.items() for form in _strings(forms)}),
        scales=MappingProxyType({str(k): int(v) for k, v in
                                 quantities.get("scales", {}).items()}),
        inflect_demonym=_rule(code, "demonym"),
        inflect_place_name=_rule(code, "place_name"),
        capitalised_demonyms=bool(facts.get("capitalised_demonyms", False)),
        compounding=bool(facts.get("compounding", False)),
        fold_accents=bool(facts.get("fold_accents", False)),
        nouns_capitalised=bool(facts.get("nouns_capitalised", False)),
        compound_case_endings=_strings(facts.get("compound_case_endings")),
        lexicon_sources=_strings(facts.get("lexicon_sources")),
        second_script=str(second) if second else None,
        spacy_genre=str(genre) if genre else None,
        spacy_aliases=_strings(facts.get("spacy_aliases")),
    )


@cache
def get(code: str | None) -> Pack:
    """The pack of ``code``, read on first use and kept; the default pack for a language
    with no folder (and for None, or a string that is no language code)."""
    if code is None or not _CODE.fullmatch(code) or _folder(code) is None:
        return Pack(code=code or "")
    return _load(code)


def sources_read(name: str) -> bytes:
    """The bytes of every pack's file ``name``, in code order: part of a cache key for data
    derived from them (the gazetteer reads ``inflect.py``)."""
    folders = [_folder(c) for c in codes()]
    return b"".join((f / name).read_bytes() for f in folders
                    if f is not None and (f / name).is_file())
