"""The newsdesk Textual application: opens the store, applies config (theme, keys), runs the desk.

Everything user-visible lives in ``tui.screens`` and ``tui.widgets``; this module
wires them to the runtime: the database, the config file (theme choice saved back
to it), the first-run offer of the sample desk, background analysis, and the
command palette entries for every desk key.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import work
from textual._path import CSSPathType
from textual.app import App, SystemCommand
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import get_current_worker

from tui.commands import DESK_COMMANDS
from tui.config import save_setting
from tui.desk.service import ACTOR_CHOICES, DeskService
from tui.runtime import Runtime
from tui.samples import OFFERED_KEY, demo_today, load_samples
from tui.screens.desk import Analyser, DeskScreen
from tui.screens.dialogs import FirstRunDialog
from tui.sources.clean import clean_line
from tui.store import Store, StoreLocked, StoreUnavailable

STORE_ERROR_QUIET = 5.0  # seconds between two 'database unavailable' notices

STYLE_FILE = "desk.tcss"


def styles_dir() -> Path:
    """Where the CSS is: ``tui/styles`` inside the wheel, ``styles/`` at the repo root otherwise."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "styles", here.parent / "styles"):
        if (candidate / STYLE_FILE).is_file():
            return candidate
    return here / "styles"


def utc_now() -> dt.datetime:
    """The real clock (tests pass a frozen one)."""
    return dt.datetime.now(dt.UTC)


