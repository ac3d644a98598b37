"""Logs: JSON lines, and aiokafka's expected transients kept out of error level."""

from __future__ import annotations

import logging

from worker.logs import Transients


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
