"""A small local HTTP server for link tests: routes map a path to (status, headers, body, delay)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = tuple  # (status, headers, body, delay[, gate: threading.Event waited on before the body is sent])
# or a callable given the request's headers that returns such a tuple (a feed answering conditional requests)


@contextmanager
def serve(routes: dict[str, Route], hits: list[str] | None = None) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if hits is not None:
                hits.append(self.path)
            route = routes.get(self.path, (404, {}, b"not found", 0.0))
            status, headers, body, delay, *gate = route(self.headers) if callable(route) else route
            time.sleep(delay)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.flush()
                if gate:
                    gate[0].wait(10)
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
