"""The real ``newsdesk`` process in a pseudo-terminal (tmux), against feeds on 127.0.0.1.

What Pilot cannot show: Textual replaces stdio in the real app, so a refresh that
starts the parser process pool inside the desk failed there (``bad value(s) in
fds_to_keep``) while every in-process test passed.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.terminal import TMUX, terminal_desk
from tui.sources.parse_pool import POOL_MIN_SOURCES
from tui.store import Store

pytestmark = pytest.mark.skipif(TMUX is None, reason="needs tmux (.ci/run installs it)")

FEEDS = 20
ITEM = """<item><title>Feed {feed} story {n}: talks resume on schedule</title>
<link>http://example.test/{feed}/{n}</link><guid>feed-{feed}-{n}</guid>
<pubDate>Fri, 09 Jan 2026 {hour:02d}:00:00 GMT</pubDate>
<description>Officials of feed {feed} said item {n} would follow.</description></item>"""


class _Feeds(BaseHTTPRequestHandler):
    """``/feed/<i>.xml``: ``items`` stories per feed (the test raises it to publish more)."""

    items = 2

    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1].removesuffix(".xml")
        if not self.path.startswith("/feed/") or not name.isdigit():
            self.send_error(404)
            return
        feed = int(name)
        items = "".join(ITEM.format(feed=feed, n=n, hour=n % 24) for n in range(type(self).items))
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire {feed}</title>'
            f"<link>http://example.test/{feed}</link><description>d</description>"
            f"{items}</channel></rss>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[tuple[str, type[_Feeds]]]:
    handler = type("Feeds", (_Feeds,), {"items": 2})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def _subscribe(tmp_path: Path, base: str) -> tuple[Path, Path]:
    config = tmp_path / "config.toml"
    config.write_text(
        "".join(f'[[feeds]]\nurl = "{base}/feed/{i}.xml"\n\n' for i in range(FEEDS)),
        encoding="utf-8",
    )
    db = tmp_path / "desk.db"
    env = {"NEWSDESK_DB": str(db), "NEWSDESK_CONFIG": str(config), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "tui", "fetch"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return db, config


def test_r_inside_the_real_desk_fetches_new_stories_from_many_feeds(
    tmp_path: Path, feed_server: tuple[str, type[_Feeds]]
) -> None:
    assert FEEDS >= POOL_MIN_SOURCES  # enough sources for the parser process pool
    base, handler = feed_server
    db, config = _subscribe(tmp_path, base)
    with Store.open(db) as store:
        assert store.count_stories() == 2 * FEEDS
    handler.items = 3  # every feed publishes one more story
    with terminal_desk(db, config) as desk:
        desk.wait_for(lambda s: "newsdesk" in s and "stories" in s, "the desk")
        desk.keys("r")
        screen = desk.wait_for(lambda s: "Refreshed" in s, "the refresh summary", timeout=90)
        assert "fds_to_keep" not in screen
        desk.keys("q")
        desk.wait_for(lambda s: desk.exited(), "the desk to quit")
    with Store.open(db) as store:
        assert store.count_stories() == 3 * FEEDS
        sources = store.sources()
        assert len(sources) == FEEDS
        assert [s.label for s in sources if s.last_error] == []


def test_the_real_desk_at_80x24_shows_its_footer_and_whole_dialogs(tmp_path: Path) -> None:
    """Resized to 80×24: footer keys, list titles of 45+ characters, dialogs that fit."""
    from tui.samples import load_samples

    db, config = tmp_path / "desk.db", tmp_path / "config.toml"
    with Store.open(db) as store:
        load_samples(store)
    with terminal_desk(db, config, width=120, height=40) as desk:
        desk.wait_for(lambda s: "stories" in s, "the desk")
        desk.resize(80, 24)
        screen = desk.wait_for(lambda s: len(s.splitlines()) == 24, "the 80×24 screen")
        footer = desk.wait_for(
            lambda s: "q Quit" in s.splitlines()[-1], "the footer's last key"
        ).splitlines()[-1]
        for key in ("n Next", "m Read", "s Save", "/ Search", "A Add", "? Help", "q Quit"):
            assert key in footer
        screen = desk.screen()
        assert "Boeing 787 “Dreamliner” makes maiden flight" in screen  # 43 characters, whole
        assert "Northrop Grumman and Airbus parent EADS defeat Boei" in screen  # 51 of 58
        desk.keys("e")
        screen = desk.wait_for(lambda s: "Export stories" in s, "the export dialog")
        lines = screen.splitlines()
        assert any("File" in line and "newsdesk-export" in line for line in lines)
        assert any("Export" in line and "Cancel" in line for line in lines)
        assert any(line.strip().startswith("█▄▄") for line in lines)  # the bottom border
        desk.keys("Escape", "A")
        screen = desk.wait_for(lambda s: "Add a feed" in s, "the add-feed dialog")
        assert "Subscribe" in screen and "Cancel" in screen
        desk.keys("Escape", "q")
        desk.wait_for(lambda s: desk.exited(), "the desk to quit")
