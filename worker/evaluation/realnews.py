"""How right the enrichment is on real news: text by journalists and Wikinews contributors,
labelled by reading (``shared/eval/real-news/`` and ``shared/eval/real-news-2/``, beside the
repository; see their READMEs for sources, licences and labelling rules). The second set comes
from other publishers and years than the first, so the two are printed apart (a method that
holds on one and not the other is fitted) and then together, per language. They are read in
place and never copied into the repository, and nothing in ``worker/`` may be fitted to them.

Per language and overall:
- countries: precision/recall/F1 of the ``primary`` set against the labelled ``about`` set
  (micro-averaged), and precision/recall of every country reported with score >= 0.15 (what a
  reader filtering on the score sees) against the same set;
- language: detection accuracy with the declared ``lang`` ignored;
- persons: recall of the labelled persons among the PERSON entities, and the precision of
  PERSON entities (one that is no labelled person counts against it; the lists are complete).
  A PERSON entity and a labelled person match when their last words agree: the labels give
  the fullest form in the text ("Recep Tayyip Erdogan"), and an entity "président Erdogan" or
  "M. Erdogan" has found that person, while "Samedi" or "Damas" has found no one;
- sentiment: accuracy on clearly polar sentences, neutral sentences kept neutral, and the tone
  of whole articles that are clearly positive or negative.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..enrich import Enricher, language, scripts, sentiment
from .scores import PRF, Acc, fmt

__all__ = ["Acc", "RealNews", "combined", "evaluate", "location", "locations", "match_persons",
           "table"]

SETS = ("real-news", "real-news-2")
ENV = "ENRICH_EVAL_REAL_NEWS"
SCORE_FLOOR = 0.15


def _shared_eval() -> Path:
    """``shared/eval`` in the nearest ancestor that has one (beside a clone, or beside the
    worktrees' directory); the clone's sibling when none has."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "shared" / "eval").is_dir():
            return parent / "shared" / "eval"
    return here.parents[3] / "shared" / "eval"


DEFAULT = _shared_eval() / SETS[0]


def location(given: str | None = None) -> Path:
    """The first real-news set (or the first directory given)."""
    return locations(given)[0]


def locations(given: str | None = None) -> list[Path]:
    """The real-news sets to read: the directories given (``os.pathsep``-separated, as a
    command line option or ``ENRICH_EVAL_REAL_NEWS``), else every visible set."""
    chosen = given or os.environ.get(ENV)
    if chosen:
        return [Path(p) for p in chosen.split(os.pathsep) if p]
    return [_shared_eval() / name for name in SETS]


@dataclass
class Lang:
    n: int = 0
    primary: PRF = field(default_factory=PRF)
    scored: PRF = field(default_factory=PRF)  # countries with score >= SCORE_FLOOR
    langid: Acc = field(default_factory=Acc)
    persons_found: Acc = field(default_factory=Acc)  # recall
    persons_right: Acc = field(default_factory=Acc)  # precision
    polar: Acc = field(default_factory=Acc)
    neutral: Acc = field(default_factory=Acc)
    tone: Acc = field(default_factory=Acc)


@dataclass
class RealNews:
    langs: dict[str, Lang] = field(default_factory=lambda: defaultdict(Lang))
    misses: list[str] = field(default_factory=list)

    def total(self) -> Lang:
        ls = list(self.langs.values())
        return Lang(
            n=sum(x.n for x in ls),
            primary=PRF.total(x.primary for x in ls), scored=PRF.total(x.scored for x in ls),
            langid=Acc.total(x.langid for x in ls),
            persons_found=Acc.total(x.persons_found for x in ls),
            persons_right=Acc.total(x.persons_right for x in ls),
            polar=Acc.total(x.polar for x in ls), neutral=Acc.total(x.neutral for x in ls),
            tone=Acc.total(x.tone for x in ls))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(x) for x in path.read_bytes().splitlines() if x.strip()]


# a word is letters and the marks on them: ``\w`` alone cuts a Devanagari name at its vowel
# signs ("कुमार" -> "क", "मार"), so two different names would match on a shared fragment
_WORD = re.compile(f"{scripts.LETTER}+")


def _last_word(name: str) -> str:
    words = _WORD.findall(name.casefold())
    return words[-1] if words else ""


def match_persons(gold: Iterable[str], entities: Iterable[dict[str, Any]],
                  found: Acc, right: Acc) -> None:
    """Count recall (``found``) and precision (``right``) of PERSON entities, matched on
    their last word."""
    labelled = {_last_word(p) for p in gold} - {""}
    predicted = [_last_word(e["text"]) for e in entities if e["label"] == "PERSON"]
    for name in labelled:
        found.add(name in predicted)
    for name in predicted:
        right.add(name in labelled)


