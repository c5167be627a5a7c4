"""The desk service's reads and the story window the list paints from (no app, no terminal)."""

from __future__ import annotations

import datetime as dt

from tui.desk.service import DeskService, ListRequest
from tui.desk.views import DeskView
from tui.desk.window import PageRows, RowsWindow, RowUpdate, StoryWindow
from tui.store import Store, StoryFilter, StoryIn

TODAY = dt.date(2026, 1, 10)


def _service(store: Store, page_size: int = 10) -> DeskService:
    return DeskService(store, today=lambda: TODAY, page_size=page_size)


def _stories(store: Store, count: int) -> list[int]:
    """``count`` stories, newest first."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return [
        store.upsert_story(
            None, StoryIn(title=f"Story {i}", text="Text.", published=start - dt.timedelta(hours=i))
        )[0]
        for i in range(count)
    ]


def test_a_reload_finds_the_kept_story_and_reads_the_pages_around_it(store: Store) -> None:
    ids = _stories(store, 45)
    service = _service(store)
    keep = store.story(ids[23])
    window = service.load_window(ListRequest(StoryFilter(), keep=keep, cursor=3))
    assert (window.count, window.found) == (45, 23)
    numbers = sorted(page.number for page in window.pages)
    assert 2 in numbers and numbers == list(range(numbers[0], numbers[-1] + 1))
    fresh = service.load_window(ListRequest(StoryFilter(), cursor=99, keep_cursor=True))
    assert fresh.found is None  # no kept story: the caller keeps the row number, clamped
    top = service.load_window(ListRequest(StoryFilter(unread=True), keep_cursor=False))
    assert top.pages[0].number == 0 and top.pages[0].rows[0].id == ids[0]


def test_locating_a_story_outside_the_view_reads_all(store: Store) -> None:
    ids = _stories(store, 5)
    store.set_saved([ids[0]], True)
    service = _service(store)
    window = service.load_window(ListRequest(StoryFilter(saved=True), locate_id=ids[3]))
    assert window.filter == StoryFilter() and window.found == 3


def test_pages_continue_the_window_the_ui_holds(store: Store) -> None:
    ids = _stories(store, 35)
    service = _service(store)
    first = service.load_window(ListRequest(StoryFilter(), keep_cursor=False))
    window = StoryWindow(page_size=10)
    window.adopt(first)
    assert window.get(5) is not None and window.get(34) is None  # not loaded: no store call
    assert window.missing_pages(0, 34) == [1, 2, 3]  # the reload read the cursor's page
    missing = window.missing_pages(0, 34)
    pages = service.load_pages(window.filter, window.count, window.known_pages(), missing)
    assert window.add_pages(window.generation, pages)
    assert [window.get(i).id for i in range(35)] == ids  # type: ignore[union-attr]
    assert window.missing_pages(0, 34) == []


def test_pages_for_an_older_list_are_dropped() -> None:
    window = StoryWindow(page_size=10)
    window.adopt(RowsWindow(StoryFilter(), 0, ()))
    old = window.generation
    window.adopt(RowsWindow(StoryFilter(unread=True), 0, ()))
    assert not window.add_pages(old, [PageRows(0, ())])


def test_rows_re_read_after_a_change_replace_the_loaded_ones(store: Store) -> None:
    ids = _stories(store, 3)
    service = _service(store)
    window = StoryWindow(page_size=10)
    window.adopt(service.load_window(ListRequest(StoryFilter())))
    store.add_tags([ids[1]], ["scoop"])
    window.replace_stories(service.rows([ids[1]]))
    assert window.get(1).tags == ("scoop",)  # type: ignore[union-attr]
    window.replace_stories(RowUpdate(()))
    assert window.find(ids[2]) is not None and window.index_of(store.story(ids[2])) == 2


def test_the_snapshot_holds_counts_sources_tags_and_actors(store: Store) -> None:
    source = store.add_source("https://example.org/feed.xml", title="Example")
    store.upsert_story(source.id, StoryIn(title="One", text="Text."))
    ids = _stories(store, 2)
    store.set_read([ids[0]], True)
    store.add_tags([ids[1]], ["border"])
    service = _service(store)
    snapshot = service.snapshot()
    assert snapshot.counts["total"] == 3 and snapshot.counts["unread"] == 2
    assert "upcoming" in snapshot.counts and "upcoming" not in snapshot.header_counts
    assert snapshot.source(source.id) is not None
    assert snapshot.source_labels[source.id] == "Example"
    assert snapshot.unread_by_source == {source.id: 1}
    assert snapshot.tags == (("border", 1),)
    assert snapshot.stories == 3
    assert not service.changed_elsewhere()
    store.upsert_story(None, StoryIn(title="New", text="Text."))
    assert service.changed_elsewhere()  # what the poll asks


def test_n_finds_the_next_unread_row_wrapping(store: Store) -> None:
    ids = _stories(store, 25)
    store.set_read(ids[:24], True)
    service = _service(store)
    window = StoryWindow(page_size=10)
    window.adopt(service.load_window(ListRequest(StoryFilter(), keep_cursor=False)))
    found = service.find_unread(
        window.filter,
        window.count,
        window.known_pages(),
        0,
        forward=True,
        generation=window.generation,
    )
    assert found.step is not None and found.step.index == 24
    store.set_read([ids[24]], True)
    none = service.find_unread(
        window.filter, window.count, {}, 0, forward=False, generation=window.generation
    )
    assert none.step is None


def test_views_searches_and_remote_changes_are_plain_state(store: Store) -> None:
    service = _service(store)
    view = DeskView("view:saved", "Saved", StoryFilter(saved=True))
    service.set_view(view)
    service.search_text = "talks"
    assert service.effective_filter == StoryFilter(saved=True, query="talks")
    assert not service.take_remote_changes()
    service.count_remote_change("tags", "ann")
    assert service.take_remote_changes() and not service.take_remote_changes()
