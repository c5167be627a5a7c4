"""Counts and marks the desk shows: the Upcoming count after an analysis, singular
"story", archived stories marked in All."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.widgets import Static

from tests.support.pilot import settle
from tui.store import Store, StoryFilter, StoryIn


def _upcoming_entry(app: Any) -> str:
    side = app.desk.query_one("SidePanel")
    return str(side.get_option("view:upcoming").prompt)


async def test_upcoming_count_follows_the_analysis_of_the_opened_story(
    desk_runtime: Any, make_desk: Any
) -> None:
    now = dt.datetime.now(dt.UTC)
    ahead = (now + dt.timedelta(days=60)).strftime("%d %B %Y").lstrip("0")
    with Store.open(desk_runtime.db_path) as store:
        source = store.add_source("https://example.org/feed.xml", title="Wire")
        [(story_id, _)] = store.upsert_stories(
            source.id,
            [
                StoryIn(
                    title="Ministers to meet again",
                    text=f"The foreign ministers will meet in Paris on {ahead} to sign the pact.",
                    guid="future-1",
                    published=now,
                    language="en",
                    url="https://example.org/1",
                )
            ],
        )
    app = make_desk(desk_runtime, clock=lambda: now)  # the real analyser
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.store.count_stories(StoryFilter(upcoming=True))
        assert _upcoming_entry(app).split()[-1] == str(before)
        index = app.desk.pager.index_of(app.store.story(story_id))
        app.desk.story_list.move_to(index)
        await pilot.press("enter")
        await settle(pilot)
        after = app.store.count_stories(StoryFilter(upcoming=True))
        assert after == before + 1  # the analysis found the date ahead
        assert _upcoming_entry(app).split()[-1] == str(after)
        assert app.desk.pager.has_upcoming(story_id)


async def test_one_story_is_one_story(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Dreamliner")
        await settle(pilot)
        assert app.desk.pager.count == 1
        status = str(app.desk.query_one("#list-status", Static).render())
        assert "· 1 story" in status and "1 stories" not in status


async def test_archived_stories_are_marked_in_all(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "x")
        await settle(pilot)
        archived = app.store.list_stories(limit=2)[1]
        assert archived.archived
        line = app.desk.story_list.render_line(1).text
        assert line[1] == "×"  # the archived mark where unread stories have ●
        assert app.desk.story_list.render_line(2).text[1] == "●"
