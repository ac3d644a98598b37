"""The data path on a real broker: enriched output, DLQ for every kind of bad input, probes."""

from __future__ import annotations

from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from .conftest import Worker, read_all


async def test_seed_article_enriched_on_output_topic(
    bootstrap: str, topics: Any, producer: AIOKafkaProducer, workers: list[Worker],
    seed: dict[str, Any], enriched_validator: Any,
) -> None:
    w = Worker(bootstrap, topics).start()
    workers.append(w)
    await w.ready()
    assert w.get("/healthz")[0] == 200
    value = orjson.dumps({**seed, "extra_field": {"kept": True}})
    await producer.send_and_wait(topics.raw, value, key=None,
                                 headers=[("trace-id", b"abc123")])
    [rec] = await read_all(bootstrap, topics.enriched, 1)
    out = orjson.loads(rec.value)
    enriched_validator.validate(out)
    assert rec.key == seed["id"].encode()  # no input key: the id is the key
    assert ("trace-id", b"abc123") in list(rec.headers)
    assert {k: v for k, v in out.items() if k != "enrichment"} == {
        **seed, "extra_field": {"kept": True}}
    e = out["enrichment"]
    assert e["language"]["code"] == "it"
    codes = {c["code"]: c for c in e["countries"]}
    assert {"KP", "RU", "US", "UA"} <= set(codes)
    assert codes["KP"]["primary"] and codes["RU"]["primary"]
    assert not codes["US"]["primary"] and not codes["UA"]["primary"]
    # the metrics saw it too
    assert w.metric("enrich_records_produced_total") == 1
    assert w.metric("enrich_articles_by_language_total", language="it") == 1
    assert w.metric("enrich_country_tags_total", country="KP") == 1
    assert w.metric("enrich_model_info", language="en") == 1


async def test_every_kind_of_bad_input_goes_to_dlq_and_the_worker_keeps_going(
    bootstrap: str, topics: Any, producer: AIOKafkaProducer, workers: list[Worker],
) -> None:
    # (enrichment_failed: tests/unit/test_limits.py; the pool's faults: test_faults.py)
    w = Worker(bootstrap, topics, {"ENRICH_MAX_BODY_BYTES": "1500000"}).start()
    workers.append(w)
    await w.ready()
    bad: dict[str, bytes] = {
        "invalid_utf8": b'{"id": "x", "body": "caf\xe9"}',
        "invalid_json": b'{"id": "x", "body": ',
        "not_an_object": b'["id", "body"]',
        "schema_violation": b'{"id": 42, "body": "numbers are not ids"}',
        "body_too_large": orjson.dumps({"id": "big", "body": "x" * 1_600_000}),
    }
    for reason, value in bad.items():
        await producer.send_and_wait(topics.raw, value, key=reason.encode(),
                                     headers=[("origin", b"test")])
    good = orjson.dumps({"id": "after-the-bad-ones", "body": "Una giornata tranquilla a Roma."})
    await producer.send_and_wait(topics.raw, good, key=b"good")
    dlq = await read_all(bootstrap, topics.dlq, len(bad))
    by_key = {r.key.decode(): r for r in dlq}
    assert set(by_key) == set(bad)
    for reason, rec in by_key.items():
        h = {k: v.decode() for k, v in rec.headers}
        assert rec.value == bad[reason], "the DLQ keeps the original bytes untouched"
        assert h["dlq.reason"] == reason
        assert h["dlq.error.message"]
        assert h["dlq.source.topic"] == topics.raw
        assert int(h["dlq.source.offset"]) >= 0
        assert h["dlq.worker.version"]
        assert h["origin"] == "test"
    [ok] = await read_all(bootstrap, topics.enriched, 1)
    assert orjson.loads(ok.value)["id"] == "after-the-bad-ones"
    assert w.proc is not None and w.proc.poll() is None, "the worker is still running"
    assert w.metric("enrich_dlq_records_total") == len(bad)
    assert w.metric("enrich_dlq_records_total", reason="schema_violation") == 1
