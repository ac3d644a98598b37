"""Kafka clients built from settings: the one place that knows aiokafka's constructor knobs."""

from __future__ import annotations

import logging
import ssl
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaConnectionError, KafkaError
from aiokafka.helpers import create_ssl_context

from .config import Settings


def _common(s: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {
        "bootstrap_servers": s.bootstrap_servers.split(","),
        "security_protocol": s.security_protocol,
    }
    if s.security_protocol in ("SSL", "SASL_SSL"):
        out["ssl_context"] = create_ssl_context(
            cafile=s.ssl_cafile or None, certfile=s.ssl_certfile or None,
            keyfile=s.ssl_keyfile or None, password=s.ssl_key_password or None)
    if s.sasl_mechanism:
        out |= {"sasl_mechanism": s.sasl_mechanism, "sasl_plain_username": s.sasl_username,
                "sasl_plain_password": s.sasl_password}
    return out


def consumer(s: Settings) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        **_common(s),
        group_id=s.group_id,
        client_id=f"{s.client_id}-consumer",
        enable_auto_commit=False,  # commits follow broker acks of the outputs, never a timer
        auto_offset_reset=s.auto_offset_reset,
        isolation_level="read_committed",  # never enrich records of aborted upstream txns
        max_poll_records=max(s.batch_size * 4, 100),
    )


# How long the broker keeps a transaction open before aborting it (and fencing its producer):
# a broker outage shorter than this is ridden out with the transaction kept (aiokafka's
# default, 60 s, fenced the worker after a one-minute outage). A member that dies with a
# transaction open holds read_committed readers back only until the partition's next owner
# starts its producer with the same id, which aborts it at once. Within the broker's
# transaction.max.timeout.ms (15 min by default).
TRANSACTION_TIMEOUT_MS = 5 * 60 * 1000
# Bytes of records per partition in one produce batch. aiokafka's default (16 KB) holds two
# enriched articles (~8 KB each); with idempotence a partition has one request in flight, so a
# batch of 16 outputs went out as a chain of small requests, each compressed on its own and
# each a round trip: 256 KB takes a whole enrichment batch's share of a partition at once.
PRODUCER_BATCH_BYTES = 256 * 1024
BATCH_ROOM = 512  # batch framing the broker counts against max.message.bytes


def producer(s: Settings, transactional_id: str | None = None,
             topic_bytes: int | None = None) -> AIOKafkaProducer:
    """The shared at-least-once producer, or (with an id) one partition's transactional one.
    ``topic_bytes``: the stricter ``max.message.bytes`` of the topics it writes; batches stay
    under it, so small records are never refused for the company they were batched with
    (the Java producer splits such a batch; aiokafka cannot)."""
    extra: dict[str, Any] = {}
    if transactional_id is not None:
        extra["transactional_id"] = transactional_id
        extra["transaction_timeout_ms"] = TRANSACTION_TIMEOUT_MS
    extra["max_batch_size"] = PRODUCER_BATCH_BYTES if topic_bytes is None else min(
        PRODUCER_BATCH_BYTES, max(1024, topic_bytes - BATCH_ROOM))
    return AIOKafkaProducer(
        **_common(s),
        client_id=f"{s.client_id}-producer",
        acks="all",
        enable_idempotence=True,  # broker-side dedup of retries; keeps per-partition order
        linger_ms=5,
        compression_type=None if s.compression == "none" else s.compression,
        max_request_size=s.max_request_bytes,
        **extra,
    )


def admin(s: Settings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**_common(s), client_id=f"{s.client_id}-admin")


class ConnectFailures(logging.Handler):
    """Remembers aiokafka's last "Unable connect" reason. aiokafka raises only "Unable to
    bootstrap from [...]" and logs the cause (a TLS handshake refused, SASL authentication
    failed), so the CLI's one-line error can say what actually went wrong, and the start-up
    can tell a broker that is down (wait for it) from one that refuses us (stop)."""

    last: str | None = None
    error: BaseException | None = None

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Unable connect to"):
            ConnectFailures.last = message
            args = record.args if isinstance(record.args, tuple) else ()
            ConnectFailures.error = next(
                (a for a in reversed(args) if isinstance(a, BaseException)), None)


def refused(error: BaseException | None) -> bool:
    """Whether a connection failure is the broker refusing us (TLS, SASL, protocol), which
    waiting does not mend, rather than the broker being down or unreachable, which it does."""
    if error is None:
        return False
    if isinstance(error, ssl.SSLError):
        return True
    if isinstance(error, KafkaConnectionError):
        return False
    return isinstance(error, KafkaError)  # SaslAuthenticationFailed, UnsupportedSaslMechanism


def watch_connect_failures() -> None:
    logger = logging.getLogger("aiokafka")
    if not any(isinstance(h, ConnectFailures) for h in logger.handlers):
        logger.addHandler(ConnectFailures())
