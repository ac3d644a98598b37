"""The peers the worker is compared with, each doing the same enrichment (the pool's
``Transform``, built exactly as an enrichment process builds it), run as separate processes
by ``bench/peers.py`` so each is measured like one container of its kind:

- ``naive``: the loop most people write first with aiokafka: getone -> enrich one record ->
  send_and_wait -> commit;
- ``quix``: a Quix Streams application (``sdf.apply`` with the same Transform per message,
  ``commit_interval=1``); Quix Streams is a dev/bench dependency only;
- ``ceiling``: the Transform in one process, batches of 16, no Kafka: docs/s over the
  steady-state window;
- ``memory``: the Transform in one process over --docs articles, printing the RSS after 1k,
  5k, 10k and 20k (what one enrichment process holds over a long run).

    python -m bench.peer_apps naive|quix BOOTSTRAP INPUT OUTPUT GROUP
    python -m bench.peer_apps ceiling|memory [--docs N]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from worker.config import Settings
from worker.pool import PoolConfig, build_transform
from worker.transform import Transform


def transform() -> Transform:
    """Built as an enrichment process builds it, with the worker's ENRICH_NER and
    ENRICH_MODELS, so the ceiling is that of the worker it is compared with."""
    s = Settings.load(need_kafka=False)
    return build_transform(PoolConfig(processes=1, models=s.models, ner=s.ner_mode))[0]


def enrich_one(tr: Transform, value: bytes) -> bytes:
    out = tr.run([value])[0]
    if out.value is None:
        raise RuntimeError(f"not enriched: {out.reason}: {out.message}")
    return out.value


async def naive(bootstrap: str, source: str, target: str, group: str) -> None:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    tr = transform()
    consumer = AIOKafkaConsumer(source, bootstrap_servers=bootstrap, group_id=group,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await consumer.start()
    await producer.start()
    try:
        while True:
            msg = await consumer.getone()
            await producer.send_and_wait(target, enrich_one(tr, msg.value or b""), key=msg.key,
                                         headers=list(msg.headers))
            await consumer.commit()
    finally:
        await producer.stop()
        await consumer.stop()


def quix(bootstrap: str, source: str, target: str, group: str) -> None:
    from quixstreams import Application

    tr = transform()
    app = Application(broker_address=bootstrap, consumer_group=group,
                      auto_offset_reset="earliest", commit_interval=1, loglevel="WARNING")
    sdf = app.dataframe(app.topic(source, value_deserializer="bytes"))
    sdf = sdf.apply(lambda value: enrich_one(tr, value))
    sdf.to_topic(app.topic(target, value_serializer="bytes"))
    app.run()


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def memory(docs: int) -> None:
    import orjson

    from bench.eos_throughput import articles

    _, arts = articles()
    tr = transform()
    print(f"loaded {rss_mb():.0f}", flush=True)
    marks = {1000, 5000, 10000, 20000, docs}
    done, t0 = 0, time.monotonic()
    while done < docs:
        batch = [orjson.dumps({**arts[(done + i) % len(arts)], "id": f"m-{done + i}"})
                 for i in range(min(16, docs - done))]
        tr.run(batch)
        before, done = done, done + len(batch)
        for m in sorted(marks):
            if before < m <= done:
                print(f"{m} {rss_mb():.0f} {time.monotonic() - t0:.0f}", flush=True)


def ceiling(n: int) -> None:
    import orjson

    from bench.eos_throughput import articles, steady_rate

    _, docs = articles()
    tr = transform()
    values = [orjson.dumps({**docs[i % len(docs)], "id": f"c-{i}"}) for i in range(n)]
    tr.run(values[:16])  # warm
    arrivals: list[float] = []
    for i in range(0, n, 16):
        tr.run(values[i:i + 16])
        arrivals += [time.monotonic()] * len(values[i:i + 16])
    print(f"{steady_rate(arrivals):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("app", choices=("naive", "quix", "ceiling", "memory"))
    ap.add_argument("args", nargs="*")
    ap.add_argument("--docs", type=int, default=20000)
    a = ap.parse_args()
    if a.app == "memory":
        memory(a.docs)
    elif a.app == "ceiling":
        ceiling(a.docs)
    elif a.app == "naive":
        asyncio.run(naive(*a.args))
    else:
        quix(*a.args)


if __name__ == "__main__":
    main()
