"""Bytes -> validated article, and enriched article -> bytes.

Every way an input can be bad maps to one ``reason`` (a short, stable string used in DLQ
headers and metric labels) and a readable message, so an operator can tell from the DLQ alone
what to fix upstream.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import fastjsonschema
import orjson

from . import schemas

# Every DLQ reason (the ``dlq.reason`` header and the metric label): a stable contract.
REASONS = (
    "invalid_utf8",
    "invalid_json",
    "not_an_object",
    "schema_violation",
    "body_too_large",
    "invalid_header",
    "enrichment_failed",
    "enrichment_timeout",
    "encode_failed",
    "output_too_large",
)


class BadInput(Exception):  # noqa: N818 - it is the input that is bad, not an error of ours
    """The record cannot be enriched; it goes to the DLQ with ``reason`` and the message."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(slots=True)
class Codec:
    max_body_bytes: int = 1_000_000
    _validate: Callable[[Any], Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._validate = fastjsonschema.compile(schemas.load(schemas.RAW))

    def decode(self, value: bytes | None) -> dict[str, Any]:
        if value is None:
            raise BadInput("not_an_object", "record has no value (tombstone)")
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput("invalid_utf8", f"value is not UTF-8: {exc}") from None
        try:
            obj = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise BadInput("invalid_json", f"value is not JSON: {exc}") from None
        if not isinstance(obj, dict):
            raise BadInput("not_an_object", f"value is a JSON {type(obj).__name__}, not an object")
        try:
            self._validate(obj)
        except fastjsonschema.JsonSchemaValueException as exc:
            raise BadInput("schema_violation", _schema_message(exc)) from None
        size = len(obj["body"].encode("utf-8"))
        if size > self.max_body_bytes:
            raise BadInput("body_too_large",
                           f"body is {size} bytes; the limit is {self.max_body_bytes}")
        return obj

    @staticmethod
    def encode(raw: bytes | None, article: dict[str, Any], enrichment: Any) -> bytes:
        """The input object unchanged plus ``enrichment``.

        The enrichment is spliced into the input's own bytes before its closing brace rather
        than re-serialising the parsed article: parsing is lossy (integers beyond 64 bits
        come back as floats) and orjson refuses to write what it can read (arrays nested
        255+ deep), so a round trip would change or reject the input the contract promises
        to keep. Only an input that already has an ``enrichment`` key is re-serialised, so the
        old one is replaced instead of duplicated; that path can raise ``BadInput``
        (``encode_failed``)."""
        added = orjson.dumps(enrichment)
        if raw is not None and "enrichment" not in article:
            head = raw.rstrip(b" \t\r\n")
            if head.endswith(b"}"):
                return b"".join((head[:-1], b',"enrichment":', added, b"}"))
        try:
            return orjson.dumps({**article, "enrichment": enrichment})
        except orjson.JSONEncodeError as exc:
            raise BadInput("encode_failed", f"the article cannot be re-encoded with its "
                           f"enrichment: {exc}") from None


def _schema_message(exc: Any) -> str:
    # fastjsonschema says "data.lang must match pattern ..."; "article" reads better in a DLQ.
    msg = str(exc.message).replace("data.", "article.", 1)
    return msg.replace("data ", "article ", 1)
