"""How right the enrichment is on news in twelve more languages: articles by journalists and
news agencies in Russian, Ukrainian, Polish, Dutch, Turkish, Indonesian, Chinese, Japanese,
Korean, Arabic, Persian and Hindi, labelled by reading (``shared/eval/world-news/``, beside the
repository; its README gives sources, licences and labelling rules). Read in place, never
copied into the repository, and nothing in ``worker/`` may be fitted to it.

The same counting as the real-news set (``realnews``), so the figures read alike: countries
(``primary`` against the labelled ``about`` set, and recall of ``about`` among the countries
scored >= 0.15), language identification, persons (matched on their last word) and the tone of
the articles labelled clearly positive or negative. The set has no labelled sentences, so there
is no sentence-level figure.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..enrich import Enricher
from .realnews import RealNews, _jsonl, score_article
from .scores import fmt

__all__ = ["evaluate", "location", "main", "table"]

DEFAULT = Path(__file__).resolve().parent.parent.parent.parent / "shared" / "eval" / "world-news"
ENV = "ENRICH_EVAL_WORLD_NEWS"
FILES = ("articles-A.jsonl", "articles-B.jsonl")


def location(given: str | None = None) -> Path:
    return Path(given or os.environ.get(ENV) or DEFAULT)


def evaluate(path: Path, enricher: Enricher | None = None) -> RealNews:
    """Score every article of the set's files; per language, as ``realnews`` does."""
    enricher = enricher or Enricher()
    rep = RealNews()
    for name in FILES:
        if not (path / name).is_file():
            continue
        for art in _jsonl(path / name):
            e = enricher.enrich(art)
            score_article(rep, art, e)
            if art["tone"] in ("positive", "negative"):
                rep.langs[art["lang"]].tone.add(e["sentiment"]["label"] == art["tone"])
    return rep


def table(rep: RealNews) -> str:
    head = ("| lang | n | countries P | R | F1 | about-recall score≥0.15 | language id "
            "| persons R | P | article tone |")
    lines = [head, "|" + "---|" * 10]
    for name, x in [*sorted(rep.langs.items()), ("all", rep.total())]:
        lines.append(
            f"| {name} | {x.n} | {fmt(x.primary.p)} | {fmt(x.primary.r)} | {fmt(x.primary.f1)} "
            f"| {fmt(x.scored.r)} | {fmt(x.langid.value)} "
            f"| {fmt(x.persons_found.value)} | {fmt(x.persons_right.value)} "
            f"| {fmt(x.tone.value)} ({x.tone.n}) |")
    return "\n".join(lines)


def main(path: Path, verbose: bool = False, enricher: Enricher | None = None) -> bool:
    """Print the table; False (after saying why) when the data is not there."""
    if not any((path / name).is_file() for name in FILES):
        print(f"world-news evaluation skipped: no {' or '.join(FILES)} in {path} (give the "
              f"directory with --world-news or {ENV})")
        return False
    rep = evaluate(path, enricher)
    print(f"World news ({path}): third-party articles in twelve more languages, labelled by "
          "reading\n")
    print(table(rep))
    if verbose and rep.misses:
        print("\narticles whose primary countries differ from the labelled about set:")
        for m in rep.misses:
            print("  " + m)
    return True
