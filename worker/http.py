"""``/metrics``, ``/healthz`` and ``/readyz`` on one port, served from the event loop itself.

Serving from the loop is deliberate: if the loop stalls, ``/healthz`` stops answering and the
orchestrator restarts the pod. Liveness is "the loop answers and its heartbeat is fresh";
readiness is "models loaded, group joined, broker reachable".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .metrics import Metrics

log = logging.getLogger(__name__)
LOOP_STALL_SECONDS = 10.0


class Probes:
    """State the probes read. ``checks`` map a readiness condition to a callable."""

    def __init__(self) -> None:
        self.checks: dict[str, Callable[[], bool]] = {}
        self.heartbeat = time.monotonic()

    def readiness(self) -> dict[str, bool]:
        return {name: bool(check()) for name, check in self.checks.items()}

    def live(self) -> bool:
        return time.monotonic() - self.heartbeat < LOOP_STALL_SECONDS


class HttpServer:
    def __init__(self, metrics: Metrics, probes: Probes, host: str, port: int) -> None:
        self.metrics, self.probes, self.host, self.port = metrics, probes, host, port
        self._server: asyncio.Server | None = None
        self._beat: asyncio.Task[None] | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        self._beat = asyncio.create_task(self._heartbeat(), name="loop-heartbeat")
        return self.port

    async def stop(self) -> None:
        if self._beat:
            self._beat.cancel()
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    async def _heartbeat(self) -> None:
        """Proves the loop runs, and keeps ``enrich_ready`` current for alerting (a gauge set
        only when /readyz is called would depend on who calls it)."""
        while True:
            self.probes.heartbeat = time.monotonic()
            checks = self.probes.readiness()
            self.metrics.ready.set(1 if checks and all(checks.values()) else 0)
            self.metrics.output_writable.set(0 if checks.get("output_writable") is False
                                             else 1)
            await asyncio.sleep(1)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), 5)
            while (await asyncio.wait_for(reader.readline(), 5)) not in (b"\r\n", b"\n", b""):
                pass
            parts = line.decode("latin-1").split()
            path = parts[1].split("?")[0] if len(parts) >= 2 else ""
            status, ctype, body = self._route(parts[0] if parts else "", path)
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n".encode("latin-1") + body)
            await writer.drain()
        except (TimeoutError, ConnectionError, UnicodeDecodeError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def _route(self, method: str, path: str) -> tuple[str, str, bytes]:
        if method not in ("GET", "HEAD"):
            return "405 Method Not Allowed", "text/plain", b"GET only\n"
        if path == "/metrics":
            return "200 OK", CONTENT_TYPE_LATEST, generate_latest(self.metrics.registry)
        if path == "/healthz":
            ok = self.probes.live()
            return ("200 OK" if ok else "503 Service Unavailable", "text/plain",
                    b"ok\n" if ok else b"event loop stalled\n")
        if path == "/readyz":
            checks = self.probes.readiness()
            ok = all(checks.values()) and bool(checks)
            self.metrics.ready.set(1 if ok else 0)
            text = "".join(f"{'ok' if v else 'FAIL'} {k}\n" for k, v in checks.items())
            return ("200 OK" if ok else "503 Service Unavailable", "text/plain", text.encode())
        return "404 Not Found", "text/plain", b"try /metrics, /healthz or /readyz\n"
