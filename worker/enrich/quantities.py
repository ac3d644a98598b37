"""Dates and amounts in every language, as GDELT's GKG reports them.

Dates: "15 agosto", "15 de agosto de 2025", "August 15, 2025", "15. August", "agosto 2024", a
year ("1945"), a weekday ("martedì"). Month and weekday names come from CLDR (babel) for the
article's language, so no month table is written by hand; each date gets an ISO 8601 value
(``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``). Without a year in the text, the year is the
publication's, unless that puts the date more than three months after ``published_at`` (then
the year before) or nine months before it (then the year after); a weekday is the last such
day on or before it (news reports what happened). Without ``published_at`` such dates keep
their text and no value.

Amounts: a number written with the language's separators (CLDR: "5.000" in Italian, "5,000"
in English), optionally scaled ("3 milioni", "2 billion"), and the noun it counts, taken from
the words right after it ("5.000 operai edili" -> 5000, "operai edili"); a number followed by
no noun (a bare figure) is not reported. Years and numbers inside dates are not amounts.

Regular expressions compiled once per language: the cost per article is a few scans of its
text (dateparser's search was measured far too slow for every article on the hot path).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import metadata
from typing import Any, TypedDict

from . import diskcache, langs
from .places import stopwords, tokens
from .text import FIELDS, Field, Openings, matches_at, openings, run_starts

MAX_NOUN_WORDS = 3
FACTS_FORMAT = 1  # of the stored CLDR facts (``_facts``): a change of their shape renames them


class MentionOut(TypedDict):
    field: str
    start: int
    end: int


class DateOut(TypedDict):
    text: str
    value: str | None
    mentions: list[MentionOut]


class AmountOut(TypedDict):
    text: str
    value: float | int
    noun: str
    field: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Lang:
    months: dict[str, int]
    weekdays: dict[str, int]
    date: re.Pattern[str]
    month: re.Pattern[str]  # any month name anywhere: without one, no date can match
    year: re.Pattern[str]
    weekday: re.Pattern[str]
    number: re.Pattern[str]
    # How a month or weekday name opens (None: the patterns are run over the whole text)
    month_openings: Openings | None
    weekday_openings: Openings | None
    group: str
    decimal: str


def _alternation(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first, written as a trie ("gen(?:naio)?"):
    the same matches as the plain alternation sorted by length, but one character is tried
    per branch instead of every word at every position of the text (3x faster on news)."""
    trie: dict[str, Any] = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _cldr_facts(lang: str) -> dict[str, Any]:
    """What the patterns need from CLDR (babel): month names (wide and abbreviated, every
    context) and weekday names to their numbers, the group and decimal separators."""
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        loc = Locale(langs.PIVOT)
    months: dict[str, int] = {}
    for context in loc.months.values():
        for width in ("wide", "abbreviated"):
            for n, name in context.get(width, {}).items():
                months[str(name).casefold().rstrip(".")] = int(n)
    weekdays: dict[str, int] = {}
    for context in loc.days.values():
        for n, name in context.get("wide", {}).items():
            weekdays[str(name).casefold()] = int(n)  # CLDR: 0 = Monday
    symbols = loc.number_symbols.get("latn", loc.number_symbols)
    return {"months": list(months.items()), "weekdays": list(weekdays.items()),
            "group": str(symbols.get("group", ",")), "decimal": str(symbols.get("decimal", "."))}


def _facts(lang: str) -> dict[str, Any]:
    """``_cldr_facts``, stored on disk (``diskcache``): babel keeps every locale it has read,
    most of a megabyte each, so 18 languages held ~15 MB in each process for a few words."""
    name = f"dates-numbers-{FACTS_FORMAT}-{lang}-babel-{metadata.version('babel')}.json"
    found: dict[str, Any] = json.loads(diskcache.text(
        name, lambda: json.dumps(_cldr_facts(lang), ensure_ascii=False)))
    return found


def prepare(lang: str) -> None:
    """Derive and store ``lang``'s CLDR facts before the first enrichment process needs them."""
    _facts(lang)


