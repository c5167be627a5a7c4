"""The desk's list: reading it (reloads, views, searches, polls, another desk's changes),
its pages as the cursor nears them, the counts, the status line, search and filter.

A mixin of ``DeskScreen``: each read runs in a worker and comes back as a
Message (``WindowReady``, ``RowsReady``, ``CountsReady``) applied here.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from tui.desk.service import ListRequest
from tui.desk.snapshot import EMPTY_SNAPSHOT
from tui.desk.views import ALL, DeskView, describe
from tui.screens.desk_messages import (
    CountsReady,
    RowsChanged,
    RowsReady,
    StoreChanged,
    WindowReady,
)
from tui.screens.filter import FilterDialog
from tui.store import ActorCount, Story, StoryFilter
from tui.widgets.desk_header import DeskHeader
from tui.widgets.side_panel import SidePanel
from tui.widgets.story_list import plain

if TYPE_CHECKING:
    pass
from tui.screens.desk_base import DeskBase

SEARCH_PAUSE = 0.12
"""Seconds the search waits for the next key before querying (cancelled by it)."""


class ListActions(DeskBase):
    """The list, counts, search and filter of ``DeskScreen``."""

    @work(thread=True, exclusive=True, group="window", exit_on_error=False)
    def _read_list(self, request: ListRequest, moves: int, pause: float = 0.0) -> None:
        if pause:
            time.sleep(pause)  # a fast typist's next key cancels this search
            if get_current_worker().is_cancelled:
                return
        self._post("Search", lambda: WindowReady(request, self.service.load_window(request), moves))

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def _read_counts(self) -> None:
        self._post("Counting", lambda: CountsReady(self.service.snapshot()))

    @work(thread=True, group="rows", exit_on_error=False)
    def _read_pages(
        self,
        generation: int,
        flt: StoryFilter,
        count: int,
        known: dict[int, list[Story]],
        numbers: list[int],
    ) -> None:
        def read() -> RowsReady:
            try:
                pages = self.service.load_pages(flt, count, known, numbers)
            except Exception:
                # Say the pages are not coming (so they are asked again), then report.
                self.post_message(RowsReady(generation, (), tuple(numbers)))
                raise
            return RowsReady(generation, pages, tuple(numbers))

        self._post("Reading stories", read)

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _poll(self) -> None:
        self._post("Polling", lambda: StoreChanged() if self.service.changed_elsewhere() else None)

    def poll_store(self) -> None:
        """Pick up stories another process added (``newsdesk fetch``, a second desk)."""
        self._poll()

    def on_store_changed(self, _message: StoreChanged) -> None:
        self.reload()

    def apply_remote_changes(self) -> None:
        """Show what another desk changed (tags, notes, archive, new stories), cursor kept."""
        if not self.service.take_remote_changes():
            return
        self.reload()
        shown = self.story_view.story
        if shown is not None:
            self._read_story(shown.id, None, False)

    def reload(self, *, keep_cursor: bool = True) -> None:
        """Read the list, counts and navigation again (in workers; painted when they answer)."""
        self._request_list(keep_cursor=keep_cursor)
        self.refresh_counts()

    def _request_list(
        self, *, keep_cursor: bool, pause: float = 0.0, locate: int | None = None
    ) -> None:
        self._serial += 1
        keep = self.story_list.current_story if keep_cursor else None
        request = ListRequest(
            self.effective_filter,
            keep,
            self.story_list.cursor,
            keep_cursor,
            self._serial,
            locate_id=locate,
        )
        self._read_list(request, self.story_list.moves, pause)

    def on_window_ready(self, message: WindowReady) -> None:
        request, window = message.request, message.window
        if request.serial != self._serial:
            return  # the user typed on, or changed the view, meanwhile
        self._answered = request.serial
        if self.snapshot is EMPTY_SNAPSHOT and not any(w.group == "counts" for w in self.workers):
            self.call_after_refresh(self.refresh_counts)  # the first list: counts after it
        if window.filter != request.filter:  # the agenda's story is not in this view: All
            self.service.set_view(ALL)
            self.story_list.marked.clear()
        self.window.adopt(window)
        self._rows_asked.clear()
        self.story_list.empty_message = self._empty_message()
        if self.story_list.moves != message.moves:
            # The user moved while the list was read: the cursor stays on that row.
            self.story_list.show_window(found=None, keep_cursor=True)
        else:
            self.story_list.show_window(found=window.found, keep_cursor=request.keep_cursor)
        self._update_status()
        if request.locate_id is not None and self._locating is not None:
            story_id, sentence = self._locating
            self._locating = None
            if window.found is not None:
                self.story_list.move_to(window.found)
            self.pending_sentence = (story_id, sentence)
            self.open_story_id(story_id)
        if self._open_first_result:
            self._open_first_result = False
            self._open_first()
        elif self._open_when_read:
            self._open_when_read = False
            self.action_open_story()

    def _rows_wanted(self, first: int, last: int) -> None:
        """The list will soon show rows ``first``..``last``: read the pages not loaded."""
        window = self.window
        numbers = [
            page
            for page in window.missing_pages(first, last)
            if (window.generation, page) not in self._rows_asked
        ]
        if not numbers:
            return
        self._rows_asked.update((window.generation, page) for page in numbers)
        self._read_pages(
            window.generation, window.filter, window.count, window.known_pages(), numbers
        )

    def on_rows_ready(self, message: RowsReady) -> None:
        self._rows_asked.difference_update((message.generation, n) for n in message.asked)
        if self.window.add_pages(message.generation, message.pages) and message.pages:
            self.story_list.refresh()
            self._update_status()  # the cursor's row may have arrived
            self._update_status()

    def on_rows_changed(self, message: RowsChanged) -> None:
        self.window.replace_stories(message.update)
        self.story_list.refresh()

    def refresh_counts(self, actors: list[ActorCount] | None = None) -> None:
        """Header counts, side panel counts, the list's status line (read in a worker).

        The actor list is a GROUP BY over every analysed story (~0.5 s at 100k), so
        it is read once, and afterwards passed in by background analysis, which
        queries it in its thread.
        """
        if actors is not None:
            self.service.actors = tuple(actors)
        self._read_counts()

    def on_counts_ready(self, message: CountsReady) -> None:
        snapshot = self.snapshot = message.snapshot
        self.query_one(DeskHeader).set_counts(snapshot.header_counts)
        self.query_one(SidePanel).populate(
            counts=dict(snapshot.counts),
            sources=list(snapshot.sources),
            current=self.view.key,
            unread_by_source=snapshot.unread_by_source,
            tags=list(snapshot.tags),
            actors=list(snapshot.actors[:12]),
        )
        self.story_list.empty_message = self._empty_message()
        if self.window.count == 0:
            self.story_list.refresh()
        self._update_status()

    def known_actors(self) -> list[ActorCount]:
        """The actor list as last read (at start, then by background analysis)."""
        return list(self.service.actors or self.snapshot.actors)

    def _update_status(self) -> None:
        labels = self.snapshot.source_labels
        status = Text(plain(describe(self.view, labels)), style="bold", end="")
        count = self.window.count
        status.append(f" · {count} {'story' if count == 1 else 'stories'}", style="")
        if self.search_text.strip():
            status.append(" · search “")
            status.append(plain(self.search_text.strip()))
            status.append("”")
        marked = len(self.story_list.marked)
        if marked:
            status.append(f" · {marked} marked", style="bold")
        elif self.targets.off_cursor(self._cursor_id(), reader_focused=self.reader_focused):
            status.append(" · keys act on the open story ›", style="bold")
        if self.has_class("-narrow") and not self.has_class("-side-toggled"):
            status.append("  \\ sources", style="dim italic")
        self.query_one("#list-status", Static).update(status)
        error = self.query_one("#source-error", Static)
        source_error = None
        if self.base_filter.source_id is not None:
            source = self.snapshot.source(self.base_filter.source_id)
            if source is not None and source.last_error:
                source_error = Text("! Last fetch failed", style="bold", end="")
                if source.failures:
                    source_error.append(f" ({source.failures}× in a row)")
                source_error.append(": " + plain(source.last_error))
        error.display = source_error is not None
        if source_error is not None:
            error.update(source_error)

    def _empty_message(self) -> str:
        if self.snapshot is not EMPTY_SNAPSHOT and self.snapshot.stories == 0:
            return (
                "The desk is empty. A adds a feed (or `newsdesk add URL` in a shell); "
                "ctrl+l loads the sample desk."
            )
        if self.search_text.strip():
            return f"No stories match “{plain(self.search_text.strip())}”. esc clears the search."
        return (
            "No stories in this view. f changes the filter; choose All on the left for everything."
        )

    def set_view(self, view: DeskView) -> None:
        """Show a view (All, Unread, a source, a tag, an actor, or the filter dialog's choice)."""
        self.service.set_view(view)
        self.story_list.marked.clear()
        self.reload(keep_cursor=False)

    def on_side_panel_chosen(self, event: SidePanel.Chosen) -> None:
        self.set_view(event.view)
        if self.has_class("-narrow"):
            self.remove_class("-side-toggled")
            self._update_status()
        self.story_list.focus()

    def after_change(self, ids: list[int], *, reload: bool = False) -> None:
        """Repaint what a store write changed (read back in workers)."""
        if reload:
            self.reload()
        elif ids:
            self._read_rows(ids)
        shown = self.story_view.story
        if shown is not None and shown.id in ids:
            self._read_story(shown.id, None, False)

    def action_clear(self) -> None:
        """Esc: clear the search and a filter made with f (back to All), else the marks."""
        search = self.query_one("#search", Input)
        searching = bool(self.search_text) or search.has_class("-active")
        filtered = self.view.key == "filter"
        if searching:
            self.service.search_text = ""
            search.value = ""
            search.remove_class("-active")
            self._open_first_result = False
        if filtered:
            self.set_view(ALL)
        elif searching:
            self.reload(keep_cursor=True)
        if searching or filtered:
            self.story_list.focus()
        elif self.story_list.marked:
            self.story_list.clear_marks()
            self._update_status()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-active")
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        event.stop()
        self.service.search_text = event.value
        # At 100k stories an FTS count plus its first page costs a few hundred ms: a
        # worker reads it, after a pause in which the next key cancels it.
        self._request_list(keep_cursor=False, pause=SEARCH_PAUSE)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the first result (once the results are in)."""
        if event.input.id != "search":
            return
        event.stop()
        self.story_list.focus()
        if self.window.filter == self.effective_filter and not any(
            w.group == "window" and w.is_running for w in self.workers
        ):
            self._open_first()
        else:
            self._open_first_result = True

    def _open_first(self) -> None:
        if self.window.count:
            self.story_list.move_to(0, user=False)
            self.action_open_story()

    def action_filter(self) -> None:
        def done(flt: StoryFilter | None) -> None:
            if flt is None:
                return
            self.set_view(ALL if flt == StoryFilter() else DeskView("filter", "Filter", flt))

        self.app.push_screen(
            FilterDialog(
                self.base_filter,
                sources=list(self.snapshot.sources),
                tags=list(self.snapshot.tags),
                actors=self.known_actors(),
            ),
            done,
        )
