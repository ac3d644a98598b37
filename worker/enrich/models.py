"""Language -> spaCy pipeline registry.

The worker runs whatever pipelines are installed and never one on text of another language:
a pipeline is used for language ``xx`` only if its own ``meta.lang`` is ``xx`` (or it is the
multilingual ``xx`` entity model, which is trained for every language). Which package serves
a language is configuration (``ENRICH_MODELS=en=en_core_web_md,fr=fr_core_news_sm``); without
it the registry looks for the usual Explosion package names, so the container image can bring
official models for more languages without any code change.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import langs

log = logging.getLogger(__name__)

_SIZES = ("sm", "md", "lg")
MULTILINGUAL = "xx_ent_wiki_sm"


def default_candidates(lang: str) -> tuple[str, ...]:
    """Package names tried for ``lang``, fastest first (throughput matters more than the
    last point of F1 in a stream; configure a bigger one explicitly)."""
    pack = langs.get(lang)  # which official pipelines (and re-uploads) exist is in the pack
    if pack.spacy_genre is None:
        return ()
    return tuple(f"{lang}_core_{pack.spacy_genre}_{s}" for s in _SIZES) + pack.spacy_aliases


def parse_spec(spec: str) -> dict[str, tuple[str, ...]]:
    """``"en=en_core_web_md|en_core_web_sm,fr=fr_core_news_sm"`` -> {lang: candidates}."""
    out: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        lang, sep, names = part.partition("=")
        if not sep or not lang.strip() or not names.strip():
            raise ValueError(f"model spec {part!r} is not LANG=PACKAGE[|PACKAGE...]")
        out[lang.strip()] = tuple(n.strip() for n in names.split("|") if n.strip())
    return out


@dataclass(slots=True)
class LoadedModel:
    """A pipeline with only what NER needs enabled (sentences come from ``text.sentences``)."""

    lang: str
    package: str
    version: str
    nlp: Any
    labels: tuple[str, ...]

    @property
    def ident(self) -> str:
        return f"{self.package}=={self.version}"


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _meta_lang(name: str) -> str | None:
    """The ``lang`` of an installed pipeline package, read from the ``meta.json`` every spaCy
    package carries (no spaCy import: this runs in the start-up checks); None if unreadable."""
    spec = importlib.util.find_spec(name)
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        try:
            meta = json.loads((Path(folder) / "meta.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        return str(meta.get("lang", "")) if isinstance(meta, dict) else None
    return None


def check_spec(overrides: Mapping[str, tuple[str, ...]]) -> None:
    """Refuse a configuration that names pipelines the worker could not use, instead of
    running without them: for each language, one of the packages named must be installed
    (a list ``a|b`` asks for the first installed) and every installed one must be a pipeline
    of that language (or the multilingual ``xx``). Raises ValueError with one line."""
    for lang, names in overrides.items():
        installed = [n for n in names if _installed(n)]
        if not installed:
            listed = " or ".join(names)
            raise ValueError(f"{lang}={'|'.join(names)}: {listed} is not installed "
                             f"(pip install it, or remove {lang} from the setting)")
        for name in installed:
            got = _meta_lang(name)
            if got is not None and got not in (lang, "xx"):
                raise ValueError(f"{lang}={name}: {name} is a {got!r} pipeline, not {lang!r}")


def _load(package: str, expect_lang: str) -> LoadedModel:
    import spacy  # deferred: importing spaCy costs ~1 s and the main process never needs it

    nlp = spacy.load(package)  # once: a second load was half of every process's start-up
    meta_lang = str(nlp.meta.get("lang", ""))
    if meta_lang not in (expect_lang, "xx"):
        raise ValueError(f"{package} is a {meta_lang!r} pipeline, not {expect_lang!r}")
    # Keep NER and the tok2vec it listens to (if any); everything else costs time and memory
    # for nothing, so it is removed, not merely disabled.
    keep = {"ner"}
    for name, comp in nlp.pipeline:
        if "ner" in (getattr(comp, "listening_components", None) or ()):
            keep.add(name)
    for name in [n for n in nlp.pipe_names if n not in keep]:
        nlp.remove_pipe(name)
    version = str(nlp.meta.get("version", "unknown"))
    has_ner = "ner" in nlp.pipe_names
    labels = tuple(str(lb) for lb in getattr(nlp.get_pipe("ner"), "labels", ())) if has_ner else ()
    lang = meta_lang if meta_lang != "xx" else expect_lang
    return LoadedModel(lang, package, version, nlp, labels)


@dataclass(slots=True)
class ModelRegistry:
    """Finds and loads (once) the pipeline for each language."""

    overrides: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    use_multilingual: bool = True
    _cache: dict[str, LoadedModel | None] = field(default_factory=dict)

    def candidates(self, lang: str) -> tuple[str, ...]:
        return self.overrides.get(lang) or default_candidates(lang)

    def get(self, lang: str | None) -> LoadedModel | None:
        """The pipeline for ``lang``, or None: the caller then falls back to the gazetteer."""
        if lang is None:
            return None
        if lang not in self._cache:
            self._cache[lang] = self._find(lang)
        return self._cache[lang]

    def _find(self, lang: str) -> LoadedModel | None:
        names = [n for n in self.candidates(lang) if _installed(n)]
        if self.use_multilingual and _installed(MULTILINGUAL):
            names.append(MULTILINGUAL)
        for name in names:
            try:
                model = _load(name, lang)
            except (OSError, ValueError) as exc:
                log.warning("pipeline %s unusable for %s: %s", name, lang, exc)
                continue
            log.info("loaded pipeline %s for %s", model.ident, lang)
            return model
        return None

    def preload(self, langs: Iterable[str]) -> dict[str, str]:
        """Load pipelines up front (readiness means models loaded); returns lang -> ident."""
        return {lang: m.ident for lang in langs if (m := self.get(lang)) is not None}

    def installed_languages(self) -> list[str]:
        official = {c for c in langs.codes() if langs.get(c).spacy_genre is not None}
        return sorted(lang for lang in set(self.overrides) | official
                      if any(_installed(n) for n in self.candidates(lang)))
