"""A tiny threaded HTTP server on 127.0.0.1 that answers from a table of routes, for connector tests."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Request:
    """One request the server received."""

    method: str
    path: str
    query: str
    headers: dict
    body: bytes


@dataclass
class Reply:
    """What the server answers."""

    status: int = 200
    body: bytes | str = b""
    headers: dict = field(default_factory=dict)


Handler = Callable[[Request], Reply]


class LocalServer:
    """Serve routes (``path`` or ``path?query`` → Reply or handler) and log every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[Request] = []
        self.fallback: Handler | None = None
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.command, parts.path, parts.query, dict(self.headers),
                                  self.rfile.read(length) if length else b"")
                owner.requests.append(request)
                reply = owner.answer(request)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_HEAD = _serve

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        """Return the server's base URL (no trailing slash)."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        """Return the absolute URL of a path."""
        return self.base + path

    def route(self, path: str, body: bytes | str | Handler = b"", status: int = 200, **headers: str) -> None:
        """Answer requests for a path (optionally with ``?query``) with a fixed reply or a handler."""
        self.routes[path] = body if callable(body) else Reply(status, body, {k.replace("_", "-"): v
                                                                            for k, v in headers.items()})

    def answer(self, request: Request) -> Reply:
        """Pick the reply for a request: exact path+query, then path, then the fallback, else 404."""
        key = f"{request.path}?{request.query}" if request.query else request.path
        route = self.routes.get(key) or self.routes.get(request.path)
        if route is None and self.fallback is not None:
            return self.fallback(request)
        if route is None:
            return Reply(404, b"not found")
        return route(request) if callable(route) else route

    def hits(self, path: str) -> int:
        """Return how many requests asked for a path."""
        return sum(1 for r in self.requests if r.path == path)

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
