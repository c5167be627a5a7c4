"""Pilot tests for edge cases found in review: markup in triage labels, stories deleted
underneath the desk, and keys that must not scan the whole list on the UI thread."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from typing import Any

from tests.support.pilot import settle
from tui.desk.pager import StoryPager
from tui.screens.filter import FilterDialog
from tui.store import Store, StoryFilter, StoryIn
from tui.widgets.side_panel import VIEWS


async def test_undo_of_a_tag_that_looks_like_markup_does_not_crash(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = app.store.list_stories(limit=1)[0].id
        app.desk.triage("tagged [/bold]", [first], lambda: app.store.add_tags([first], ["[/bold]"]))
        await settle(pilot)
        assert "[/bold]" in app.store.story(first).tags
        await pilot.press("u")
        await settle(pilot)
        assert app.is_running
        assert app.store.story(first).tags == ()
        undone = [n for n in app.notices if "Undone" in n.message]
        assert undone and "[/bold]" in undone[-1].message
        assert not undone[-1].markup  # the tag is shown as typed, never parsed


def _delete_behind(db_path: Any, story_id: int) -> None:
    """Another process deletes the story (as a purge or a second desk would)."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
    conn.close()


async def test_triage_on_a_story_deleted_by_another_process(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = app.desk.story_list.current_story
        await pilot.press("enter")
        await settle(pilot)
        _delete_behind(desk_runtime.db_path, shown.id)
        for key in ("m", "s", "x", "u", "m"):
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running, key
        assert app.store.count_stories(StoryFilter(ids=(shown.id,))) == 0


def test_previous_unread_finds_a_story_far_above(tmp_path: Any) -> None:
    """p from deep in a long list reaches the nearest unread above, however far it is."""
    base = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with Store.open(tmp_path / "far.db") as store:
        source = store.add_source("https://example.org/feed")
        items = [
            StoryIn(title=f"story {i}", text=f"text {i}", guid=f"g{i}",
                    published=base + dt.timedelta(hours=i))
            for i in range(300)
        ]  # fmt: skip
        store.upsert_stories(source.id, items)
        ids = [s.id for s in store.list_stories(limit=300)]
        store.set_read(ids[1:], True)
        pager = StoryPager(store, StoryFilter(), page_size=10)
        assert pager.previous_unread(299) == 0
        assert len(pager._pages) <= 2  # the page of the cursor and of the answer, none between
        assert pager.previous_unread(0) is None
        store.set_read(ids[150:151], False)
        assert pager.previous_unread(299) == 150
        assert pager.previous_unread(150) == 0
        assert pager.previous_unread(300) == 150  # past the end (an emptied last row)


class _RecordingStore(Store):
    """A real store that remembers which thread ran each full-text query."""

    search_threads: list[str]

    def count_stories(self, flt: StoryFilter | None = None) -> int:
        if flt is not None and flt.query:
            self.search_threads.append(threading.current_thread().name)
        return super().count_stories(flt)


async def test_search_as_you_type_queries_off_the_ui_thread(
    desk_runtime: Any, make_desk: Any
) -> None:
    """An FTS count costs ~60 ms at 100k stories (its first page ~250 ms): never per key on
    the event loop."""
    store = _RecordingStore.open(desk_runtime.db_path)
    store.search_threads = []
    app = make_desk(desk_runtime, store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"boeing")
        await settle(pilot)
        main = threading.main_thread().name
        assert store.search_threads and main not in store.search_threads
        expected = store.list_stories(StoryFilter(query="boeing"), limit=100)
        assert 0 < len(expected) < store.count_stories()
        assert app.desk.pager.count == len(expected)
        assert app.desk.story_list.current_story.id == expected[0].id
    store.close()


async def test_R_on_a_source_removed_by_another_process(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        story = app.desk.story_list.current_story
        assert story.source_id is not None
        with Store.open(desk_runtime.db_path) as other:  # another process
            other.remove_source(story.source_id)
        await pilot.press("R")
        await settle(pilot)
        assert app.is_running
        assert any("no longer" in n.message for n in app.notices)


class _ActorCountingStore(Store):
    """A real store that remembers which thread asked for the desk-wide actor list."""

    actor_threads: list[str]

    def actors(self, *, limit: int = 200) -> list[tuple[str, str, int]]:
        self.actor_threads.append(threading.current_thread().name)
        return super().actors(limit=limit)


async def test_triage_keys_do_not_reread_the_actor_list(desk_runtime: Any, make_desk: Any) -> None:
    """The actor list is a GROUP BY over every analysed story (~0.5 s at 100k)."""
    store = _ActorCountingStore.open(desk_runtime.db_path)
    store.actor_threads = []
    app = make_desk(desk_runtime, store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        at_start = len(store.actor_threads)
        assert at_start >= 1  # the left pane lists actors from the start
        first = app.desk.story_list.current_story.id
        for key in ("enter", "m", "s", "x", "u", "u", "u", "j", "space", "m"):
            await pilot.press(key)
            await settle(pilot)
        assert app.store.story(first).read
        await pilot.press("f")  # the filter dialog's actor choices come from the same list
        await pilot.pause()
        assert isinstance(app.screen, FilterDialog)
        assert app.screen.actors == Store.actors(store, limit=200)
        await pilot.press("escape")
        assert threading.main_thread().name not in store.actor_threads[at_start:]
    store.close()


EMPTY_DESK_KEYS = ("j", "k", "enter", "n", "p", "m", "s", "t", "T", "N", "x", "u", "v", "space",
                   "F", "o", "y", "R", "G", "g", "pagedown", "l", "h", "escape")  # fmt: skip


async def test_every_key_on_an_empty_view_says_so_without_crashing(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzqqq", "enter")
        await settle(pilot)
        assert app.desk.pager.count == 0
        for key in EMPTY_DESK_KEYS:
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running, key
            assert app.screen is app.desk, key  # no dialog opened for nothing
        assert app.store.counts()["unread"] == app.store.count_stories()


async def test_archiving_during_a_search_requeries_off_the_ui_thread(
    desk_runtime: Any, make_desk: Any
) -> None:
    store = _RecordingStore.open(desk_runtime.db_path)
    store.search_threads = []
    app = make_desk(desk_runtime, store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.desk.set_view(VIEWS[1])  # Unread: archiving hides a story
        await pilot.press("slash", *"Apple")
        await settle(pilot)
        app.desk.story_list.focus()  # (enter would open, and so read, the first result)
        before = app.desk.pager.count
        assert before >= 3
        await pilot.press("j")
        second = app.desk.story_list.current_story.id
        await pilot.press("x")
        await settle(pilot)
        assert app.store.story(second).archived
        assert app.desk.pager.count == before - 1
        assert app.desk.story_list.cursor == 1  # the cursor stays where it was
        await pilot.press("u")
        await settle(pilot)
        assert app.desk.pager.count == before
        assert threading.main_thread().name not in store.search_threads
    store.close()


async def test_a_story_without_a_title_reads_untitled(tmp_path: Any, make_desk: Any) -> None:
    from tui.runtime import Runtime

    runtime = Runtime(db_path=tmp_path / "untitled.db", config_file=tmp_path / "config.toml")
    with Store.open(runtime.db_path) as store:
        source = store.add_source("https://example.org/feed")
        store.upsert_stories(source.id, [StoryIn(title="", text="Body only.", guid="g1")])
    app = make_desk(runtime)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        row = app.desk.story_list.render_line(0).text
        assert "(untitled)" in row
        await pilot.press("enter")
        await settle(pilot)
        header = app.desk.story_view.query_one("#story-header").render()
        assert str(header).startswith("(untitled)")


async def test_undo_after_the_story_was_deleted_by_another_process(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = app.desk.story_list.current_story.id
        app.store.add_tags([first], ["keep"])
        app.desk.triage("tagged mexico", [first], lambda: app.store.add_tags([first], ["mexico"]))
        await settle(pilot)
        _delete_behind(desk_runtime.db_path, first)
        await pilot.press("u")
        await settle(pilot)
        assert app.is_running
        assert app.store.count_stories(StoryFilter(ids=(first,))) == 0
        assert any("no longer" in n.message for n in app.notices)
        assert app.desk.undo_stack == []
