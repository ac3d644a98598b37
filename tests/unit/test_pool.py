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
