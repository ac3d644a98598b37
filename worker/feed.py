"""``python -m worker.feed``: put JSON-lines articles on a topic (compose's sample producer,
and a handy way to replay a file). Each line is sent as it is; the key is the article id."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import orjson
from aiokafka import AIOKafkaProducer


async def feed(bootstrap: str, topic: str, lines: list[bytes]) -> int:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap.split(","), acks="all",
                                enable_idempotence=True)
    await producer.start()
    sent = 0
    try:
        for line in lines:
            value = line.strip()
            if not value:
                continue
            try:
                key = str(orjson.loads(value).get("id", "")).encode() or None
            except (orjson.JSONDecodeError, AttributeError):
                key = None  # sent anyway: the worker dead-letters it with the reason
            await producer.send_and_wait(topic, value, key=key)
            sent += 1
    finally:
        await producer.stop()
    return sent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bootstrap-servers", required=True)
    ap.add_argument("--topic", default="articles.raw")
    ap.add_argument("file")
    args = ap.parse_args()
    try:
        lines = Path(args.file).read_bytes().splitlines()
        n = asyncio.run(feed(args.bootstrap_servers, args.topic, lines))
    except OSError as exc:
        print(f"feed: {exc}", file=sys.stderr)
        return 1
    print(f"feed: sent {n} records to {args.topic}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
