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

import gc
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Input, Static

from tui.commands import desk_bindings
from tui.desk.browser import open_link
from tui.desk.navigation import wrap_message
from tui.desk.targets import Target
from tui.screens.desk_messages import (
    StoreFailed,
    StoryLoaded,
    UnreadReady,
    WorkerFailed,
)
from tui.screens.help import HelpScreen
from tui.sources.links import local_path, web_link
from tui.store import ActorCount, StoreLocked, StoreUnavailable, Story, StoryFilter
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.desk_header import DeskHeader
from tui.widgets.highlight import palette_for_theme
from tui.widgets.side_panel import SidePanel
from tui.widgets.story_list import StoryList, plain
from tui.widgets.story_view import StoryView

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tui.analysis.model import Analysis
from tui.desk.service import ACTOR_CHOICES
from tui.screens.desk_base import Analyser, DeskBase
from tui.screens.desk_list import SEARCH_PAUSE, ListActions
from tui.screens.desk_outside import OutsideActions
from tui.screens.desk_triage import TriageActions
from tui.screens.desk_writes import SafeWrites

__all__ = ["ACTOR_CHOICES", "SEARCH_PAUSE", "Analyser", "DeskBase", "DeskScreen", "short_title"]

NARROW = 100
"""Below this many columns the left pane hides until ``\\`` shows it."""
STACKED = 120
"""Below this many columns the story sits under the list, so titles get the full width
(side by side, 80 columns left list titles about 20 characters)."""
POLL_SECONDS = 5.0
REMOTE_SECONDS = 0.25  # how often a shared desk applies changes LISTEN/NOTIFY reported


class DeskScreen(SafeWrites, TriageActions, ListActions, OutsideActions):
    """The main screen of newsdesk."""

    BINDINGS: ClassVar[list[BindingType]] = desk_bindings()

    DEFAULT_CSS = """
    DeskScreen #list-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    DeskScreen #source-error { height: auto; padding: 0 1; color: $error; display: none; }
    DeskScreen #search { display: none; }
    DeskScreen #search.-active { display: block; }
    """

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
                yield StoryView(today=self.host.today, min_confidence=self._threshold, id="story")
                yield AnalysisPanel(min_confidence=self._threshold, id="analysis")
        yield Footer(compact=True)

    def _threshold(self) -> float:
        """``[analysis] min_confidence`` as configured now."""
        return self.host.config.min_confidence

    async def _dispatch_message(self, message: Message) -> None:
        # A database that went away is reported by the app, and this screen keeps running.
        try:
            await super()._dispatch_message(message)
        except (StoreUnavailable, StoreLocked) as error:
            self.host.report_store_error(error)

    def on_mount(self) -> None:
        self.analysis_panel.show_message("No story open.")
        self.watch_writes()
        # The list first, the counts once it is painted: at first paint they would
        # compete for the database and the GIL with the rows the user waits for.
        self._request_list(keep_cursor=True)
        self.story_list.focus()
        # What start-up built lives as long as the desk: out of the collector's full
        # passes (~80 ms each on a loaded machine, the tail of opening a story, issue 17).
        self.call_after_refresh(gc.freeze)
        self.set_interval(POLL_SECONDS, self.poll_store)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        # A shared desk (PostgreSQL) is told of a colleague's change within a second;
        # the listener thread only counts, the UI applies at most four times a second.
        self._subscribe()
        if self.store.backend != "sqlite":
            self.set_interval(REMOTE_SECONDS, self.apply_remote_changes)
        self.announce_read_only()
        self.start_auto_refresh()  # feeds due by [refresh] interval_minutes / refresh_minutes

    def on_unmount(self) -> None:
        gc.unfreeze()  # the next full collection may free what the desk held

    @work(thread=True, group="desk-subscribe", exit_on_error=False)
    def _subscribe(self) -> None:
        self.store.subscribe(self.service.count_remote_change)

    def _theme_changed(self, _theme: object) -> None:
        """A theme chosen in the palette: the open story and its panel take its colours now."""
        self.story_view.repaint()
        shown = self.story_view.story
        analysis = self.analyses.get(shown.id) if shown is not None else None
        if shown is not None and analysis is not None:
            self.analysis_panel.show_analysis(
                analysis, palette_for_theme(self.app.current_theme), self.host.today()
            )

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
        reading = any(w.group == "window" and not w.is_finished for w in self.workers)
        if reading and self._answered != self._serial and not self._open_first_result:
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
        cached = self.analyses.get(full.id) or message.analysis
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
                if not self._engine_loaded:
                    self._engine_loaded = True
                    gc.freeze()  # the engine's tables, loaded once, join the start-up heap
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
