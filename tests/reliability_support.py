"""Shared parts of the reliability suite (tests/test_reliability_*.py).

Real servers on 127.0.0.1, real files, real processes; everything bounded in
time. ``Server`` serves routes whose handlers get the raw request handler, so
a test can stall, send stacked encodings or redirect anywhere.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tui.cli import main

REPO = Path(__file__).resolve().parent.parent

Route = Callable[[BaseHTTPRequestHandler], None]

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


@dataclass
class Server:
    """Routes path → handler; counts requests per path and the peak of concurrent ones."""

    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    active: int = 0
    peak: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def feed(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        out = {"Content-Type": "application/rss+xml", **(headers or {})}
        self.routes[path] = lambda h: send(h, 200, body, out)


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            with server.lock:
                server.hits[path] = server.hits.get(path, 0) + 1
                server.active += 1
                server.peak = max(server.peak, server.active)
            try:
                route = server.routes.get(path)
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


@pytest.fixture
def server() -> Iterator[Server]:
    """A real HTTP server on 127.0.0.1 for one test."""
    state = Server()
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


def cli(
    *args: str,
    db: Path,
    config: Path | None = None,
    stdin: str | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """``newsdesk`` as a real process (exit status, stdout and stderr as a user sees them)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if config is not None:
        env["NEWSDESK_CONFIG"] = str(config)
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=timeout,
    )


def run_main(capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``newsdesk`` in this process (cheaper than a process): exit status, stdout, stderr."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capfd.readouterr()
    return code, out, err


CONTROL_BYTES = frozenset(
    chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
)


def terminal_safe(text: str) -> bool:
    """No ESC, no C0/C1 control (U+009B included), no zero-width joiner in ``text``."""
    return not any(ch in CONTROL_BYTES or ch in "\u200b\u200d\u2060\u202e" for ch in text)


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc; empty where there is none)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(b")", 1)[1].split()
        if fields[0] in (b"Z", b"X"):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def alive(pids: set[int]) -> set[int]:
    """The ones of ``pids`` still running (zombies count as gone)."""
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in (b"Z", b"X"):
            out.add(pid)
    return out
