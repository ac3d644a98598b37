"""How right the enrichment is on real news: text by journalists and Wikinews contributors,
labelled by reading (``shared/eval/real-news/``, beside the repository; see its README for
sources, licences and labelling rules). It is read in place and never copied into the
repository, and nothing in ``worker/`` may be fitted to it.

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

from ..enrich import Enricher, language, sentiment
from .scores import PRF, Acc, fmt

__all__ = ["Acc", "RealNews", "evaluate", "location", "match_persons", "table"]

DEFAULT = Path(__file__).resolve().parent.parent.parent.parent / "shared" / "eval" / "real-news"
ENV = "ENRICH_EVAL_REAL_NEWS"
SCORE_FLOOR = 0.15


def location(given: str | None = None) -> Path:
    return Path(given or os.environ.get(ENV) or DEFAULT)


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


_WORD = re.compile(r"\w+")


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


def evaluate(path: Path, enricher: Enricher | None = None) -> RealNews:
    enricher = enricher or Enricher()
    rep = RealNews()
    articles = _jsonl(path / "articles.jsonl")
    sentiments: dict[str, str] = {}
    for art in articles:
        got = rep.langs[art["lang"]]
        got.n += 1
        e = enricher.enrich(art)
        gold = set(art["about"])
        primary = {c["code"] for c in e["countries"] if c["primary"]}
        got.primary.add(gold, primary)
        got.scored.add(gold, {c["code"] for c in e["countries"] if c["score"] >= SCORE_FLOOR})
        match_persons(art["persons"], e["entities"], got.persons_found, got.persons_right)
        detected = language.resolve(None, f"{art['title']}\n{art['body']}")["code"]
        got.langid.add(detected == art["lang"])
        sentiments[art["id"]] = e["sentiment"]["label"]
        if primary != gold:
            rep.misses.append(f"{art['id']}: about {sorted(gold)}, primary {sorted(primary)}; "
                              + " ".join(f"{c['code']} {c['score']:.2f}"
                                         for c in e["countries"][:6]))
    for s in _jsonl(path / "sentences-sentiment.jsonl"):
        label = sentiment.score_text(sentiment.lexicon(s["lang"]), [s["text"]])["label"]
        (rep.langs[s["lang"]].neutral if s["label"] == "neutral"
         else rep.langs[s["lang"]].polar).add(label == s["label"])
    langs = {a["id"]: a["lang"] for a in articles}
    for t in _jsonl(path / "doc-tone.jsonl"):
        if t["tone"] in ("positive", "negative") and t["id"] in sentiments:
            rep.langs[langs[t["id"]]].tone.add(sentiments[t["id"]] == t["tone"])
    return rep


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


def main(path: Path, verbose: bool = False, enricher: Enricher | None = None) -> bool:
    """Print the table; False (after saying why) when the data is not there."""
    if not (path / "articles.jsonl").is_file():
        print(f"real-news evaluation skipped: no articles.jsonl in {path} (give the directory "
              f"with --real-news or {ENV})")
        return False
    rep = evaluate(path, enricher)
    print(f"Real news ({path}): third-party articles labelled by reading\n")
    print(table(rep))
    if verbose and rep.misses:
        print("\narticles whose primary countries differ from the labelled about set:")
        for m in rep.misses:
            print("  " + m)
    return True
