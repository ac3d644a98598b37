"""``enrich-worker demo``: the whole product on one machine, for a first look.

With no ``ENRICH_BOOTSTRAP_SERVERS`` it starts the local KRaft broker (``deploy/local/kafka``),
creates the topics, runs the worker in-process, feeds the sample articles, prints what came out
on the output topic and where the metrics are, and then keeps serving until Ctrl-C (or exits
at once with ``--once``). A broker it started, it stops.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from . import logs
from .app import App
from .config import Settings
from .topics import create_topics, partitions

ROOT = Path(__file__).resolve().parent.parent
KAFKA_SCRIPT = ROOT / "deploy" / "local" / "kafka"
SAMPLES = ROOT / "samples" / "articles.jsonl"
READY_TIMEOUT = 300.0


def _kafka(cmd: str) -> str:
    if not KAFKA_SCRIPT.is_file():
        raise RuntimeError(f"{KAFKA_SCRIPT} not found: set ENRICH_BOOTSTRAP_SERVERS to a broker")
    out = subprocess.run([str(KAFKA_SCRIPT), cmd], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"local Kafka {cmd} failed: {out.stderr.strip().splitlines()[-1:]}")
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def run_demo(flags: dict[str, Any], once: bool = False) -> int:
    logs.setup("WARNING")
    bootstrap = flags.get("bootstrap_servers") or os.environ.get("ENRICH_BOOTSTRAP_SERVERS", "")
    started_local = False
    if not bootstrap:
        print("No ENRICH_BOOTSTRAP_SERVERS: starting a local single-node Kafka (KRaft) "
              "with deploy/local/kafka ...", flush=True)
        t0 = time.monotonic()
        bootstrap = _kafka("start").removeprefix("bootstrap=")
        started_local = True
        print(f"Kafka is up at {bootstrap} ({time.monotonic() - t0:.1f} s)", flush=True)
    try:
        settings = Settings.load(flags={**flags, "bootstrap_servers": bootstrap})
        return asyncio.run(_demo(settings, once))
    finally:
        if started_local:
            _kafka("stop")
            print("Local Kafka stopped.")


async def _demo(s: Settings, once: bool) -> int:
    await create_topics(s, partitions=3)
    app = App(s)
    task = asyncio.create_task(app.run(), name="worker")
    print("Starting the worker (loading spaCy pipelines, gazetteers and lexicons) ...",
          flush=True)
    await _until_ready(app, task)
    url = f"http://127.0.0.1:{app.http.port}"
    print(f"Worker ready. Metrics: {url}/metrics   probes: {url}/healthz {url}/readyz\n")
    samples = [line for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    start = await _end_offsets(s, s.output_topic)
    producer = AIOKafkaProducer(bootstrap_servers=s.bootstrap_servers.split(","))
    await producer.start()
    try:
        for value in samples:
            await producer.send_and_wait(s.input_topic, value)
    finally:
        await producer.stop()
    print(f"Fed {len(samples)} sample articles to {s.input_topic}; enriched on "
          f"{s.output_topic}:\n")
    for rec in await _read(s, s.output_topic, start, len(samples)):
        print(describe(orjson.loads(rec.value)))
    print(f"\nMetrics: {url}/metrics")
    if once:
        app.request_stop()
    else:
        print("The worker keeps consuming; press Ctrl-C to stop.", flush=True)
    return await task


async def _until_ready(app: App, task: asyncio.Task[int]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while not (app.probes.checks and all(app.probes.readiness().values())):
        if task.done():
            code = task.result()
            raise RuntimeError(f"the worker stopped before it was ready (exit {code})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the worker was not ready after {READY_TIMEOUT:.0f} s")
        await asyncio.sleep(0.2)


async def _end_offsets(s: Settings, topic: str) -> dict[TopicPartition, int]:
    tps = [TopicPartition(topic, p) for p in await partitions(s, topic)]
    c = AIOKafkaConsumer(bootstrap_servers=s.bootstrap_servers.split(","))
    await c.start()
    try:
        ends: dict[TopicPartition, int] = await c.end_offsets(tps)
        return ends
    finally:
        await c.stop()


async def _read(s: Settings, topic: str, start: dict[TopicPartition, int], n: int,
                timeout: float = 120) -> list[Any]:
    c = AIOKafkaConsumer(bootstrap_servers=s.bootstrap_servers.split(","),
                         enable_auto_commit=False)
    await c.start()
    try:
        c.assign(list(start))
        for tp, off in start.items():
            c.seek(tp, off)
        out: list[Any] = []
        deadline = time.monotonic() + timeout
        while len(out) < n and time.monotonic() < deadline:
            for recs in (await c.getmany(timeout_ms=500)).values():
                out.extend(recs)
        return out
    finally:
        await c.stop()


def describe(article: dict[str, Any]) -> str:
    """A few readable lines per enriched article."""
    e = article["enrichment"]
    lang = e["language"]
    title = (article.get("title") or article["body"])[:70]
    countries = "  ".join(f"{c['code']} {c['score']:.2f}{'*' if c['primary'] else ''}"
                          for c in e["countries"][:6]) or "-"
    ents = ", ".join(f"{x['text']} ({x['label']}x{x['count']})" for x in e["entities"][:6])
    sent = e["sentiment"]
    score = "n/a" if sent["score"] is None else f"{sent['score']:+.2f}"
    ner = e["pipeline"]["ner"] or "no pipeline installed: gazetteer only"
    return (f"[{lang['code']}, {lang['source']}] {article['id']}: {title}\n"
            f"    countries  {countries}   (* = primary)\n"
            f"    entities   {ents or '-'}\n"
            f"    sentiment  {sent['label']} {score} ({sent['method']})   ner: {ner}")

