"""Country adjectives and demonyms (``data/demonyms.txt``) with their inflected forms.

The table holds one base form per word (masculine singular); the inflected forms are generated
here so that "russo" also finds "russa", "russi" and "russe". Over-generation is harmless (a
form that does not exist never occurs in text); under-generation would miss mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import langs


def _columns(text: str) -> tuple[str, ...]:
    """The languages of the table's columns, in order, from its ``code | ...`` header line."""
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            code, *langs_ = (c.strip() for c in line.split(" | "))
            if code != "code":
                raise ValueError(f"demonyms.txt: no 'code | <lang> | ...' header: {line!r}")
            return tuple(langs_)
    return ()


def _table() -> str:
    return resources.files(__package__).joinpath("data/demonyms.txt").read_text("utf-8")


LANGS = _columns(_table())  # the languages the table has demonyms for


def inflect(lang: str) -> Callable[[str], list[str]]:
    """The pack's inflection of a base form; the form alone where the pack has none."""
    return langs.get(lang).inflect_demonym or (lambda w: [w])


@dataclass(frozen=True, slots=True)
class Demonym:
    code: str
    lang: str
    base: str
    form: str


def rows(text: str | None = None) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """(ISO code, {lang: [base forms]}) for every line of the table."""
    if text is None:
        text = _table()
    header = True
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if header:  # the column header, ``code | en | ...``
            header = False
            continue
        cells = [c.strip() for c in line.split(" | ")]
        if len(cells) != 1 + len(LANGS):
            raise ValueError(f"demonyms.txt: {len(cells)} cells in {line!r}")
        code, *per_lang = cells
        yield code, {
            lang: [w.strip() for w in cell.split(",") if w.strip()]
            for lang, cell in zip(LANGS, per_lang, strict=True)
        }


def forms() -> Iterator[Demonym]:
    """Every inflected form of every base form, each with its country and language."""
    for code, per_lang in rows():
        for lang, bases in per_lang.items():
            for base in bases:
                for form in dict.fromkeys(inflect(lang)(base)):
                    yield Demonym(code, lang, base, form)


@dataclass(frozen=True, slots=True)
class PersonCues:
    persons: frozenset[str]
    articles: frozenset[str]
    ages: tuple[str, ...]


_WORD = re.compile(r"[\w'’-]+")
_CLAUSE_END = re.compile(r"[.;:!?()\n]")
WINDOW = 3  # words looked at on each side of a nationality word


@cache
def person_cues(lang: str | None) -> PersonCues | None:
    """The pack's ``nationality_cues.toml``; None where it has none."""
    table = langs.get(lang).nationality_cues
    if table is None:
        return None
    return PersonCues(frozenset(table["persons"]), frozenset(table["articles"]),
                      tuple(table["ages"]))


def of_person(text: str, start: int, end: int, lang: str | None) -> bool:
    """Does the nationality word at ``text[start:end]`` describe one person ("un albanese di
    30 anni", "a 30-year-old Albanian man") rather than a country ("il governo albanese")?

    A person's nationality says who took part, not where the story happens: an Albanian
    arrested in an Italian town makes an Italian story. Read from the words next to it, within
    its clause: a noun for a person, an indefinite article right before it (a noun use), or an
    age."""
    cues = person_cues(lang)
    if cues is None:
        return False
    left = _CLAUSE_END.split(text[max(0, start - 80):start])[-1]
    right = _CLAUSE_END.split(text[end:end + 80])[0]
    before = [w.casefold() for w in _WORD.findall(left)][-WINDOW:]
    after = [w.casefold() for w in _WORD.findall(right)][:WINDOW]
    if before and before[-1] in cues.articles:
        return True
    near = before[-2:] + after[:2]
    if any(w in cues.persons for w in near):
        return True
    window = before + after
    return any(_is_age(window, i, cues.ages) for i in range(len(window)))


def _is_age(words: list[str], i: int, ages: tuple[str, ...]) -> bool:
    """"30enne", "30-year-old", "30-jährige"; or "30" followed by "anni", "years", "años"."""
    w = words[i]
    if not any(c.isdigit() for c in w):
        return False
    if any(w.endswith(a) for a in ages):
        return True
    return i + 1 < len(words) and words[i + 1] in ages
