"""The enrichment processes, without Kafka: forked from a preloaded forkserver, replaced when
one dies, with the batch it was enriching retried on the replacement."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import orjson

from worker.pool import EnrichPool, PoolConfig, process_ids

from ..conftest import ROOT


def test_the_forkserver_preload_builds_the_shared_data_and_freezes_it() -> None:
    probe = ("import gc, worker.warm\n"
             "from worker.enrich import lexicons, places, sentiment\n"
             "print(places.gazetteer.cache_info().currsize,"
             " sentiment.lexicon.cache_info().currsize, len(lexicons.LANGS),"
             " gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=300)
    gazetteers, tables, langs, frozen = map(int, out.stdout.split())
    assert gazetteers >= langs and tables >= langs, out.stderr
    assert frozen > 100_000, "the preloaded objects are frozen out of the collector"
    assert "failed" not in out.stderr


async def test_a_killed_process_is_replaced_and_its_batch_retried() -> None:
    restarts: list[str] = []
    pool = EnrichPool(PoolConfig(processes=1, batch_size=4), on_restart=restarts.append)
    try:
        await pool.start()
        batch = [orjson.dumps({"id": f"x{i}", "lang": "it", "body": "Il governo di Roma."})
                 for i in range(4)]
        assert all(o.value is not None for o in await pool.run(batch))
        (first,) = process_ids(os.getpid())
        assert pool.ready()
        os.kill(first, signal.SIGKILL)
        outcomes = await pool.run(batch)  # dies on the dead process, retried on its successor
        assert [orjson.loads(o.value)["id"] for o in outcomes if o.value] == ["x0", "x1", "x2",
                                                                               "x3"]
        assert restarts == ["died"]
        (second,) = process_ids(os.getpid())
        assert second != first and pool.ready()
    finally:
        pool.stop()


async def test_a_process_that_dies_while_idle_is_replaced_without_waiting_for_a_batch() -> None:
    """Readiness must not report a dead process as serving, even with no traffic."""
    restarts: list[str] = []
    pool = EnrichPool(PoolConfig(processes=2, batch_size=4), on_restart=restarts.append)
    try:
        await pool.start()
        first, other = process_ids(os.getpid())
        os.kill(first, signal.SIGKILL)
        for _ in range(200):  # no batch is sent: only the exit itself can be noticed
            await asyncio.sleep(0.05)
            if restarts:
                break
        assert restarts == ["died"] and not pool.ready()
        for _ in range(1200):
            await asyncio.sleep(0.05)
            if pool.ready():
                break
        assert pool.ready() and restarts == ["died"]
        now = process_ids(os.getpid())
        assert len(now) == 2 and other in now and first not in now
        batch = [orjson.dumps({"id": f"y{i}", "lang": "it", "body": "Il governo di Roma."})
                 for i in range(4)]
        # both slots serve at once, and the stale entry of the dead process never hands a
        # slot out twice (two batches on one pipe would garble both)
        results = await asyncio.gather(*(pool.run(batch) for _ in range(6)))
        assert all(orjson.loads(o.value)["id"] == f"y{i}"  # type: ignore[arg-type]
                   for outcomes in results for i, o in enumerate(outcomes))
        assert restarts == ["died"]
    finally:
        pool.stop()


def _article(i: str, body: str) -> bytes:
    return orjson.dumps({"id": i, "lang": "en", "body": body})


SLOW = "Talks in Paris and Berlin went well, said Anna Weber. " * 1500  # seconds in rules mode


async def test_a_batch_waiting_behind_one_whose_process_dies_is_not_charged_for_it() -> None:
    """Two batches share a process's pipe; when the process dies on the first, the second
    never ran: it goes to the replacement without a restart or an attempt of its own."""
    restarts: list[str] = []
    pool = EnrichPool(PoolConfig(processes=1, ner="rules", max_chars=1_000_000),
                      on_restart=restarts.append)
    try:
        await pool.start()
        (first,) = process_ids(os.getpid())
        slow = asyncio.create_task(pool.run([_article("slow", SLOW)]))
        await asyncio.sleep(0.05)
        behind = asyncio.create_task(pool.run([_article("b0", "Roma."),
                                               _article("b1", "Parigi.")]))
        for _ in range(500):  # until both are on the process's pipe (the slow one takes seconds)
            if pool._slots[0].busy == 2:
                break
            await asyncio.sleep(0.01)
        assert not slow.done()
        os.kill(first, signal.SIGKILL)
        got_slow, got_behind = await asyncio.gather(slow, behind)
        assert [o.value is not None for o in got_slow] == [True]  # retried once, then done
        assert [orjson.loads(o.value)["id"] for o in got_behind if o.value] == ["b0", "b1"]
        assert all(o.attempts == 1 for o in got_behind)
        assert restarts == ["died"], "one death, one replacement"
    finally:
        pool.stop()


async def test_a_batch_past_the_time_bound_does_not_take_the_batch_behind_it() -> None:
    restarts: list[str] = []
    pool = EnrichPool(PoolConfig(processes=1, ner="rules", max_chars=1_000_000, timeout=0.5),
                      on_restart=restarts.append)
    try:
        await pool.start()
        slow = asyncio.create_task(pool.run([_article("slow", SLOW * 4)]))
        await asyncio.sleep(0.05)
        got_slow, got_behind = await asyncio.gather(slow, pool.run([_article("b0", "Roma.")]))
        assert [o.reason for o in got_slow] == ["enrichment_timeout"]
        assert [orjson.loads(o.value)["id"] for o in got_behind if o.value] == ["b0"]
        assert restarts == ["timeout"]
    finally:
        pool.stop()
