"""The desk screen's state and plumbing, shared by the mixins that make up ``DeskScreen``.

``DeskScreen`` (``tui.screens.desk``) is assembled from one mixin per area, each
on this base: the list, its counts, search and filter (``desk_list``), triage
and undo (``desk_triage``), writes kept for later (``desk_writes``) and actions
that reach outside the desk (``desk_outside``). The base holds what they share:
the ``DeskService`` and the host, the story window, the last counts snapshot,
the widgets, and ``_post``, the one way a worker hands its result to the UI
thread. Every store call runs in a worker (see ``tui.desk.service``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from tui.desk.service import DeskService
from tui.desk.snapshot import EMPTY_SNAPSHOT, CountsSnapshot
from tui.desk.targets import Target, TargetTracker
from tui.desk.undo import UndoEntry
from tui.desk.views import DeskView
from tui.desk.window import StoryWindow
from tui.screens.desk_host import DeskHost
from tui.screens.desk_messages import (
    CountsReady,
    RowsChanged,
    StoreFailed,
    StoryLoaded,
    WorkerFailed,
)
from tui.screens.tagging import TagDialog
from tui.store import ActorCount, NotFoundError, StoreLocked, StoreUnavailable, Story, StoryFilter
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.desk_header import DeskHeader
from tui.widgets.story_list import StoryList
from tui.widgets.story_view import StoryView

if TYPE_CHECKING:
    from tui.analysis.model import Analysis
    from tui.store import Store

Analyser = Callable[["Store", Story], "Analysis"]
"""Computes (or reads from the cache) the analysis of a story; runs in a worker thread."""


class DeskBase(Screen[None]):
    """What every part of the desk screen shares (see the module docstring)."""

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
        self._engine_loaded = False
        """Set by the analysis worker once it has imported the engine (``_stored_analysis``)."""
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

    # -- widgets ---------------------------------------------------------------------------

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
            analysis = self._stored_analysis(story_id) if open_it else None
            return StoryLoaded(story_id, opened, open_it=open_it, analysis=analysis)

        self._post("Opening", read)

    def _stored_analysis(self, story_id: int) -> Analysis | None:
        """Worker: the story's analysis from the store's cache, read with the story, so the
        reader paints it once, highlights and panel included, in the frame that shows the
        story, where a second worker round trip painted it twice (issue 17: p95 206 ms at
        1M stories). Only once the analysis worker has loaded the engine (importing it
        takes most of a second, and would hold up the open) and only for the default
        analyser."""
        if self.analyser is not None or not self._engine_loaded:
            return None
        from tui.story_analysis import stored_analysis

        try:
            return stored_analysis(self.store, story_id)
        except Exception:  # an unreadable cache entry: the analysis worker redoes it, says so
            return None

    if TYPE_CHECKING:  # provided by the area mixins and DeskScreen

        def reload(self, *, keep_cursor: bool = True) -> None: ...

        def refresh_counts(self, actors: list[ActorCount] | None = None) -> None: ...

        def set_view(self, view: DeskView) -> None: ...

        def after_change(self, ids: list[int], *, reload: bool = False) -> None: ...

        def close_story(self) -> None: ...

        def say_kept(self, outcome: Any) -> None: ...

        def known_actors(self) -> list[ActorCount]: ...

        def _update_status(self) -> None: ...

        def _cursor_id(self) -> int | None: ...

        @property
        def reader_focused(self) -> bool: ...

        def target_story(self) -> Story | None: ...

        def target_stories(self) -> Target: ...

        def action_open_story(self) -> None: ...

        def open_story_id(self, story_id: int) -> None: ...

        def on_story_loaded(self, message: StoryLoaded) -> None: ...

        def on_counts_ready(self, message: CountsReady) -> None: ...

        def _open_first(self) -> None: ...

        def _request_list(
            self, *, keep_cursor: bool, pause: float = 0.0, locate: int | None = None
        ) -> None: ...
