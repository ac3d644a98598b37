"""The worker against its ceiling and its peers, side by side in one run on the same articles.

Setups, each on a fresh 4-partition topic pre-loaded with --docs articles (the shared real news
beside the repository if present, else the samples; repeated with new ids):

- ceiling: the pool's Transform in this process, batches of 16, no Kafka;
- the worker (``enrich-worker run``) with ENRICH_WORKERS=1, with N = the CPUs this process may
  use, and at its default settings;
- a naive aiokafka loop and a Quix Streams application doing the same enrichment
  (``bench/peer_apps.py``), one process each, as a user would run one container of each.

Rates are taken over the steady-state window (10th to 90th percentile of output arrivals), so
neither a slow start nor a late final flush decides them. Then the end-to-end latency (p50/p99,
produce to output arrival) of the worker at its default settings, fed at about half the rate
it just measured, and the RSS of each enrichment process when its first output arrived and
after its last; and, unless --memory-docs 0, the RSS of one enrichment process over a long run.
Uses ENRICH_BOOTSTRAP_SERVERS, or starts deploy/local/kafka.

    .venv/bin/python -m bench.peers [--docs 600] [--memory-docs 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.broker import ROOT, broker, drop, preload, worker_env
from bench.eos_throughput import articles, steady_rate
from bench.peer_apps import rss_mb
from worker.pool import process_ids
from worker.resources import plan

SENT = "bench-sent"
CEILING = "ceiling: Transform in one process, batches of 16, no Kafka"


def ceiling(n: int) -> float:
    """The Transform alone, in a fresh process like the others (bench.peer_apps ceiling)."""
    res = subprocess.run([sys.executable, "-m", "bench.peer_apps", "ceiling", "--docs", str(n)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return float(res.stdout.split()[-1])


def _rss(pids: Sequence[int]) -> list[float]:
    out = []
    for p in pids:
        try:
            out.append(rss_mb(p))
        except OSError:
            continue
    return out


async def _arrivals(bootstrap: str, topic: str, n: int, on_first: Any = None,
                    timeout: float = 900) -> list[tuple[float, bytes | None]]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    got: list[tuple[float, bytes | None]] = []
    deadline = time.monotonic() + timeout
    try:
        while len(got) < n and time.monotonic() < deadline:
            for recs in (await consumer.getmany(timeout_ms=200)).values():
                now = time.monotonic()
                if not got and on_first is not None:
                    on_first()
                got += [(now, dict(r.headers).get(SENT)) for r in recs]
    finally:
        await consumer.stop()
    if len(got) < n:
        raise SystemExit(f"only {len(got)}/{n} enriched records arrived on {topic}")
    return got


def _command(kind: str, topics: tuple[str, str, str], bootstrap: str) -> list[str]:
    if kind == "worker":
        return [sys.executable, "-m", "worker.cli", "run"]
    return [sys.executable, "-m", "bench.peer_apps", kind, bootstrap, topics[0], topics[1],
            f"g-{topics[0]}"]


async def run_setup(bootstrap: str, docs: list[dict[str, Any]], n: int, kind: str,
                    **settings: str) -> tuple[float, list[float], list[float]]:
    """docs/s over the steady window, and RSS (MB) per enrichment process at first output
    and after the last."""
    topics = await preload(bootstrap, docs, n)
    proc = subprocess.Popen(_command(kind, topics, bootstrap),  # noqa: ASYNC220
                            env=worker_env(bootstrap, topics, **settings), cwd=ROOT)

    def pids() -> list[int]:
        return process_ids(proc.pid) if kind == "worker" else [proc.pid]

    first: list[float] = []
    try:
        got = await _arrivals(bootstrap, topics[1], n, lambda: first.extend(_rss(pids())))
        last = _rss(pids())
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        await drop(bootstrap, topics)
    return steady_rate([t for t, _ in got]), first, last


async def latency(bootstrap: str, docs: list[dict[str, Any]], rate: float,
                  seconds: float) -> tuple[float, float, int]:
    """p50/p99 (ms) from produce to output arrival, the worker at default settings, fed at
    ``rate`` records/s once it is ready (a first record enriched)."""
    tag = uuid.uuid4().hex[:8]
    topics = (f"lat-raw-{tag}", f"lat-out-{tag}", f"lat-dlq-{tag}")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(t, 4, 1) for t in topics])
    finally:
        await admin.close()
    proc = subprocess.Popen(_command("worker", topics, bootstrap),  # noqa: ASYNC220
                            env=worker_env(bootstrap, topics), cwd=ROOT)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    await producer.start()
    n = int(rate * seconds)
    try:
        await producer.send_and_wait(topics[0], orjson.dumps({**docs[0], "id": "warm"}),
                                     headers=[(SENT, b"0")])
        await _arrivals(bootstrap, topics[1], 1)  # the worker is up and its models loaded

        async def feed() -> None:
            t0 = time.monotonic()
            for i in range(n):
                await asyncio.sleep(max(0.0, t0 + i / rate - time.monotonic()))
                await producer.send(topics[0], orjson.dumps(
                    {**docs[i % len(docs)], "id": f"lat-{i}"}),
                    headers=[(SENT, repr(time.time()).encode())])

        feeding = asyncio.create_task(feed())
        got = await _arrivals(bootstrap, topics[1], n + 1)
        await feeding
    finally:
        await producer.stop()
        proc.terminate()
        proc.wait(60)
        await drop(bootstrap, topics)
    wall = time.time() - time.monotonic()  # arrival stamps are monotonic: map them to wall time
    lat = sorted((t + wall - float(s)) * 1000 for t, s in got if s not in (None, b"0"))
    lat = lat[len(lat) // 10:]  # steady state: the first tenth left out
    return lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))], len(lat)


def memory_run(docs: int) -> list[tuple[int, float]]:
    res = subprocess.run([sys.executable, "-m", "bench.peer_apps", "memory", "--docs",
                          str(docs)], cwd=ROOT, capture_output=True, text=True, check=True)
    marks = []
    for line in res.stdout.splitlines():
        parts = line.split()
        if parts[0].isdigit():
            marks.append((int(parts[0]), float(parts[1])))
    return marks


def _fmt_rss(values: list[float]) -> str:
    return "/".join(f"{v:.0f}" for v in values) or "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--latency-seconds", type=float, default=40)
    ap.add_argument("--memory-docs", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--settle", type=float, default=20, help="seconds to let the broker start")
    args = ap.parse_args()
    source, docs = articles()
    cpus = plan().processes
    setups = [
        ("the worker, ENRICH_WORKERS=1", "worker", {"workers": "1"}),
        (f"the worker, ENRICH_WORKERS={cpus}", "worker", {"workers": str(cpus)}),
        ("the worker, default settings", "worker", {}),
        ("naive aiokafka loop (getone, enrich, send_and_wait, commit)", "naive", {}),
        ("Quix Streams app (sdf.apply, commit_interval=1)", "quix", {}),
    ]
    runs: dict[str, list[tuple[float, list[float], list[float]]]] = {}
    with broker() as bootstrap:
        time.sleep(args.settle)  # let the broker's JVM finish starting before measuring
        # One run not counted: a fresh broker's JIT compiles its request paths during the
        # first thousands of records (measured: compiler threads ~45 % of its CPU in a first
        # run), which would weigh on whichever setup came first.
        asyncio.run(run_setup(bootstrap, docs, args.docs, "worker"))
        order: list[tuple[str, str, dict[str, str]]] = [(CEILING, "ceiling", {}), *setups]
        for r in range(args.rounds):  # alternating rounds: noise hits every setup alike,
            for label, kind, settings in order[r % len(order):] + order[:r % len(order)]:
                # and the order rotates, so no setup always follows the same one
                runs.setdefault(label, []).append(
                    (ceiling(args.docs), [], []) if kind == "ceiling" else
                    asyncio.run(run_setup(bootstrap, docs, args.docs, kind, **settings)))
        rows = {label: sorted(runs[label], key=lambda x: x[0])[len(runs[label]) // 2]
                for label, _, _ in order}  # the median round, its RSS with it
        default = rows["the worker, default settings"][0]
        p50, p99, nlat = asyncio.run(latency(bootstrap, docs, default / 2,
                                             args.latency_seconds))
    marks = memory_run(args.memory_docs) if args.memory_docs else []

    top = rows[CEILING][0]
    one = rows["the worker, ENRICH_WORKERS=1"][0]
    print(f"{args.docs} articles from {source} per setup, 4 partitions, {cpus} usable CPUs, "
          f"rate over the steady-state window (10th-90th percentile of output arrivals), "
          f"median of {args.rounds} alternating rounds\n")
    print("| setup | docs/s | / ceiling | rounds | RSS MB per enrichment process, first output "
          "/ last |")
    print("|---|---|---|---|---|")
    for label, (rate, first, last) in rows.items():
        rss = f"{_fmt_rss(first)} / {_fmt_rss(last)}" if first else "-"
        each = ", ".join(f"{r[0]:.1f}" for r in runs[label])
        print(f"| {label} | {rate:.1f} | {rate / top:.2f} | {each} | {rss} |")
    naive = rows["naive aiokafka loop (getone, enrich, send_and_wait, commit)"][0]
    quix = rows["Quix Streams app (sdf.apply, commit_interval=1)"][0]
    n_rate = rows[f"the worker, ENRICH_WORKERS={cpus}"][0]
    print()
    print(f"worker 1 process / ceiling            {one / top:5.2f}   (goal >= 0.95)")
    print(f"worker {cpus} processes / 1 process      {n_rate / one:5.2f}   "
          f"(goal >= {0.8 * cpus:.1f})")
    print(f"worker default / Quix Streams         {default / quix:5.2f}   (goal >= 1.5)")
    print(f"worker default / naive loop           {default / naive:5.2f}   (goal >= 3)")
    print(f"latency at {default / 2:.1f} docs/s (half the default's rate), {nlat} records: "
          f"p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    if marks:
        base = dict(marks).get(1000, marks[0][1])
        print("RSS of one enrichment process (en/fr pipelines and every gazetteer loaded): "
              + ", ".join(f"{k} articles {v:.0f} MB" for k, v in marks)
              + f"; change from 1k: {max(abs(v - base) for _, v in marks) / base:+.1%} "
              f"at most (goal: <= 400 MB, within 5 %)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
