"""The process pool that runs the CPU-bound enrichment off the event loop.

Each process builds its ``Transform`` once (models, gazetteers, lexicons: seconds of start-up
and hundreds of MB) in the pool initializer, then takes whole batches, so model loading is
paid once per process and ``nlp.pipe`` sees many texts at a time. The event loop only awaits
futures, so heartbeats, probes and metrics keep flowing while NLP runs.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from .codec import Codec
from .enrich import Enricher
from .enrich.models import ModelRegistry, parse_spec
from .transform import Outcome, Transform

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PoolConfig:
    processes: int
    models: str = ""
    batch_size: int = 16
    max_body_bytes: int = 1_000_000
    retries: int = 2
    preload: tuple[str, ...] | None = None  # None: every installed language


def build_transform(cfg: PoolConfig) -> tuple[Transform, dict[str, str]]:
    """A ready Transform and the models it loaded (language -> package==version)."""
    from .enrich import demonyms, places, sentiment

    registry = ModelRegistry(overrides=parse_spec(cfg.models))
    langs = cfg.preload if cfg.preload is not None else tuple(registry.installed_languages())
    loaded = registry.preload(langs)
    # Gazetteers and lexicons of every language the project has data for, built before the
    # first record rather than on it.
    for lang in dict.fromkeys((*langs, *demonyms.LANGS, *sentiment.LEXICONS)):
        places.gazetteer(lang)
        sentiment.lexicon(lang)
    transform = Transform(Codec(cfg.max_body_bytes),
                          Enricher(registry, batch_size=cfg.batch_size), cfg.retries)
    return transform, loaded


PARENT_CHECK_SECONDS = 1.0
_TRANSFORM: Transform | None = None
_LOADED: dict[str, str] = {}


def _watch_parent(parent: int) -> None:
    """Exit when the worker process is gone. A SIGKILLed parent cannot stop its pool, and an
    orphaned pool process would otherwise live on (seen spinning at full CPU)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _init(cfg: PoolConfig) -> None:
    global _TRANSFORM, _LOADED  # one per process, by design
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True,
                     name="parent-watch").start()
    _TRANSFORM, _LOADED = build_transform(cfg)


def _ready() -> dict[str, str]:
    return dict(_LOADED)


def _run(values: Sequence[bytes | None]) -> list[Outcome]:
    assert _TRANSFORM is not None, "pool process was not initialised"
    return _TRANSFORM.run(values)


class EnrichPool:
    """Async front of the pool; rebuilds it if a process dies, and gives up after ``retries``
    (the batch then goes to the DLQ as ``enrichment_failed`` instead of blocking the stream)."""

    def __init__(self, cfg: PoolConfig) -> None:
        self.cfg = cfg
        self._executor: ProcessPoolExecutor | None = None
        self.models: dict[str, str] = {}

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn, not fork: the parent runs threads (aiokafka, the loop) that fork would copy
        # in unknown states.
        return ProcessPoolExecutor(
            max_workers=self.cfg.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init,
            initargs=(self.cfg,),
        )

    async def start(self) -> dict[str, str]:
        """Start every process and wait until each has loaded its models."""
        self._executor = self._new_executor()
        loop = asyncio.get_running_loop()
        answers = await asyncio.gather(*(
            loop.run_in_executor(self._executor, _ready) for _ in range(self.cfg.processes)
        ))
        self.models = answers[0] if answers else {}
        return self.models

    async def run(self, values: Sequence[bytes | None]) -> list[Outcome]:
        loop = asyncio.get_running_loop()
        for attempt in range(self.cfg.retries + 1):
            assert self._executor is not None, "pool not started"
            try:
                return await loop.run_in_executor(self._executor, _run, list(values))
            except BrokenProcessPool:
                log.error("an enrichment process died (attempt %d); restarting the pool",
                          attempt + 1)
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
        msg = f"enrichment process died {self.cfg.retries + 1} times on this batch"
        return [Outcome(reason="enrichment_failed", error_class="BrokenProcessPool",
                        message=msg, attempts=self.cfg.retries + 1) for _ in values]

    def stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