def score_article(rep: RealNews, art: dict[str, Any], e: Any) -> None:
    """One labelled article's countries, persons and language into its language's counts."""
    got = rep.langs[art["lang"]]
    got.n += 1
    gold = set(art["about"])
    primary = {c["code"] for c in e["countries"] if c["primary"]}
    got.primary.add(gold, primary)
    got.scored.add(gold, {c["code"] for c in e["countries"] if c["score"] >= SCORE_FLOOR})
    match_persons(art["persons"], e["entities"], got.persons_found, got.persons_right)
    detected = language.resolve(None, f"{art['title']}\n{art['body']}")["code"]
    got.langid.add(detected == art["lang"])
    if primary != gold:
        rep.misses.append(f"{art['id']}: about {sorted(gold)}, primary {sorted(primary)}; "
                          + " ".join(f"{c['code']} {c['score']:.2f}"
                                     for c in e["countries"][:6]))


def evaluate(path: Path, enricher: Enricher | None = None) -> RealNews:
    enricher = enricher or Enricher()
    rep = RealNews()
    articles = _jsonl(path / "articles.jsonl")
    sentiments: dict[str, str] = {}
    for art in articles:
        e = enricher.enrich(art)
        score_article(rep, art, e)
        sentiments[art["id"]] = e["sentiment"]["label"]
    for s in _jsonl(path / "sentences-sentiment.jsonl"):
        label = sentiment.score_text(sentiment.lexicon(s["lang"]), [s["text"]])["label"]
        (rep.langs[s["lang"]].neutral if s["label"] == "neutral"
         else rep.langs[s["lang"]].polar).add(label == s["label"])
    langs = {a["id"]: a["lang"] for a in articles}
    for t in _jsonl(path / "doc-tone.jsonl"):
        if t["tone"] in ("positive", "negative") and t["id"] in sentiments:
            rep.langs[langs[t["id"]]].tone.add(sentiments[t["id"]] == t["tone"])
    return rep


def combined(reports: Iterable[RealNews]) -> RealNews:
    """Several sets as one: per language, the counts of each added up."""
    out = RealNews()
    for rep in reports:
        out.misses += rep.misses
        for code, x in rep.langs.items():
            got = out.langs[code]
            got.n += x.n
            for name in ("primary", "scored"):
                setattr(got, name, PRF.total([getattr(got, name), getattr(x, name)]))
    return out


def countries_table(rep: RealNews) -> str:
    """Only the country columns: what the sets together say per language."""
    lines = ["| lang | n | countries P | R | F1 | score≥0.15 P | R |", "|" + "---|" * 7]
    for name, x in [*sorted(rep.langs.items()), ("all", rep.total())]:
        lines.append(f"| {name} | {x.n} | {fmt(x.primary.p)} | {fmt(x.primary.r)} "
                     f"| {fmt(x.primary.f1)} | {fmt(x.scored.p)} | {fmt(x.scored.r)} |")
    return "\n".join(lines)


def table(rep: RealNews) -> str:
    head = ("| lang | n | countries P | R | F1 | score≥0.15 P | R | language id | persons R "
            "| P | polar sentences | neutral kept | article tone |")
    lines = [head, "|" + "---|" * 13]
    rows = [*sorted(rep.langs.items()), ("all", rep.total())]
    for name, x in rows:
        lines.append(
            f"| {name} | {x.n} | {fmt(x.primary.p)} | {fmt(x.primary.r)} | {fmt(x.primary.f1)} "
            f"| {fmt(x.scored.p)} | {fmt(x.scored.r)} | {fmt(x.langid.value)} "
            f"| {fmt(x.persons_found.value)} | {fmt(x.persons_right.value)} "
            f"| {fmt(x.polar.value)} ({x.polar.n}) "
            f"| {fmt(x.neutral.value)} ({x.neutral.n}) | {fmt(x.tone.value)} ({x.tone.n}) |")
    return "\n".join(lines)


def main(path: Path, verbose: bool = False, enricher: Enricher | None = None) -> RealNews | None:
    """Print one set's table; None (after saying why) when the data is not there."""
    if not (path / "articles.jsonl").is_file():
        print(f"real-news evaluation skipped: no articles.jsonl in {path} (give the directory "
              f"with --real-news or {ENV})")
        return None
    rep = evaluate(path, enricher)
    print(f"Real news ({path}): third-party articles labelled by reading\n")
    print(table(rep))
    if verbose and rep.misses:
        print("\narticles whose primary countries differ from the labelled about set:")
        for m in rep.misses:
            print("  " + m)
    return rep


def main_all(paths: Iterable[Path], verbose: bool = False,
             enricher: Enricher | None = None) -> bool:
    """Every set's table, then (for more than one set) their countries together; False when
    none was there."""
    enricher = enricher or Enricher()
    reports = []
    for i, path in enumerate(paths):
        if i:
            print()
        rep = main(path, verbose, enricher)
        if rep is not None:
            reports.append(rep)
    if len(reports) > 1:
        print(f"\nCountries, the {len(reports)} real-news sets together:\n")
        print(countries_table(combined(reports)))
    return bool(reports)