@cache
def _lang(lang: str) -> _Lang:
    facts = _facts(lang)
    months: dict[str, int] = dict(facts["months"])
    weekdays: dict[str, int] = dict(facts["weekdays"])
    names = _alternation(list(months))

    def month(g: str) -> str:
        return f"(?P<{g}>{names})\\.?"

    def day(g: str) -> str:
        return rf"(?P<{g}>[0-3]?\d)(?:\.|º|°|er|st|nd|rd|th)?"

    def year(g: str) -> str:
        return rf"(?P<{g}>1[5-9]\d\d|20\d\d)"

    link = r"(?:\s+(?:de|del|di)\s+|\s+|,\s*)"
    date_re = re.compile(
        rf"(?<![\w.,]){day('day')}{link}{month('month')}(?:{link}{year('year')})?(?!\w)"
        rf"|(?<!\w){month('month2')}\s+{day('day2')}(?:,?\s+{year('year2')})?(?!\w)"
        rf"|(?<!\w){month('month3')}{link}{year('year3')}(?!\w)",
        re.IGNORECASE)
    group, decimal = str(facts["group"]), str(facts["decimal"])
    g, d = re.escape(group if group.strip() else " "), re.escape(decimal)
    scales = _alternation(list(langs.get(lang).scales))
    number = re.compile(
        rf"(?<![\w.,]){_number(g, d)}(?:\s+(?P<scale>{scales}))?(?![\w]|[.,]\d)"
        if scales else rf"(?<![\w.,]){_number(g, d)}(?![\w]|[.,]\d)", re.IGNORECASE)
    return _Lang(
        month_openings=openings(months), weekday_openings=openings(weekdays),
        months=months, weekdays=weekdays, date=date_re,
        month=re.compile(names, re.IGNORECASE),
        year=re.compile(rf"(?<![\w.,]){year('year')}(?![\w]|[.,]\d)"),
        weekday=re.compile(rf"(?<!\w)(?P<weekday>{_alternation(list(weekdays))})(?!\w)",
                           re.IGNORECASE),
        number=number, group=group, decimal=decimal)


def _number(g: str, d: str) -> str:
    return rf"(?P<num>\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?|\d+(?:{d}\d+)?)"


