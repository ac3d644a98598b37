"""Creating the worker's topics (idempotent: existing topics are left as they are)."""

from __future__ import annotations

import contextlib
import logging

from aiokafka.admin import NewTopic
from aiokafka.errors import (
    KafkaConnectionError,
    KafkaError,
    KafkaTimeoutError,
    NodeNotReadyError,
    TopicAlreadyExistsError,
)

from . import connections
from .config import Settings
from .sizes import KAFKA_DEFAULT_MESSAGE_BYTES

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


UNKNOWN_TOPIC = 3  # UNKNOWN_TOPIC_OR_PARTITION, for a resource of DescribeConfigs


async def max_message_bytes(s: Settings, topics: list[str]) -> dict[str, int | None]:
    """Each topic's ``max.message.bytes``; None for a topic that does not exist; Kafka's
    default where it cannot be read (e.g. no DescribeConfigs permission: then the broker's own
    refusal is still handled on ack). A broker that cannot be reached raises: the caller
    decides whether to wait (start-up, the periodic refresh) or stop (refused credentials)."""
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

    out: dict[str, int | None] = dict.fromkeys(topics, KAFKA_DEFAULT_MESSAGE_BYTES)
    admin = connections.admin(s)
    try:
        await admin.start()
        answers = await admin.describe_configs([
            ConfigResource(ConfigResourceType.TOPIC, t, {"max.message.bytes": None})
            for t in topics])
    except (KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError, OSError,
            TimeoutError):
        await admin.close()
        raise
    except KafkaError as exc:  # reachable, but the answer is refused (no permission)
        await admin.close()
        log.warning("cannot read max.message.bytes of %s (%r); assuming Kafka's default %d",
                    topics, exc, KAFKA_DEFAULT_MESSAGE_BYTES)
        return out
    try:
        for answer in answers:
            for res in answer.to_object()["resources"]:
                if res["error_code"] == UNKNOWN_TOPIC:
                    out[res["resource_name"]] = None
                    continue
                for entry in res["config_entries"]:
                    if entry["config_names"] == "max.message.bytes" and entry["config_value"]:
                        out[res["resource_name"]] = int(entry["config_value"])
    except (KeyError, ValueError) as exc:
        log.warning("cannot read max.message.bytes of %s (%r); assuming Kafka's default %d",
                    topics, exc, KAFKA_DEFAULT_MESSAGE_BYTES)
    finally:
        await admin.close()
    return out
