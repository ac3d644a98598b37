"""Assembles the worker: pool, Kafka clients, stream, HTTP server; owns start, stop, drain.

Start order makes readiness honest: the pool loads every model first (slow, and the group
should not hand us partitions we cannot yet process), then the producer, then the consumer
joins the group. Stop order is the reverse, after draining in-flight work.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import logging
import signal
import time
from typing import Any

from aiokafka.errors import KafkaError

from . import __version__, connections
from .checkpoint import checkpoint_for
from .config import Settings
from .consume import Stream
from .http import HttpServer, Probes
from .metrics import Metrics
from .observe import Sensor
from .pool import EnrichPool, PoolConfig
from .produce import Sink
from .sizes import SizeLimit
from .topics import max_message_bytes

log = logging.getLogger(__name__)
BROKER_CHECK_SECONDS = 10.0


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
        port = await self.http.start()
        log.info("worker starting", extra={"version": __version__, "metrics_port": port,
                                           "settings": self.s.redacted()})
        self.probes.checks = {
            "models_loaded": lambda: self._models_loaded,
            "enrichment_processes": lambda: self.pool is not None and self.pool.ready(),
            "group_joined": lambda: self.stream is not None and self.stream.joined,
            "broker_reachable": lambda: time.monotonic() - self._broker_ok_at
            < 3 * BROKER_CHECK_SECONDS,
        }
        try:
            return await self._run()
        finally:
            await self.http.stop()
            if self.pool is not None:
                self.pool.stop()

    async def _run(self) -> int:
        started = time.monotonic()
        limits = await self._size_limits()
        plan = self.s.process_plan()
        log.info("enrichment processes", extra={"processes": plan.processes,
                                                "because": plan.reason})
        self.pool = EnrichPool(PoolConfig(
            processes=plan.processes, models=self.s.models, ner=self.s.ner_mode,
            batch_size=self.s.batch_size, max_body_bytes=self.s.max_body_bytes,
            retries=self.s.enrich_retries, timeout=self.s.batch_timeout_seconds,
            max_chars=self.s.max_analysed_chars,
            limit=limits[self.s.output_topic]),
            on_restart=lambda reason: self.metrics.pool_restarts.labels(reason=reason).inc())
        models = await self.pool.start()
        self._models_loaded = True
        self.metrics.set_models(models)
        log.info("models loaded", extra={"models": models, "processes": plan.processes,
                                         "seconds": round(time.monotonic() - started, 1)})
        if self._stop.is_set():
            return 0
        consumer = connections.consumer(self.s)
        sink = Sink(self.s.output_topic, self.s.dlq_topic, limits[self.s.output_topic],
                    limits[self.s.dlq_topic])
        sensor = Sensor(self.metrics, self.s.output_topic)
        checkpoint = checkpoint_for(self.s, consumer, sink, sensor)
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
        try:
            if not self._stop.is_set():
                await stream.run()
            drained = await stream.drain(self.s.shutdown_grace_seconds)
            log.info("drained" if drained else "stopped with work abandoned",
                     extra={"in_flight": stream.tracker.in_flight()})
        finally:
            watch.cancel()
            await consumer.stop()  # leaves the group: partitions move at once, not on timeout
            await checkpoint.stop()
        if stream.fatal is not None:
            log.error("worker stopped on a fatal error: %r", stream.fatal)
            return 1
        log.info("worker stopped")
        return 0

    async def _size_limits(self) -> dict[str, SizeLimit]:
        """What fits through the producer and each output topic, learnt before the pool
        starts (its processes shrink or dead-letter outputs that would not fit)."""
        topics = [self.s.output_topic, self.s.dlq_topic]
        sizes = await max_message_bytes(self.s, topics)
        log.info("record size limits", extra={"max_request_bytes": self.s.max_request_bytes,
                                              "max_message_bytes": sizes})
        return {t: SizeLimit(self.s.max_request_bytes, sizes[t]) for t in topics}

    async def _watch_broker(self, consumer: Any) -> None:
        while True:
            try:
                await asyncio.wait_for(consumer.topics(), BROKER_CHECK_SECONDS)
                self._broker_ok_at = time.monotonic()
            except (TimeoutError, KafkaError, OSError) as exc:
                log.warning("broker metadata request failed: %r", exc)
            await asyncio.sleep(BROKER_CHECK_SECONDS)
