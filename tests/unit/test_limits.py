"""Per-record failures end as DLQ outcomes inside the transform, never as exceptions."""

from __future__ import annotations

import os

import orjson

from worker.sizes import ENCODERS, RECORD_OVERHEAD, SizeLimit
from worker.transform import Transform, cap_mentions


def test_size_limit_counts_compression_only_for_the_topic() -> None:
    text = b"Roma " * 100_000  # 500 kB that gzip squeezes to almost nothing
    noise = os.urandom(500_000)  # does not compress
    limit = SizeLimit(request_bytes=1_000_000, topic_bytes=100_000)
    assert limit.fits(text)
    assert not limit.fits(noise)
    assert not SizeLimit(request_bytes=400_000, topic_bytes=10_000_000).fits(text)
    assert not SizeLimit(400_000, 100_000, compression="none").fits(text)


def test_size_limit_estimates_with_the_producers_own_codec() -> None:
    # The codecs squeeze the same bytes very differently (zstd ~20x less than snappy here):
    # a limit right at one codec's size fits with it and not with one byte less.
    value = orjson.dumps([{"town": f"Roma {i}", "n": i} for i in range(5000)])
    sizes = {name: len(encode(value)) for name, encode in ENCODERS.items()}
    assert len(set(sizes.values())) == len(sizes)
    for name, size in sizes.items():
        at = size + RECORD_OVERHEAD
        assert SizeLimit(10_000_000, at, name).fits(value), name
        assert not SizeLimit(10_000_000, at - 1, name).fits(value), name


def test_a_huge_output_is_shrunk_by_capping_mentions() -> None:
    raw = orjson.dumps({"id": "roma", "lang": "it", "body": "Roma " * 20_000})
    t = Transform(limit=SizeLimit(request_bytes=300_000, topic_bytes=300_000))
    [out] = t.run([raw])
    assert out.ok, out.message
    assert out.value is not None and len(out.value) < 300_000
    ents = orjson.loads(out.value)["enrichment"]["entities"]
    roma = next(e for e in ents if e["text"] == "Roma")
    assert roma["count"] == 20_000 and roma["mentions_truncated"] is True
    assert 1 <= len(roma["mentions"]) <= 100


def test_an_output_that_cannot_fit_is_dead_lettered_with_the_reason() -> None:
    raw = orjson.dumps({"id": "big", "lang": "it", "body": "x" * 200_000})
    [out] = Transform(limit=SizeLimit(request_bytes=150_000, topic_bytes=150_000)).run([raw])
    assert not out.ok and out.reason == "output_too_large"
    assert "150000" in (out.message or "")


def test_an_article_orjson_cannot_write_goes_to_the_dlq_and_spares_its_batch() -> None:
    deep = b"[" * 300 + b"]" * 300
    bad = b'{"id":"d","body":"Roma","enrichment":0,"z":' + deep + b"}"
    good = orjson.dumps({"id": "g", "body": "Parigi e Roma."})
    outs = Transform().run([good, bad, good])
    assert [o.ok for o in outs] == [True, False, True]
    assert outs[1].reason == "encode_failed"


def test_cap_mentions_keeps_count_and_at_least_one_mention() -> None:
    e = {"entities": [{"text": "A", "count": 3, "mentions": [1, 2, 3]},
                      {"text": "B", "count": 1, "mentions": [4]}]}
    capped = cap_mentions(e, 1)
    assert capped["entities"][0] == {"text": "A", "count": 3, "mentions": [1],
                                     "mentions_truncated": True}
    assert capped["entities"][1] == {"text": "B", "count": 1, "mentions": [4]}
    assert e["entities"][0]["mentions"] == [1, 2, 3]  # the original is untouched


class FailsOn:
    """An enricher that raises on one article, like a bug triggered by odd input."""

    def __init__(self, bad_id: str) -> None:
        from worker.enrich import Enricher

        self.inner, self.bad_id, self.calls = Enricher(), bad_id, 0

    def enrich_many(self, articles: list[dict[str, object]]) -> list[object]:
        self.calls += 1
        if any(a["id"] == self.bad_id for a in articles):
            raise ValueError("boom")
        return self.inner.enrich_many(articles)  # type: ignore[arg-type]


def test_an_enrichment_error_is_retried_then_dead_lettered_alone() -> None:
    enricher = FailsOn("bad")
    t = Transform(enricher=enricher, retries=1)  # type: ignore[arg-type]
    outs = t.run([orjson.dumps({"id": i, "body": "Roma."}) for i in ("a", "bad", "c")])
    assert [o.ok for o in outs] == [True, False, True]
    assert outs[1].reason == "enrichment_failed" and outs[1].attempts == 2
    assert "boom" in (outs[1].message or "")
