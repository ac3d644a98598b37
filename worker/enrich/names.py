"""Person names without a trained model, for languages with no NER pipeline installed.

spaCy has pipelines for about 25 languages and not all can be installed where the worker runs;
Italian, German, Spanish and Portuguese have none here, so their articles named no one. This
recogniser finds PERSON mentions from general evidence, never from lists of particular people:

- a capitalised sequence whose first word is a known given name, followed by one to three
  capitalised words (particles such as "von der", "de", "bin" may stand between): "Kim
  Jong-un", "Ursula von der Leyen". Given names come from Faker's locale data (MIT; ~80
  locales, Latin script kept), so names from anywhere are known, not only local ones;
- a capitalised sequence framed the way news frames a person (``namedata``): after an
  office, a relation or an occupation ("il presidente", "Bundeskanzlerin", "la moglie"), also
  across the office's complement ("il ministro dell'Interno Rossi", "o diretor da Polícia
  Federal, Paulo Souza") or inside a German compound ("Außenminister"); after a reporting
  verb ("ha detto Rossi"); before an office or an age ("Rossi, il presidente", "Rossi, 49
  anni");
- a later mention by one end of a found name alone ("Putin", "Kim") counts for the full name.

What keeps precision: a given name alone is not enough (it must be followed by a capitalised
word), month and weekday names (CLDR, via babel) and function words end a name, a span that
is a known place is not a person, a cue's name must follow it in the same clause, and one
word alone where nouns are capitalised (German) or before an office must be a known family
name (Faker's, which also lets "Kurz" or "Santos" continue a name). It is used only where
no NER pipeline runs, never instead of one, and its mentions say ``method: "rules"``.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter

from . import framednames, ordinary
from .doc import FieldDoc
from .namedata import (
    MIN_STEM_CHARS,
    PARTICLES,
    calendar_words,
    compound_cue,
    cue_at,
    cues,
    given_names_for,
    grammar,
    kin_words,
    name_endings,
    non_name_words,
    ordinary_words,
    own_given_names,
    surnames_for,
)
from .places import Gazetteer, stopwords, tokens
from .scripts import traits
from .text import fold

METHOD = "rules"
MAX_NAME_WORDS = 4
MAX_COMPLEMENT_WORDS = 5  # "ministro dell'Interno", "CEO da Ethiopian Airlines"
Tokens = list[tuple[int, int, str]]
# Arabic name parts written lower-case with a hyphen ("al-Maliki", "el-Sisi", "bin-Salman").
_ARTICLE_PART = re.compile(r"^(?:al|el|ad|ar|as|at|az|ibn|bin|abu|abd|ben)[-‑][^\W\d_]",
                           re.IGNORECASE)
_REGNAL = re.compile(r"^[IVXL]{1,5}$")  # "Benedetto XVI", "Mohamed VI"


@dataclass(frozen=True, slots=True)
class NameHit:
    start: int
    end: int
    text: str


def _capitalised(word: str) -> bool:
    """A name word: capitalised, not an acronym ("KCNA"), or an initial ("F.")."""
    return word[:1].isupper() and (not word.isupper() or (len(word) == 2 and word[1] == "."))


def _acronym(word: str) -> bool:
    """An acronym, also with a case ending ("МИД", "МИДа")."""
    return len(word) >= 2 and word[:2].isupper()


def _name_word(word: str) -> bool:
    """A word that may continue a name: capitalised, an Arabic article part, a regnal
    number."""
    return _capitalised(word) or bool(_ARTICLE_PART.match(word)) or bool(_REGNAL.match(word))


def find(text: str, lang: str, gaz: Gazetteer, toks: Tokens | None = None,
         lowered: list[str] | None = None, doc: FieldDoc | None = None) -> list[NameHit]:
    """PERSON mentions in ``text``: full names, then lone mentions of their family names.
    ``toks``, ``lowered``: the text's ``places.tokens`` and their case-folded words when the
    caller has them already; ``doc``: its one split, whose script words the frames read."""
    if not traits(lang).cased:  # no capitals to read: the frames around a name instead
        return [NameHit(s, e, t) for s, e, t in framednames.find(text, lang, gaz.table, doc)]
    if text.isupper():
        return []  # an all-capitals headline has no case to read names from
    toks = tokens(text) if toks is None else toks
    lowered = [t.casefold() for _, _, t in toks] if lowered is None else lowered
    ctx = _Context(text, toks, lowered, lang, gaz)
    role, firsts = ctx.role, ctx.grammar.firsts
    hits: list[NameHit] = []
    # Only a capitalised word or the first word of a cue can start a name: most words are
    # neither, and are skipped without further work.
    starts = [k for k, (_, _, t) in enumerate(toks)
              if t[:1].isupper() or lowered[k] in firsts
              or ("-" in t and lowered[k].split("-")[0] in role)]
    free = 0  # the first token not inside a name found so far
    for i in starts:
        if i < free:
            continue
        cued = ctx.after_cue(i)
        span = cued or ctx.after_speech(i) or ctx.plain(i)
        if span is not None and cued is not None:
            second = ctx.coordinated(span[1])  # "the ministers Rossi and Anna Bianchi"
            spans = [span] if second is None else [span, second]
        else:
            spans = [] if span is None else [span]
        for a, b in spans:
            s, e = toks[a][0], toks[b - 1][1]
            hits.append(NameHit(s, e, text[s:e]))
            free = b
    return hits + _family_mentions(text, toks, hits)


class _Context:
    """One text being read for names, with the language's data at hand."""

    def __init__(self, text: str, toks: Tokens, lowered: list[str], lang: str,
                 gaz: Gazetteer) -> None:
        self.text, self.toks, self.lowered, self.gaz = text, toks, lowered, gaz
        self.known, self.family = given_names_for(lang), surnames_for(lang)
        self.stop = non_name_words(lang)
        self.calendar = calendar_words(lang)
        self.role = cues(lang)
        self.kin = kin_words(lang)
        self.grammar = grammar(lang)
        self.endings = name_endings(lang)
        self.words: Container[str] = (ordinary.dictionary_words(lang) if ordinary_words(lang)
                                      else frozenset())
        self.own = own_given_names(lang)

    # -- the three ways a name is evidenced ---------------------------------------------------

    def after_cue(self, i: int) -> tuple[int, int] | None:
        """A name after an office, a relation or an occupation, across its complement:
        "il presidente Rossi", "der Außenminister Paul Meier", "il ministro dell'Interno
        Rossi", "o presidente do Banco Central, Paulo Souza"."""
        after = self.cue_end(i)
        if after is None:
            return None
        if (after + 1 < len(self.toks) and not self.grammar.bare_complement
                and self.lowered[after] in self.gaz.table
                and self.capital(after + 1) and self.joined(after + 1)):
            after += 1  # a nationality or a country: "il presidente Usa Obama"
        if after < len(self.toks) and not self.joined(after):
            return None  # "sagte der Vorsitzende. Sicher ist ...": a new sentence
        kin = self.kin_of(i, after)
        if kin is not None:
            return kin
        start = self.past_complement(after)
        if start is None:
            return None
        return self.name_from(start, single_ok=True)

    def after_speech(self, i: int) -> tuple[int, int] | None:
        """A name after a reporting verb ("ha detto Rossi", "aseguró García"): a single word
        must be a known family name where nouns are capitalised (German)."""
        after = cue_at(self.lowered, i, self.grammar.speech)
        if (after is None or after >= len(self.toks) or not self.joined(after)
                or self.cue_end(after) is not None):
            return None  # "dice: «Molte", or "sagte Außenminister Meier" (the office's turn)
        return self.name_from(after, single_ok=not self.grammar.heads, evidence=True)

    def plain(self, i: int) -> tuple[int, int] | None:
        """A name with no cue before it: its first word is a known given name, or an office
        or an age follows it ("Rossi, il presidente", "Rossi, 49 anni")."""
        if not self.capital(i) and not self.month_name(i):
            return None
        if not self.given(i) and self.lone(i):
            return None  # the common case where nouns are capitalised: no name, no frame
        if self.inside_place(i):
            return None  # "San Jose Sharks": "Jose" ends a place's name, it starts no person
        end = self.name_end(i)
        given = self.given(i) and end - i >= 2
        if not given and not self.apposition(end):
            return None
        if not given and end - i == 1 and self.lowered[i] not in self.family:
            return None  # "Intanto, il ministro", "conta no Twitter, presidente": one word
            # before an office is a name only if it is a known family name
        return None if self.is_place(i, end) or self.ordinary(i, end) else (i, end)

    def coordinated(self, end: int) -> tuple[int, int] | None:
        """A second name joined by the language's "and" (``and`` in person_cues.toml) to a
        name after an office, which frames both ("the two reporters Rossi and Anna Bianchi"):
        two or more name words, or one known name, that start no office and hold no place."""
        k = end
        if (k + 1 >= len(self.toks) or self.lowered[k] not in self.grammar.and_words
                or not self.joined(k) or not self.joined(k + 1) or not self.capital(k + 1)
                or self.cue_end(k + 1) is not None):
            return None
        start = k + 1
        stop = self.name_end(start)
        if stop - start == 1 and not (self.given(start) or self.lowered[start] in self.family):
            return None
        if any(self.place_word(w) for w in self.lowered[start:stop]):
            return None  # "... and the Ruritanian Grand Assembly": a body named by its place
        return None if self.ordinary(start, stop) else (start, stop)

    # -- pieces -------------------------------------------------------------------------------

    def name_from(self, start: int, single_ok: bool,
                  evidence: bool = False) -> tuple[int, int] | None:
        if not self.capital(start):
            return None
        end = self.name_end(start)
        if end - start == 1 and not single_ok and self.lowered[start] not in self.family:
            return None
        if evidence and end - start >= 2 and not self.given(start) and (
                self.lowered[end - 1] not in self.family):
            return None  # after a verb, two unknown capitalised words are as often a title
        return None if self.is_place(start, end) or self.ordinary(start, end) else (start, end)

    def past_complement(self, k: int) -> int | None:
        """Where the name starts after an office at ``k``: right there, or after its
        complement ("dell'Interno", "do Banco Central,"). None when no name follows it."""
        of = cue_at(self.lowered, k, self.grammar.of) if k < len(self.toks) else None
        if of is None:
            return self.bare_complement(k) if self.grammar.bare_complement else k
        run = of
        while (run < len(self.toks) and run - of < MAX_COMPLEMENT_WORDS and self.capital(run)
               and self.joined(run)):
            run += 1
        if run == of:
            return None  # "il sindaco di Genova" has no capitalised complement... or no name
        if run < len(self.toks) and self.capital(run) and self.gap(run).strip() == ",":
            return run  # "o presidente do Banco Central, Paulo Souza"
        for p in range(of + 1, run):  # "il ministro degli Esteri Luigi Verdi"
            if self.given(p):
                return p
        if run - of >= 2 and self.lowered[run - 1] in self.family:
            return run - 1  # "il ministro dei Trasporti Bianchi"
        return self.past_dictionary_words(of, run)

    def past_dictionary_words(self, of: int, run: int) -> int | None:
        """Where the language has a dictionary (``ordinary_words``): a complement of its words
        and places, then one or two words that are neither, which are the name ("minister van
        Financiën Ravi Mehta")."""
        if not self.words:
            return None
        p = run
        while p > of and not self.complement_word(p - 1):
            p -= 1
        if p in (of, run) or run - p > 2:
            return None
        return p

    def bare_complement(self, k: int) -> int | None:
        """Where the name starts after an office whose complement follows it with no
        linking word, in languages that write it so ("министр иностранных дел России Сергей
        Лавров", "Kepala Dinas Pendidikan Jawa Tengah Budi Santoso"): at the first known given
        name in the clause; with none, the capitalised words after the office, or the last two
        of three or more (a given and a family name after the complement: "премьер-министр
        Канады Джастин Трюдо")."""
        j = k
        while (j < len(self.toks) and j - k < MAX_COMPLEMENT_WORDS + MAX_NAME_WORDS
               and (j == k or self.joined(j))):
            if self.capital(j) and self.given(j):
                return j
            j += 1
        # no known given name: past the complement's lower-case words, acronyms and places
        # ("глава МИД Азербайджана Тимур Алиев", "лідера країни Дональда Трампа"), past a body
        # named with its short form in brackets, up to a comma ("Ketua Partai Maju (PM)
        # Budi Hartono", "Kepala Dinas Pendidikan (Disdik) Jawa Tengah, Budi Hartono")
        first = self.bracketed_body(k)
        j = k if first is None else first
        while (j < len(self.toks) and j - k < MAX_COMPLEMENT_WORDS + 3
               and (j in (k, first) or self.joined(j)) and self.complement_word(j)):
            j += 1
        comma = j > k and j < len(self.toks) and self.gap(j).strip() == ","
        if j > k and not comma and (c := self.comma_after(j)) is not None:
            j, comma = c, True  # "... Kabupaten Sukamaju, Wirasena Adiprana"
        if (j >= len(self.toks) or not self.capital(j) or _acronym(self.toks[j][2])
                or (j > k and j != first and not self.joined(j) and not comma)):
            return None
        end = self.name_end(j)
        start = j if end - j <= 2 or comma or j == first else end - 2
        if j > k and any(self.place_word(w) for w in self.lowered[start:end]):
            return None  # "Pakistan Expo Indonesia": a body or an event named by its place
        return start

    def bracketed_body(self, k: int) -> int | None:
        """Where the words after an office's complement start when the complement is a body
        written with its short form in brackets ("Partai Maju (PM) Budi", "International
        Trade Board (ITB) Budi"): the word after the bracket, if capitalised."""
        j = k
        while (j < len(self.toks) and j - k < MAX_COMPLEMENT_WORDS
               and (j == k or self.joined(j)) and self.toks[j][2][:1].isupper()):
            j += 1
        if (j == k or j + 1 >= len(self.toks) or self.gap(j).strip() != "("
                or not self.toks[j][2][:1].isupper() or self.gap(j + 1).strip() != ")"):
            return None
        return j + 1 if self.capital(j + 1) else None

    def comma_after(self, j: int) -> int | None:
        """Past the end of a complement, one to three capitalised words then a comma and a
        capitalised word that starts no office: the words are the rest of the complement (a
        place the gazetteer does not know), the name follows the comma."""
        c = j
        while (c < len(self.toks) and c - j < 3 and (c == j or self.joined(c))
               and self.capital(c)):
            c += 1
        if (c == j or c >= len(self.toks) or self.gap(c).strip() != "," or not self.capital(c)
                or _acronym(self.toks[c][2]) or self.cue_end(c) is not None):
            return None
        return c

    def complement_word(self, j: int) -> bool:
        """A word of an office's complement with no linking word: a place, an acronym, a
        lower-case word that is no function word ("країни"; not "di", at: "guru itu
        mengajar di Sekolah Rakyat" has left the office's clause), or, where the language has a
        dictionary (``ordinary_words``), a capitalised word of it that is no known name
        ("Верховної Ради", "Dinas Kesehatan")."""
        word, low = self.toks[j][2], self.lowered[j]
        if self.place_word(low) or _acronym(word):
            return True
        if not word[:1].isupper():
            return low not in self.stop
        return (low in self.words and low not in self.own and low not in self.family
                and not self.given(j))

    def apposition(self, end: int) -> bool:
        """An office or an age after the name and its comma."""
        if end >= len(self.toks) or self.gap(end).strip() != ",":
            return False
        k = end
        while k < len(self.toks) and k - end < 2 and self.lowered[k] in self.grammar.articles:
            k += 1
        if k < len(self.toks) and self.cue_end(k) is not None:
            return True
        return (k == end and self.toks[k][2].isdigit() and k + 1 < len(self.toks)
                and self.lowered[k + 1] in self.grammar.ages)

    def name_end(self, start: int) -> int:
        """One past the last word of the name starting at ``start``."""
        toks, lowered = self.toks, self.lowered
        end, words, j = start + 1, 1, start + 1
        while j < len(toks) and words < MAX_NAME_WORDS and self.joined(j):
            word = toks[j][2]
            k = j
            while k < len(toks) and k - j < 2 and lowered[k] in PARTICLES:  # "von der"
                k += 1
            if k > j and k < len(toks) and _capitalised(toks[k][2]) and (
                    lowered[k] not in self.gaz.table  # "di Genova" is a place, not a name
                    or lowered[k] in self.family or word[:1].isupper()):  # "de Santos", "Dos"
                j = k
                continue
            if len(word) == 1 and word.isupper() and self.text[toks[j][1]:toks[j][1] + 1] in (
                    "'", "’") and j + 1 < len(toks) and _capitalised(toks[j + 1][2]):
                j += 2  # "D'Avanzo", "O'Brien"
                words += 1
                end = j
                continue
            if (words >= 2 and self.given(start) and self.given(j) and not self.given(j - 1)
                    and j + 1 < len(toks) and self.joined(j + 1)
                    and _capitalised(toks[j + 1][2])
                    and all(self.cue_end(q) is None for q in range(start, j))):
                break  # a second name after a first: "doradca Andrzeja Nowaka Piotr Zieliński"
            if not _name_word(word) or (
                    lowered[j] in self.stop and lowered[j] not in self.family
                    and not _REGNAL.match(word)  # "Mohamed VI"
                    # "Sebastian Kurz": a capitalised word after a lone given name
                    and not (words == 1 and len(word) >= 4 and self.given(start)
                             and lowered[j] not in self.calendar)):
                break
            words += 1
            j += 1
            end = j
        return end

    def inside_place(self, i: int) -> bool:
        """Token ``i`` is the last word of a place of two or three words that starts before
        it ("San Jose" in "San Jose Sharks")."""
        for s in (i - 1, i - 2):
            if s < 0 or not all(self.joined(t) for t in range(s + 1, i + 1)):
                return False
            if " ".join(self.lowered[s:i + 1]) in self.gaz.table:
                return True
        return False

    def lone(self, i: int) -> bool:
        """Nothing after token ``i`` could continue a name or frame one: no capitalised word
        or particle joined to it, and no comma right after it."""
        nxt = i + 1
        if nxt >= len(self.toks):
            return True
        if self.gap(nxt).strip() == ",":
            return False
        return not self.joined(nxt) or not (_name_word(self.toks[nxt][2])
                                            or self.lowered[nxt] in PARTICLES)

    def month_name(self, i: int) -> bool:
        """A given name that is also a month ("Julio", "April") starts a name when a
        capitalised word follows it ("Julio Castro"; where nouns are capitalised, a known
        family name: "im April Bundeskanzler ...")."""
        return (self.toks[i][2][:1].isupper() and self.given(i) and i + 1 < len(self.toks)
                and self.joined(i + 1) and self.capital(i + 1)
                and (self.lowered[i + 1] in self.family or not self.grammar.heads))

    def cue_end(self, k: int) -> int | None:
        """Where an office, relation or occupation starting at token ``k`` ends, if any:
        also one written as a compound ("Außenminister") or with a hyphenated qualifier
        ("diretor-geral")."""
        end = cue_at(self.lowered, k, self.role)
        if end is None and self.grammar.heads and compound_cue(self.lowered[k],
                                                                self.grammar.heads,
                                                                self.grammar.case_endings):
            end = k + 1
        if end is None and "-" in self.lowered[k] and (
                (self.lowered[k].split("-")[0],) in self.role.get(
                    self.lowered[k].split("-")[0], ())):
            end = k + 1
        return end

    def kin_of(self, i: int, after: int) -> tuple[int, int] | None:
        """A relation's complement is a person: "la madre de Giselle", "la moglie di Rossi"."""
        if self.lowered[i] not in self.kin or after >= len(self.toks):
            return None
        of = cue_at(self.lowered, after, self.grammar.of)
        if of is None or of >= len(self.toks) or not self.joined(of) or self.cue_end(of):
            return None  # "die Frau des Präsidenten" names no one
        return self.name_from(of, single_ok=not self.grammar.heads)

    def given(self, k: int) -> bool:
        """A known given name, also hyphenated ("Frank-Walter") or without its accents."""
        word = self.lowered[k]
        return word in self.known or (not word.isascii() and fold(word) in self.known) or (
            "-" in word and all(part in self.known for part in word.split("-")))

    def capital(self, k: int) -> bool:
        return (k < len(self.toks) and _capitalised(self.toks[k][2])
                and self.lowered[k] not in self.stop)

    def gap(self, k: int) -> str:
        """The text between token ``k - 1`` and token ``k``."""
        return self.text[self.toks[k - 1][1]:self.toks[k][0]]

    def joined(self, k: int) -> bool:
        """Token ``k`` follows the one before it with at most one space or apostrophe."""
        return self.toks[k][0] - self.toks[k - 1][1] <= 1

    def is_place(self, start: int, end: int) -> bool:
        """The span is a known place, or made only of known places ("Roma Roma", "Paris
        Berlin": a given name that is also a city does not make a list of cities a person)."""
        words = self.lowered[start:end]
        return " ".join(words) in self.gaz.table or all(self.place_word(w) for w in words)

    def ordinary(self, start: int, end: int) -> bool:
        """Where the language says so (``ordinary_words``): every word of the span is a word
        of the language's dictionary and no known family name ("Dinas Pendidikan", "Rady
        Miejskiej"; a given name that is also a word, "Kamar", is no evidence
        then, one of the language's own is): an office's complement or an organisation, not a
        person."""
        if not self.words or self.lowered[start] in self.own:
            return False
        return all(w in self.words and w not in self.family for w in self.lowered[start:end])

    def place_word(self, word: str) -> bool:
        """A one-word place as written or in a case form of the language's declension
        ("России", "Ukrainy": a country after an office is its complement, not a name)."""
        return word in self.gaz.table or any(
            word.endswith(case) and len(word) - len(case) >= MIN_STEM_CHARS
            and word[:len(word) - len(case)] + base in self.gaz.table
            for case, base in self.endings)


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
    toks = tokens(text) if toks is None else toks
    # only a word in capitals can be one: the others are passed over in C, not in this loop
    for s, e, word in compress(toks, map(str.isupper, map(itemgetter(2), toks))):
        if (2 <= len(word) <= 6 and word.isalpha()
                and word.casefold() not in gaz.table and word.casefold() not in stop
                and not _ROMAN.match(word)):
            out.append(NameHit(s, e, word))
    return out
