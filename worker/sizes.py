"""Will a record fit through the producer and the broker?

Two limits apply and they measure different things: the producer refuses a record over
``max_request_size`` *before* compression (aiokafka raises from ``send()`` itself), and the
broker refuses a batch over the topic's ``max.message.bytes`` *after* compression. Checking
both before sending turns a refusal into a decision the worker makes (shrink, or dead-letter
with a reason) instead of an exception in the middle of a batch or a transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiokafka import codec as kafka_codec

# Record and batch framing (lengths, varints, batch header), with room to spare.
RECORD_OVERHEAD = 1024
# Kafka's default max.message.bytes (topic) / message.max.bytes (broker).
KAFKA_DEFAULT_MESSAGE_BYTES = 1_048_588
DEFAULT_REQUEST_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SizeLimit:
    request_bytes: int = DEFAULT_REQUEST_BYTES
    topic_bytes: int = KAFKA_DEFAULT_MESSAGE_BYTES
    # The producer's codec (ENRICH_COMPRESSION): the broker counts compressed bytes.
    compression: str = "gzip"

    def fits(self, value: bytes | None, extra: int = 0) -> bool:
        """``extra``: key and header bytes that travel with the value."""
        size = (len(value) if value is not None else 0) + extra + RECORD_OVERHEAD
        if size > self.request_bytes:
            return False
        if size <= self.topic_bytes:
            return True
        encode = ENCODERS.get(self.compression)
        if encode is None or value is None:
            return False
        # The producer's own encoder, so the estimate is what it will send (a batch holding
        # this record alone; company in the batch only adds its own bytes).
        return len(encode(value)) + extra + RECORD_OVERHEAD <= self.topic_bytes

    def within_request(self, value: bytes | None, extra: int = 0) -> bool:
        """The producer's own cap, which does not change while the worker runs (the topic's
        may: an operator can lower or raise ``max.message.bytes`` at any time)."""
        return (len(value) if value is not None else 0) + extra + RECORD_OVERHEAD \
            <= self.request_bytes

    def describe(self) -> str:
        return (f"the producer's max.request.size is {self.request_bytes} bytes and the "
                f"topic's max.message.bytes {self.topic_bytes} bytes")


# What aiokafka's producer calls for each ENRICH_COMPRESSION value ("none": absent).
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": kafka_codec.gzip_encode, "zstd": kafka_codec.zstd_encode,
    "lz4": kafka_codec.lz4_encode, "snappy": kafka_codec.snappy_encode}


def headers_size(headers: Iterable[tuple[str, bytes | None]] | None) -> int:
    """Bytes of (key, value) headers as they travel (keys UTF-8)."""
    return sum(len(key.encode("utf-8", "surrogateescape")) + len(value or b"") + 8
               for key, value in headers or ())
