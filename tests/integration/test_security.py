"""The pipeline over TLS (mutual), SASL_SSL PLAIN and SASL_SSL SCRAM, against the local broker's
secure listeners; a wrong password fails fast with one clear line."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from ..conftest import ROOT
from .conftest import Broker, Worker, make_topics, read_all

SASL = {"ENRICH_SASL_USERNAME": "enrich", "ENRICH_SASL_PASSWORD": "enrich-secret"}


def secure_env(broker: Broker, kind: str) -> dict[str, str]:
    if not broker.secure:
        pytest.skip("an external broker (ENRICH_TEST_BOOTSTRAP) has no known TLS listeners")
    tls = broker.secure["tls"]
    if kind == "mtls":
        return {"ENRICH_BOOTSTRAP_SERVERS": broker.secure["ssl"],
                "ENRICH_SECURITY_PROTOCOL": "SSL", "ENRICH_SSL_CAFILE": f"{tls}/ca.pem",
                "ENRICH_SSL_CERTFILE": f"{tls}/client.pem",
                "ENRICH_SSL_KEYFILE": f"{tls}/client.key"}
    return {"ENRICH_BOOTSTRAP_SERVERS": broker.secure["sasl_ssl"],
            "ENRICH_SECURITY_PROTOCOL": "SASL_SSL", "ENRICH_SSL_CAFILE": f"{tls}/ca.pem",
            "ENRICH_SASL_MECHANISM": kind, **SASL}


@pytest.mark.parametrize("kind", ["mtls", "PLAIN", "SCRAM-SHA-512"])
async def test_the_pipeline_runs_over_a_secured_listener(
    kind: str, broker: Broker, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    env = secure_env(broker, kind)
    topics = await make_topics(broker.bootstrap, partitions=1)
    for i in range(5):
        await producer.send_and_wait(topics.raw, orjson.dumps(
            {"id": f"s{i}", "body": "Talks in Paris and Berlin."}))
    await producer.send_and_wait(topics.raw, b"not json")
    w = Worker(broker.bootstrap, topics, env).start()  # env overrides the plain address
    workers.append(w)
    await w.ready()
    outputs = await read_all(broker.bootstrap, topics.enriched, 5, timeout=60)
    dlq = await read_all(broker.bootstrap, topics.dlq, 1, timeout=30)
    assert sorted(orjson.loads(r.value)["id"] for r in outputs) == [f"s{i}" for i in range(5)]
    assert len(dlq) == 1
    assert "enrich-secret" not in w.logs(), "the password never reaches the logs"


def test_a_wrong_password_fails_fast_with_one_clear_line(broker: Broker) -> None:
    env: dict[str, Any] = {**secure_env(broker, "SCRAM-SHA-512"),
                           "ENRICH_SASL_PASSWORD": "not-the-password", "PATH": "/usr/bin:/bin",
                           "ENRICH_METRICS_PORT": "0"}
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "worker.cli", "run"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=False)
    took = time.monotonic() - started
    assert out.returncode == 1
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("enrich-worker: cannot work with Kafka"), out.stderr[-3000:]
    assert "Authentication failed" in last and "SCRAM-SHA-512" in last, last
    assert took < 30, f"took {took:.1f} s"
    assert "not-the-password" not in out.stderr
