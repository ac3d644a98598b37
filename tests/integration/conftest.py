"""The real broker (started by ``deploy/local/kafka``) and real worker processes."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from worker import records
from worker.config import Settings
from worker.logs import TRANSIENT
from worker.pool import child_pids, process_ids
from worker.topics import partitions as topic_partitions

from ..conftest import ROOT

pytestmark = pytest.mark.integration
records.install()  # the tests read back records with non-UTF-8 header keys too
BIG = 5 * 1024 * 1024


@dataclass(frozen=True)
class Broker:
    bootstrap: str
    secure: dict[str, str]  # ssl, sasl_ssl (host:port) and tls (directory); empty if unknown


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    """ENRICH_TEST_BOOTSTRAP if set; otherwise a fresh single-node KRaft broker with TLS and
    SASL listeners besides the plain one (``deploy/local/kafka`` with KAFKA_SECURE=1)."""
    given = os.environ.get("ENRICH_TEST_BOOTSTRAP")
    if given:
        yield Broker(given, {})
        return
    data = tempfile.mkdtemp(prefix="enrich-kafka-")
    # below the ephemeral port range (32768-60999), where an outgoing connection can hold it
    env = {**os.environ, "KAFKA_PORT": os.environ.get("ENRICH_TEST_KAFKA_PORT", "28092"),
           "KAFKA_DATA_DIR": data, "KAFKA_SECURE": "1"}
    script = str(ROOT / "deploy" / "local" / "kafka")
    out = subprocess.run([script, "start"], env=env, capture_output=True, text=True,
                         timeout=600, check=False)
    if out.returncode != 0:
        pytest.fail(f"local kafka did not start: {out.stderr[-2000:]}")
    lines = out.stdout.strip().splitlines()
    secure = next((ln for ln in lines if ln.startswith("secure=")), "").removeprefix("secure=")
    try:
        yield Broker(lines[-1].removeprefix("bootstrap="),
                     dict(kv.split("=", 1) for kv in secure.split()))
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=120, check=False)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def bootstrap(broker: Broker) -> str:
    return broker.bootstrap


@dataclass
class Topics:
    raw: str
    enriched: str
    dlq: str
    group: str
    partitions: int

    def env(self) -> dict[str, str]:
        return {"ENRICH_INPUT_TOPIC": self.raw, "ENRICH_OUTPUT_TOPIC": self.enriched,
                "ENRICH_DLQ_TOPIC": self.dlq, "ENRICH_GROUP_ID": self.group}


async def make_topics(bootstrap: str, partitions: int = 3,
                      max_bytes: dict[str, int] | None = None) -> Topics:
    """Fresh topics (5 MB records allowed; ``max_bytes`` overrides by role: raw, enriched,
    dlq)."""
    tag = uuid.uuid4().hex[:8]
    t = Topics(f"raw-{tag}", f"enriched-{tag}", f"dlq-{tag}", f"group-{tag}", partitions)
    limits = {"raw": BIG, "enriched": BIG, "dlq": BIG, **(max_bytes or {})}
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([
            NewTopic(name, partitions, 1,
                     topic_configs={"max.message.bytes": str(limits[role])})
            for role, name in (("raw", t.raw), ("enriched", t.enriched), ("dlq", t.dlq))])
    finally:
        await admin.close()
    return t


@pytest_asyncio.fixture
async def topics(bootstrap: str) -> Topics:
    return await make_topics(bootstrap)


@pytest_asyncio.fixture
async def producer(bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    p = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", max_request_size=BIG)
    await p.start()
    try:
        yield p
    finally:
        await p.stop()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Worker:
    """``enrich-worker run`` as a real child process."""

    bootstrap: str
    topics: Topics
    extra: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(suffix=".log")[1]))

    def start(self) -> Worker:
        env = {**os.environ, **self.topics.env(), "ENRICH_BOOTSTRAP_SERVERS": self.bootstrap,
               "ENRICH_METRICS_PORT": str(self.port), "ENRICH_METRICS_HOST": "127.0.0.1",
               "ENRICH_WORKERS": "1", "ENRICH_COMMIT_INTERVAL_MS": "200", **self.extra}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "worker.cli", "run"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=self.log.open("wb"))
        return self

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def metric(self, name: str, **labels: str) -> float:
        _, text = self.get("/metrics")
        total = 0.0
        for line in text.splitlines():
            if not line.startswith(name):
                continue
            m = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
            if not m or m.group(1) != name:
                continue
            have = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
            if all(have.get(k) == v for k, v in labels.items()):
                total += float(m.group(3))
        return total

    async def ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited {self.proc.returncode}:\n{self.logs()}")
            try:
                if self.get("/readyz")[0] == 200:
                    return
            except OSError:
                pass
            await asyncio.sleep(0.5)
        raise AssertionError(f"worker not ready in {timeout}s:\n{self.logs()}")

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def wait(self, timeout: float = 60) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout)

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def diagnosis(self) -> str:
        """For a failure message: every thread's and every asyncio task's stack (the worker
        prints them on SIGUSR1 and SIGUSR2), its enrichment processes with their states, and
        the end of its log."""
        if self.proc is None or self.proc.poll() is not None:
            return self.logs()
        self.proc.send_signal(signal.SIGUSR1)
        self.proc.send_signal(signal.SIGUSR2)
        time.sleep(1.0)
        states = {p: next((ln for ln in Path(f"/proc/{p}/status").read_text().splitlines()
                           if ln.startswith("State")), "?")
                  for p in enrichment_processes(self.proc.pid)}
        return f"enrichment processes: {states}\n{self.log.read_text(errors='replace')[-12000:]}"

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)


def transients_logged_as_failures(log: str) -> list[str]:
    """Lines where an expected, self-retried aiokafka transient (a group forming on a fresh
    broker, a coordinator moving) was logged at warning or error level."""
    return [line for line in log.splitlines()
            if ('"level":"error"' in line or '"level":"warning"' in line)
            and '"logger":"aiokafka' in line and any(t in line for t in TRANSIENT)]


@pytest.fixture
def workers(bootstrap: str) -> Iterator[list[Worker]]:
    """Workers started by a test; any still running at the end are killed. None of them may
    have logged an expected transient as a failure (the first worker on the session's fresh
    broker is the one that meets the group coordinator still loading)."""
    started: list[Worker] = []
    yield started
    for w in started:
        w.kill()
    noisy = [ln for w in started for ln in transients_logged_as_failures(
        w.log.read_text(errors="replace"))]
    assert not noisy, noisy[:3]


async def read_all(bootstrap: str, topic: str, expect: int, timeout: float = 120,
                   isolation: str = "read_uncommitted") -> list[Any]:
    """Read ``topic`` from the start until ``expect`` records arrived (or time ran out)."""
    parts = await topic_partitions(Settings(bootstrap_servers=bootstrap), topic)
    c = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                         isolation_level=isolation, auto_offset_reset="earliest",
                         fetch_max_bytes=BIG, max_partition_fetch_bytes=BIG)
    await c.start()
    try:
        tps = [TopicPartition(topic, p) for p in parts]
        c.assign(tps)
        await c.seek_to_beginning(*tps)
        out: list[Any] = []
        deadline = time.monotonic() + timeout
        while len(out) < expect and time.monotonic() < deadline:
            batch = await c.getmany(timeout_ms=500)
            for recs in batch.values():
                out.extend(recs)
        return out
    finally:
        await c.stop()


async def committed(bootstrap: str, group: str, topic: str, partitions: int) -> dict[int, int]:
    c = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await c.start()
    try:
        out = {}
        for p in range(partitions):
            off = await c.committed(TopicPartition(topic, p))
            out[p] = off if off is not None else 0
        return out
    finally:
        await c.stop()


def dlq_headers(rec: Any) -> dict[str, bytes]:
    return dict(rec.headers)


def children(pid: int) -> list[int]:
    """Every child of ``pid``, whichever of its threads started it."""
    return child_pids(pid)


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has exited; only its parent's wait() is missing)."""
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


