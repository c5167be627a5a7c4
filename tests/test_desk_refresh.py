"""Refresh (r, R) and full text (F) from the desk against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from desk_support import settle

from tui.store import StoryFilter

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Border desk</title><link>http://example.test/</link>
<description>test feed</description>
<item><title>Talks resume in Washington</title><link>{base}/article</link>
<guid>border-1</guid><pubDate>Fri, 09 Jan 2026 10:00:00 GMT</pubDate>
<description>Short summary.</description></item>
<item><title>[bold]Not markup[/bold] in a title</title><link>{base}/other</link>
<guid>border-2</guid><pubDate>Fri, 09 Jan 2026 09:00:00 GMT</pubDate>
<description>Another summary.</description></item>
</channel></rss>"""

ARTICLE = """<html><head><title>Talks resume</title></head><body><article>
<h1>Talks resume in Washington</h1>
<p>The delegations met on Thursday in Washington to resume the security talks that stalled
last year, officials said, and agreed to meet again in February to review progress.</p>
<p>Both sides promised to publish a joint statement after the next round, according to a
spokesperson who asked not to be named because the talks are private.</p>
<p>Analysts said the meeting was the most substantive since the spring, when the previous
round ended without agreement on extradition requests or on the exchange of intelligence.</p>
</article></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/feed.xml":
            body, kind, status = FEED.format(base=base).encode(), "application/rss+xml", 200
        elif self.path == "/slow.xml":
            time.sleep(1.0)
            body, kind, status = FEED.format(base=base).encode(), "application/rss+xml", 200
        elif self.path == "/article":
            body, kind, status = ARTICLE.encode(), "text/html; charset=utf-8", 200
        else:
            body, kind, status = b"broken", "text/plain", 500
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_r_refreshes_every_feed_and_marks_failing_sources(
    desk_runtime: Any, make_desk: Any, feed_server: str
) -> None:
    app = make_desk(desk_runtime)
    good = app.store.add_source(f"{feed_server}/feed.xml", title="Border desk")
    bad = app.store.add_source(f"{feed_server}/missing.xml", title="Broken feed")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.store.count_stories()
        await pilot.press("r")
        await settle(pilot)
        assert app.store.count_stories(StoryFilter(source_id=good.id)) == 2
        assert app.store.count_stories() == before + 2
        assert app.desk.pager.count == before + 2
        assert app.store.source(bad.id).last_error
        messages = [n.message for n in app.notices]
        assert any("1 failed" in m and "2 new" in m for m in messages)
        assert any("Broken feed" in m for m in messages)
        side = app.desk.query_one("SidePanel")
        prompt = side.get_option(f"source:{bad.id}").prompt
        assert " !" in prompt.plain
        # a feed title is data, never markup
        titles = [s.title for s in app.store.list_stories(StoryFilter(source_id=good.id))]
        assert "[bold]Not markup[/bold] in a title" in titles


async def test_R_refreshes_only_the_source_of_the_story(
    desk_runtime: Any, make_desk: Any, feed_server: str
) -> None:
    app = make_desk(desk_runtime)
    good = app.store.add_source(f"{feed_server}/feed.xml", title="Border desk")
    bad = app.store.add_source(f"{feed_server}/missing.xml", title="Broken feed")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        app.store.update_source(bad.id, last_error=None, failures=0)
        app.desk.set_view(app.desk.query_one("SidePanel").views[f"source:{good.id}"])
        await pilot.press("R")
        await settle(pilot)
        assert app.store.source(good.id).last_fetch is not None
        assert app.store.source(bad.id).last_error is None  # not fetched this time


async def test_F_fetches_the_full_article(
    desk_runtime: Any, make_desk: Any, feed_server: str
) -> None:
    app = make_desk(desk_runtime)
    good = app.store.add_source(f"{feed_server}/feed.xml", title="Border desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        app.desk.set_view(app.desk.query_one("SidePanel").views[f"source:{good.id}"])
        await pilot.press("enter")
        await settle(pilot)
        story = app.desk.story_list.current_story
        assert story.title == "Talks resume in Washington"
        assert app.store.story(story.id).text == "Short summary."
        await pilot.press("F")
        await settle(pilot)
        text = app.store.story(story.id).text
        assert "delegations met on Thursday" in text
        assert "delegations met on Thursday" in app.desk.story_view.story.text


async def test_r_while_a_refresh_runs_says_so(
    desk_runtime: Any, make_desk: Any, feed_server: str
) -> None:
    app = make_desk(desk_runtime)
    app.store.add_source(f"{feed_server}/slow.xml", title="Slow desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert "refreshing" in app.desk.query_one("DeskHeader").activity
        await pilot.press("r")
        messages = [n.message for n in app.notices]
        assert any("already running" in m for m in messages)
        await settle(pilot)
        assert app.desk.query_one("DeskHeader").activity == ""
        assert app.store.count_stories() == 23
