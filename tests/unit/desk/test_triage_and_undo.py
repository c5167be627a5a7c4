"""Triage and undo as plain unit tests of ``DeskService`` (a real SQLite file, no app)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time

import pytest

from tui.desk.sequencer import Sequencer
from tui.desk.service import DeskService
from tui.desk.undo import UndoEntry, UndoStack
from tui.store import Store, StoryFilter, StoryIn, TriageState

TODAY = dt.date(2026, 1, 10)


def _service(store: Store) -> DeskService:
    return DeskService(store, today=lambda: TODAY)


def _stories(store: Store, count: int) -> list[int]:
    """``count`` stories, newest first (story 0 the newest)."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ids = [
        store.upsert_story(
            None, StoryIn(title=f"Story {i}", text="Text.", published=start - dt.timedelta(hours=i))
        )[0]
        for i in range(count)
    ]
    return ids


def _delete_behind(store: Store, story_id: int) -> None:
    """Another process deletes the story (as a purge or a second desk would)."""
    conn = sqlite3.connect(str(store.path))
    with conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
    conn.close()


def test_toggle_read_sets_then_clears_and_undo_restores(store: Store) -> None:
    ids = _stories(store, 3)
    service = _service(store)
    first = service.toggle("read", ids[:2], ticket=service.ticket())
    assert (first.status, first.label) == ("done", "marked read")
    assert [store.story(i).read for i in ids] == [True, True, False]
    assert first.rows is not None and {s.id for s in first.rows.stories} == set(ids[:2])
    assert first.snapshot is not None and first.snapshot.counts["unread"] == 1
    second = service.toggle("read", ids[:2], ticket=service.ticket())
    assert second.label == "marked unread"
    assert not any(store.story(i).read for i in ids)
    assert [e.label for e in service.undo.entries] == ["marked read", "marked unread"]
    undone = service.undo_last(ticket=service.ticket())
    assert undone.entry is not None and undone.entry.label == "marked unread"
    assert sorted(undone.ids) == sorted(ids[:2]) and not undone.some_missing
    assert [store.story(i).read for i in ids] == [True, True, False]


def test_a_mixed_selection_is_saved_all_at_once(store: Store) -> None:
    ids = _stories(store, 2)
    store.set_saved([ids[0]], True)
    service = _service(store)
    result = service.toggle("saved", ids, ticket=service.ticket())
    assert result.label == "saved"
    assert all(store.story(i).saved for i in ids)


def test_archive_asks_for_a_reload_and_undo_brings_it_back(store: Store) -> None:
    ids = _stories(store, 2)
    service = _service(store)
    result = service.toggle("archived", [ids[0]], ticket=service.ticket())
    assert (result.label, result.reload) == ("archived", True)
    assert result.rows is None  # the caller reads the list again instead
    assert store.story(ids[0]).archived
    service.undo_last(ticket=service.ticket())
    assert not store.story(ids[0]).archived


def test_tags_and_notes_undo_to_what_they_were(store: Store) -> None:
    ids = _stories(store, 1)
    store.add_tags(ids, ["keep"])
    service = _service(store)
    service.triage("tagged mexico", ids, lambda: store.add_tags(ids, ["mexico"]))
    service.triage("note", ids, lambda: store.set_note(ids[0], "call back"))
    assert store.story(ids[0]).tags == ("keep", "mexico")
    service.undo_last(ticket=service.ticket())
    assert store.story(ids[0]).note == ""
    service.undo_last(ticket=service.ticket())
    assert store.story(ids[0]).tags == ("keep",)


def test_undo_with_nothing_to_undo(store: Store) -> None:
    service = _service(store)
    result = service.undo_last(ticket=service.ticket())
    assert result.entry is None and result.ids == [] and not result.some_missing


def test_the_open_story_is_read_back_when_triage_touched_it(store: Store) -> None:
    ids = _stories(store, 2)
    service = _service(store)
    result = service.triage(
        "tagged a", [ids[0]], lambda: store.add_tags([ids[0]], ["a"]), shown_id=ids[0]
    )
    assert result.shown is not None and result.shown.story.tags == ("a",)
    other = service.triage(
        "tagged b", [ids[1]], lambda: store.add_tags([ids[1]], ["b"]), shown_id=ids[0]
    )
    assert other.shown is None and not other.shown_gone


def test_triage_on_a_story_deleted_meanwhile_says_missing(store: Store) -> None:
    ids = _stories(store, 1)
    _delete_behind(store, ids[0])
    service = _service(store)
    result = service.triage("tagged x", ids, lambda: store.add_tags(ids, ["x"]))
    assert (result.status, result.reload) == ("missing", True)
    assert len(service.undo) == 0


def test_undo_skips_stories_deleted_since(store: Store) -> None:
    ids = _stories(store, 2)
    service = _service(store)
    service.triage("tagged x", ids, lambda: store.add_tags(ids, ["x"]))
    _delete_behind(store, ids[0])
    result = service.undo_last(ticket=service.ticket())
    assert result.some_missing and result.ids == [ids[1]]
    assert store.story(ids[1]).tags == ()
    assert len(service.undo) == 0


def test_opening_marks_read_once(store: Store) -> None:
    ids = _stories(store, 1)
    service = _service(store)
    opened = service.open_story(ids[0], service.ticket())
    assert opened.story.read and opened.marked_read is not None
    assert store.story(ids[0]).read
    again = service.open_story(ids[0], service.ticket())
    assert again.marked_read is None


def test_the_undo_stack_is_bounded() -> None:
    stack = UndoStack(depth=3)
    for i in range(5):
        stack.push(UndoEntry(f"action {i}", (TriageState(i, False, False, False, ""),)))
    assert [e.label for e in stack.entries] == ["action 2", "action 3", "action 4"]
    assert stack.pop() is not None and len(stack) == 2


def test_writes_keep_key_order_across_threads() -> None:
    sequencer = Sequencer()
    first, second = sequencer.ticket(), sequencer.ticket()
    order: list[int] = []

    def run(ticket: int, delay: float) -> None:
        time.sleep(delay)
        with sequencer.turn(ticket):
            order.append(ticket)

    late = threading.Thread(target=run, args=(first, 0.05))
    early = threading.Thread(target=run, args=(second, 0.0))
    early.start()
    late.start()
    early.join()
    late.join()
    assert order == [first, second]


def test_a_failing_turn_still_lets_the_next_run() -> None:
    sequencer = Sequencer()
    first, second = sequencer.ticket(), sequencer.ticket()
    with pytest.raises(RuntimeError), sequencer.turn(first):
        raise RuntimeError("write failed")
    with sequencer.turn(second, timeout=1.0):
        pass


def test_read_only_filter_state_is_plain(store: Store) -> None:
    service = _service(store)
    service.search_text = "  border "
    assert service.effective_filter == StoryFilter(query="border")


def test_opening_a_read_story_does_not_hold_up_the_next_write(store: Store) -> None:
    """Opening takes its turn even when there is nothing to write (it was a 30 s stall)."""
    ids = _stories(store, 1)
    store.set_read(ids, True)
    service = _service(store)
    assert service.open_story(ids[0], service.ticket()).marked_read is None
    started = time.monotonic()
    service.toggle("saved", ids, ticket=service.ticket())
    assert time.monotonic() - started < 5
    assert store.story(ids[0]).saved