def enrichment_processes(pid: int) -> list[int]:
    """The worker's running enrichment processes (its forkserver's children)."""
    return process_ids(pid)


async def until(cond: Callable[[], bool], timeout: float, what: str | None = None) -> bool:
    """Poll ``cond`` until it holds or ``timeout`` passes; with ``what``, a timeout fails the
    test with that message, otherwise the caller's next assertion decides."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() >= deadline:
            assert what is None, what
            return False
        await asyncio.sleep(0.05)
    return True


async def wait_committed(bootstrap: str, topics: Topics, n: int, timeout: float = 180) -> int:
    deadline = time.monotonic() + timeout
    total = 0
    while time.monotonic() < deadline:
        total = sum((await committed(bootstrap, topics.group, topics.raw,
                                     topics.partitions)).values())
        if total >= n:
            return total
        await asyncio.sleep(0.5)
    return total


async def produce_articles(producer: AIOKafkaProducer, topic: str, n: int) -> None:
    """``n`` short Italian articles with ids a0..a<n-1> (and those ids as keys)."""
    futures = [await producer.send(topic, orjson.dumps(
        {"id": f"a{i}", "lang": "it", "body": f"Il governo di Roma e Parigi, numero {i}."}),
        key=f"a{i}".encode()) for i in range(n)]
    await asyncio.gather(*futures)