class NewsDeskApp(App[None]):
    """The desk."""

    TITLE = "newsdesk"
    CSS_PATH: ClassVar[CSSPathType | None] = [styles_dir() / STYLE_FILE]

    def __init__(
        self,
        runtime: Runtime,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        background_analysis: bool = True,
        store: Store | None = None,
        analyser: Analyser | None = None,
    ) -> None:
        super().__init__()
        self.runtime = runtime
        self.config = runtime.config
        self._real_clock = clock or utc_now
        #: The desk's day when set (``--today``, the config, the demo desk).
        self.fixed_today: dt.date | None = runtime.today
        self.background_analysis = background_analysis
        self.analyser = analyser
        self.store = store or runtime.open_store()
        # Every "upcoming" the store answers (sidebar count, list markers, agenda)
        # counts from the desk's clock, not the machine's.
        self.store.clock = self.today
        self._owns_store = store is None
        self._saved_theme = self.config.theme
        self._store_error_at = -STORE_ERROR_QUIET
        self.unsaved: list[str] = []

    def report_store_error(self, error: StoreUnavailable | StoreLocked) -> None:
        """A database that is away or busy is a notice, not a crash: each write is one
        transaction, so the interrupted action wrote nothing, and the store reconnects
        by itself (a shared desk's server restarting, a long write by another desk).
        """
        now = time.monotonic()
        if now - self._store_error_at > STORE_ERROR_QUIET:  # not once per poll
            self._store_error_at = now
            self.notify(
                f"{error}. That action was not saved; try again in a moment.",
                title="Database unavailable",
                severity="error",
                markup=False,
                timeout=8,
            )

    async def _dispatch_message(self, message: Message) -> None:
        # Key bindings run here; an error escaping would stop this message loop for good.
        try:
            await super()._dispatch_message(message)
        except (StoreUnavailable, StoreLocked) as error:
            self.report_store_error(error)

    def _handle_exception(self, error: Exception) -> None:
        # Workers (refresh, search, analysis) report their errors here.
        if isinstance(error, StoreUnavailable | StoreLocked):
            self.report_store_error(error)
            return
        super()._handle_exception(error)

    def clock(self) -> dt.datetime:
        """The desk's clock: noon of the fixed day when one is set, else the real clock."""
        if self.fixed_today is not None:
            return dt.datetime.combine(self.fixed_today, dt.time(12), dt.UTC)
        return self._real_clock()

    def today(self) -> dt.date:
        """The desk's today (what "upcoming" counts from)."""
        return self.clock().date()

    def get_default_screen(self) -> Screen[None]:
        service = DeskService(self.store, today=self.today, config=self.config)
        self._desk_screen = DeskScreen(service, self, self.clock, self.analyser)
        return self._desk_screen

    def schedule_analysis(self) -> None:
        """Analyse stories without an analysis in the background (the desk's host protocol)."""
        self.analyse_in_background()

    def load_samples(self) -> None:
        """Load the sample desk in a worker (the desk's host protocol)."""
        self.load_sample_desk()

    @property
    def desk(self) -> DeskScreen:
        """The desk screen (always at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, DeskScreen)
        return screen

    def on_mount(self) -> None:
        if self.config.keys:  # ids and clashes were checked when the config was read
            self.set_keymap(dict(self.config.keys))
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        else:
            self.notify(
                f"Unknown theme {self.config.theme!r} in the config.",
                severity="warning",
                markup=False,  # the name is the user's text, not markup
            )
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._first_run_check()

    @work(thread=True, group="first-run", exit_on_error=False)
    def _first_run_check(self) -> None:
        """Off the UI thread: an empty desk gets the samples (demo) or the offer of them."""
        empty = self.store.count_stories() == 0
        offered = self.store.meta(OFFERED_KEY) is not None if empty else True
        self.call_from_thread(self._first_run_start, empty, offered)

    def _first_run_start(self, empty: bool, offered: bool) -> None:
        if empty and self.runtime.demo:
            self.load_sample_desk()
        elif empty and not offered:
            self.push_screen(FirstRunDialog(), self._first_run_answer)
        elif self.background_analysis:
            self.analyse_in_background()

    def on_unmount(self) -> None:
        # Writes kept while the database was busy or read-only: one last try, and
        # whatever is still not written is reported after the desk closes.
        desk = getattr(self, "_desk_screen", None)
        self.unsaved = [item.label for item in desk.close_writes()] if desk is not None else []
        if self._owns_store:
            self.store.close()

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name == self._saved_theme:
            return
        self._saved_theme = theme.name
        try:
            save_setting(self.config.path, "theme", theme.name)
        except OSError as exc:
            self.notify(f"Could not save the theme: {exc}", severity="warning", markup=False)

    # -- samples and background work ------------------------------------------------------

    def _first_run_answer(self, yes: bool | None) -> None:
        if yes:
            self.load_sample_desk()
        else:
            self._decline_samples()
            self.notify("Empty desk: A adds a feed (or `newsdesk add URL`); ctrl+l loads samples.")

    @work(thread=True, group="first-run", exit_on_error=False)
    def _decline_samples(self) -> None:
        self.store.set_meta(OFFERED_KEY, "declined")

    @work(thread=True, exclusive=True, group="samples", exit_on_error=False)
    def load_sample_desk(self) -> None:
        """Import the bundled sample stories off the UI thread."""
        self.call_from_thread(self.desk.set_activity, "loading samples…")
        try:
            report = load_samples(self.store)
            demo_day = demo_today(self.store) if self.runtime.demo else None
        except Exception as exc:
            self.call_from_thread(
                self._samples_done, f"Could not load the samples: {exc}", True, None
            )
            return
        added = report.new + report.updated
        self.call_from_thread(
            self._samples_done,
            f"Sample desk loaded: {added} {'story' if added == 1 else 'stories'}.",
            False,
            demo_day,
        )

    def _samples_done(self, message: str, failed: bool, demo_day: dt.date | None) -> None:
        if self.runtime.demo and self.runtime.today is None and not failed:
            # The demo desk's clock: just after its newest story, so that its
            # upcoming dates, the agenda and the .ics show entries.
            self.fixed_today = demo_day or self.fixed_today
        self.desk.set_activity("")
        self.notify(message, severity="error" if failed else "information", markup=False)
        self.desk.reload(keep_cursor=False)
        if self.background_analysis:
            self.analyse_in_background()

    @work(thread=True, exclusive=True, group="background-analysis", exit_on_error=False)
    def analyse_in_background(self) -> None:
        """Analyse stories that have none yet, a few at a time, newest first."""
        try:
            from tui.story_analysis import analyse_pending
        except Exception:
            return
        from tui.analysis_worker import analyse_pending_at, analysis_pool, drop_analysis_pool

        total = 0
        path = str(self.store.path) if self.store.path is not None else None
        while True:
            try:
                if path is not None:  # in the worker process: the UI thread keeps the GIL
                    done = analysis_pool().submit(analyse_pending_at, path, 5).result()
                else:
                    done = analyse_pending(self.store, limit=5)
            except Exception:
                if path is None:
                    return
                # no worker process here (it died, or cannot start): analyse in this thread
                drop_analysis_pool()
                path = None
                continue
            total += done
            if done == 0 or total % 100 == 0:  # new actors and upcoming dates for the left pane
                actors = self.store.actors(limit=ACTOR_CHOICES)  # slow at 100k: not on the UI
                self.call_from_thread(self.desk.refresh_counts, actors)
            if done == 0 or get_current_worker().is_cancelled:
                return
            time.sleep(0.05)  # a breather: the desk's own writes never queue behind a backlog

    # -- command palette ----------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, DeskScreen):
            return
        for command in DESK_COMMANDS:
            keys = self._keymap.get(command.id, command.keys)
            yield SystemCommand(
                command.palette_title,
                f"{command.help} (keys: {keys})",
                partial(self._run_desk_action, command.action),
            )

    async def _run_desk_action(self, action: str) -> None:
        await self.desk.run_action(action)

    def action_load_samples(self) -> None:
        """Load the sample desk (from the palette or ctrl+l)."""
        self.load_sample_desk()


def run_desk(runtime: Runtime) -> None:
    """Run the desk on the runtime's database and config (``newsdesk`` with no command)."""
    from tui.sources.parse_pool import start_helpers

    start_helpers()  # before Textual swaps stdio: see tui.sources.parse_pool
    app = NewsDeskApp(runtime)
    app.run()
    if app.unsaved:  # said after the screen is restored, where it stays readable
        sys.stderr.write(
            f"newsdesk: warning: {len(app.unsaved)} change(s) could not be saved "
            f"(the database was busy or read-only): {clean_line('; '.join(app.unsaved))}\n"
        )