def _published(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _resolve_year(month: int, day: int, pub: date) -> date | None:
    """The publication's year, unless that puts the date more than three months after
    publication (news reports the past: "28 dicembre" in early January is last year's) or
    more than nine months before it (then it is next year's)."""
    try:
        d = date(pub.year, month, day)
    except ValueError:
        return None
    delta = (d - pub).days
    year = pub.year - 1 if delta > 92 else pub.year + 1 if delta < -274 else pub.year
    try:
        return date(year, month, day)
    except ValueError:  # 29 February of a year without one
        return None


@dataclass(frozen=True, slots=True)
class _Starts:
    """Where in a field a date, a weekday, a year or a number can begin: word starts
    (``text.run_starts``, from the field's tokens) opening with a digit or like a month or
    weekday name. Every pattern here opens at a word start (a look-behind rules out a word
    character before it), so trying it there alone finds what a scan of every character
    finds (``text.matches_at``), in one pass over the words instead of one regex scan of
    the text per pattern."""

    digits: list[int]
    dates: list[int]
    weekdays: list[int]


def _starts(text: str, starts: list[int], spec: _Lang) -> _Starts | None:
    months, days = spec.month_openings, spec.weekday_openings
    if months is None or days is None:
        return None
    digits: list[int] = []
    dates: list[int] = []
    weekdays: list[int] = []
    # (``Openings.at`` written out: this loop visits every word of every article)
    mfirst, mpairs, msingles = months.firsts, months.pairs, months.singles
    dfirst, dpairs, dsingles = days.firsts, days.pairs, days.singles
    for p in starts:
        c = text[p]
        if c.isdecimal():
            digits.append(p)
            dates.append(p)  # a day ("15 agosto"), or a month written with digits
        elif c in mfirst and (text[p:p + 2] in mpairs or c in msingles):
            dates.append(p)
        if c in dfirst and (text[p:p + 2] in dpairs or c in dsingles):
            weekdays.append(p)
    return _Starts(digits, dates, weekdays)


def find_dates(text: str, field: Field, lang: str, published: object = None,
               starts: _Starts | None = None) -> list[tuple[str, str | None, MentionOut]]:
    """(text, ISO value or None, mention) for each date in ``text``; ``starts`` says where
    one can begin (None: anywhere)."""
    spec = _lang(lang)
    pub = _published(published)
    out: list[tuple[str, str | None, MentionOut]] = []
    taken: list[tuple[int, int]] = []
    dates = (spec.date.finditer(text) if spec.month.search(text) else ()) if starts is None \
        else matches_at(spec.date, text, starts.dates)
    for m in dates:
        g = m.groupdict()
        name = (g.get("month") or g.get("month2") or g.get("month3") or "").casefold()
        name = name.rstrip(".")
        month = spec.months.get(name)
        dd = g.get("day") or g.get("day2")
        yy = g.get("year") or g.get("year2") or g.get("year3")
        if month is None:
            continue
        value: str | None = None
        if dd is not None:
            day = int(dd)
            if not 1 <= day <= 31:
                continue
            if yy is not None:
                try:
                    value = date(int(yy), month, day).isoformat()
                except ValueError:
                    continue
            elif pub is not None:
                d = _resolve_year(month, day, pub)
                value = d.isoformat() if d else None
        elif yy is not None:
            value = f"{int(yy):04d}-{month:02d}"
        end = m.end() - 1 if m.group().endswith(".") else m.end()  # a full stop, not "ago."
        out.append((text[m.start():end], value,
                    MentionOut(field=field, start=m.start(), end=end)))
        taken.append((m.start(), end))
    years = spec.year.finditer(text) if starts is None else matches_at(
        spec.year, text, starts.digits)
    for m in years:
        if not any(s <= m.start() < e for s, e in taken):
            out.append((m.group(), m.group("year"),
                        MentionOut(field=field, start=m.start(), end=m.end())))
    weekdays = spec.weekday.finditer(text) if starts is None else matches_at(
        spec.weekday, text, starts.weekdays)
    for m in weekdays:
        if any(s <= m.start() < e for s, e in taken):
            continue
        wd = spec.weekdays[m.group("weekday").casefold()]
        value = None
        if pub is not None:
            value = (pub - timedelta(days=(pub.weekday() - wd) % 7)).isoformat()
        out.append((m.group(), value, MentionOut(field=field, start=m.start(), end=m.end())))
    return out


def find_amounts(text: str, field: Field, lang: str, exclude: list[tuple[int, int]],
                 starts: _Starts | None = None) -> list[AmountOut]:
    spec = _lang(lang)
    stop = stopwords()
    out: list[AmountOut] = []
    numbers = spec.number.finditer(text) if starts is None else matches_at(
        spec.number, text, starts.digits)
    for m in numbers:
        if any(s < m.end() and m.start() < e for s, e in exclude):
            continue
        raw = m.group("num")
        number = raw.replace(spec.group, "").replace(spec.decimal, ".") if spec.group.strip() else (
            raw.replace(" ", "").replace(spec.decimal, "."))
        try:
            value: float | int = float(number) if "." in number else int(number)
        except ValueError:
            continue
        scale = m.groupdict().get("scale")
        if scale:
            value = value * langs.get(lang).scales[scale.casefold()]
            value = int(value) if float(value).is_integer() else value
        noun = _noun_after(text, m.end(), stop, lang)
        if not noun:
            continue
        out.append(AmountOut(text=m.group(), value=value, noun=noun, field=field,
                             start=m.start(), end=m.end()))
    return out


_WORDS = re.compile(r"\s+(?:(?:di|de|of)\s+|d['’])?([^\W\d_]+(?:-[^\W\d_]+)?)")


def _noun_after(text: str, pos: int, stop: frozenset[str], lang: str) -> str:
    """Up to MAX_NOUN_WORDS content words right after a number: lower-case ones, or, in
    German, where every noun is capitalised, the first noun."""
    words: list[str] = []
    while len(words) < MAX_NOUN_WORDS:
        m = _WORDS.match(text, pos)
        if m is None:
            break
        word = m.group(1)
        capital_noun = langs.get(lang).nouns_capitalised and not words and word[:1].isupper()
        if (not word[:1].islower() and not capital_noun) or word.casefold() in stop:
            break
        words.append(word)
        pos = m.end()
    return " ".join(words)


def extract(texts: dict[Field, str], lang: str | None, published: object = None,
            starts: Mapping[Field, list[int]] | None = None,
            ) -> tuple[list[DateOut], list[AmountOut]]:
    """Dates (one item per distinct text and value, with every mention) and amounts.
    ``starts``: each field's word starts as ``doc.split`` found them (else found here)."""
    if lang is None:
        return [], []
    grouped: dict[tuple[str, str | None], DateOut] = {}
    amounts: list[AmountOut] = []
    spec = _lang(lang)
    for f in FIELDS:
        at = _starts(texts[f], starts[f] if starts is not None else run_starts(tokens(texts[f])),
                     spec)
        found = find_dates(texts[f], f, lang, published, at)
        for text, value, mention in found:
            key = (text.casefold(), value)
            item = grouped.setdefault(key, DateOut(text=text, value=value, mentions=[]))
            item["mentions"].append(mention)
        spans = [(m["start"], m["end"]) for _, _, m in found]
        amounts += find_amounts(texts[f], f, lang, spans, at)
    return list(grouped.values()), amounts
