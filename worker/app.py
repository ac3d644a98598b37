"""Assembles the worker: pool, Kafka clients, stream, HTTP server; owns start, stop, drain.

Start order makes readiness honest: the pool loads every model first (slow, and the group
should not hand us partitions we cannot yet process), then the producer, then the consumer
joins the group. Stop order is the reverse, after draining in-flight work.

A cluster that cannot be reached is waited for, at start-up as later (readiness says so): an
orchestrator restarting a worker that exits would only add its back-off to the outage. What
waiting does not mend stops the worker with one line: credentials or TLS refused at start-up,
and the fatal errors of the stream (authorisation, a fenced transaction). The topics'
``max.message.bytes`` and existence are read again periodically and after a refusal, since an
operator may change them under a running worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import logging
import signal
import sys
import time
from typing import Any

from aiokafka.errors import KafkaError

from . import __version__, connections
from .checkpoint import checkpoint_for
from .config import Settings
from .consume import Stream
from .http import HttpServer, Probes
from .logs import Throttle
from .metrics import Metrics
from .observe import Sensor
from .pool import EnrichPool, PoolConfig
from .produce import OutputHealth, Sink
from .sizes import KAFKA_DEFAULT_MESSAGE_BYTES, SizeLimit
from .topics import max_message_bytes

log = logging.getLogger(__name__)
BROKER_CHECK_SECONDS = 10.0
LIMITS_REFRESH_SECONDS = 30.0
LIMITS_RECHECK_SECONDS = 1.0
LIMITS_REFRESH_MISSING_SECONDS = 5.0  # while an output topic is missing
CLUSTER_RETRY_MAX_SECONDS = 5.0


def dump_tasks() -> None:
    """``kill -USR2 <pid>``: every asyncio task's stack on stderr. The threads' stacks
    (SIGUSR1) show only the event loop waiting; where a batch waits (on an ack, a send, the
    batch before it) is in its task."""
    for task in asyncio.all_tasks():
        print(f"task {task.get_name()}:", file=sys.stderr)
        coro: Any = task.get_coro()
        while coro is not None:  # down the chain of awaits, to what the task waits on now
            frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
            if frame is not None:
                print(f"  {frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}",
                      file=sys.stderr)
            coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)


class App:
    def __init__(self, settings: Settings, metrics: Metrics | None = None) -> None:
        self.s = settings
        self.metrics = metrics or Metrics()
        self.probes = Probes()
        self.pool: EnrichPool | None = None
        self.http = HttpServer(self.metrics, self.probes, settings.metrics_host,
                               settings.metrics_port)
        self.stream: Stream | None = None
        self._stop = asyncio.Event()
        self._broker_ok_at = 0.0
        self._models_loaded = False
        self.health = OutputHealth()
        self.sink = Sink(settings.output_topic, settings.dlq_topic,
                         recheck=self._recheck_limits)
        self._refresh = asyncio.Event()
        self._waiting = Throttle()
        self._cluster_delay = 0.5
        self._limits_read_at = 0.0

    def request_stop(self) -> None:
        if not self._stop.is_set():
            log.info("stop requested: draining in-flight work")
        self._stop.set()
        if self.stream is not None:
            self.stream.stop()

    async def run(self) -> int:
        """Run until stopped; 0 after a clean drain, 1 after a fatal error."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self.request_stop)
        # `kill -USR1 <pid>` prints every thread's stack on stderr: what an operator needs to
        # see where a worker that looks stuck is waiting, without stopping it.
        faulthandler.register(signal.SIGUSR1, all_threads=True)
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGUSR2, dump_tasks)
        port = await self.http.start()
        log.info("worker starting", extra={"version": __version__, "metrics_port": port,
                                           "settings": self.s.redacted()})
        self.probes.checks = {
            "models_loaded": lambda: self._models_loaded,
            "enrichment_processes": lambda: self.pool is not None and self.pool.ready(),
            "group_joined": lambda: self.stream is not None and self.stream.joined,
            "broker_reachable": lambda: time.monotonic() - self._broker_ok_at
            < 3 * BROKER_CHECK_SECONDS,
            "output_writable": self.health.writable,
        }
        try:
            return await self._run()
        finally:
            await self.http.stop()
            if self.pool is not None:
                self.pool.stop()

    async def _run(self) -> int:
        started = time.monotonic()
        plan = self.s.process_plan()
        log.info("enrichment processes", extra={"processes": plan.processes,
                                                "because": plan.reason})
        self.pool = EnrichPool(PoolConfig(
            processes=plan.processes, models=self.s.models, ner=self.s.ner_mode,
            batch_size=self.s.batch_size, max_body_bytes=self.s.max_body_bytes,
            retries=self.s.enrich_retries, timeout=self.s.batch_timeout_seconds,
            max_chars=self.s.max_analysed_chars,
            limit=SizeLimit(self.s.max_request_bytes, compression=self.s.compression)),
            on_restart=lambda reason: self.metrics.pool_restarts.labels(reason=reason).inc())
        # One try before the models load: refused credentials say so within a second. A
        # cluster that is down is waited for while the models load.
        reached = await self._read_limits()
        loading = asyncio.create_task(self.pool.start(), name="load-models")
        try:
            while not reached and not self._stop.is_set():
                await self._wait_for_cluster()
                reached = await self._read_limits()
            models = await loading
        finally:
            if not loading.done():
                loading.cancel()
        self._models_loaded = True
        self.metrics.set_models(models)
        log.info("models loaded", extra={"models": models, "processes": plan.processes,
                                         "seconds": round(time.monotonic() - started, 1)})
        if self._stop.is_set():
            return 0
        consumer = connections.consumer(self.s)
        sensor = Sensor(self.metrics, self.s.output_topic)
        checkpoint = checkpoint_for(self.s, consumer, self.sink, sensor, self.health,
                                    self._producer)
        await checkpoint.start()
        self.stream = stream = Stream(self.s, consumer, checkpoint, self.pool.run, sensor)
        consumer.subscribe([self.s.input_topic], listener=stream.listener())
        try:
            await consumer.start()
        except BaseException:
            await checkpoint.stop()
            raise
        self._broker_ok_at = time.monotonic()
        watch = asyncio.create_task(self._watch_broker(consumer), name="broker-check")
        limits = asyncio.create_task(self._refresh_limits(), name="limits-refresh")
        try:
            if not self._stop.is_set():
                await stream.run()
            drained = await stream.drain(self.s.shutdown_grace_seconds)
            log.info("drained" if drained else "stopped with work abandoned",
                     extra={"in_flight": stream.tracker.in_flight()})
        finally:
            watch.cancel()
            limits.cancel()
            await consumer.stop()  # leaves the group: partitions move at once, not on timeout
            await checkpoint.stop()
        if stream.fatal is not None:
            log.error("worker stopped on a fatal error: %r", stream.fatal)
            return 1
        log.info("worker stopped")
        return 0

    def _producer(self) -> Any:
        """A new at-least-once producer, its batches sized for the topics' limits in force
        (the lane asks for one after a failed batch)."""
        return connections.producer(self.s, topic_bytes=self.sink.batch_bytes)

    async def _read_limits(self) -> bool:
        """Read what fits through each topic (and which exist) into the sink and the pool.
        False if the cluster cannot be reached; raises if it refuses us (credentials, TLS)."""
        topics = [self.s.output_topic, self.s.dlq_topic]
        try:
            sizes = await max_message_bytes(self.s, topics)
        except (KafkaError, OSError, TimeoutError) as exc:
            if connections.refused(connections.ConnectFailures.error):
                raise
            self._cluster_unreachable(exc)
            return False
        self._broker_ok_at = self._limits_read_at = time.monotonic()
        limits = {t: SizeLimit(self.s.max_request_bytes,
                               KAFKA_DEFAULT_MESSAGE_BYTES if n is None else n,
                               self.s.compression)
                  for t, n in sizes.items()}
        changed = {t: sizes[t] for t in topics if sizes[t] is not None and
                   limits[t] != (self.sink.output_limit if t == self.s.output_topic
                                 else self.sink.dlq_limit)}
        if changed:
            log.info("record size limits", extra={
                "max_request_bytes": self.s.max_request_bytes, "max_message_bytes": changed})
        if sizes[self.s.output_topic] is not None:
            self.sink.output_limit = limits[self.s.output_topic]
            if self.pool is not None:
                self.pool.limit = self.sink.output_limit
        if sizes[self.s.dlq_topic] is not None:
            self.sink.dlq_limit = limits[self.s.dlq_topic]
        missing = {t for t in topics if sizes[t] is None}
        for t in sorted(missing):
            held = self._waiting.allow(("missing", t))
            if held is not None:
                log.error("topic %s does not exist: its records wait (nothing is committed "
                          "past them) until it is created", t, extra={"topic": t})
        for t in sorted(self.health.missing - missing):
            log.info("topic %s exists again", t, extra={"topic": t})
        self.health.missing = missing
        return True

    def _cluster_unreachable(self, exc: BaseException) -> None:
        held = self._waiting.allow("cluster")
        if held is not None:
            cause = connections.ConnectFailures.last or repr(exc)
            log.warning("waiting for the Kafka cluster at %s: %s", self.s.bootstrap_servers,
                        cause, extra={"suppressed": held})

    async def _wait_for_cluster(self) -> None:
        """Back off (doubling, up to a few seconds), or return at once on a stop request."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), self._cluster_delay)
        self._cluster_delay = min(CLUSTER_RETRY_MAX_SECONDS, self._cluster_delay * 2)

    async def _recheck_limits(self) -> None:
        """A record is about to be dead-lettered for its size, or the broker refused one:
        read the limits again, unless that was done within the last second (a burst of large
        records asks once)."""
        if time.monotonic() - self._limits_read_at >= LIMITS_RECHECK_SECONDS:
            await self._read_limits()

    async def _refresh_limits(self) -> None:
        while True:
            wait = (LIMITS_REFRESH_MISSING_SECONDS if self.health.missing
                    else LIMITS_REFRESH_SECONDS)
            await asyncio.sleep(wait)
            try:
                await self._read_limits()
            except (KafkaError, OSError) as exc:  # refused now: the stream's errors decide
                log.error("reading the topics' limits failed: %r", exc)

    async def _watch_broker(self, consumer: Any) -> None:
        while True:
            try:
                await asyncio.wait_for(consumer.topics(), BROKER_CHECK_SECONDS)
                self._broker_ok_at = time.monotonic()
            except (TimeoutError, KafkaError, OSError) as exc:
                log.warning("broker metadata request failed: %r", exc)
            await asyncio.sleep(BROKER_CHECK_SECONDS)
