"""Stand-ins shared by the unit tests: of the Kafka side (no broker), and a package registry
answering over real HTTP on the loopback."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Rec:
    """A consumer record: what the stream and the sink read of aiokafka's."""

    topic: str
    partition: int
    offset: int
    value: bytes | None
    key: bytes | None = None
    headers: tuple[tuple[str, bytes], ...] = ()
    timestamp: int = 0



@contextlib.contextmanager
def registry_server(served: dict[str, bytes]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 answering each path of ``served`` (read at each
    request, so a test may publish or withdraw files) with its bytes, others with 404;
    yields its base address."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            blob = served.get(self.path)
            self.send_response(200 if blob is not None else 404)
            self.end_headers()
            self.wfile.write(blob or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
