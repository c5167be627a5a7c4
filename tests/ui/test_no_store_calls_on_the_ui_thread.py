"""The desk's threading rule: no store call on the UI thread.

The desk reads and writes the store only in thread workers (``DeskService``
called from ``@work(thread=True)``) and paints their typed Messages. This test
runs a Pilot session over every kind of key and event that touches the store
(open, moves and jumps, triage, undo, search, filter, a view, counts, another
process's stories, another desk's changes) on a store wrapped in a proxy that
records each method called on the main (event-loop) thread.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from tests.support.pilot import settle
from tui.store import Store, StoryIn


class ThreadRecordingStore:
    """A store that records the methods called on the main thread (delegating everything)."""

    def __init__(self, store: Store) -> None:
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "ui_calls", [])
        object.__setattr__(self, "worker_calls", 0)
        object.__setattr__(self, "recording", False)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if name.startswith("_") or not callable(value):
            return value

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            if self.recording:
                if threading.current_thread() is threading.main_thread():
                    self.ui_calls.append(name)
                else:
                    object.__setattr__(self, "worker_calls", self.worker_calls + 1)
            return value(*args, **kwargs)

        return call

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._store, name, value)  # the app sets the store's clock

    def record(self, on: bool) -> None:
        """Start or stop recording calls."""
        object.__setattr__(self, "recording", on)


async def test_no_store_call_runs_on_the_ui_thread(desk_runtime: Any, make_desk: Any) -> None:
    real = Store.open(desk_runtime.db_path)
    store = ThreadRecordingStore(real)
    store.record(True)  # from construction on: mounting reads the list and counts too
    app = make_desk(desk_runtime, store=store)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            desk = app.desk
            assert desk.pager.count > 0  # the list was read (in a worker)
            await pilot.press("j", "j", "k", "enter")  # move and open (marks it read)
            await settle(pilot)
            assert desk.story_view.story is not None
            await pilot.press("G", "g", "pagedown", "pageup")  # jumps load pages in workers
            await settle(pilot)
            await pilot.press("h", "m", "s", "space", "j", "space", "x")  # triage, bulk archive
            await settle(pilot)
            await pilot.press("u", "u")  # undo
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            await pilot.press(*"scoop", "enter")  # tag
            await settle(pilot)
            await pilot.press("T")
            await settle(pilot)
            await pilot.press("escape", "N")
            await settle(pilot)
            await pilot.press("escape", "n", "p")  # next and previous unread
            await settle(pilot)
            await pilot.press("slash", *"border", "enter")  # search, open the first result
            await settle(pilot)
            await pilot.press("escape", "f")
            await settle(pilot)
            await pilot.press("ctrl+s")  # the filter dialog, applied
            await settle(pilot)
            side = desk.query_one("SidePanel")
            desk.set_view(side.views["view:unread"])  # a view from the left pane
            await settle(pilot)
            desk.refresh_counts()
            await settle(pilot)
            with Store.open(desk_runtime.db_path) as other:  # another process adds a story
                other.upsert_story(None, StoryIn(title="Arrived meanwhile", text="Body."))
            desk.poll_store()
            await settle(pilot)
            desk.service.count_remote_change("tags", "ann")  # another desk changed something
            desk.apply_remote_changes()
            await settle(pilot)
            assert app.is_running
            store.record(False)  # closing the app writes what is kept and closes the store
    finally:
        real.close()
    assert store.worker_calls > 0
    assert store.ui_calls == []
