"""One real HTTP server on 127.0.0.1 for every test that fetches (no mocked transport).

A route is either a raw handler (it gets the request handler and may stall, send
stacked encodings, redirect anywhere or write half a response) or an answer built
from the request headers (``static``, ``reply``, ``answer``: status, headers, body).
The server records every request (path and lower-cased headers) and the peak of
concurrent ones, so tests assert on what the fetcher actually sent.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]
Reply = tuple[int, dict[str, str], bytes]
Answer = Callable[[dict[str, str]], Reply]

# Pseudo-headers an answer may set to misbehave: stall (send nothing for 2 s) or
# stream the body without a Content-Length (the connection close ends it).
STALL = "X-Stall"
NO_LENGTH = "X-No-Length"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>%(title)s</title><link>http://example.org/</link>
%(items)s
</channel></rss>"""


def rss(title: str, items: list[tuple[str, str, str, str]]) -> bytes:
    """An RSS 2.0 document: items are (guid, link, title, description), inserted verbatim."""
    body = "".join(
        f"<item><guid>{g}</guid><link>{link}</link><title>{t}</title>"
        f"<description>{d}</description><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>"
        for g, link, t, d in items
    )
    return RSS % {b"title": title.encode(), b"items": body.encode()}


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    """One complete response with a Content-Length."""
    handler.send_response(status)
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        handler.wfile.write(body)


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]


@dataclass
class LoopbackServer:
    """Routes path → handler; records requests and the peak of concurrent ones."""

    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    #: Serves every path without a route (None: 404 "not found").
    fallback: Route | None = None
    seen: list[Seen] = field(default_factory=list)
    active: int = 0
    peak: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[Seen]:
        """The requests for ``path`` (query string ignored unless ``path`` has one)."""
        return [s for s in self.seen if s.path == path or s.path.split("?")[0] == path]

    def answer(self, path: str, answer: Answer) -> None:
        """Serve ``path`` with ``answer(request headers)`` → (status, headers, body)."""
        self.routes[path] = lambda handler: _write(handler, answer(_headers(handler)))

    def reply(
        self, path: str, status: int, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> None:
        """The same fixed reply on every request."""
        self.answer(path, lambda _h: (status, dict(headers or {}), body))

    def static(
        self,
        path: str,
        body: bytes,
        content_type: str = "application/rss+xml",
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        """A document with validators: 304 when the request's conditional headers match."""

        def conditional(headers: dict[str, str]) -> Reply:
            out = {"Content-Type": content_type, **(extra or {})}
            if etag:
                out["ETag"] = etag
                if headers.get("if-none-match") == etag:
                    return 304, out, b""
            if last_modified:
                out["Last-Modified"] = last_modified
                if headers.get("if-modified-since") == last_modified and not etag:
                    return 304, out, b""
            return 200, out, body

        self.answer(path, conditional)

    def feed(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        """An RSS document, with any extra response headers (e.g. Content-Encoding)."""
        self.static(path, body, extra=headers)


def _headers(handler: BaseHTTPRequestHandler) -> dict[str, str]:
    return {key.lower(): value for key, value in handler.headers.items()}


def _write(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    status, headers, body = reply
    headers = dict(headers)
    if headers.pop(STALL, None):
        time.sleep(2.0)
        return
    streamed = headers.pop(NO_LENGTH, None)
    if not streamed:
        send(handler, status, body, headers)
        return
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Connection", "close")
    handler.close_connection = True
    handler.end_headers()
    handler.wfile.write(body)


def _handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            with server.lock:
                server.seen.append(Seen(self.path, _headers(self)))
                server.active += 1
                server.peak = max(server.peak, server.active)
            try:
                route = (
                    server.routes.get(self.path)
                    or server.routes.get(self.path.split("?")[0])
                    or server.fallback
                )
                if route is None:
                    send(self, 404, b"not found")
                else:
                    route(self)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with server.lock:
                    server.active -= 1

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextlib.contextmanager
def serve() -> Iterator[LoopbackServer]:
    """A ``LoopbackServer`` on a free port of 127.0.0.1 for the ``with`` block."""
    state = LoopbackServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
