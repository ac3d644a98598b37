"""Which country's money a story counts in: a sign of where a story that names no place is set.

A local story often names no place (readers know where the paper is: a court, a chamber, a
company at home), but it counts money in the local currency: "una sanción de S/ 20 000", "R$ 2
bilhões", "штраф 5 000 ₽". A sign that belongs to one currency, issued by one country, says
which country's economy the story is in. Shared signs say nothing ("$": some thirty currencies;
"€": twenty countries; "£", "¥", "kr" several), and letters alone are left out: a code or an
abbreviation in letters is also a word or a name ("COP 26" is a climate conference, "ft" a
foot).

The table is derived from CLDR (babel): every currency symbol in every locale, kept where the
symbol names one currency in all of them, the symbol holds a sign (a character that is no
letter, digit or dot: "R$", "S/", "₽", not "Rs." or "din."), and the currency is one country's
money (``_issuer``). Reading every locale takes seconds, so the table is stored with
``diskcache``, named by the babel version.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from importlib import metadata

from . import diskcache

FORMAT = 3


def derive() -> str:
    """The table as JSON: {symbol: ISO 3166-1 alpha-2 code}."""
    from babel import Locale, localedata, numbers
    from babel.core import UnknownLocaleError, get_global

    tenders = {t: numbers.get_territory_currencies(t, tender=True)
               for t in get_global("territory_currencies") if len(t) == 2 and t.isalpha()}
    meanings: defaultdict[str, set[str]] = defaultdict(set)
    for ident in sorted(localedata.locale_identifiers()):
        try:
            symbols = Locale.parse(ident).currency_symbols
        except (UnknownLocaleError, ValueError):
            continue
        for currency, symbol in symbols.items():
            meanings[symbol.strip()].add(currency)
    table = {}
    for symbol, currencies in sorted(meanings.items()):
        if len(currencies) == 1 and any(_sign(c) for c in symbol):
            (currency,) = currencies
            issuer = _issuer(currency, tenders)
            if issuer is not None:
                table[symbol] = issuer
    return json.dumps(table, ensure_ascii=False, sort_keys=True)


def _sign(char: str) -> bool:
    """A character that makes a symbol a sign, not a word or an abbreviation ("Rs.", "din.")."""
    return char != "." and unicodedata.category(char)[0] not in "LMNZ" and (
        unicodedata.category(char) != "Cf")


def _issuer(currency: str, tenders: dict[str, list[str]]) -> str | None:
    """The one country ``currency`` is the money of: its issuer (by ISO 4217 the code's first
    two letters are the issuing country's), where every other country that takes it has a
    currency of its own (Bhutan takes the Indian rupee beside its ngultrum); a currency that
    is another country's only money (the US dollar in Ecuador) belongs to no one country."""
    issuer = currency[:2]
    if currency not in tenders.get(issuer, ()):
        return None
    for territory, taken in tenders.items():
        if territory != issuer and currency in taken and not any(
                c[:2] == territory for c in taken):
            return None
    return issuer


def _key() -> str:
    return f"currency-signs-{FORMAT}-babel-{metadata.version('babel')}.json"


@cache
def table() -> dict[str, str]:
    """{symbol: country} for the signs that belong to one country's currency."""
    return dict(json.loads(diskcache.text(_key(), derive)))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A sign against a figure, before it ("R$ 5", "S/130") or after it ("5 000 ₽"), never
    inside a longer word or sign ("US$" is no "S$"); and the sign characters alone, a quick
    test that most texts fail (scanning for every sign costs five times as much)."""
    signs = "|".join(re.escape(s) for s in sorted(table(), key=len, reverse=True))
    chars = "".join(sorted({c for s in table() for c in s if _sign(c)}))
    return (re.compile(rf"(?<![\w$])({signs})\s?(?=\d)|(?<=\d)\s?({signs})(?![\w$])"),
            re.compile(f"[{re.escape(chars)}]"))


def country(texts: Iterable[str]) -> str | None:
    """The country whose currency the texts count money in most; None where they count in
    none of one country's, or in two as often."""
    counts: Counter[str] = Counter()
    (pattern, quick), signs = _patterns(), table()
    for text in texts:
        if quick.search(text) is None:
            continue
        for m in pattern.finditer(text):
            counts[signs[m.group(1) or m.group(2)]] += 1
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]
