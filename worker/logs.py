"""Structured logs: one JSON object per line on stderr, ready for any log shipper."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

_STD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        out.update({k: v for k, v in record.__dict__.items() if k not in _STD})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(out, default=str).decode()


# aiokafka reports these at error/warning level although they are the normal course of a group
# forming on a fresh broker or moving between coordinators, and it retries them itself. An
# operator's first run should not open with errors; at DEBUG they are still there.
TRANSIENT = (
    "CoordinatorNotAvailable",  # GroupCoordinatorNotAvailableError, CoordinatorNotAvailable
    "NotCoordinator",
    "CoordinatorLoadInProgress",
    "Marking the coordinator dead",
    "because it is rebalancing",
    "NotLeaderForPartition",  # a fresh topic's leader is still being elected; retried
)


class Transients(logging.Filter):
    """Demotes aiokafka's expected, self-retried transients to DEBUG."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("aiokafka") and record.levelno >= logging.WARNING:
            message = record.getMessage()
            if any(t in message for t in TRANSIENT):
                record.levelno, record.levelname = logging.DEBUG, "DEBUG"
                return self.level <= logging.DEBUG
        return True


def setup(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(Transients(logging.getLevelName(level)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiokafka is chatty at INFO about routine group events.
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, root.level))
