"""The enrichment processes: CPU-bound NLP off the event loop, with faults contained.

Each process builds its ``Transform`` once (models, gazetteers, lexicons: seconds of start-up
and hundreds of MB), then takes whole batches over a pipe, so ``nlp.pipe`` sees many texts at a
time. The event loop only awaits replies, so heartbeats, probes and metrics keep flowing.

Why not ``concurrent.futures.ProcessPoolExecutor``: one dead child breaks the whole executor,
every batch in flight then sees ``BrokenProcessPool`` at once, and each of them rebuilt the
executor (seen: 16 pools loading models together, 7.9 GB). It cannot put a time bound on one
task either. Here each process is a *slot*: a fault (death or time-out) replaces that one
process, once, under the slot's generation number, so there are never more processes than
configured, and the other slots keep working meanwhile.

Faults, per batch: a batch whose process died is retried once; if it dies again, or if the
batch ran past ``timeout``, its records are tried one by one, so a poison article takes no
batch-mate with it: the one that kills its process goes to the DLQ as ``enrichment_failed``,
the one that runs past the bound as ``enrichment_timeout``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from multiprocessing.connection import Connection

from .codec import Codec
from .enrich import Enricher
from .enrich.models import ModelRegistry, parse_spec
from .sizes import SizeLimit
from .transform import Outcome, Transform

log = logging.getLogger(__name__)
PARENT_CHECK_SECONDS = 1.0
START_TIMEOUT_SECONDS = 600.0
RESPAWN_BACKOFF_SECONDS = (1.0, 5.0, 30.0)


@dataclass(frozen=True, slots=True)
class PoolConfig:
    processes: int
    models: str = ""
    batch_size: int = 16
    max_body_bytes: int = 1_000_000
    retries: int = 2
    timeout: float = 60.0  # seconds one batch may take before its process is replaced
    max_chars: int = 100_000  # body characters analysed per article
    limit: SizeLimit = field(default_factory=SizeLimit)
    preload: tuple[str, ...] | None = None  # None: every installed language


def build_transform(cfg: PoolConfig) -> tuple[Transform, dict[str, str]]:
    """A ready Transform and the models it loaded (language -> package==version)."""
    from .enrich import demonyms, lexicons, names, places, sentiment

    registry = ModelRegistry(overrides=parse_spec(cfg.models))
    langs = cfg.preload if cfg.preload is not None else tuple(registry.installed_languages())
    loaded = registry.preload(langs)
    # Gazetteers and lexicons of every language the project has data for, built before the
    # first record rather than on it.
    for lang in dict.fromkeys((*langs, *demonyms.LANGS, *lexicons.LANGS)):
        places.gazetteer(lang)
        sentiment.lexicon(lang)
        names.cues(lang)
        names.calendar_words(lang)
    names.given_names()
    transform = Transform(Codec(cfg.max_body_bytes),
                          Enricher(registry, batch_size=cfg.batch_size, max_chars=cfg.max_chars),
                          cfg.retries,
                          cfg.limit)
    return transform, loaded


# -- inside an enrichment process --------------------------------------------------------------

def _watch_parent(parent: int) -> None:
    """Exit when the worker process is gone. A SIGKILLed parent cannot stop its children, and
    an orphaned enrichment process would otherwise live on (seen spinning at full CPU)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _serve(conn: Connection, cfg: PoolConfig, parent: int) -> None:
    """Process main: load once, then answer batches until the pipe closes."""
    # Ctrl-C in a terminal signals the whole process group; the worker alone decides how to
    # stop (drain, then stop its enrichment processes), so a child must not die mid-batch.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="parent-watch").start()
    try:
        transform, loaded = build_transform(cfg)
    except Exception as exc:
        conn.send(("failed", repr(exc)))
        return
    conn.send(("ready", loaded))
    while True:
        try:
            values = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(transform.run(values))


# -- the worker's side ------------------------------------------------------------------------

class Fault(Enum):
    DIED = "died"
    TIMEOUT = "timeout"


class _Process:
    """One enrichment process and the parent's end of its pipe. Blocking methods: they run on
    the pool's threads, never on the event loop."""

    def __init__(self, cfg: PoolConfig) -> None:
        # spawn, not fork: the parent runs threads (aiokafka, the loop) that fork would copy
        # in unknown states.
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child, cfg, os.getpid()), daemon=True,
                                name="enrich")
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float) -> dict[str, str]:
        if not self.conn.poll(timeout):
            raise RuntimeError(f"enrichment process not ready after {timeout:.0f} s")
        try:
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            raise RuntimeError("enrichment process exited while loading models") from None
        if kind != "ready":
            raise RuntimeError(f"enrichment process could not load: {detail}")
        loaded: dict[str, str] = detail
        return loaded

    def call(self, values: list[bytes | None], timeout: float) -> list[Outcome] | Fault:
        try:
            self.conn.send(values)
            if not self.conn.poll(timeout):
                return Fault.TIMEOUT
            outcomes: list[Outcome] = self.conn.recv()
            return outcomes
        except (EOFError, OSError):
            return Fault.DIED

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(30)
        self.conn.close()


@dataclass(slots=True)
class _Slot:
    index: int
    process: _Process | None = None
    generation: int = 0


