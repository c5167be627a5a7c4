"""Refresh (r, R) and full text (F) from the desk against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.desk import serve_border_desk
from tests.support.http_server import LoopbackServer
from tests.support.pilot import settle
from tui.store import StoryFilter


@pytest.fixture
def feed_server(server: LoopbackServer) -> str:
    """The desk's test site on a loopback server: its base URL."""
    serve_border_desk(server)
    return server.url("")


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
