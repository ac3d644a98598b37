"""The project's own regression set (``eval/``): how the enrichment does on text written and
labelled by hand for the project. It guards against regressions; it is not the measure of
accuracy (that is ``realnews``: text nobody on the project wrote).

Data (``eval/`` in the repository):
- ``countries.jsonl``: short news-like articles with the set of countries they are about;
  scored as precision/recall/F1 of the predicted ``primary`` set, micro-averaged, next to the
  CLIFF-style baseline "the most mentioned country (ties: all of them)" on the same mentions;
- ``sentiment.tsv``: clearly polar sentences; accuracy of the label;
- ``ner.jsonl``: sentences with gold entity spans; exact span+label P/R/F1;
- language id: detection accuracy (declared ``lang`` ignored) on the country articles.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..enrich import Enricher, language, sentiment
from .scores import PRF, fmt

DATA = Path(__file__).resolve().parent.parent.parent / "eval"
NER_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP")


@dataclass
class Report:
    countries: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    baseline: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    langid: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    sentiment: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    ner: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    ner_method: dict[str, str] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def languages(self) -> list[str]:
        return sorted(set(self.countries) | set(self.sentiment) | set(self.ner))

    def as_dict(self) -> dict[str, dict[str, float | None]]:
        """Per language: the figures the table prints (None where there is no data)."""
        out: dict[str, dict[str, float | None]] = {}
        for lang in self.languages():
            c, b = self.countries.get(lang), self.baseline.get(lang)
            li, se, ne = self.langid.get(lang), self.sentiment.get(lang), self.ner.get(lang)
            out[lang] = {
                "country_p": c.p if c else None, "country_r": c.r if c else None,
                "country_f1": c.f1 if c else None, "baseline_f1": b.f1 if b else None,
                "langid_acc": li[0] / li[1] if li and li[1] else None,
                "sentiment_acc": se[0] / se[1] if se and se[1] else None,
                "ner_f1": ne.f1 if ne else None,
            }
        return out


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(x) for x in path.read_bytes().splitlines() if x.strip()]


def most_mentioned(countries: Iterable[Mapping[str, Any]]) -> set[str]:
    """The CLIFF-style baseline: the country (or tied countries) with the most mentions."""
    counts = {c["code"]: c["mentions"] for c in countries}
    if not counts:
        return set()
    top = max(counts.values())
    return {code for code, n in counts.items() if n == top}


def evaluate(data: Path = DATA, enricher: Enricher | None = None) -> Report:
    enricher = enricher or Enricher()
    rep = Report()
    for art in _jsonl(data / "countries.jsonl"):
        lang, gold = art["lang"], set(art["about"])
        e = enricher.enrich(art)
        pred = {c["code"] for c in e["countries"] if c["primary"]}
        rep.countries[lang].add(gold, pred)
        rep.baseline[lang].add(gold, most_mentioned(e["countries"]))
        if pred != gold:
            rep.misses.append(f"{art['id']} ({art['kind']}): gold {sorted(gold)} "
                              f"predicted {sorted(pred)}")
        found = language.resolve(None, f"{art['title']}\n{art['body']}")["code"]
        rep.langid[lang][0] += found == lang
        rep.langid[lang][1] += 1
    for line in (data / "sentiment.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, label, text = line.split("\t")
        got = sentiment.score_text(sentiment.lexicon(lang), [text])["label"]
        rep.sentiment[lang][0] += got == label
        rep.sentiment[lang][1] += 1
    for item in _jsonl(data / "ner.jsonl"):
        lang, text = item["lang"], item["text"]
        gold_spans = set()
        for surface, label in item["entities"]:
            start = text.index(surface)
            gold_spans.add((start, start + len(surface), label))
        e = enricher.enrich({"id": "ner", "lang": lang, "body": text})
        pred_spans = {(m["start"], m["end"], x["label"]) for x in e["entities"]
                      for m in x["mentions"] if x["label"] in NER_LABELS}
        rep.ner[lang].add({g for g in gold_spans if g[2] in NER_LABELS}, pred_spans)
        rep.ner_method[lang] = e["pipeline"]["ner"] or "rules + gazetteer"
    return rep


def table(rep: Report) -> str:
    rows = rep.as_dict()
    head = ("| lang | countries P | R | F1 | baseline F1 (most mentioned) | language id acc "
            "| sentiment acc | NER span F1 (method) |")
    lines = [head, "|" + "---|" * 8]
    for lang, r in rows.items():
        n_art = rep.langid.get(lang, [0, 0])[1]
        n_sent = rep.sentiment.get(lang, [0, 0])[1]
        ner = (f"{fmt(r['ner_f1'])} ({rep.ner_method[lang]})" if lang in rep.ner_method
               else "   -")
        lines.append(
            f"| {lang} | {fmt(r['country_p'])} | {fmt(r['country_r'])} | "
            f"{fmt(r['country_f1'])} | {fmt(r['baseline_f1'])} | {fmt(r['langid_acc'])} "
            f"(n={n_art}) | {fmt(r['sentiment_acc'])} (n={n_sent}) | {ner} |")
    tot, base = PRF.total(rep.countries.values()), PRF.total(rep.baseline.values())
    lines.append(f"| all | {fmt(tot.p)} | {fmt(tot.r)} | {fmt(tot.f1)} | {fmt(base.f1)} "
                 "| | | |")
    return "\n".join(lines)


def main(data: Path = DATA, verbose: bool = False, enricher: Enricher | None = None) -> int:
    rep = evaluate(data, enricher)
    print(table(rep))
    if verbose and rep.misses:
        print("\ncountry sets that differ from the gold labels:")
        for m in rep.misses:
            print("  " + m)
    counts = Counter(a["lang"] for a in _jsonl(data / "countries.jsonl"))
    print(f"\ncountry articles per language: {dict(sorted(counts.items()))}")
    return 0
