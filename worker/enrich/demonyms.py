"""Country adjectives and demonyms (``data/demonyms.txt``) with their inflected forms.

The table holds one base form per word (masculine singular); the inflected forms are generated
here so that "russo" also finds "russa", "russi" and "russe". Over-generation is harmless (a
form that does not exist never occurs in text); under-generation would miss mentions.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

LANGS = ("en", "it", "fr", "es", "de", "pt")


def _it(w: str) -> list[str]:
    if w.endswith(("co", "go")):  # tedesco -> tedeschi/tedesche, greco -> greci
        s, c = w[:-1], w[-2]
        h = "ch" if c == "c" else "gh"
        return [w, s + "a", w[:-2] + h + "i", w[:-2] + h + "e", s + "i"]
    if w.endswith("io"):
        return [w, w[:-1] + "a", w[:-1], w[:-1] + "e"]
    if w.endswith("o"):
        return [w, w[:-1] + "a", w[:-1] + "i", w[:-1] + "e"]
    if w.endswith("e"):
        return [w, w[:-1] + "i"]
    if w.endswith("a"):
        return [w, w[:-1] + "i", w[:-1] + "e"]
    return [w]


def _fr(w: str) -> list[str]:
    if w.endswith("e"):
        return [w, w + "s"]
    if w.endswith("ien"):
        return [w, w + "ne", w + "s", w + "nes"]
    if w.endswith(("s", "x", "z")):
        return [w, w + "e", w + "es"]
    return [w, w + "e", w + "s", w + "es"]


_ACCENT = str.maketrans("áéíóú", "aeiou")


def _es(w: str) -> list[str]:
    if w.endswith("o"):
        return [w, w[:-1] + "a", w + "s", w[:-1] + "as"]
    if w.endswith(("é", "á", "í", "ú")):
        return [w, w + "s", w + "es"]
    if w.endswith(("e", "a")):
        return [w, w + "s"]
    if w[-2:] in ("és", "án", "ín", "ón"):  # francés -> francesa/franceses/francesas
        b = w[:-2] + w[-2].translate(_ACCENT) + w[-1]
        return [w, b + "a", b + "es", b + "as"]
    return [w, w + "a", w + "es", w + "as"]


def _pt(w: str) -> list[str]:
    if w.endswith("ão"):
        b = w[:-2]
        return [w, b + "ã", b + "ães", b + "ãs", b + "ãos"]
    if w.endswith("ês"):
        b = w[:-2]
        return [w, b + "esa", b + "eses", b + "esas"]
    if w.endswith("o"):
        return [w, w[:-1] + "a", w + "s", w[:-1] + "as"]
    if w.endswith("eu"):
        return [w, w[:-2] + "eia", w + "s", w[:-2] + "eias"]
    if w.endswith(("e", "a", "i")):
        return [w, w + "s"]
    return [w, w + "es"]


def _de(w: str) -> list[str]:
    if w[0].islower():  # adjective: russisch -> russische/russischen/russischer/...
        return [w] + [w + e for e in ("e", "en", "er", "es", "em")]
    if w.endswith("e"):  # Russe -> Russen, Russin, Russinnen
        return [w, w + "n", w[:-1] + "in", w[:-1] + "innen"]
    if w.endswith("er"):  # Amerikaner -> Amerikanern, Amerikanerin(nen)
        return [w, w + "n", w + "in", w + "innen"]
    return [w, w + "s", w + "n"]


def _en(w: str) -> list[str]:
    if w.endswith(("sh", "ese", "ss", "tch", "nch", "sy", "ois", "que")) or " " in w[-4:]:
        return [w]
    return [w, w + "s"]


INFLECT: dict[str, Callable[[str], list[str]]] = {
    "en": _en, "it": _it, "fr": _fr, "es": _es, "de": _de, "pt": _pt,
}
# Languages that capitalise demonyms; there a lower-case match is an ordinary word ("polish").
CAPITALISED = frozenset({"en", "de"})


@dataclass(frozen=True, slots=True)
class Demonym:
    code: str
    lang: str
    base: str
    form: str


def rows(text: str | None = None) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """(ISO code, {lang: [base forms]}) for every line of the table."""
    if text is None:
        text = resources.files(__package__).joinpath("data/demonyms.txt").read_text("utf-8")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
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
                for form in dict.fromkeys(INFLECT[lang](base)):
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
    """``data/nationality_cues.toml`` for a language; None where it has none."""
    raw = resources.files(__package__).joinpath("data/nationality_cues.toml").read_text("utf-8")
    table = tomllib.loads(raw).get(lang or "")
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
