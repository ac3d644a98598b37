"""Logs: JSON lines, and aiokafka's expected transients kept out of error level."""

from __future__ import annotations

import logging

from worker.logs import RateLimit, Throttle, Transients


def record(name: str, level: int, msg: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, (), None)


def test_coordinator_transients_become_debug() -> None:
    f = Transients(logging.INFO)
    r = record("aiokafka.consumer.group_coordinator", logging.ERROR,
               "Group Coordinator Request failed: [Error 15] CoordinatorNotAvailableError")
    assert f.filter(r) is False and r.levelname == "DEBUG"
    dead = record("aiokafka.consumer.group_coordinator", logging.WARNING,
                  "Marking the coordinator dead (node 1)for group g.")
    assert Transients(logging.DEBUG).filter(dead) is True and dead.levelno == logging.DEBUG


def test_real_failures_keep_their_level() -> None:
    f = Transients(logging.INFO)
    auth = record("aiokafka.conn", logging.ERROR, "SASL authentication failed")
    assert f.filter(auth) is True and auth.levelno == logging.ERROR
    ours = record("worker.app", logging.ERROR, "CoordinatorNotAvailable in our own words")
    assert f.filter(ours) is True and ours.levelno == logging.ERROR


def test_aiokafka_lines_pass_once_per_interval_with_the_count_held_back() -> None:
    now = [0.0]
    f = RateLimit(interval=10, clock=lambda: now[0])

    def line(msg: str = "Topic %s not found in cluster metadata") -> logging.LogRecord:
        return logging.LogRecord("aiokafka.cluster", logging.ERROR, __file__, 1, msg,
                                 ("out",), None)

    first = line()
    assert f.filter(first) and not hasattr(first, "suppressed")
    assert [f.filter(line()) for _ in range(1000)] == [False] * 1000
    assert f.filter(line("Unable connect to node with id %s: %s")), "another condition"
    now[0] = 10.5
    later = line()
    assert f.filter(later) and later.suppressed == 1000
    ours = record("worker.app", logging.ERROR, "topic out does not exist")
    assert all(f.filter(ours) for _ in range(3)), "the worker's own lines throttle themselves"


def test_throttle_counts_what_it_held_back() -> None:
    now = [0.0]
    t = Throttle(interval=10, clock=lambda: now[0])
    assert t.allow("k") == 0
    assert t.allow("k") is None and t.allow("k") is None
    assert t.allow("other") == 0
    now[0] = 11
    assert t.allow("k") == 2
