"""Kafka clients built from settings: the one place that knows aiokafka's constructor knobs."""

from __future__ import annotations

import logging
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
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


def producer(s: Settings, transactional_id: str | None = None) -> AIOKafkaProducer:
    """The shared at-least-once producer, or (with an id) one partition's transactional one."""
    extra: dict[str, Any] = {}
    if transactional_id is not None:
        extra["transactional_id"] = transactional_id
    return AIOKafkaProducer(
        **_common(s),
        client_id=f"{s.client_id}-producer",
        acks="all",
        enable_idempotence=True,  # broker-side dedup of retries; keeps per-partition order
        linger_ms=5,
        compression_type="gzip",
        max_request_size=s.max_request_bytes,
        **extra,
    )


def admin(s: Settings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**_common(s), client_id=f"{s.client_id}-admin")


class ConnectFailures(logging.Handler):
    """Remembers aiokafka's last "Unable connect" reason. aiokafka raises only "Unable to
    bootstrap from [...]" and logs the cause (a TLS handshake refused, SASL authentication
    failed), so the CLI's one-line error can say what actually went wrong."""

    last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Unable connect to"):
            ConnectFailures.last = message


def watch_connect_failures() -> None:
    logger = logging.getLogger("aiokafka")
    if not any(isinstance(h, ConnectFailures) for h in logger.handlers):
        logger.addHandler(ConnectFailures())
