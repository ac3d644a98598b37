"""The enrichment processes: CPU-bound NLP off the event loop, with faults contained.

Each process builds its ``Transform`` once, then takes whole batches over a pipe, so
``nlp.pipe`` sees many texts at a time; a second batch waits in the pipe while one is enriched,
so the process goes from one batch to the next without waiting for the worker's loop and
threads. The event loop only awaits replies, so heartbeats, probes and metrics keep flowing.
Processes are forked from a forkserver that has already imported spaCy and built the shared
data (``warm``): a process, or the replacement of one that died, is ready in ~1.5 s (its
pipelines' weights) instead of ~7 s, and the shared data is in memory once (measured with two
processes: 448 MB PSS in all, 557 MB when each was spawned).

Why not ``concurrent.futures.ProcessPoolExecutor``: one dead child breaks the whole executor,
every batch in flight then sees ``BrokenProcessPool`` at once, and each of them rebuilt the
executor (seen: 16 pools loading models together, 7.9 GB). It cannot put a time bound on one
task either. Here each process is a *slot*: a fault (death or time-out) replaces that one
process, once, under the slot's generation number, so there are never more processes than
configured, and the other slots keep working meanwhile.

A process that dies while idle is replaced at once, not when the next batch reaches it: the
event loop watches each process's sentinel (readable when it exits), so readiness tells the
truth and the next batch does not wait for a replacement to load.

Faults, per batch: a batch whose process died is retried once; if it dies again, or if the
batch ran past ``timeout`` (counted from the reply to the batch before it on the same
process), its records are tried one by one, so a poison article takes no
batch-mate with it: the one that kills its process goes to the DLQ as ``enrichment_failed``,
the one that runs past the bound as ``enrichment_timeout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import gc
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from multiprocessing.connection import Connection

from .codec import Codec
from .enrich import Enricher
from .enrich.models import ModelRegistry, parse_spec
from .enrich.ner import DEFAULT_MODE, uses_model
from .sizes import SizeLimit
from .transform import Outcome, Transform

log = logging.getLogger(__name__)
PARENT_CHECK_SECONDS = 1.0
START_TIMEOUT_SECONDS = 600.0
RESPAWN_BACKOFF_SECONDS = (1.0, 5.0, 30.0)
# Batches on one process's pipe at once: the next batch waits there while one is enriched, so
# the process never idles between batches; more would only add latency.
PIPELINE_DEPTH = 2
WARM_MODULE = "worker.warm"
# Processes are forked from the forkserver, which is single-threaded and has imported ``warm``
# (the shared data); never from the worker itself, whose threads (aiokafka, the loop) a fork
# would copy in unknown states. The preload is read when the forkserver first starts.
_FORKSERVER = multiprocessing.get_context("forkserver")
_FORKSERVER.set_forkserver_preload([WARM_MODULE])


@dataclass(frozen=True, slots=True)
class PoolConfig:
    processes: int
    models: str = ""
    ner: str = DEFAULT_MODE  # model, rules or both (``enrich.ner``)
    batch_size: int = 16
    max_body_bytes: int = 1_000_000
    retries: int = 2
    timeout: float = 60.0  # seconds one batch may take before its process is replaced
    max_chars: int = 100_000  # body characters analysed per article
    limit: SizeLimit = field(default_factory=SizeLimit)
    preload: tuple[str, ...] | None = None  # None: every installed language


def load_shared_data(langs: Iterable[str]) -> None:
    """Build (or read from the disk cache) what every process needs whatever pipelines it
    loads: gazetteers and lexicons of every language the project has data for, before the first
    record rather than on it. Each loader keeps its result, so in a process forked from the
    preloaded forkserver (``warm``) this costs nothing."""
    from .enrich import demonyms, geonames, lexicons, namedata, ordinary, places, sentiment

    for lang in dict.fromkeys((*langs, *demonyms.LANGS, *lexicons.LANGS)):
        places.gazetteer(lang)
        sentiment.lexicon(lang)
        namedata.cues(lang)
        namedata.calendar_words(lang)
    namedata.given_names()
    namedata.surnames()
    ordinary.load()  # ENRICH_NER=both reads it; ~5 MB, shared by the forked processes
    geonames.index()


def build_transform(cfg: PoolConfig) -> tuple[Transform, dict[str, str]]:
    """A ready Transform and the models it loaded (language -> package==version)."""
    registry = ModelRegistry(overrides=parse_spec(cfg.models))
    langs = cfg.preload if cfg.preload is not None else tuple(registry.installed_languages())
    loaded = registry.preload(langs) if uses_model(cfg.ner) else {}
    load_shared_data(langs)
    transform = Transform(Codec(cfg.max_body_bytes),
                          Enricher(registry, batch_size=cfg.batch_size, max_chars=cfg.max_chars,
                                   ner_mode=cfg.ner),
                          cfg.retries,
                          cfg.limit)
    return transform, loaded


# -- inside an enrichment process --------------------------------------------------------------

def _watch_worker(worker: int) -> None:
    """Exit when the worker process is gone. A SIGKILLed worker cannot stop its enrichment
    processes, and an orphan would otherwise live on (seen spinning at full CPU). A pidfd
    wakes this thread the moment the worker exits (no polling, no pid reuse); where the kernel
    refuses one, the parent is polled: the forkserver exits with the worker, so a process whose
    parent changed is an orphan."""
    try:
        fd = os.pidfd_open(worker)
    except (AttributeError, OSError):
        parent = os.getppid()
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
    else:
        select.select([fd], [], [])
    os._exit(1)


def _serve(conn: Connection, cfg: PoolConfig, worker: int) -> None:
    """Process main: load once, then answer batches until the pipe closes."""
    # Ctrl-C in a terminal signals the whole process group; the worker alone decides how to
    # stop (drain, then stop its enrichment processes), so a child must not die mid-batch.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_worker, args=(worker,), daemon=True,
                     name="worker-watch").start()
    try:
        transform, loaded = build_transform(cfg)
    except Exception as exc:
        conn.send(("failed", repr(exc)))
        return
    _settle()
    conn.send(("ready", loaded))
    while True:
        try:
            values, transform.limit = conn.recv()  # the limit in force, read per batch
        except (EOFError, OSError):
            return
        conn.send(transform.run(values))
        give_back()  # while the next batch is on its way (or already in the pipe)


def _settle() -> None:
    """Give back what loading left behind before taking work. Loading pipelines leaves ~100 MB
    of cyclic garbage that, in a forked process, no automatic collection reached (measured: 250
    MB private after start, 108 MB after this); what remains lives as long as the process, so it
    is frozen out of later collections, which then walk only the records' objects."""
    gc.collect()
    gc.freeze()
    give_back()


