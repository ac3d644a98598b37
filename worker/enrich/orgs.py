"""Organisation names without a trained model, from the nouns they are built on.

Names of institutions, companies, parties and bodies are made the same way in every language
the project reads: a head noun ("Ministry", "Banque", "Partito", "Bundesamt") with the name's
own capitalised words before it ("European Central Bank", "Deutsche Bank") or after it ("Banco
Central", "Partido Popular"), and often a complement ("Ministry of Defence", "ministère de
l'Intérieur", "Bundesamt für Migration und Flüchtlinge"). A company form ends a name after
capitalised words ("Apple Inc."), and where offices are written as compounds so are bodies
("Bundesbank", "Verfassungsgericht"). The head nouns and joining words of each language are
data (each pack's ``org_heads.toml``); this module names no language.

What keeps precision: the head alone is no name ("the Ministry said"), so a span needs a
capitalised word of its own or a capitalised complement (a compound is one by itself); a head
written in lower case counts only with a capitalised complement ("le ministère de
l'Intérieur"); a field written in capitals or in title case (an English headline) is skipped,
since there every word looks like a name; function words and month and weekday names end a
name. Acronyms ("NATO", "ONU") are ``names.acronyms``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from . import langs
from .namedata import Index, _index, cue_at, non_name_words
from .names import NameHit, Tokens
from .places import Gazetteer, tokens
from .spans import Spans

MAX_WORDS_BEFORE = 4  # "World Health Organization", "European Bank for Reconstruction"
MAX_WORDS_AFTER = 2  # "Banco Central", "Supremo Tribunal Federal", "Assemblée nationale"
MIN_ADJECTIVE_CHARS = 5
MAX_COMPLEMENT_WORDS = 5  # "of Foreign and Commonwealth Affairs"
MIN_COMPOUND_HEAD = 4  # "-bank", "-gericht"; "-amt" would read "Insgesamt" as an office
MIN_COMPOUND_PREFIX = 3
TITLE_CASE_CHARS, TITLE_CASE_WORDS = 4, 3


@dataclass(frozen=True, slots=True)
class Grammar:
    heads: frozenset[str]
    of: Index
    joins: frozenset[str]
    head_first: bool
    compounds: tuple[str, ...]  # heads that may end a compound word, longest first
    designators: frozenset[str]
    adjectives: tuple[str, ...]  # endings of lower-case adjectives after a head


def _strings(table: Mapping[str, object], key: str) -> list[str]:
    value = table.get(key, [])
    return [str(v) for v in value] if isinstance(value, list) else []


@cache
def grammar(lang: str) -> Grammar | None:
    """How ``lang`` builds organisation names; None where the project has no table."""
    table = langs.get(lang).org_heads
    if table is None:
        return None
    heads = frozenset(_strings(table, "heads"))
    compounds = tuple(sorted((h for h in heads if len(h) >= MIN_COMPOUND_HEAD),
                             key=len, reverse=True)) if table.get("compounds") else ()
    return Grammar(heads, _index(_strings(table, "of")), frozenset(_strings(table, "and")),
                   bool(table.get("head_first")), compounds,
                   frozenset(_strings(table, "designators")),
                   tuple(_strings(table, "adjectives")))


def find(text: str, lang: str, gaz: Gazetteer, persons: Spans | None = None,
         toks: Tokens | None = None, lowered: list[str] | None = None) -> list[NameHit]:
    """ORG mentions in ``text`` built on a head noun of ``lang`` (none where it has no
    table, and none in a field in capitals or title case). A name after the head is a
    person's, not the organisation's, where ``persons`` has it ("Gobierno de Mariano Rajoy"
    is the government of a person); a span that is a known place is the gazetteer's ("Soviet
    Union")."""
    g = grammar(lang)
    if g is None or text.isupper():
        return []
    toks = tokens(text) if toks is None else toks
    lowered = [t.casefold() for _, _, t in toks] if lowered is None else lowered
    reader = _Reader(text, toks, lowered, g, non_name_words(lang), persons or Spans())
    if reader.title_case():
        return []
    hits: list[NameHit] = []
    free = 0
    heads = g.heads
    # Only a head or a capitalised word (a compound's head, a designator) starts a name.
    for k in [k for k, w in enumerate(lowered) if w in heads or toks[k][2][:1].isupper()]:
        if k < free:
            continue
        span = reader.name_at(k, free)
        if span is None:
            continue
        s, e = toks[span[0]][0], toks[span[1] - 1][1]
        known = gaz.table.get(" ".join(lowered[span[0]:span[1]]), ())
        # A national institution ("Supremo Tribunal Federal") is an organisation that also
        # tells its country; any other known place is the gazetteer's.
        if all(c.kind == "institution" for c in known):
            hits.append(NameHit(s, e, text[s:e]))
        free = span[1]
    return hits


