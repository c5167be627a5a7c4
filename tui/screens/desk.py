"""The desk: sources and views, the story list, the story with its analysis, and every key.

The desk's logic lives in ``tui.desk.service.DeskService`` (Textual-free); this
screen turns keys into calls of it and paints what it answers. The one rule:
**no store call on the UI thread.** Every read and write of the store runs in a
thread worker (``@work(thread=True)``) that posts a typed Message back
(``tui.screens.desk_messages``: ``CountsReady``, ``WindowReady``, ``RowsReady``,
``TriageDone`` …), applied here on the UI thread. The story list paints from an
in-memory window of pages (``tui.desk.window``) and asks for the pages the
cursor is about to reach, so moving stays instant.

Triage keys act on the marked stories, else on the story the user sees (the
open story, unless the user moved the cursor off it; ``tui.desk.targets``
decides and the status line says which); each is one store call (one
transaction) and pushes the previous state on the undo stack.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from tui.commands import desk_bindings
from tui.desk.browser import open_link
from tui.desk.navigation import wrap_message
from tui.desk.service import ACTOR_CHOICES, DeskService, ListRequest, Toggle
from tui.desk.snapshot import EMPTY_SNAPSHOT, CountsSnapshot
from tui.desk.targets import Target, TargetTracker
from tui.desk.undo import UndoEntry
from tui.desk.views import ALL, DeskView, describe
from tui.desk.window import StoryWindow
from tui.screens.desk_host import DeskHost
from tui.screens.desk_messages import (
    CountsReady,
    RowsChanged,
    RowsReady,
    StoreChanged,
    StoreFailed,
    StoriesReady,
    StoryLoaded,
    TagsReady,
    TriageDone,
    UndoDone,
    UnreadReady,
    WindowReady,
    WorkerFailed,
)
from tui.screens.desk_outside import OutsideActions
from tui.screens.desk_writes import SafeWrites
from tui.screens.dialogs import NoteDialog
from tui.screens.filter import FilterDialog
from tui.screens.help import HelpScreen
from tui.screens.tagging import TagDialog, UntagDialog
from tui.sources.links import local_path, web_link
from tui.store import ActorCount, NotFoundError, StoreLocked, StoreUnavailable, Story, StoryFilter
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.desk_header import DeskHeader
from tui.widgets.highlight import palette_for_theme
from tui.widgets.side_panel import SidePanel
from tui.widgets.story_list import StoryList, plain
from tui.widgets.story_view import StoryView

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tui.analysis.model import Analysis
    from tui.store import Store

__all__ = ["ACTOR_CHOICES", "Analyser", "DeskScreen", "short_title"]

NARROW = 100
"""Below this many columns the left pane hides until ``\\`` shows it."""
STACKED = 120
"""Below this many columns the story sits under the list, so titles get the full width
(side by side, 80 columns left list titles about 20 characters)."""
POLL_SECONDS = 5.0
REMOTE_SECONDS = 0.25  # how often a shared desk applies changes LISTEN/NOTIFY reported
SEARCH_PAUSE = 0.12
"""Seconds the search waits for the next key before querying (cancelled by it)."""

Analyser = Callable[["Store", Story], "Analysis"]
"""Computes (or reads from the cache) the analysis of a story; runs in a worker thread."""


class DeskScreen(SafeWrites, OutsideActions):
    """The main screen of newsdesk."""

    BINDINGS: ClassVar[list[BindingType]] = desk_bindings()

    DEFAULT_CSS = """
    DeskScreen #list-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    DeskScreen #source-error { height: auto; padding: 0 1; color: $error; display: none; }
    DeskScreen #search { display: none; }
    DeskScreen #search.-active { display: block; }
    """

    def __init__(
        self,
        service: DeskService,
        host: DeskHost,
        clock: Callable[[], dt.datetime],
        analyser: Analyser | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.host = host
        self.store = host.store
        """The service's store, for worker threads and dialogs only (never the UI thread)."""
        self.clock = clock
        self.analyser = analyser
        self.window = StoryWindow(service.page_size)
        self.snapshot: CountsSnapshot = EMPTY_SNAPSHOT
        self.analyses: dict[int, Analysis] = {}
        self.pending_sentence: tuple[int, int] | None = None
        self._open_first_result = False
        self._serial = 0
        """The newest list request: only its answer is painted."""
        self._answered = 0
        self._open_when_read = False
        """Enter was pressed while the list was being read: open once it is."""
        self._locating: tuple[int, int] | None = None
        """(story id, sentence) the agenda asked to open once the list is read."""
        self._opening: int | None = None
        """The story the user asked to open last (an older answer is not shown)."""
        self._tag_dialog: TagDialog | None = None
        self._rows_asked: set[tuple[int, int]] = set()
        """(generation, page) being read, so a held key does not ask twice."""

    # -- state kept by the service ------------------------------------------------------------

    @property
    def pager(self) -> StoryWindow:
        """The rows the list shows (``count``, ``get``; filled by workers)."""
        return self.window

    @property
    def view(self) -> DeskView:
        return self.service.view

    @property
    def base_filter(self) -> StoryFilter:
        return self.service.base_filter

    @property
    def search_text(self) -> str:
        return self.service.search_text

    @property
    def effective_filter(self) -> StoryFilter:
        """The view's filter with the search text."""
        return self.service.effective_filter

    @property
    def undo_stack(self) -> list[UndoEntry]:
        """The triage actions ``u`` can undo, oldest first."""
        return self.service.undo.entries

    @property
    def targets(self) -> TargetTracker:
        """Which story keys act on (the open one, the marked ones, the cursor's)."""
        return self.service.targets

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DeskHeader(id="desk-header")
        with Horizontal(id="desk"):
            yield SidePanel(id="side")
            with Vertical(id="centre"):
                yield Static(id="list-status", markup=False)
                yield Static(id="source-error", markup=False)
                yield Input(placeholder="Search titles and text…", id="search")
                yield StoryList(
                    self.window,
                    clock=self.clock,
                    on_user_move=self._user_moved,
                    on_rows_wanted=self._rows_wanted,
                    id="stories",
                )
            with Vertical(id="reader"):
                yield StoryView(today=self.host.today, id="story")
                yield AnalysisPanel(id="analysis")
        yield Footer(compact=True)

    @property
    def story_list(self) -> StoryList:
        return self.query_one(StoryList)

    @property
    def story_view(self) -> StoryView:
        return self.query_one(StoryView)

    @property
    def analysis_panel(self) -> AnalysisPanel:
        return self.query_one(AnalysisPanel)

    def set_activity(self, activity: str) -> None:
        """What runs in the background, in the header ("" when idle)."""
        self.query_one(DeskHeader).set_activity(activity)

    async def _dispatch_message(self, message: Message) -> None:
        # A database that went away is reported by the app, and this screen keeps running.
        try:
            await super()._dispatch_message(message)
        except (StoreUnavailable, StoreLocked) as error:
            self.host.report_store_error(error)

    def on_mount(self) -> None:
        self.analysis_panel.show_message("No story open.")
        self.watch_writes()
        self.reload()
        self.story_list.focus()
        self.set_interval(POLL_SECONDS, self.poll_store)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        # A shared desk (PostgreSQL) is told of a colleague's change within a second;
        # the listener thread only counts, the UI applies at most four times a second.
        self._subscribe()
        if self.store.backend != "sqlite":
            self.set_interval(REMOTE_SECONDS, self.apply_remote_changes)
        self.announce_read_only()

    # -- workers: every store call of the desk runs in one of these ---------------------------

    def _post(self, what: str, read: Callable[[], Message | None]) -> None:
        """In a worker: run ``read`` (store calls) and post its Message to this screen."""
        try:
            message = read()
        except (StoreUnavailable, StoreLocked) as error:
            self.post_message(StoreFailed(error))
            return
        except NotFoundError as error:
            self.post_message(WorkerFailed("gone", error))
            return
        except Exception as error:
            self.post_message(WorkerFailed(what, error))
            return
        if message is not None and not get_current_worker().is_cancelled:
            self.post_message(message)

    @work(thread=True, group="desk-subscribe", exit_on_error=False)
    def _subscribe(self) -> None:
        self.store.subscribe(self.service.count_remote_change)

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
        self._post(
            "Reading stories",
            lambda: RowsReady(generation, self.service.load_pages(flt, count, known, numbers)),
        )

    @work(thread=True, group="rows", exit_on_error=False)
    def _read_rows(self, ids: list[int]) -> None:
        """Re-read changed rows, then the counts (after the rows: they cost more)."""
        self._post("Reading stories", lambda: RowsChanged(self.service.rows(ids)))
        self._post("Counting", lambda: CountsReady(self.service.snapshot()))

    @work(thread=True, group="open", exit_on_error=False)
    def _read_story(self, story_id: int, ticket: int | None, open_it: bool) -> None:
        def read() -> StoryLoaded:
            try:
                if ticket is None:
                    opened = self.service.read_story(story_id)
                else:
                    opened = self.service.open_story(story_id, ticket)
            except NotFoundError:
                return StoryLoaded(story_id, None, open_it=open_it)
            return StoryLoaded(story_id, opened, open_it=open_it)

        self._post("Opening", read)

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _poll(self) -> None:
        self._post("Polling", lambda: StoreChanged() if self.service.changed_elsewhere() else None)

    # -- data refresh ---------------------------------------------------------------------

    def _theme_changed(self, _theme: object) -> None:
        """A theme chosen in the palette: the open story and its panel take its colours now."""
        self.story_view.repaint()
        shown = self.story_view.story
        analysis = self.analyses.get(shown.id) if shown is not None else None
        if shown is not None and analysis is not None:
            self.analysis_panel.show_analysis(
                analysis, palette_for_theme(self.app.current_theme), self.host.today()
            )

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

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")
        self.set_class(self.size.width < STACKED, "-stacked")
        self._update_status()

    def action_toggle_side(self) -> None:
        """Narrow terminals hide the left pane until asked; wide ones show it until told not to."""
        self.toggle_class("-side-toggled")
        self._update_status()
        self.call_after_refresh(self._focus_side_if_visible)

    def _focus_side_if_visible(self) -> None:
        side = self.query_one(SidePanel)
        if side.region.width > 0:
            side.focus()
        else:
            self.story_list.focus()

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
        if self.window.add_pages(message.generation, message.pages):
            self._rows_asked.difference_update(
                (message.generation, page.number) for page in message.pages
            )
            self.story_list.refresh()
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

    def close_story(self) -> None:
        """Empty the reader (its story left the desk)."""
        self.story_view.show(None)
        self.remove_class("-reading")
        self.targets.closed()
        self.story_list.open_id = None
        self.story_list.refresh()
        self._update_status()

    def on_store_failed(self, message: StoreFailed) -> None:
        self.host.report_store_error(message.error)

    def on_worker_failed(self, message: WorkerFailed) -> None:
        if message.what == "gone":
            self.notify("That story is no longer in the desk.", severity="warning")
            return
        self.notify(f"{message.what} failed: {message.error}", severity="error", markup=False)

    # -- which story a key acts on (tui.desk.targets decides) -------------------------------

    @property
    def reader_focused(self) -> bool:
        """Focus is on the story text or its analysis: keys act on the open story."""
        focused = self.focused
        return focused is not None and any(
            node.id == "reader" for node in focused.ancestors_with_self
        )

    def _cursor_id(self) -> int | None:
        story = self.story_list.current_story
        return story.id if story is not None else None

    def _user_moved(self, story: Story | None) -> None:
        was_off = self.targets.off_cursor(self._cursor_id(), reader_focused=self.reader_focused)
        self.targets.cursor_moved_by_user(story.id if story is not None else None)
        if was_off:  # the status line said "keys act on the open story": no longer
            self._update_status()

    def target_stories(self) -> Target:
        """What triage keys act on now: the marks, else the story the user sees."""
        return self.targets.stories(
            self.story_list.marked, self._cursor_id(), reader_focused=self.reader_focused
        )

    def target_story(self) -> Story | None:
        """The one story ``y``, ``o``, ``F``, ``R`` and ``N`` act on (says so when none)."""
        target = self.targets.story(self._cursor_id(), reader_focused=self.reader_focused)
        if not target:
            self.notify("No story selected.", severity="warning")
            return None
        story_id = target.ids[0]
        for candidate in (self.story_view.story, self.story_list.current_story):
            if candidate is not None and candidate.id == story_id:
                return candidate
        story = self.window.find(story_id)
        if story is None:
            self.notify("That story is not loaded yet: try again.", severity="warning")
        return story

    # -- moving and opening ---------------------------------------------------------------

    def on_descendant_focus(self) -> None:
        self._update_status()  # focus in the reader changes what the keys act on

    def action_cursor_down(self) -> None:
        self.story_list.move_by(1)

    def action_cursor_up(self) -> None:
        self.story_list.move_by(-1)

    def action_page_down(self) -> None:
        self.story_list.move_by(self.story_list.page_height())

    def action_page_up(self) -> None:
        self.story_list.move_by(-self.story_list.page_height())

    def action_first(self) -> None:
        self.story_list.move_to(0)

    def action_last(self) -> None:
        self.story_list.move_to(self.window.count - 1)

    def on_story_list_opened(self, event: StoryList.Opened) -> None:
        self.open_story(event.story)

    def action_open_story(self) -> None:
        if self._answered != self._serial and not self._open_first_result:
            self._open_when_read = True  # a new view or search: open its row, not the old one
            return
        story = self.story_list.current_story
        if story is not None:
            self.open_story(story)

    def open_story(self, story: Story) -> None:
        """Show the story (marking it read) and analyse it in a thread."""
        self.open_story_id(story.id)

    def open_story_id(self, story_id: int) -> None:
        """Read the story whole in a worker (marking it read); ``on_story_loaded`` shows it."""
        self._opening = story_id
        self._read_story(story_id, self.service.ticket(), True)

    def on_story_loaded(self, message: StoryLoaded) -> None:
        opened = message.opened
        if not message.open_it:  # a re-read of the shown story (triage, another desk)
            shown = self.story_view.story
            if shown is None or shown.id != message.story_id:
                return
            if opened is None:
                self.close_story()
                return
            self.story_view.credits = list(opened.credits)
            self.story_view.update_story(opened.story)
            return
        if message.story_id != self._opening:
            return  # the user opened another story meanwhile
        self._opening = None
        if opened is None:
            self.notify("That story is no longer in the desk.", severity="warning")
            return
        full = opened.story
        self.targets.opened(full.id)
        self.add_class("-reading")  # stacked layouts show the reader once a story is open
        previous, self.story_list.open_id = self.story_list.open_id, full.id
        if opened.marked_read is not None:
            self.say_kept(opened.marked_read)
            self._read_rows([full.id])  # the row, then the counts
        elif previous != full.id:
            self.story_list.refresh()
            self._update_status()
        cached = self.analyses.get(full.id)
        self.story_view.credits = list(opened.credits)
        self.story_view.show(full, cached)
        if cached is not None:
            self.show_analysis(full.id, cached)
        else:
            self.analysis_panel.show_message("Analysing…")
            self.analyse_story(full)

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def analyse_story(self, story: Story) -> None:
        """Analyse the shown story off the UI thread (cached in the store)."""
        try:
            if self.analyser is not None:
                analysis = self.analyser(self.store, story)
            else:
                from tui.story_analysis import analysis_for

                analysis = analysis_for(self.store, story)
        except Exception as exc:  # the analyser is optional for reading: say so, keep going
            self.app.call_from_thread(
                self._analysis_failed, story.id, f"{type(exc).__name__}: {exc}"
            )
            return
        try:  # the story may have named new actors: re-read the list here, not on the UI
            actors: list[ActorCount] | None = list(self.service.read_actors())
        except Exception:
            actors = None
        self.app.call_from_thread(self.show_analysis, story.id, analysis, actors)

    def show_analysis(
        self,
        story_id: int,
        analysis: Analysis,
        actors: list[ActorCount] | None = None,
    ) -> None:
        """Paint an analysis (from the worker, or built by hand in tests)."""
        if actors is not None:  # the left pane shows them at its next repaint
            self.service.actors = tuple(actors)
        fresh = story_id not in self.analyses
        self.analyses[story_id] = analysis
        if fresh and actors is not None:
            # A first analysis may have found upcoming dates: the Upcoming count and
            # the row's ◆ change now, not at the next change of view.
            self._read_rows([story_id])
        if len(self.analyses) > 256:
            self.analyses.pop(next(iter(self.analyses)))
        shown = self.story_view.story
        if shown is None or shown.id != story_id:
            return
        self.story_view.set_analysis(story_id, analysis)
        self.analysis_panel.show_analysis(
            analysis, palette_for_theme(self.app.current_theme), self.host.today()
        )
        self._reveal_pending(story_id, analysis)

    def _analysis_failed(self, story_id: int, message: str) -> None:
        shown = self.story_view.story
        if shown is not None and shown.id == story_id:
            self.analysis_panel.show_message(f"Analysis unavailable ({message})")

    def on_analysis_panel_reveal(self, event: AnalysisPanel.Reveal) -> None:
        self.story_view.reveal(event.start, event.end)

    def action_next_unread(self) -> None:
        """Open the first unread story from the cursor on (the cursor's own included), wrapping."""
        self._find_unread(True)

    def action_prev_unread(self) -> None:
        self._find_unread(False)

    def _find_unread(self, forward: bool) -> None:
        window = self.window
        self._read_unread(
            window.filter,
            window.count,
            window.known_pages(),
            self.story_list.cursor,
            forward,
            window.generation,
        )

    @work(thread=True, exclusive=True, group="navigate", exit_on_error=False)
    def _read_unread(
        self,
        flt: StoryFilter,
        count: int,
        known: dict[int, list[Story]],
        cursor: int,
        forward: bool,
        generation: int,
    ) -> None:
        self._post(
            "Finding unread stories",
            lambda: UnreadReady(
                self.service.find_unread(
                    flt, count, known, cursor, forward=forward, generation=generation
                )
            ),
        )

    def on_unread_ready(self, message: UnreadReady) -> None:
        found = message.found
        if found.generation != self.window.generation:
            self._find_unread(found.forward)  # the list was read again meanwhile: ask again
            return
        self.window.add_pages(found.generation, found.pages)
        step = found.step
        if step is None:
            self.notify("No unread stories in this view.")
            return
        self.story_list.move_to(step.index, user=False)
        if step.wrapped:
            self.notify(wrap_message(step, found.forward))
        self.action_open_story()

    def action_focus_story(self) -> None:
        """l: the story text (j/k scroll it); pressed again, the analysis panel (j/k walk it)."""
        if self.focused is self.story_view:
            self.analysis_panel.focus()
        else:
            self.story_view.focus()

    def action_focus_list(self) -> None:
        self.story_list.focus()

    # -- triage -----------------------------------------------------------------------------

    def _targets(self) -> list[int]:
        ids = list(self.target_stories().ids)
        if not ids:
            self.notify("No story selected.", severity="warning")
        return ids

    def _shown_id(self) -> int | None:
        shown = self.story_view.story
        return shown.id if shown is not None else None

    def triage(
        self, label: str, ids: list[int], write: Callable[[], None], *, reload: bool = False
    ) -> None:
        """Write (in a worker, in key order), remember for undo, repaint (``TriageDone``)."""
        self._triage_worker(label, ids, write, reload, self.service.ticket(), self._shown_id())

    @work(thread=True, group="triage", exit_on_error=False)
    def _triage_worker(
        self,
        label: str,
        ids: list[int],
        write: Callable[[], None],
        reload: bool,
        ticket: int,
        shown_id: int | None,
    ) -> None:
        self._post(
            f"Saving “{label}”",
            lambda: TriageDone(
                self.service.triage(
                    label, ids, write, reload=reload, ticket=ticket, shown_id=shown_id
                )
            ),
        )

    def _toggle(self, flag: Toggle) -> None:
        ids = self._targets()
        if ids:
            self._toggle_worker(flag, ids, self.service.ticket(), self._shown_id())

    @work(thread=True, group="triage", exit_on_error=False)
    def _toggle_worker(
        self, flag: Toggle, ids: list[int], ticket: int, shown_id: int | None
    ) -> None:
        self._post(
            "Saving",
            lambda: TriageDone(self.service.toggle(flag, ids, ticket=ticket, shown_id=shown_id)),
        )

    def on_triage_done(self, message: TriageDone) -> None:
        result = message.result
        ids = list(result.ids)
        if result.status == "failed" and result.write is not None:
            self.notify(
                f"Could not save “{result.label}”: {result.write.error}",
                severity="error",
                markup=False,
            )
        elif result.status == "missing":  # deleted by another process while shown
            self.notify("That story is no longer in the desk.", severity="warning")
            self.story_list.marked.difference_update(ids)
        else:
            self.say_kept(result.write)
        if result.rows is not None:
            self.window.replace_stories(result.rows)
            self.story_list.refresh()
        if result.snapshot is not None:
            self.on_counts_ready(CountsReady(result.snapshot))
        if result.reload:
            self.reload()
        if result.shown is not None:
            self.on_story_loaded(StoryLoaded(result.shown.story.id, result.shown, open_it=False))
        elif result.shown_gone:
            self.close_story()
        if result.label in ("archived", "unarchived"):
            self.story_list.marked.difference_update(ids)
            count = len(ids)
            self.notify(
                f"{count} {'story' if count == 1 else 'stories'} {result.label} (u undoes)."
            )

    def action_toggle_read(self) -> None:
        self._toggle("read")

    def action_toggle_saved(self) -> None:
        self._toggle("saved")

    def action_archive(self) -> None:
        self._toggle("archived")

    def action_tag(self) -> None:
        ids = self._targets()
        if not ids:
            return
        store = self.store

        def done(names: list[str] | None) -> None:
            if names:
                self.triage("tagged " + ", ".join(names), ids, lambda: store.add_tags(ids, names))

        dialog = TagDialog(list(self.snapshot.tags), len(ids))
        self.app.push_screen(dialog, done)
        self._tag_dialog = dialog
        self._read_tags()  # another desk or process may have added tags since

    @work(thread=True, exclusive=True, group="read-tags", exit_on_error=False)
    def _read_tags(self) -> None:
        self._post("Reading tags", lambda: TagsReady(self.service.tags()))

    def on_tags_ready(self, message: TagsReady) -> None:
        if self._tag_dialog is not None and self._tag_dialog.is_attached:
            self._tag_dialog.update_names(list(message.tags))

    def action_untag(self) -> None:
        ids = self._targets()
        if ids:
            self._read_stories(ids, "untag")

    @work(thread=True, group="read-stories", exit_on_error=False)
    def _read_stories(self, ids: list[int], purpose: str) -> None:
        self._post("Reading stories", lambda: StoriesReady(self.service.stories(ids, purpose), ids))

    def on_stories_ready(self, message: StoriesReady) -> None:
        ids = message.ids
        tags = sorted({t for s in message.read.stories for t in s.tags}, key=str.casefold)
        if not tags:
            self.notify("No tags to remove.")
            return
        store = self.store

        def done(name: str | None) -> None:
            if name:
                self.triage(f"untagged {name}", ids, lambda: store.remove_tags(ids, [name]))

        self.app.push_screen(UntagDialog(tags), done)

    def action_note(self) -> None:
        story = self.target_story()
        if story is None:
            return
        store = self.store

        def done(note: str | None) -> None:
            if note is not None:
                self.triage("note", [story.id], lambda: store.set_note(story.id, note))

        self.app.push_screen(NoteDialog(plain(story.title), story.note), done)

    def action_undo(self) -> None:
        self._undo_worker(self.service.ticket())

    @work(thread=True, group="triage", exit_on_error=False)
    def _undo_worker(self, ticket: int) -> None:
        self._post("Undo", lambda: UndoDone(self.service.undo_last(ticket=ticket)))

    def on_undo_done(self, message: UndoDone) -> None:
        result = message.result
        if result.entry is None:
            self.notify("Nothing to undo.")
            return
        self.say_kept(result.write)
        if result.some_missing:
            self.notify("Some stories are no longer in the desk.", severity="warning")
        self.after_change(result.ids, reload=True)
        if result.restored:
            self.notify(f"Undone: {result.entry.label}.", markup=False)

    def action_toggle_mark(self) -> None:
        self.story_list.toggle_mark()
        self._update_status()

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

    # -- search and filter ----------------------------------------------------------------------

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

    def _reveal_pending(self, story_id: int, analysis: Analysis) -> None:
        if self.pending_sentence is None or self.pending_sentence[0] != story_id:
            return
        sentence = self.pending_sentence[1]
        self.pending_sentence = None
        spans = [(d.start, d.end) for d in analysis.dates if d.sentence == sentence]
        if spans:  # after the paragraphs of a freshly opened story are mounted
            self.call_after_refresh(self.story_view.reveal, *spans[0])

    # -- links, help, samples -------------------------------------------------------------------

    def _link(self) -> tuple[Story, str] | None:
        """The target story and its web link; only http(s) is opened or copied (a local
        file's story shows its path instead)."""
        story = self.target_story()
        if story is None:
            return None
        link = web_link(story.url)
        if not link:
            path = local_path(story.guid)
            if path:
                self.notify(f"Local file: {path}", markup=False)
            else:
                self.notify(
                    f"“{short_title(story)}” has no web link.", severity="warning", markup=False
                )
            return None
        return story, link

    def action_open_link(self) -> None:
        link = self._link()
        if link is not None:
            self.open_in_browser(link[1])

    @work(thread=True, group="browser", exit_on_error=False)
    def open_in_browser(self, url: str) -> None:
        """Config ``browser``, else ``$BROWSER``, else the system's; says when none worked."""
        result = open_link(url, self.host.config.browser)
        self.app.call_from_thread(
            self.notify,
            plain(result.message),
            severity="information" if result.ok else "error",
            markup=False,
            timeout=4 if result.ok else 10,
        )

    def action_copy_link(self) -> None:
        link = self._link()
        if link is not None:
            self.app.copy_to_clipboard(link[1])
            self.notify(f"Link of “{short_title(link[0])}” copied.", markup=False)

    def action_help(self) -> None:
        keymap: dict[str, Any] = dict(self.app._keymap)
        self.app.push_screen(HelpScreen(keymap, palette_for_theme(self.app.current_theme)))

    def action_load_samples(self) -> None:
        self.host.load_samples()

    def action_quit(self) -> None:
        self.app.exit()


def short_title(story: Story, width: int = 40) -> str:
    """A story's title for a message: one line, at most ``width`` characters."""
    title = " ".join(plain(story.title).split()) or "(untitled)"
    return title if len(title) <= width else title[: width - 1] + "…"
