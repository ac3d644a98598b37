"""Creating the worker's topics (idempotent: existing topics are left as they are)."""

from __future__ import annotations

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
            try:
                await admin.create_topics([
                    NewTopic(t, num_partitions=partitions, replication_factor=replication_factor)
                    for t in wanted])
            except TopicAlreadyExistsError:
                pass  # another member created it meanwhile
        log.info("topics ready", extra={"created": wanted})
    finally:
        await admin.close()
