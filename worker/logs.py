"""Structured logs: one JSON object per line on stderr, ready for any log shipper."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Hashable
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


# One line per condition per interval: what an operator reads during an outage. aiokafka retries
# on its own and logs each try (a 90 s broker outage wrote 6,188 ERROR lines; a deleted output
# topic 1,490 a second), so its warnings and errors pass once per interval per message template,
# and the line that passes says how many were held back.
RATE_LIMIT_SECONDS = 10.0


class Throttle:
    """At most one pass per key per ``interval``; counts what it held back meanwhile. The
    worker's own condition lines ("output topic X cannot be written") use it directly."""

    def __init__(self, interval: float = RATE_LIMIT_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval, self.clock = interval, clock
        self._last: dict[Hashable, float] = {}
        self._held: dict[Hashable, int] = {}

    def allow(self, key: Hashable) -> int | None:
        """None: hold this one back. Otherwise how many were held back since the last pass."""
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            self._held[key] = self._held.get(key, 0) + 1
            return None
        self._last[key] = now
        return self._held.pop(key, 0)


class RateLimit(logging.Filter):
    """aiokafka's warnings and errors, once per message template per interval, with the count
    of those held back (``suppressed``)."""

    def __init__(self, interval: float = RATE_LIMIT_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.throttle = Throttle(interval, clock)

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("aiokafka") or record.levelno < logging.WARNING:
            return True
        held = self.throttle.allow((record.name, str(record.msg)))
        if held is None:
            return False
        if held:
            record.suppressed = held
        return True


def setup(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(Transients(logging.getLevelName(level)))
    handler.addFilter(RateLimit())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiokafka is chatty at INFO about routine group events.
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, root.level))