class _Reader:
    """One field being read for organisation names."""

    def __init__(self, text: str, toks: Tokens, lowered: list[str], g: Grammar,
                 stop: frozenset[str], persons: Spans) -> None:
        self.text, self.toks, self.lowered, self.g, self.stop = text, toks, lowered, g, stop
        self.persons = persons

    def title_case(self) -> bool:
        """Every word of four letters or more capitalised: a headline in title case, where
        capitals say nothing about names (a sentence has lower-case words that long)."""
        long = 0
        for _, _, t in self.toks:
            if len(t) >= TITLE_CASE_CHARS and t.isalpha():
                if not t[:1].isupper():
                    return False  # running text says so within its first words
                long += 1
        return long >= TITLE_CASE_WORDS

    def name_at(self, k: int, free: int) -> tuple[int, int] | None:
        """The organisation whose head is token ``k``, as (first token, one past the last);
        its capitalised words before it start no earlier than ``free``."""
        word, low = self.toks[k][2], self.lowered[k]
        capital = word[:1].isupper()
        compound = self.capital(k) and self.compound(low)  # "Insgesamt" is no office
        designator = capital and low in self.g.designators
        if not (low in self.g.heads or compound or designator) or self.person(k):
            return None
        start = k
        while (start - 1 >= free and k - start < MAX_WORDS_BEFORE and self.joined(start)
               and self.capital(start - 1)):
            start -= 1
        if designator:  # "Apple Inc.": the company form ends the name
            return (start, k + 1) if start < k else None
        end = k + 1
        if self.g.head_first and capital:
            while (end < len(self.toks) and end - k <= MAX_WORDS_AFTER and self.joined(end)
                   and (self.own(end) or self.adjective(end))
                   and self.lowered[end] not in self.g.heads):
                end += 1
        after = self.complement(end)
        if not capital:  # "le ministère de l'Intérieur": the complement makes it a name
            return (k, after) if after > end else None
        if after == k + 1 and start == k and not compound:
            return None  # the head alone: "the Ministry said"
        return start, after

    def complement(self, k: int) -> int:
        """One past the complement starting at ``k`` ("of Defence", "dell'Interno", "für
        Migration und Flüchtlinge"), or ``k`` when there is none."""
        if k >= len(self.toks) or not self.joined(k):
            return k
        of = cue_at(self.lowered, k, self.g.of)
        if of is None or of >= len(self.toks) or not self.joined(of):
            return k
        run, words = of, 0
        while run < len(self.toks) and words < MAX_COMPLEMENT_WORDS and self.joined(run):
            if self.own(run):
                run, words = run + 1, words + 1
            elif (self.lowered[run] in self.g.joins and run + 1 < len(self.toks)
                  and self.joined(run + 1) and self.own(run + 1)):
                run += 1
            else:
                break
        return run if words else k

    def adjective(self, k: int) -> bool:
        """A lower-case adjective after the head ("nationale", "europea")."""
        word = self.toks[k][2]
        return (word.islower() and len(word) >= MIN_ADJECTIVE_CHARS
                and self.lowered[k] not in self.stop and word.endswith(self.g.adjectives))

    def compound(self, low: str) -> bool:
        """A compound ending with a head: "bundesbank", "verfassungsgericht"."""
        # ``endswith`` of the whole tuple rules out most words in one call
        return low.endswith(self.g.compounds) and any(
            low.endswith(h) and len(low) - len(h) >= MIN_COMPOUND_PREFIX
            for h in self.g.compounds)

    def capital(self, k: int) -> bool:
        return self.toks[k][2][:1].isupper() and self.lowered[k] not in self.stop

    def person(self, k: int) -> bool:
        return self.persons.overlaps(self.toks[k][0], self.toks[k][1])

    def own(self, k: int) -> bool:
        """A capitalised word that may belong to the name after its head: not a person's."""
        return self.capital(k) and not self.person(k)

    def joined(self, k: int) -> bool:
        """Token ``k`` follows the one before it with at most one space or apostrophe."""
        return self.toks[k][0] - self.toks[k - 1][1] <= 1
