"""Adding a feed inside the desk (A) and the errors view (!), against 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from tests.support.desk import serve_border_desk
from tests.support.http_server import LoopbackServer
from tests.support.pilot import settle
from tui.store import Store, StoryFilter

PAGE = """<html><head><title>Border desk</title>
<link rel="alternate" type="application/rss+xml" title="Border desk" href="/feed.xml">
</head><body>Home</body></html>"""


@pytest.fixture
def site(server: LoopbackServer) -> str:
    """A site whose home page links to its feed: its base URL."""
    serve_border_desk(server)
    server.reply("/", 200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode())
    return server.url("")


async def test_A_finds_a_sites_feed_subscribes_fetches_and_shows_it(
    desk_runtime: Any, make_desk: Any, site: str
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await pilot.pause()
        assert app.screen.query_one("#feed-url").has_focus
        await pilot.press(*f"{site}/", "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#add-status", Static).render())
        assert "links to the RSS feed" in status
        assert "Subscribed to Border desk" in status
        assert "2 stories in the feed, 2 new" in status
        source = app.store.source_by_url(f"{site}/feed.xml")
        assert source is not None and source.last_error is None
        assert app.store.count_stories(StoryFilter(source_id=source.id)) == 2
        await pilot.press("enter")  # Done
        await settle(pilot)
        assert app.screen is app.desk
        assert app.desk.base_filter == StoryFilter(source_id=source.id)
        assert app.desk.pager.count == 2


async def test_A_says_why_when_the_address_gives_no_feed(
    desk_runtime: Any, make_desk: Any, site: str
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = len(app.store.sources())
        await pilot.press("A", *f"{site}/missing", "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#add-status", Static).render())
        assert status.startswith("No feed added:")
        assert len(app.store.sources()) == before
        await pilot.press("escape")
        assert app.screen is app.desk


async def test_errors_view_lists_failing_sources_and_r_retries(
    desk_runtime: Any, make_desk: Any, site: str
) -> None:
    with Store.open(desk_runtime.db_path) as store:
        good = store.add_source(f"{site}/feed.xml", title="Border desk")
        store.update_source(
            good.id,
            last_error="cannot connect: [Errno 111] Connection refused",
            failures=2,
            last_fetch="2026-01-10T11:00:00Z",
        )
    app = make_desk(desk_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        listing = str(app.screen.query_one("#errors-list").render_line(0).text)
        assert "Border desk" in listing
        text = " ".join(
            str(app.screen.query_one("#errors-list").render_line(y).text) for y in range(4)
        )
        assert "the server refused the connection" in text
        assert "Errno" not in text
        assert "2026-01-10 11:00 UTC" in text
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is app.desk
        fixed = app.store.source(good.id)
        assert fixed.last_error is None
        assert app.store.count_stories(StoryFilter(source_id=good.id)) == 2
        assert app.desk.base_filter == StoryFilter(source_id=good.id)


async def test_the_command_palette_offers_add_a_feed(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.desk)}
        assert "Add a feed" in commands and "Errors" in commands
        await commands["Add a feed"].callback()
        await pilot.pause()
        assert type(app.screen).__name__ == "AddFeedDialog"
