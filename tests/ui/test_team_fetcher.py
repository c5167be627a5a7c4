"""Who fetches: the desk's own timer for due feeds, and desks that leave it to the team fetcher.

Real parts only: an HTTP server on 127.0.0.1 counting requests, real SQLite files
and a real PostgreSQL server, ``newsdesk fetch --every`` as a real process, and
desks driven by Pilot.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import REPO
from tests.support.pilot import settle
from tui.desk.refresh_schedule import TEAM_FETCHER_LAST_ROUND, team_fetcher_line
from tui.screens.auto_refresh import AutoRefresh
from tui.store import Store, StoryFilter, utc_iso

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{name}</title><link>http://example.test/</link>
<description>test feed</description>
<item><title>{name}: talks resume</title><link>http://example.test/{name}/1</link>
<guid>{name}-1</guid><pubDate>Fri, 09 Jan 2026 10:00:00 GMT</pubDate>
<description>Short summary.</description></item>
<item><title>{name}: second story</title><link>http://example.test/{name}/2</link>
<guid>{name}-2</guid><pubDate>Fri, 09 Jan 2026 09:00:00 GMT</pubDate>
<description>Another summary.</description></item>
</channel></rss>"""


class Feeds:
    """A feed server on 127.0.0.1 that counts the requests for each path."""

    def __init__(self) -> None:
        hits: Counter[str] = Counter()
        self.hits = hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits[self.path] += 1
                body = FEED.format(name=self.path.strip("/").split(".")[0]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def feeds() -> Iterator[Feeds]:
    server = Feeds()
    yield server
    server.server.shutdown()
    server.server.server_close()


async def _until(pilot: Any, done: Any, seconds: float = 15.0) -> bool:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if done():
            return True
        await pilot.pause(0.1)
    return bool(done())


async def test_a_desk_refreshes_a_due_feed_without_a_key_press(
    desk_runtime: Any, make_desk: Any, feeds: Feeds, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AutoRefresh, "auto_refresh_seconds", 0.2)
    app = make_desk(desk_runtime)
    app.config = replace(app.config, refresh=replace(app.config.refresh, interval_minutes=15))
    due = app.store.add_source(feeds.url("/due.xml"), title="Due")
    fresh = app.store.add_source(feeds.url("/fresh.xml"), title="Fresh")
    app.store.update_source(fresh.id, last_fetch=utc_iso())  # fetched a moment ago
    before = app.store.count_stories()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        arrived = await _until(
            pilot, lambda: app.store.count_stories(StoryFilter(source_id=due.id)) == 2
        )
        assert arrived, "the due feed was not refreshed"
        await _until(pilot, lambda: app.desk.pager.count == before + 2, 5.0)
        assert app.desk.pager.count == before + 2  # and the desk shows its stories
        await pilot.pause(0.5)  # a few more ticks: nothing is due any more
    assert feeds.hits == Counter({"/due.xml": 1})


async def test_no_timer_refresh_when_intervals_are_off(
    desk_runtime: Any, make_desk: Any, feeds: Feeds, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AutoRefresh, "auto_refresh_seconds", 0.1)
    app = make_desk(desk_runtime)
    assert app.config.refresh.interval_minutes == 0  # the default: off
    app.store.add_source(feeds.url("/never.xml"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(1.0)
    assert feeds.hits == Counter()


def test_team_fetcher_honours_each_feeds_refresh_minutes_and_records_its_rounds(
    tmp_path: Path, feeds: Feeds
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[feeds]]\nurl = "{feeds.url("/hourly.xml")}"\nrefresh_minutes = 60\n'
        f'[[feeds]]\nurl = "{feeds.url("/often.xml")}"\n'
    )
    db = tmp_path / "desk.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", str(db), "fetch", "--every", "1s"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "NEWSDESK_CONFIG": str(config)},
    )
    assert proc.stdout is not None
    try:
        lines = [proc.stdout.readline() for _ in range(4)]
    finally:
        proc.kill()
        proc.communicate()
    assert "2 source(s): 4 new" in lines[0], lines
    assert all("1 source(s)" in line for line in lines[1:]), lines
    assert feeds.hits["/hourly.xml"] == 1  # due again in an hour, not every second
    assert feeds.hits["/often.xml"] >= 4
    with Store.open(db) as store:
        assert store.meta(TEAM_FETCHER_LAST_ROUND)


