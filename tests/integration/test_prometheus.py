"""A real Prometheus scrapes a working worker; every dashboard and rule expression has data."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from aiokafka import AIOKafkaProducer

from ..conftest import ROOT
from .conftest import Worker, free_port, read_all

PROMETHEUS = shutil.which("prometheus")
RULES = ROOT / "deploy/prometheus/rules/enrich-worker.yml"
DASHBOARD = ROOT / "deploy/grafana/dashboards/enrich-worker.json"
_COMPARISON = re.compile(r"\s*(==|!=|>=|<=|>|<)\s*[-+0-9.e]+\s*$")
_AND = re.compile(r"\s+(?:and|unless|or)(?:\s+on\(\))?\s+")


def dashboard_exprs() -> list[str]:
    dash = json.loads(DASHBOARD.read_text())
    return [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]


def rule_exprs() -> tuple[list[str], list[str]]:
    """(recording rule expressions, alert signals: each alert part without its threshold)."""
    groups = yaml.safe_load(RULES.read_text())["groups"]
    records, signals = [], []
    for g in groups:
        for r in g["rules"]:
            if "record" in r:
                records.append(r["expr"].strip())
            else:
                signals += [_COMPARISON.sub("", part) for part in _AND.split(r["expr"].strip())]
    return records, signals


def metric_names(expr: str) -> set[str]:
    return set(re.findall(r"\b(enrich_[a-z_]+|up)\b(?![:(])", expr))


def test_alert_signals_parse_from_rules() -> None:
    _, signals = rule_exprs()
    assert "changes(enrich_ready[15m])" in signals
    assert 'up{job="enrich-worker"}' in signals
    assert all(not _COMPARISON.search(s) for s in signals)


@pytest.mark.skipif(PROMETHEUS is None, reason="prometheus (Debian package) not installed")
async def test_prometheus_scrapes_and_every_expression_has_data(
    bootstrap: str, topics: Any, producer: AIOKafkaProducer, workers: list[Worker],
    samples: list[dict[str, Any]],
) -> None:
    w = Worker(bootstrap, topics).start()
    workers.append(w)
    await w.ready()
    stop = asyncio.Event()

    async def trickle() -> None:  # steady traffic, so every rate() is above zero
        i = 0
        while not stop.is_set():
            art = {**samples[i % len(samples)], "id": f"p{i}"}
            await producer.send_and_wait(topics.raw, orjson.dumps(art))
            if i % 10 == 0:
                await producer.send_and_wait(topics.raw, b"{not json")
            i += 1
            await asyncio.sleep(0.3)

    feeder = asyncio.create_task(trickle())
    await read_all(bootstrap, topics.enriched, 3)
    tmp = Path(tempfile.mkdtemp(prefix="prom-"))
    # Same expressions, evaluated every second instead of every 30 s, to fit a test.
    (tmp / "rules.yml").write_text(RULES.read_text().replace("interval: 30s", "interval: 1s"))
    port = free_port()
    (tmp / "prometheus.yml").write_text(yaml.safe_dump({
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(tmp / "rules.yml")],
        "scrape_configs": [{"job_name": "enrich-worker",
                            "static_configs": [{"targets": [f"127.0.0.1:{w.port}"]}]}],
    }))
    prom = subprocess.Popen(  # noqa: ASYNC220 - started once, stopped in finally
        [str(PROMETHEUS), f"--config.file={tmp / 'prometheus.yml'}",
         f"--storage.tsdb.path={tmp / 'data'}", f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=(tmp / "prometheus.log").open("wb"))

    def query(expr: str) -> list[Any]:
        url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        with urllib.request.urlopen(url, timeout=5) as r:
            body = json.loads(r.read())
        assert body["status"] == "success", (expr, body)
        return list(body["data"]["result"])

    try:
        records, signals = rule_exprs()
        exprs = dashboard_exprs() + records + signals
        missing: list[str] = exprs
        deadline = time.monotonic() + 90
        while missing and time.monotonic() < deadline:
            await asyncio.sleep(2)
            with contextlib.suppress(OSError):
                missing = [e for e in exprs if not query(e)]
        assert not missing, f"expressions without data: {missing}\n" + (
            tmp / "prometheus.log").read_text()[-2000:]
        # Every metric an expression names is one the worker exports.
        _, exposition = w.get("/metrics")
        exported = set(re.findall(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", exposition, re.M))
        exported |= {"up"}
        referenced = set().union(*(metric_names(e) for e in exprs))
        assert referenced - exported == set()
        assert query('up{job="enrich-worker"}')[0]["value"][1] == "1"
    finally:
        stop.set()
        await feeder
        prom.terminate()
        prom.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
