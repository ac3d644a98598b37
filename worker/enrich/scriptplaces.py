r"""Place names the word-by-word gazetteer scan cannot see, found the way the script needs.

``places.Gazetteer.find`` matches whole space-separated words. That misses a place written
without spaces around it (Chinese, Japanese: "美国总统"), with a clitic joined to it (Arabic
"والعراق", Persian "ایرانی‌ها" aside, Korean "한국은") or in an inflected case (Russian
"России", Polish "Ukrainie"). This module adds those mentions, from the same table and the
language's traits in data (``scripts``: unspaced, clitics; ``namedata.name_endings``: the
declension endings of ``person_cues.toml``), never a language's name:

- unspaced scripts: the longest table entry at each position, left to right (an automaton in
  effect: one dictionary probe per length), an entry of two letters or more; a country name
  followed by the script's person suffix ("中国人", a Chinese person) is a nationality;
- spaced scripts: a word not matched already whose bare form (a clitic taken off, or a case
  ending replaced by the dictionary one) is a one-word entry; in a cased script it must be
  capitalised like any place name; in a script without capitals the word as written counts
  too (Devanagari words carry vowel signs, which the word scan's ``\w`` splits them at);
- spaced scripts without capitals: names of several words too ("کره جنوبی", "الولايات
  المتحدة", "दक्षिण कोरिया"). The word scan takes a name's first word by its capital, which
  these scripts do not have, so it never starts one there. Words are letters with their marks,
  compared as the script's normaliser writes them; the first word may carry a proclitic and the
  last an enclitic ("والولايات المتحدة"), and words are apart by spaces or by the zero-width
  non-joiner, which Persian writes inside a compound name as often as a space ("کره‌جنوبی").
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import cache
from itertools import chain

from . import namedata, scripts
from .doc import FieldDoc, Token, split
from .places import MAX_PHRASE_TOKENS, Candidate, Gazetteer, PlaceHit
from .spans import Spans

_WORD = re.compile(f"{scripts.LETTER}+")
# What may stand between two words of one name: spaces and the zero-width non-joiner (and the
# joiner, its counterpart); punctuation ends a name.
_GAP = re.compile("[\\s\u200c\u200d]+")
_WORD_CHAR = re.compile(r"\w")
MIN_CHARS = 2


@cache
def _unspaced_keys(lang: str, size: int) -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """The gazetteer's entries without spaces or Latin letters, and by first letter the
    lengths they come in, longest first: most letters start no entry and cost one probe."""
    from .places import gazetteer

    # an entry opens with a word character, so the scan is tried inside the tokens only
    keys = frozenset(k for k in gazetteer(lang).table
                     if " " not in k and not k.isascii() and len(k) >= MIN_CHARS
                     and _WORD_CHAR.match(k))
    lengths: dict[str, set[int]] = {}
    for k in keys:
        lengths.setdefault(k[0], set()).add(len(k))
    return keys, {c: tuple(sorted(v, reverse=True)) for c, v in lengths.items()}


def find(gaz: Gazetteer, text: str, exclude: Spans, found: Iterable[PlaceHit],
         doc: FieldDoc | None = None, given: Container[str] = ()) -> list[PlaceHit]:
    """Mentions of places in ``text`` beyond ``found`` (the word-by-word scan's); ``doc``:
    the text's one split (made here when the caller has none); ``given``: the first words
    of the article's persons (``given_words``)."""
    t = scripts.traits(gaz.lang)
    endings = namedata.name_endings(gaz.lang)
    if t.cased and not t.unspaced and not t.clitics and not endings:
        return []  # the word scan sees every word of this script as written
    taken = Spans((h.start, h.end) for h in found)
    doc = split(text, "body", gaz.lang) if doc is None else doc
    if t.unspaced:
        return _unspaced(gaz, text, exclude, taken, t, doc.toks)
    return _bare(gaz, text, exclude, taken, t, endings, doc.script_words(), given)


def given_words(lang: str | None, names: Iterable[str]) -> frozenset[str]:
    """The first words of the article's persons of several words, written as ``_bare``
    compares words, in a script without capitals: the article's own given names. Name lists
    hold a language's common given names, not all of them; a name the persons step found
    ("X Y" after a title or a kin word) shows that X starts names in this article, so "X Z"
    elsewhere in it is a name too, even where Z is also a town's name. Empty for scripts with
    capitals, where a place glued to a capitalised word is a name already."""
    t = scripts.traits(lang)
    if t.cased or t.unspaced:
        return frozenset()
    norm = scripts.normaliser(t) or str
    out = set()
    for name in names:
        words = _WORD.findall(name)
        if len(words) > 1:
            out.add(norm(words[0]).casefold())
    return frozenset(out)


@cache
def _normalised(lang: str, size: int) -> dict[str, tuple[Candidate, ...]]:
    """The gazetteer's one-word entries written as the script's normaliser writes them
    ("إيران" -> "ايران"), so a word of the text and an entry compare alike."""
    from .places import gazetteer

    norm = scripts.normaliser(scripts.traits(lang)) or str
    out: dict[str, tuple[Candidate, ...]] = {}
    for key, cands in gazetteer(lang).table.items():
        if " " not in key:
            out.setdefault(norm(key), tuple(cands))
        # a key the word scan's tokens cut apart ("भारत" at its vowel sign): by its name
        for c in cands:
            name = c.name.casefold()
            if " " in key and " " not in name and not name.isascii():
                out.setdefault(norm(name), tuple(cands))
    return out


@cache
def _phrases(lang: str, size: int) -> tuple[dict[str, tuple[Candidate, ...]], dict[str, int]]:
    """The gazetteer's names of several words, as the script writes its words (letters with
    their marks: "दक्षिण कोरिया", which the table's ``\\w`` key cuts at the vowel signs) and
    normalised like the text; and by first word the most words a name starting with it has."""
    from .places import gazetteer

    norm = scripts.normaliser(scripts.traits(lang)) or str
    out: dict[str, tuple[Candidate, ...]] = {}
    for key, cands in gazetteer(lang).table.items():
        names = {key} | {c.name.casefold() for c in cands if not c.name.isascii()}
        for name in names:
            words = [norm(w) for w in _WORD.findall(name)]
            if len(words) > 1 and not name.isascii():
                out.setdefault(" ".join(words), tuple(cands))
    firsts: dict[str, int] = {}
    for phrase in out:
        words = phrase.split(" ")
        firsts[words[0]] = max(firsts.get(words[0], 0), len(words))
    return out, firsts


@cache
def _with_enclitic(lang: str, size: int) -> dict[str, tuple[Candidate, ...]]:
    """Country names with one enclitic joined, for a word that carries a second one: a
    nationality and then a plural ("ایرانیان": ایران + ی + ان). Only countries: a few
    thousand forms, where every name of the table would be a million."""
    t = scripts.traits(lang)
    out: dict[str, tuple[Candidate, ...]] = {}
    for key, cands in _normalised(lang, size).items():
        if any(c.kind == "country" for c in cands):
            for clitic in t.enclitics:
                out.setdefault(key + clitic, cands)
    return out


def _unspaced(gaz: Gazetteer, text: str, exclude: Spans, taken: Spans,
              t: scripts.Traits, toks: list[Token]) -> list[PlaceHit]:
    keys, lengths = _unspaced_keys(gaz.lang, len(gaz.table))
    out: list[PlaceHit] = []
    i = 0
    for start, end, _ in toks:  # an entry starts with a word character: inside a token
        i = max(i, start)
        while i < end:
            for size in lengths.get(text[i], ()):
                key = text[i:i + size]
                if key in keys and not _inside_run(text, i, i + size, t):
                    cands = tuple(gaz.table[key])
                    if not (exclude.overlaps(i, i + size) or taken.overlaps(i, i + size)):
                        if text[i + size:i + size + 1] in t.person_suffixes:
                            cands = tuple(Candidate(c.code, "demonym", c.name) for c in cands
                                          if c.kind == "country") or cands
                        out.append(PlaceHit(i, i + size, key, cands))
                    i += size
                    break
            else:
                i += 1
    return out


@cache
def _run_letters(runs: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("[" + "".join(scripts.SCRIPT_LETTERS[r] for r in runs) + "]") if (
        runs) else None


def _inside_run(text: str, start: int, end: int, t: scripts.Traits) -> bool:
    """The entry at ``text[start:end]`` is written in a run script and the run goes on
    before or after it: part of a longer word."""
    letters = _run_letters(t.run_scripts)
    if letters is None or not letters.fullmatch(text[start]) or not (
            letters.fullmatch(text[end - 1])):
        return False
    return bool((start > 0 and letters.fullmatch(text[start - 1]))
                or (end < len(text) and letters.fullmatch(text[end])))


def _bare(gaz: Gazetteer, text: str, exclude: Spans, taken: Spans, t: scripts.Traits,
          endings: tuple[tuple[str, str], ...], words: list[Token],
          given: Container[str] = ()) -> list[PlaceHit]:
    norm = scripts.normaliser(t)
    table = _normalised(gaz.lang, len(gaz.table))
    stacked = _with_enclitic(gaz.lang, len(gaz.table)) if not t.cased else {}
    out: list[PlaceHit] = []
    # every word normalised once: the names of several words read the words after each
    lows = [(norm(w) if norm else w).casefold() for _, _, w in words] if (
        not t.cased) else []
    free = 0  # the first word after the last name of several words found
    for i, (s, e, word) in enumerate(words):
        if i < free or (t.cased and not word[:1].isupper()) or taken.overlaps(s, e) or (
                exclude.overlaps(s, e)):
            continue
        if not t.cased:
            phrase = _phrase_at(gaz, text, words, lows, i, t, exclude, taken)
            if phrase is not None:
                out.append(phrase[0])
                free = phrase[1]
                continue
        low = lows[i] if lows else (norm(word) if norm else word).casefold()
        if t.cased and low in table:
            continue  # the word scan's to judge (a place it left out on purpose)
        # in a script without capitals, the word as written too: ``\w`` cuts Devanagari words
        # at their vowel signs, so the word scan may have missed it
        bare = list(scripts.bare_forms(low, t, t.min_word_chars))
        forms = chain([] if t.cased else [low], bare,
                      (low[:len(low) - len(case)] + base for case, base in endings
                       if low.endswith(case) and len(low) - len(case) >= t.min_word_chars),
                      # a nationality with a second enclitic: its bare form with one left
                      (f for f in bare if f in stacked))
        cands = next((c for c in (table.get(f) or stacked.get(f) for f in forms) if c), None)
        if cands and not (lows and _after_given_name(gaz.lang, text, words, lows, i, table,
                                                     given)):
            out.append(PlaceHit(s, e, word, cands))
    return out


def _after_given_name(lang: str, text: str, words: list[Token], lows: list[str],
                      i: int, table: Container[str], given: Container[str] = ()) -> bool:
    """Word ``i`` follows a known given name of the language (its pack's Faker lists, or a
    word the article's persons start with: ``given``), with only a space between, and that
    name is no place itself: a family name or a second given name that is also a place's
    ("प्रिया इजराइल", a woman; "حسن تبریزی"). In a script with capitals the word scan takes a
    place glued to another capitalised word for part of a name; this is the same guard where
    there are no capitals to go by."""
    from . import framednames

    if i == 0 or text[words[i - 1][1]:words[i][0]] != " ":
        return False
    before = lows[i - 1]
    if before in table:
        return False
    f = framednames.frames(lang)
    return before in given or (f is not None and before in f.given)


def _phrase_at(gaz: Gazetteer, text: str, words: list[Token], lows: list[str], i: int,
               t: scripts.Traits, exclude: Spans, taken: Spans) -> tuple[PlaceHit, int] | None:
    """The longest name of several words starting at word ``i`` (its first word may carry a
    proclitic, its last an enclitic; ``lows``: the words normalised), and the index of the
    word after it."""
    phrases, firsts = _phrases(gaz.lang, len(gaz.table))
    head = lows[i]
    starts = [f for f in (head, *(head[len(p):] for p in t.proclitics if head.startswith(p)))
              if f in firsts] if head.startswith(t.proclitics) else (
        [head] if head in firsts else [])
    if not starts:
        return None
    low = lows[i:i + MAX_PHRASE_TOKENS]
    for first in dict.fromkeys(starts):
        longest = min(firsts[first], len(low))
        for n in range(longest, 1, -1):
            if any(not _GAP.fullmatch(text[words[i + k][1]:words[i + k + 1][0]])
                   for k in range(n - 1)):
                continue
            last = low[n - 1]
            middle = " ".join([first, *low[1:n - 1]])
            for end in dict.fromkeys([last, *(last[:len(last) - len(c)] for c in t.enclitics
                                              if last.endswith(c) and len(last) > len(c))]):
                cands = phrases.get(f"{middle} {end}")
                if cands is None:
                    continue
                s, e = words[i][0], words[i + n - 1][1]
                if exclude.overlaps(s, e) or taken.overlaps(s, e):
                    return None
                return PlaceHit(s, e, text[s:e], cands), i + n
    return None