def test_the_team_fetcher_line_says_when_it_last_ran() -> None:
    import datetime as dt

    now = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
    assert "has not run on this database yet" in team_fetcher_line(None, None, now)
    line = team_fetcher_line("2026-01-10T11:57:00Z", "900", now)
    assert "last round 3 min ago, every 15 min" in line and "\n" not in line


async def test_a_desk_that_leaves_fetching_to_the_team_gets_its_stories_live(
    tmp_path: Path, pg_url: str, make_desk: Any, feeds: Feeds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[store] fetcher = "team" on PostgreSQL: r fetches nothing and says who does, nor does
    the desk's timer; the team fetcher's stories arrive by NOTIFY with no key press; r then
    says when it ran."""
    monkeypatch.setattr(AutoRefresh, "auto_refresh_seconds", 0.2)  # the timer ticks, idle
    from tui.runtime import Runtime
    from tui.samples import load_samples
    from tui.store.postgres import PgStore

    with PgStore.open(pg_url, user="setup") as setup:
        load_samples(setup)  # a desk with stories (an empty one opens the first-run dialog)
    config = tmp_path / "ann.toml"
    config.write_text('[store]\nuser = "ann"\nfetcher = "team"\n[refresh]\ninterval_minutes = 1\n')
    runtime = Runtime(config_file=config)
    runtime.set_db(pg_url)
    app = make_desk(runtime)
    source = app.store.add_source(feeds.url("/wire.xml"), title="Wire")
    before = app.store.count_stories()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        messages = [str(n.message) for n in app.notices]
        assert any("team fetcher" in m and "not run on this database yet" in m for m in messages), (
            messages
        )
        assert feeds.hits == Counter()  # neither r nor the desk's timer fetched
        empty = tmp_path / "none.toml"
        fetcher = subprocess.Popen(
            [sys.executable, "-m", "tui", "--db", pg_url, "fetch", "--every", "60s"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO), "NEWSDESK_CONFIG": str(empty)},
        )
        try:
            arrived = await _until(pilot, lambda: app.desk.pager.count == before + 2, 30.0)
            assert arrived, "the team fetcher's stories did not reach the desk"
            await _until(pilot, lambda: app.store.meta(TEAM_FETCHER_LAST_ROUND) is not None)
        finally:
            fetcher.kill()
            fetcher.communicate()
        assert feeds.hits == Counter({"/wire.xml": 1})
        assert app.store.count_stories(StoryFilter(source_id=source.id)) == 2
        await pilot.press("r")
        await settle(pilot)
        messages = [str(n.message) for n in app.notices]
        assert any("last round" in m and "every 60 s" in m for m in messages), messages


async def test_a_colleagues_triage_does_not_reload_the_desk_but_a_tag_does(
    tmp_path: Path, pg_url: str, make_desk: Any
) -> None:
    """Read/saved/archived are per user: bob's desk has nothing to show for ann's, so the
    NOTIFY for them costs bob no reload; ann's tag does reach it."""
    from tui.runtime import Runtime
    from tui.samples import load_samples
    from tui.store.postgres import PgStore

    with PgStore.open(pg_url, user="setup") as setup:
        load_samples(setup)
    config = tmp_path / "bob.toml"
    config.write_text('[store]\nuser = "bob"\n')
    runtime = Runtime(config_file=config)
    runtime.set_db(pg_url)
    app = make_desk(runtime)
    with PgStore.open(pg_url, user="ann") as ann:
        ids = [s.id for s in ann.list_stories(limit=3)]
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.pause(0.5)  # the listener is connected
            ann.set_read(ids)
            ann.set_archived(ids[:1])
            await pilot.pause(1.0)
            assert app.desk.service.remote_changes == 0
            ann.add_tags(ids[:1], ["scoop"])
            assert await _until(pilot, lambda: app.desk.service.remote_changes >= 1, 5.0)
