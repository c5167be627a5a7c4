"""The desk: sources and views, the story list, the story with its analysis, and every key.

Triage keys act on the marked stories, else on the story the user sees (the open
story, unless the user moved the cursor off it; ``tui.desk.targets`` decides and
the status line says which); each is one store call (one transaction) and pushes
the previous state on the undo stack. Slow work (analysis, fetching, imports) runs in thread workers and
reports back with ``call_from_thread``, so no key ever waits on it.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from tui.commands import desk_bindings
from tui.desk import navigation
from tui.desk.browser import open_link
from tui.desk.targets import Target, TargetTracker
from tui.desk.views import ALL, DeskView, describe
from tui.screens.desk_outside import OutsideActions
from tui.screens.desk_writes import SafeWrites
from tui.screens.dialogs import NoteDialog
from tui.screens.filter import FilterDialog
from tui.screens.help import HelpScreen
from tui.screens.tagging import TagDialog, UntagDialog
from tui.sources.links import local_path, web_link
from tui.store import (
    ActorCount,
    NotFoundError,
    Store,
    StoreConflict,
    StoreLocked,
    StoreUnavailable,
    Story,
    StoryFilter,
    TriageState,
)
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.desk_header import DeskHeader
from tui.widgets.highlight import palette_for_theme
from tui.widgets.paging import StoryPager
from tui.widgets.side_panel import SidePanel
from tui.widgets.story_list import StoryList, plain
from tui.widgets.story_view import StoryView

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tui.analysis.model import Analysis

UNDO_DEPTH = 100
NARROW = 100
"""Below this many columns the left pane hides until ``\\`` shows it."""
STACKED = 120
"""Below this many columns the story sits under the list, so titles get the full width
(side by side, 80 columns left list titles about 20 characters)."""
POLL_SECONDS = 5.0
REMOTE_SECONDS = 0.25  # how often a shared desk applies changes LISTEN/NOTIFY reported
SEARCH_PAUSE = 0.12
"""Seconds the search waits for the next key before querying (cancelled by it)."""
ACTOR_CHOICES = 200
"""Actors kept for the filter dialog (the left pane shows the first dozen)."""

Analyser = Callable[[Store, Story], "Analysis"]
"""Computes (or reads from the cache) the analysis of a story; runs in a worker thread."""


@dataclass(frozen=True, slots=True)
class UndoEntry:
    """A triage action and the state of its stories before it."""

    label: str
    states: tuple[TriageState, ...]


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
        store: Store,
        clock: Callable[[], dt.datetime],
        analyser: Analyser | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.analyser = analyser
        self.view: DeskView = ALL
        self.base_filter = StoryFilter()
        self.search_text = ""
        self.undo_stack: list[UndoEntry] = []
        self.pager = StoryPager(store, StoryFilter())
        self.analyses: dict[int, Analysis] = {}
        self.pending_sentence: tuple[int, int] | None = None
        self._seen_counts: dict[str, int] = {}
        self._actors: list[ActorCount] | None = None
        self._source_labels: dict[int, str] = {}
        self.targets = TargetTracker()
        self._open_first_result = False
        #: set by the analysis worker once it has imported the engine (see _stored_analysis)
        self._engine_loaded = False

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
                    self.pager, clock=self.clock, on_user_move=self._user_moved, id="stories"
                )
            with Vertical(id="reader"):
                yield StoryView(id="story")
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

    async def _dispatch_message(self, message: Message) -> None:
        # Timers and handlers on the desk call the store; a database that went away is
        # reported by the app (``report_store_error``), and this screen keeps running.
        try:
            await super()._dispatch_message(message)
        except (StoreUnavailable, StoreLocked) as error:
            report = getattr(self.app, "report_store_error", None)
            if report is None:
                raise
            report(error)

    def on_mount(self) -> None:
        self.analysis_panel.show_message("No story open.")
        self.reload()
        self.story_list.focus()
        # What start-up built lives as long as the desk: out of the collector's full
        # passes (~80 ms each on a loaded machine, the tail of opening a story, issue 17).
        self.call_after_refresh(gc.freeze)
        self.set_interval(POLL_SECONDS, self.poll_store)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        # A shared desk (PostgreSQL) is told of a colleague's change within a second;
        # the listener thread only counts, the UI applies at most four times a second.
        self._remote_seen = self._remote_changes = 0
        self.store.subscribe(self._count_remote_change)
        if self.store.backend != "sqlite":
            self.set_interval(REMOTE_SECONDS, self.apply_remote_changes)
        self.announce_read_only()
        self.start_auto_refresh()  # feeds due by [refresh] interval_minutes / refresh_minutes

    def on_unmount(self) -> None:
        gc.unfreeze()  # the next full collection may free what the desk held

    def _count_remote_change(self, kind: str, user: str) -> None:
        # On the listener thread: no UI work here. Read, saved and archived are per
        # user: a colleague's triage changes nothing on this desk, so no reload for it.
        if kind == "state" and user != getattr(self.store, "user", user):
            return
        self._remote_changes += 1

    def apply_remote_changes(self) -> None:
        """Show what another desk changed (tags, notes, archive, new stories), cursor kept."""
        if self._remote_changes == self._remote_seen:
            return
        self._remote_seen = self._remote_changes
        self.reload()
        shown = self.story_view.story
        if shown is not None:
            try:
                self.story_view.credits = self.store.story_credits(shown.id)
                self.story_view.update_story(self.store.story(shown.id))
            except NotFoundError:
                self.close_story()

    def _theme_changed(self, _theme: object) -> None:
        """A theme chosen in the palette: the open story and its panel take its colours now."""
        self.story_view.repaint()
        shown = self.story_view.story
        analysis = self.analyses.get(shown.id) if shown is not None else None
        if shown is not None and analysis is not None:
            self.analysis_panel.show_analysis(
                analysis, palette_for_theme(self.app.current_theme), self.store.today()
            )

    def poll_store(self) -> None:
        """Pick up stories another process added (``newsdesk fetch``, a second desk)."""
        if self.store.counts() != self._seen_counts:
            self.reload()

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

    # -- data refresh ---------------------------------------------------------------------

    @property
    def effective_filter(self) -> StoryFilter:
        """The view's filter with the search text."""
        return replace(self.base_filter, query=self.search_text.strip() or None)

    def reload(self, *, keep_cursor: bool = True) -> None:
        """Re-read list, counts and navigation from the store.

        With a search active its FTS query is too slow for the UI thread at 100k
        stories (~300 ms): the search worker re-runs it and the list follows.
        """
        if self.search_text.strip():
            self.refresh_counts()
            keep = self.story_list.current_story if keep_cursor else None
            self.search_stories(self.effective_filter, self.search_text, keep, keep_cursor)
            return
        self.pager.filter = self.effective_filter
        self.story_list.empty_message = self._empty_message()
        self.story_list.reload(keep_cursor=keep_cursor)
        self.refresh_counts()

    def refresh_counts(self, actors: list[ActorCount] | None = None) -> None:
        """Header counts, side panel counts, the list's status line.

        The actor list is a GROUP BY over every analysed story (~0.5 s at 100k), so
        it is read once here and afterwards passed in by background analysis, which
        queries it in its thread: triage keys never wait on it.
        """
        if actors is not None:
            self._actors = actors
        counts = self.store.counts()
        self._seen_counts = dict(counts)
        self.query_one(DeskHeader).set_counts(counts)
        counts["upcoming"] = self.store.count_stories(StoryFilter(upcoming=True))
        side = self.query_one(SidePanel)
        sources = self.store.sources()
        self._source_labels = {source.id: source.label for source in sources}
        side.populate(
            counts=counts,
            sources=sources,
            current=self.view.key,
            unread_by_source=self.store.unread_by_source(),
            tags=self.store.tags(),
            actors=self.known_actors()[:12],
        )
        self._update_status()

    def known_actors(self) -> list[ActorCount]:
        """The actor list as last read (at start, then by background analysis)."""
        if self._actors is None:
            self._actors = self.store.actors(limit=ACTOR_CHOICES)
        return self._actors

    def _update_status(self) -> None:
        status = Text(plain(describe(self.view, self._source_labels)), style="bold", end="")
        count = self.pager.count
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
            try:
                source = self.store.source(self.base_filter.source_id)
            except NotFoundError:
                source = None
            if source is not None and source.last_error:
                source_error = Text("! Last fetch failed", style="bold", end="")
                if source.failures:
                    source_error.append(f" ({source.failures}× in a row)")
                source_error.append(": " + plain(source.last_error))
        error.display = source_error is not None
        if source_error is not None:
            error.update(source_error)

    def _empty_message(self) -> str:
        if self.store.count_stories() == 0:
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
        self.view = view
        self.base_filter = view.filter
        self.story_list.marked.clear()
        self.reload(keep_cursor=False)

    def on_side_panel_chosen(self, event: SidePanel.Chosen) -> None:
        self.set_view(event.view)
        if self.has_class("-narrow"):
            self.remove_class("-side-toggled")
            self._update_status()
        self.story_list.focus()

    def after_triage(self, ids: list[int], *, reload: bool = False) -> None:
        """Repaint what changed after a store write."""
        if reload:
            self.reload()
        else:
            self.story_list.refresh_stories(ids)
            self.refresh_counts()
        shown = self.story_view.story
        if shown is not None and shown.id in ids:
            try:
                self.story_view.credits = self.store.story_credits(shown.id)
                self.story_view.update_story(self.store.story(shown.id))
            except NotFoundError:
                self.close_story()

    def close_story(self) -> None:
        """Empty the reader (its story left the desk)."""
        self.story_view.show(None)
        self.remove_class("-reading")
        self.targets.closed()
        self.story_list.open_id = None
        self.story_list.refresh()
        self._update_status()

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
        try:
            return self.store.story(story_id)
        except NotFoundError:
            self.notify("That story is no longer in the desk.", severity="warning")
            return None

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
        self.story_list.move_to(self.pager.count - 1)

    def on_story_list_opened(self, event: StoryList.Opened) -> None:
        self.open_story(event.story)

    def action_open_story(self) -> None:
        story = self.story_list.current_story
        if story is not None:
            self.open_story(story)

    def open_story(self, story: Story) -> None:
        """Show the story (marking it read) and analyse it in a thread."""
        try:
            full = self.store.story(story.id)
        except NotFoundError:
            self.notify("That story is no longer in the desk.", severity="warning")
            return
        self.targets.opened(full.id)
        self.add_class("-reading")  # stacked layouts show the reader once a story is open
        previous, self.story_list.open_id = self.story_list.open_id, full.id
        if not full.read:
            self.safe_write("marked read", [full.id], lambda: self.store.set_read([full.id], True))
            full = replace(full, read=True)
            self.story_list.refresh_stories([full.id])
            # after the frame that shows the story: with hundreds of sources the
            # counts and the side panel cost more than painting the story itself
            self.call_after_refresh(self.refresh_counts)
        elif previous != full.id:
            self.story_list.refresh()
            self._update_status()
        cached = self.analyses.get(full.id) or self._stored_analysis(full.id)
        self.story_view.credits = self.store.story_credits(full.id)
        self.story_view.show(full, cached)
        if cached is not None:
            self.show_analysis(full.id, cached)
        else:
            self.analysis_panel.show_message("Analysing…")
            self.analyse_story(full)

    def _stored_analysis(self, story_id: int) -> Analysis | None:
        """The story's analysis from the store's cache, read on the UI thread (one indexed
        row): the story is then painted once, highlights and panel included, in the frame
        after the key, where the worker's round trip painted it twice (issue 17: p95 206 ms
        at 1M stories). Only once the worker has loaded the engine (importing it takes most
        of a second) and only for the default analyser."""
        if self.analyser is not None or not self._engine_loaded:
            return None
        from tui.story_analysis import stored_analysis

        try:
            return stored_analysis(self.store, story_id)
        except Exception:  # an unreadable cache entry: the worker re-analyses and says so
            return None

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def analyse_story(self, story: Story) -> None:
        """Analyse the shown story off the UI thread (cached in the store)."""
        try:
            if self.analyser is not None:
                analysis = self.analyser(self.store, story)
            else:
                from tui.story_analysis import analysis_for

                analysis = analysis_for(self.store, story)
                if not self._engine_loaded:
                    self._engine_loaded = True
                    gc.freeze()  # the engine's tables, loaded once, join the start-up heap
        except Exception as exc:  # the analyser is optional for reading: say so, keep going
            self.app.call_from_thread(
                self._analysis_failed, story.id, f"{type(exc).__name__}: {exc}"
            )
            return
        try:  # the story may have named new actors: re-read the list here, not on the UI
            actors = self.store.actors(limit=ACTOR_CHOICES)
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
            self._actors = actors
        fresh = story_id not in self.analyses
        self.analyses[story_id] = analysis
        if fresh and actors is not None:
            # A first analysis may have found upcoming dates: the Upcoming count and
            # the row's ◆ change now, not at the next change of view.
            self.story_list.refresh_stories([story_id])
            self.refresh_counts()
        if len(self.analyses) > 256:
            self.analyses.pop(next(iter(self.analyses)))
        shown = self.story_view.story
        if shown is None or shown.id != story_id:
            return
        self.story_view.set_analysis(story_id, analysis)
        self.analysis_panel.show_analysis(
            analysis, palette_for_theme(self.app.current_theme), self.store.today()
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
        self._go_unread(navigation.next_unread(self.pager, self.story_list.cursor), True)

    def action_prev_unread(self) -> None:
        self._go_unread(navigation.previous_unread(self.pager, self.story_list.cursor), False)

    def _go_unread(self, step: navigation.UnreadStep | None, forward: bool) -> None:
        if step is None:
            self.notify("No unread stories in this view.")
            return
        self.story_list.move_to(step.index, user=False)
        if step.wrapped:
            self.notify(navigation.wrap_message(step, forward))
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

    def _triage(
        self, label: str, ids: list[int], write: Callable[[], None], *, reload: bool = False
    ) -> None:
        """Capture state, write (one transaction; kept and retried if the database is
        busy or read-only, see ``SafeWrites``), remember for undo, repaint."""
        try:
            states = tuple(self.store.triage_state(ids))
            done = self.safe_write(label, ids, write, reload=reload)
            if isinstance(done.exception, NotFoundError):
                raise done.exception
            if done.exception is not None:
                self.notify(
                    f"Could not save “{label}”: {done.error}", severity="error", markup=False
                )
                return
        except NotFoundError:  # deleted by another process while shown: say so, re-read
            self.notify("That story is no longer in the desk.", severity="warning")
            self.story_list.marked.difference_update(ids)
            self.after_triage(ids, reload=True)
            return
        self.undo_stack.append(UndoEntry(label, states))
        del self.undo_stack[:-UNDO_DEPTH]
        self.after_triage(ids, reload=reload)

    def _stories(self, ids: list[int]) -> list[Story]:
        return self.store.list_stories(StoryFilter(ids=tuple(ids)), limit=len(ids))

    def action_toggle_read(self) -> None:
        ids = self._targets()
        if not ids:
            return
        value = not all(s.read for s in self._stories(ids))
        label = "marked read" if value else "marked unread"
        self._triage(label, ids, lambda: self.store.set_read(ids, value))

    def action_toggle_saved(self) -> None:
        ids = self._targets()
        if not ids:
            return
        value = not all(s.saved for s in self._stories(ids))
        self._triage("saved" if value else "unsaved", ids, lambda: self.store.set_saved(ids, value))

    def action_archive(self) -> None:
        ids = self._targets()
        if not ids:
            return
        value = not all(s.archived for s in self._stories(ids))
        label = "archived" if value else "unarchived"
        self._triage(label, ids, lambda: self.store.set_archived(ids, value), reload=True)
        self.story_list.marked.difference_update(ids)
        self.notify(f"{len(ids)} {'story' if len(ids) == 1 else 'stories'} {label} (u undoes).")

    def action_tag(self) -> None:
        ids = self._targets()
        if not ids:
            return

        def done(names: list[str] | None) -> None:
            if names:
                self._triage(
                    "tagged " + ", ".join(names), ids, lambda: self.store.add_tags(ids, names)
                )

        self.app.push_screen(TagDialog(self.store.tags(), len(ids)), done)

    def action_untag(self) -> None:
        ids = self._targets()
        if not ids:
            return
        tags = sorted({t for s in self._stories(ids) for t in s.tags}, key=str.casefold)
        if not tags:
            self.notify("No tags to remove.")
            return

        def done(name: str | None) -> None:
            if name:
                self._triage(f"untagged {name}", ids, lambda: self.store.remove_tags(ids, [name]))

        self.app.push_screen(UntagDialog(tags), done)

    def action_note(self) -> None:
        story = self.target_story()
        if story is None:
            return

        def done(note: str | None) -> None:
            if note is not None:
                self._triage("note", [story.id], lambda: self.store.set_note(story.id, note))

        self.app.push_screen(NoteDialog(plain(story.title), story.note), done)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        entry = self.undo_stack.pop()
        ids = [state.story_id for state in entry.states]
        present = {s.id for s in self._stories(ids)}
        states = tuple(state for state in entry.states if state.story_id in present)
        # restoring tags of a story another process deleted breaks a foreign key
        done = self.safe_write(
            f"undo {entry.label}", ids, partial(self.store.restore_triage, states)
        )
        if isinstance(done.exception, StoreConflict):
            states = ()
        if len(states) < len(entry.states):
            self.notify("Some stories are no longer in the desk.", severity="warning")
        ids = [state.story_id for state in states]
        self.after_triage(ids, reload=True)
        if states:
            self.notify(f"Undone: {entry.label}.", markup=False)

    def action_toggle_mark(self) -> None:
        self.story_list.toggle_mark()
        self._update_status()

    def action_clear(self) -> None:
        """Esc: clear the search and a filter made with f (back to All), else the marks."""
        search = self.query_one("#search", Input)
        searching = bool(self.search_text) or search.has_class("-active")
        filtered = self.view.key == "filter"
        if searching:
            self.search_text = ""
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
        self.search_text = event.value
        self.search_stories(self.effective_filter, event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search_stories(
        self, flt: StoryFilter, text: str, keep: Story | None = None, keep_cursor: bool = False
    ) -> None:
        """Count and load the first page of results off the UI thread.

        At 100k stories an FTS count plus its first page costs a few hundred
        milliseconds: on the event loop that froze the search box at every key.
        """
        worker = get_current_worker()
        time.sleep(SEARCH_PAUSE)  # a fast typist's next key cancels this search
        if worker.is_cancelled:
            return
        try:
            found = StoryPager(self.store, flt)
            found.page(0)
            index = found.index_of(keep) if keep is not None else None
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, f"Search failed: {exc}", severity="error", markup=False
            )
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_search, flt, text, found, index, keep_cursor)

    def _show_search(
        self, flt: StoryFilter, text: str, found: StoryPager, index: int | None, keep_cursor: bool
    ) -> None:
        if text != self.search_text or flt != self.effective_filter:
            return  # the user typed on or changed the view meanwhile
        self.story_list.empty_message = self._empty_message()
        self.story_list.reload(keep_cursor=keep_cursor, fresh=found, found=index)
        self.refresh_counts()
        if self._open_first_result:
            self._open_first_result = False
            self._open_first()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the first result (once the results are in)."""
        if event.input.id != "search":
            return
        event.stop()
        self.story_list.focus()
        if self.pager.filter == self.effective_filter and not any(
            w.group == "search" and w.is_running for w in self.workers
        ):
            self._open_first()
        else:
            self._open_first_result = True

    def _open_first(self) -> None:
        if self.pager.count:
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
                sources=self.store.sources(),
                tags=self.store.tags(),
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
        configured = getattr(getattr(self.app, "config", None), "browser", "")
        result = open_link(url, configured)
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
        self.app.load_sample_desk()  # type: ignore[attr-defined]

    def action_quit(self) -> None:
        self.app.exit()


def short_title(story: Story, width: int = 40) -> str:
    """A story's title for a message: one line, at most ``width`` characters."""
    title = " ".join(plain(story.title).split()) or "(untitled)"
    return title if len(title) <= width else title[: width - 1] + "…"
