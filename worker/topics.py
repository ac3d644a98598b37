"""Creating the worker's topics (idempotent: existing topics are left as they are)."""

from __future__ import annotations

import contextlib
import logging

from aiokafka.admin import NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from . import connections
from .config import Settings

log = logging.getLogger(__name__)


async def create_topics(s: Settings, partitions: int = 3, replication_factor: int = 1) -> None:
    admin = connections.admin(s)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [t for t in (s.input_topic, s.output_topic, s.dlq_topic) if t not in existing]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):  # another member was faster
                await admin.create_topics([
                    NewTopic(t, num_partitions=partitions, replication_factor=replication_factor)
                    for t in wanted])
        log.info("topics ready", extra={"topics_created": wanted})
    finally:
        await admin.close()


async def partitions(s: Settings, topic: str) -> list[int]:
    """Partition numbers of ``topic`` (a consumer without a subscription does not know them)."""
    admin = connections.admin(s)
    await admin.start()
    try:
        [meta] = await admin.describe_topics([topic])
        if meta["error_code"]:
            raise RuntimeError(f"topic {topic}: error code {meta['error_code']}")
        return sorted(int(p["partition"]) for p in meta["partitions"])
    finally:
        await admin.close()