class EnrichPool:
    """Async front of the enrichment processes (see the module docstring for faults)."""

    def __init__(self, cfg: PoolConfig,
                 on_restart: Callable[[str], None] | None = None) -> None:
        self.cfg = cfg
        self.models: dict[str, str] = {}
        self._on_restart = on_restart or (lambda reason: None)
        self._slots = [_Slot(i) for i in range(cfg.processes)]
        self._idle: asyncio.Queue[_Slot] = asyncio.Queue()
        # Pipe reads block until a reply or the time bound: one thread per slot, plus spares
        # for respawns, so a waiting batch never starves another slot's reply.
        self._threads = ThreadPoolExecutor(max_workers=2 * cfg.processes + 2,
                                           thread_name_prefix="pool")
        self._respawns: set[asyncio.Task[None]] = set()
        self._stopped = False

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> dict[str, str]:
        """Start every process and wait until each has loaded its models."""
        loop = asyncio.get_running_loop()
        for slot in self._slots:
            slot.process = _Process(self.cfg)
        answers = await asyncio.gather(*(
            loop.run_in_executor(self._threads, s.process.wait_ready,  # type: ignore[union-attr]
                                 START_TIMEOUT_SECONDS) for s in self._slots))
        for slot in self._slots:
            self._idle.put_nowait(slot)
        self.models = answers[0] if answers else {}
        return self.models

    def ready(self) -> bool:
        """Every slot has a live, loaded process (false while one is being replaced)."""
        return not self._stopped and all(s.process is not None for s in self._slots)

    def stop(self) -> None:
        self._stopped = True
        for task in self._respawns:
            task.cancel()
        for slot in self._slots:
            if slot.process is not None:
                slot.process.kill()
                slot.process = None
        self._threads.shutdown(wait=False, cancel_futures=True)

    # -- batches --------------------------------------------------------------------------

    async def run(self, values: Sequence[bytes | None]) -> list[Outcome]:
        batch = list(values)
        result = await self._call(batch)
        if result is Fault.DIED:
            log.warning("an enrichment process died on a batch of %d; retrying it once",
                        len(batch))
            result = await self._call(batch)
        if not isinstance(result, Fault):
            return result
        if len(batch) == 1:
            return [_faulted(result)]
        log.warning("batch of %d %s; trying its records one by one", len(batch),
                    "timed out" if result is Fault.TIMEOUT else "killed its process twice")
        singles = await asyncio.gather(*(self._call([v]) for v in batch))
        return [r[0] if not isinstance(r, Fault) else _faulted(r) for r in singles]

    async def _call(self, values: list[bytes | None]) -> list[Outcome] | Fault:
        slot = await self._idle.get()
        process = slot.process
        assert process is not None, "an idle slot always has a process"
        loop = asyncio.get_running_loop()
        result: list[Outcome] | Fault = Fault.DIED
        try:
            result = await loop.run_in_executor(self._threads, process.call, values,
                                                self.cfg.timeout)
        finally:
            if isinstance(result, Fault):
                self._replace(slot, result)
            else:
                self._idle.put_nowait(slot)
        return result

    def _replace(self, slot: _Slot, fault: Fault) -> None:
        """Kill this slot's process and start its successor in the background; the slot
        rejoins the idle queue once the new process has loaded its models."""
        old, slot.process = slot.process, None
        slot.generation += 1
        self._on_restart(fault.value)
        log.error("enrichment process %s (slot %d, generation %d); replacing it",
                  "timed out" if fault is Fault.TIMEOUT else "died", slot.index, slot.generation)
        if self._stopped:
            return
        task = asyncio.get_running_loop().create_task(self._respawn(slot, old),
                                                      name=f"respawn-{slot.index}")
        self._respawns.add(task)
        task.add_done_callback(self._respawns.discard)

    async def _respawn(self, slot: _Slot, old: _Process | None) -> None:
        loop = asyncio.get_running_loop()
        if old is not None:
            await loop.run_in_executor(self._threads, old.kill)  # gone before the next starts
        attempt = 0
        while not self._stopped:  # a worker without this slot would run slower for good
            new = _Process(self.cfg)
            try:
                await loop.run_in_executor(self._threads, new.wait_ready, START_TIMEOUT_SECONDS)
            except RuntimeError as exc:
                await loop.run_in_executor(self._threads, new.kill)
                delay = RESPAWN_BACKOFF_SECONDS[min(attempt, len(RESPAWN_BACKOFF_SECONDS) - 1)]
                attempt += 1
                log.error("replacement enrichment process failed: %s; retrying in %.0f s",
                          exc, delay)
                await asyncio.sleep(delay)
                continue
            if self._stopped:
                await loop.run_in_executor(self._threads, new.kill)
                return
            slot.process = new
            self._idle.put_nowait(slot)
            log.info("enrichment process replaced", extra={"slot": slot.index,
                                                           "generation": slot.generation})
            return


def _faulted(fault: Fault) -> Outcome:
    """The DLQ outcome of a record that, enriched alone, still faulted."""
    if fault is Fault.TIMEOUT:
        return Outcome(reason="enrichment_timeout", error_class="TimeoutError",
                       message="enrichment of this article alone ran past "
                       "ENRICH_BATCH_TIMEOUT_SECONDS; its process was replaced")
    return Outcome(reason="enrichment_failed", error_class="ProcessDied",
                   message="the enrichment process died while enriching this article alone")