def give_back() -> None:
    """Return the heap's free pages to the system. Loading a language's tables parses their
    stored form (a Chinese gazetteer: tens of MB of JSON) and frees it again, and batches leave
    free pages between long-lived objects; glibc keeps them mapped, so after eighteen languages
    a process held ~50 MB it no longer used (``bench.rss``: 525 -> 474 MB after two passes).
    It costs ~1 ms after a batch of 16 (measured here: 1.1 ms mean, 3.3 ms max, against 209 ms
    for the batch), so it runs after every batch."""
    with contextlib.suppress(OSError, AttributeError):  # glibc only; elsewhere it stays cached
        _libc().malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None)


# -- the worker's side ------------------------------------------------------------------------

class Fault(Enum):
    DIED = "died"
    TIMEOUT = "timeout"


class _Process:
    """One enrichment process and the parent's end of its pipe. Blocking methods: they run on
    the pool's threads, never on the event loop."""

    def __init__(self, cfg: PoolConfig) -> None:
        self.conn, child = _FORKSERVER.Pipe(duplex=True)
        self.proc = _FORKSERVER.Process(target=_serve, args=(child, cfg, os.getpid()),
                                        daemon=True, name="enrich")
        self.proc.start()
        child.close()

    @property
    def sentinel(self) -> int:
        """A descriptor that becomes readable when the process has exited."""
        return self.proc.sentinel

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

    def send(self, values: list[bytes | None], limit: SizeLimit) -> bool:
        """Hand a batch over; false if the process is gone. May block while the process is
        busy with the batch before (a pipe holds ~64 KB), which is why it runs on a thread."""
        try:
            self.conn.send((values, limit))
        except (EOFError, OSError):
            return False
        return True

    def receive(self, timeout: float) -> list[Outcome] | Fault:
        """The reply to the oldest batch not yet answered, within ``timeout``."""
        try:
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


