"""Keys act on the story the user sees (the open one) or the marked ones, never silently
on a list row that a search or reload moved the cursor to (issue: y copied row 1's link)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from tests.support.pilot import settle
from tui.store import Story


def status(app: Any) -> str:
    return str(app.desk.query_one("#list-status", Static).render())


async def _open_then_search_and_escape(pilot: Any) -> tuple[Story, Story]:
    """Open the 4th story, search, Esc: the cursor lands elsewhere, the story stays."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("j", "j", "j", "enter")
    await settle(pilot)
    opened = app.desk.story_view.story
    await pilot.press("slash", *"Apple")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)
    cursor = app.desk.story_list.current_story
    assert app.desk.story_view.story.id == opened.id
    assert cursor.id != opened.id  # the situation of the bug
    return opened, cursor


async def test_keys_after_a_search_act_on_the_open_story_not_the_cursor_row(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        opened, cursor = await _open_then_search_and_escape(pilot)
        assert "keys act on the open story" in status(app)
        await pilot.press("y")
        assert app.clipboard == opened.url
        await pilot.press("s")
        await settle(pilot)
        assert app.store.story(opened.id).saved
        assert not app.store.story(cursor.id).saved
        await pilot.press("m")  # the open story is read: m marks it unread
        await settle(pilot)
        assert not app.store.story(opened.id).read
        assert app.store.story(cursor.id).read == cursor.read


async def test_moving_the_cursor_makes_keys_follow_it_again(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        opened, _ = await _open_then_search_and_escape(pilot)
        await pilot.press("j")
        moved = app.desk.story_list.current_story
        assert "keys act on the open story" not in status(app)
        await pilot.press("s")
        await settle(pilot)
        assert app.store.story(moved.id).saved
        assert not app.store.story(opened.id).saved


async def test_with_focus_in_the_story_keys_act_on_it(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        opened, cursor = await _open_then_search_and_escape(pilot)
        await pilot.press("l")
        assert app.focused is app.desk.story_view
        await pilot.press("x")
        await settle(pilot)
        assert app.store.story(opened.id).archived
        assert not app.store.story(cursor.id).archived


async def test_marked_stories_win_over_the_open_story(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        opened, _ = await _open_then_search_and_escape(pilot)
        await pilot.press("j", "space", "j", "space")
        marked = sorted(app.desk.story_list.marked)
        assert len(marked) == 2 and opened.id not in marked
        assert "2 marked" in status(app)
        await pilot.press("s")
        await settle(pilot)
        assert all(app.store.story(i).saved for i in marked)
        assert not app.store.story(opened.id).saved


async def test_focus_keys_reach_the_story_and_the_analysis_and_j_k_scroll_there(
    desk_runtime: Any, make_desk: Any, seed_analyser: Any
) -> None:
    app = make_desk(desk_runtime, analyser=seed_analyser)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        side = app.desk.query_one("SidePanel")
        assert side.get_option_at_index(side.highlighted).id == "view:all"  # where the user is
        await pilot.press("enter")
        await settle(pilot)
        cursor = app.desk.story_list.cursor
        await pilot.press("l")
        assert app.focused is app.desk.story_view
        await pilot.press("j", "j", "j")
        assert app.desk.story_view.scroll_y > 0  # the story scrolled …
        assert app.desk.story_list.cursor == cursor  # … not the list
        await pilot.press("l")
        panel = app.desk.analysis_panel
        assert app.focused is panel
        first = panel.highlighted
        await pilot.press("j")
        assert panel.highlighted is not None and panel.highlighted != first
        await pilot.press("h")
        assert app.focused is app.desk.story_list


async def test_search_enter_opens_the_first_result_and_esc_clears_search_and_filter(
    desk_runtime: Any, make_desk: Any
) -> None:
    from tui.desk.views import DeskView
    from tui.store import StoryFilter

    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.desk.set_view(DeskView("filter", "Filter", StoryFilter(language="es")))
        await settle(pilot)
        assert status(app).startswith("Filter: language es")
        await pilot.press("slash", *"Apple", "enter")
        await settle(pilot)
        first = app.desk.pager.get(0)
        assert app.desk.story_view.story.id == first.id  # enter opened the first result
        assert app.store.story(first.id).read
        assert "search “Apple”" in status(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.desk.search_text == ""
        assert app.desk.base_filter == StoryFilter()
        assert status(app).startswith("All ·")
        assert app.desk.pager.count == app.store.count_stories()
