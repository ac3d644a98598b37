"""Input decoding reasons, and configuration errors that read as one line."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import orjson
import pytest

from worker.codec import BadInput, Codec
from worker.config import ConfigError, Settings

from ..conftest import ROOT


@pytest.mark.parametrize(("value", "reason", "words"), [
    (b"\xff\xfe{}", "invalid_utf8", "not UTF-8"),
    (b'{"id": "a", "body": ', "invalid_json", "not JSON"),
    (b"42", "not_an_object", "JSON int"),
    (None, "not_an_object", "tombstone"),
    (b'{"body": "x"}', "schema_violation", "id"),
    (b'{"id": "a"}', "schema_violation", "body"),
    (b'{"id": "a", "body": 3}', "schema_violation", "article.body must be string"),
    (b'{"id": "a", "body": "x", "lang": "italian"}', "schema_violation", "article.lang"),
    (b'{"id": "a", "body": "x", "published_at": "tuesday"}', "schema_violation", "date-time"),
    (b'{"id": "a", "body": "x", "authors": "me"}', "schema_violation", "authors"),
    (orjson.dumps({"id": "a", "body": "é" * 60}), "body_too_large", "120 bytes"),
])
def test_each_bad_input_has_a_reason(value: bytes | None, reason: str, words: str) -> None:
    with pytest.raises(BadInput) as err:
        Codec(max_body_bytes=100).decode(value)
    assert err.value.reason == reason
    assert words in err.value.message


def test_unknown_fields_survive_the_round_trip() -> None:
    c = Codec()
    raw = b'{"id": "a", "body": "x", "x-custom": {"n": [1, 2]}, "title": null}\n'
    out = orjson.loads(c.encode(raw, c.decode(raw), {"k": 1}))
    assert out == {"id": "a", "body": "x", "x-custom": {"n": [1, 2]}, "title": None,
                   "enrichment": {"k": 1}}


def test_the_input_bytes_are_kept_as_they_are() -> None:
    """Integers beyond 64 bits and nesting orjson cannot write come out unchanged."""
    deep = b"[" * 300 + b"]" * 300
    raw = (b'{"id":"a","body":"x","big":123456789012345678901234567890,"deep":' + deep
           + b"}")
    c = Codec()
    out = c.encode(raw, c.decode(raw), {"k": 1})
    assert out == raw[:-1] + b',"enrichment":{"k":1}}'
    assert b"123456789012345678901234567890," in out


def test_an_existing_enrichment_is_replaced_not_duplicated() -> None:
    c = Codec()
    raw = b'{"id":"a","body":"x","enrichment":{"old":true}}'
    assert orjson.loads(c.encode(raw, c.decode(raw), {"k": 1}))["enrichment"] == {"k": 1}
    deep = b'{"id":"a","body":"x","enrichment":1,"z":' + b"[" * 300 + b"]" * 300 + b"}"
    with pytest.raises(BadInput) as err:
        c.encode(deep, c.decode(deep), {"k": 1})
    assert err.value.reason == "encode_failed"


def test_settings_from_env_and_flags() -> None:
    s = Settings.load(env={"ENRICH_BOOTSTRAP_SERVERS": "k1:9092,k2:9092",
                           "ENRICH_METRICS_PORT": "9999", "ENRICH_INPUT_TOPIC": "in"},
                      flags={"metrics_port": "8000"})
    assert s.metrics_port == 8000  # the flag wins
    assert s.input_topic == "in"
    assert s.output_topic == "articles.enriched"
    assert s.dlq_topic == "articles.dlq"


@pytest.mark.parametrize(("env", "words"), [
    ({}, "ENRICH_BOOTSTRAP_SERVERS"),
    ({"ENRICH_BOOTSTRAP_SERVERS": "nohost"}, "not host:port"),
    ({"ENRICH_BOOTSTRAP_SERVERS": "k:1", "ENRICH_METRICS_PORT": "x"}, "expected int"),
    ({"ENRICH_BOOTSTRAP_SERVERS": "k:1", "ENRICH_METRICS_PORT": "70000"}, "<= 65535"),
    ({"ENRICH_BOOTSTRAP_SERVERS": "k:1", "ENRICH_PROCESSING_GUARANTEE": "maybe"},
     "at_least_once, exactly_once"),
    ({"ENRICH_BOOTSTRAP_SERVERS": "k:1", "ENRICH_COMPRESSION": "brotli"},
     "ENRICH_COMPRESSION='brotli': must be one of gzip, zstd, lz4, snappy, none"),
    ({"ENRICH_BOOTSTRAP_SERVERS": "k:1", "ENRICH_OUTPUT_TOPIC": "articles.raw"},
     "three different topics"),
])
def test_bad_settings_are_named(env: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        Settings.load(env=env)


def test_cli_config_error_is_one_line_and_exit_2() -> None:
    env = {"PATH": "/usr/bin:/bin", "ENRICH_BOOTSTRAP_SERVERS": "k:1", "ENRICH_WORKERS": "-1"}
    out = subprocess.run([sys.executable, "-m", "worker.cli", "run"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "ENRICH_WORKERS='-1': must be >= 0" in out.stderr


def test_refused_connections_are_told_from_a_broker_that_is_down() -> None:
    import ssl

    from aiokafka.errors import KafkaConnectionError, SaslAuthenticationFailed

    from worker.connections import refused

    assert refused(SaslAuthenticationFailed("Authentication failed"))
    assert refused(ssl.SSLError("certificate verify failed"))
    assert not refused(ConnectionRefusedError(111, "Connect call failed"))
    assert not refused(KafkaConnectionError("Connection at 127.0.0.1:9092 closed"))
    assert not refused(TimeoutError())
    assert not refused(None)


def test_every_compression_setting_makes_a_producer_aiokafka_accepts() -> None:
    # aiokafka checks the codec's library when the producer is made: a value offered here
    # whose library is missing would fail at start-up, not in a batch.
    from worker import connections

    async def make(value: str) -> None:
        s = Settings.load(env={"ENRICH_BOOTSTRAP_SERVERS": "k:1", "ENRICH_COMPRESSION": value})
        await connections.producer(s).stop()  # never started: nothing to reach

    for value in ("zstd", "lz4", "snappy", "gzip", "none"):
        asyncio.run(make(value))