def _start_process(cfg: PoolConfig) -> tuple[_Process, dict[str, str]]:
    """Start one process and wait until it has loaded (blocking: runs on a pool thread, since
    even starting one waits for the forkserver, which may still be preloading)."""
    process = _Process(cfg)
    try:
        return process, process.wait_ready(START_TIMEOUT_SECONDS)
    except BaseException:
        process.kill()
        raise


@dataclass(slots=True)
class _Slot:
    index: int
    process: _Process | None = None
    generation: int = 0
    busy: int = 0  # batches handed to its process and not yet answered
    # Sends happen in the order of ``tail``: a batch reads its reply only after the batch sent
    # before it on the same pipe has read its own (done when that one is finished with).
    sending: asyncio.Lock = field(default_factory=asyncio.Lock)
    tail: asyncio.Future[None] | None = None


class _Behind:
    """The batch was waiting on a process that failed on the batch before it: it never ran,
    so it is handed to a process again without counting as an attempt."""


class EnrichPool:
    """Async front of the enrichment processes (see the module docstring for faults)."""

    def __init__(self, cfg: PoolConfig,
                 on_restart: Callable[[str], None] | None = None) -> None:
        self.cfg = cfg
        # What fits through the output topic: replaced while running (the topic's
        # max.message.bytes is re-read), sent with every batch.
        self.limit = cfg.limit
        self.models: dict[str, str] = {}
        self._on_restart = on_restart or (lambda reason: None)
        self._slots = [_Slot(i) for i in range(cfg.processes)]
        # (slot, generation): an entry left from before a replacement is stale and skipped
        self._idle: asyncio.Queue[tuple[_Slot, int]] = asyncio.Queue()
        # Pipe reads and sends block until a reply, the time bound or room in the pipe: one
        # thread per batch a slot holds, plus spares for respawns, so a waiting batch never
        # starves another slot's reply.
        self._threads = ThreadPoolExecutor(max_workers=(PIPELINE_DEPTH + 1) * cfg.processes + 2,
                                           thread_name_prefix="pool")
        self._respawns: set[asyncio.Task[None]] = set()
        self._stopped = False

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> dict[str, str]:
        """Start every process and wait until each has loaded its models."""
        loop = asyncio.get_running_loop()
        started = await asyncio.gather(
            *(loop.run_in_executor(self._threads, _start_process, self.cfg)
              for _ in self._slots), return_exceptions=True)
        for slot, got in zip(self._slots, started, strict=True):
            if not isinstance(got, BaseException):
                slot.process, self.models = got  # stop() kills it if another one failed
        for got in started:
            if isinstance(got, BaseException):
                raise got
        for slot in self._slots:
            self._enlist(slot)
        return self.models

    def _enlist(self, slot: _Slot) -> None:
        """Make a slot's (new) process available, and watch it for an exit while idle."""
        assert slot.process is not None
        process = slot.process
        asyncio.get_running_loop().add_reader(process.sentinel, self._exited, slot, process)
        for _ in range(PIPELINE_DEPTH):
            self._idle.put_nowait((slot, slot.generation))

    def _exited(self, slot: _Slot, process: _Process) -> None:
        """The sentinel of ``process`` is readable: it has exited. Replace it now if it was
        idle; a busy one is replaced by the batch that sees its pipe close."""
        self._unwatch(process)
        if slot.process is process and not slot.busy and not self._stopped:
            self._replace(slot, Fault.DIED)

    def ready(self) -> bool:
        """Every slot has a live, loaded process (false while one is being replaced)."""
        return not self._stopped and all(s.process is not None for s in self._slots)

    def stop(self) -> None:
        self._stopped = True
        for task in self._respawns:
            task.cancel()
        for slot in self._slots:
            if slot.process is not None:
                self._unwatch(slot.process)
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
        while True:
            result = await self._attempt(values)
            if not isinstance(result, _Behind):
                return result

    async def _attempt(self, values: list[bytes | None]) -> list[Outcome] | Fault | _Behind:
        """One batch on one process. Up to ``PIPELINE_DEPTH`` batches share a process's pipe,
        so the next one is already there when the process finishes a batch (it never waits on
        the worker's loop and threads between two batches); replies come back in send order."""
        while True:
            slot, generation = await self._idle.get()
            if generation == slot.generation and slot.process is not None:
                break  # otherwise the process died while idle and is being replaced
        process = slot.process
        assert process is not None
        loop = asyncio.get_running_loop()
        result: list[Outcome] | Fault | _Behind = Fault.DIED
        turn: asyncio.Future[None] = loop.create_future()
        slot.busy += 1
        try:
            async with slot.sending:
                before, slot.tail = slot.tail, turn
                sent = await loop.run_in_executor(self._threads, process.send, values,
                                                  self.limit)
            if before is not None:
                await before
            if slot.generation != generation:
                result = _Behind()  # the batch before ours failed and took the process
            elif sent:
                result = await loop.run_in_executor(self._threads, process.receive,
                                                    self.cfg.timeout)
        finally:
            slot.busy -= 1
            if isinstance(result, Fault):
                if slot.generation == generation:  # not already replaced for another batch
                    self._replace(slot, result)
            elif slot.generation == generation:
                self._idle.put_nowait((slot, generation))
            turn.set_result(None)  # after the replacement, so the batch behind sees it
        return result

    def _replace(self, slot: _Slot, fault: Fault) -> None:
        """Kill this slot's process and start its successor in the background; the slot
        rejoins the idle queue once the new process has loaded its models."""
        old, slot.process = slot.process, None
        if old is not None:
            self._unwatch(old)
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

    @staticmethod
    def _unwatch(process: _Process) -> None:
        with contextlib.suppress(RuntimeError, ValueError, OSError):
            asyncio.get_running_loop().remove_reader(process.sentinel)

    async def _respawn(self, slot: _Slot, old: _Process | None) -> None:
        loop = asyncio.get_running_loop()
        if old is not None:
            await loop.run_in_executor(self._threads, old.kill)  # gone before the next starts
        attempt = 0
        while not self._stopped:  # a worker without this slot would run slower for good
            try:
                new, _ = await loop.run_in_executor(self._threads, _start_process, self.cfg)
            except Exception as exc:  # whatever it was, the slot must come back
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
            self._enlist(slot)
            log.info("enrichment process replaced", extra={"slot": slot.index,
                                                           "generation": slot.generation})
            return


def process_ids(worker: int) -> list[int]:
    """The live enrichment processes of the worker with pid ``worker``: the children of its
    forkserver. For whatever watches them from outside (the benchmarks, the fault tests); Linux
    ``/proc`` only. Children are listed per thread, and the forkserver is started from one."""
    found = []
    for server in child_pids(worker):
        if b"forkserver" in _read(f"/proc/{server}/cmdline"):
            found += [p for p in child_pids(server)
                      if b"\nState:\tZ" not in _read(f"/proc/{p}/status")]
    return found


def child_pids(pid: int) -> list[int]:
    """Every child of ``pid``, whichever of its threads started it."""
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            kids += map(int, _read(f"/proc/{pid}/task/{task}/children").split())
    return kids


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def _faulted(fault: Fault) -> Outcome:
    """The DLQ outcome of a record that, enriched alone, still faulted."""
    if fault is Fault.TIMEOUT:
        return Outcome(reason="enrichment_timeout", error_class="TimeoutError",
                       message="enrichment of this article alone ran past "
                       "ENRICH_BATCH_TIMEOUT_SECONDS; its process was replaced")
    return Outcome(reason="enrichment_failed", error_class="ProcessDied",
                   message="the enrichment process died while enriching this article alone")

