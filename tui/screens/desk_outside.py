"""Desk actions that reach outside the desk: fetching feeds (r, R) and articles (F),
exporting (e) and the agenda (a).

Kept apart from ``desk.py`` (moving, opening, triage) because each runs in a worker
or another screen and reports back; ``DeskScreen`` mixes this class in. As
everywhere on the desk, the store is only called from worker threads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from tui.desk.messages import plain_error
from tui.desk.service import FullTextDone
from tui.screens.auto_refresh import AutoRefresh
from tui.screens.desk_messages import FullTextReady, SourceChecked, ViewReady

if TYPE_CHECKING:
    pass


class OutsideActions(AutoRefresh):
    """r, R, F, e and a for ``DeskScreen`` (with the desk's own refresh timer)."""

    def action_refresh_all(self) -> None:
        feeds = [s for s in self.snapshot.sources if s.kind == "feed"]
        if not feeds:
            self.notify("No feeds to refresh yet: A adds one (or `newsdesk add URL`).")
            return
        self._start_refresh(None, len(feeds))

    def action_add_feed(self) -> None:
        """A: the add-a-feed dialog; the new source's stories show when it closes."""
        from tui.screens.add_feed import AddFeedDialog

        def done(source_id: int | None) -> None:
            self.reload()
            if source_id is not None:
                self.show_source(source_id)

        self.app.push_screen(AddFeedDialog(self.store, self.host.config), done)

    def show_source(self, source_id: int) -> None:
        """Switch the list to one source's stories (read in a worker: it may be new)."""
        self._read_source_view(source_id)

    @work(thread=True, group="source-view", exit_on_error=False)
    def _read_source_view(self, source_id: int) -> None:
        self._post("Reading the source", lambda: ViewReady(self.service.source_view(source_id)))

    def on_view_ready(self, message: ViewReady) -> None:
        if message.view is not None:
            self.set_view(message.view)

    def action_errors(self) -> None:
        """!: the sources whose last fetch failed; r there retries one, enter shows it."""
        from tui.screens.errors import ErrorsScreen

        def done(choice: tuple[str, int] | None) -> None:
            if choice is None:
                return
            what, source_id = choice
            if what == "retry":
                self._start_refresh([source_id], 1)
            self.show_source(source_id)

        self.app.push_screen(ErrorsScreen(list(self.snapshot.sources)), done)

    def action_refresh_source(self) -> None:
        source_id = self.base_filter.source_id
        if source_id is None:
            story = self.target_story()
            if story is None:
                return
            source_id = story.source_id
        if source_id is None:
            self.notify("This story has no source to refresh.", severity="warning")
            return
        self._check_source(source_id)

    @work(thread=True, group="source-view", exit_on_error=False)
    def _check_source(self, source_id: int) -> None:
        """Read the source as stored now (another process may have removed it)."""
        self._post(
            "Reading the source", lambda: SourceChecked(source_id, self.service.source(source_id))
        )

    def on_source_checked(self, message: SourceChecked) -> None:
        source, source_id = message.source, message.source_id
        if source is None:  # removed by another process while the desk showed it
            self.notify("That source is no longer in the desk.", severity="warning")
            self.reload()
            return
        if source.kind != "feed":
            self.notify(
                f"{plain(source.label)} is a local path: re-import it with newsdesk import.",
                markup=False,
            )
            return
        self._start_refresh([source_id], 1)

    def _start_refresh(self, source_ids: list[int] | None, total: int) -> None:
        """Every refresh starts here (``r``, ``R``, a retry from the errors list)."""
        if self.fetching_left_to_team():  # [store] fetcher = "team": fetch --every does it
            self.tell_team_fetches()
            return
        if self._refreshing():
            self.notify("A refresh is already running (see the header).")
            return
        self.refresh_sources(source_ids, total)

    @work(thread=True, group="refresh", exit_on_error=False)
    def refresh_sources(self, source_ids: list[int] | None, total: int) -> None:
        """Fetch feeds in a thread; progress in the header, new stories as they arrive."""
        from tui.sources.fetch import refresh_sync

        config = self.host.config
        self.app.call_from_thread(self.set_activity, f"refreshing 0/{total}")

        def progress(result: Any, done: int, count: int) -> None:
            self.app.call_from_thread(self._refresh_progress, result, done, count)

        try:
            sources = None if source_ids is None else [self.store.source(i) for i in source_ids]
            results = refresh_sync(self.store, sources, config, progress=progress)
            retention = config.retention
            if retention.active:  # here, off the UI thread
                from tui.store.retention import apply_retention

                apply_retention(self.store, days=retention.days, per_source=retention.per_source)
        except Exception as exc:
            self.app.call_from_thread(self.set_activity, "")
            self.app.call_from_thread(
                self.notify, f"Refresh failed: {exc}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._refresh_done, results)

    def _refresh_progress(self, result: Any, done: int, total: int) -> None:
        self.set_activity(f"refreshing {done}/{total}")
        if getattr(result, "new", 0) or getattr(result, "updated", 0):
            self.reload()

    def _refresh_done(self, results: list[Any]) -> None:
        self.set_activity("")
        self.reload()
        new = sum(r.new for r in results)
        updated = sum(r.updated for r in results)
        failed = [r for r in results if r.status == "error"]
        summary = f"Refreshed {len(results)} source{'s' if len(results) != 1 else ''}: {new} new, {updated} updated"
        if failed:
            summary += f", {len(failed)} failed"
        self.notify(summary + ".", severity="warning" if failed else "information", markup=False)
        for result in failed[:5]:
            self.notify(
                f"{plain(result.label)}: {plain(plain_error(result.error))}",
                title="Source failed",
                severity="error",
                markup=False,
                timeout=10,
            )
        if len(failed) > 5:
            self.notify(f"… and {len(failed) - 5} more sources failed: ! lists them all.")
        elif failed:
            self.notify("! lists the sources in error; r there retries one.", timeout=6)
        for result in [r for r in results if getattr(r, "pending_move", None)][:5]:
            self.notify(  # a move to another host is never applied silently
                f"{plain(result.label)} moved permanently to {plain(result.pending_move)}; "
                f"accept with: newsdesk fetch --accept-moves {result.source_id}",
                title="Feed moved to another host",
                severity="warning",
                markup=False,
                timeout=15,
            )
        if new and self.host.background_analysis:
            self.host.schedule_analysis()

    def action_fetch_fulltext(self) -> None:
        story = self.target_story()
        if story is None:
            return
        if not story.url:
            self.notify("This story has no link to fetch.", severity="warning")
            return
        self.set_activity("fetching the full article…")
        self.fetch_fulltext(story.id)

    @work(thread=True, exclusive=True, group="fulltext", exit_on_error=False)
    def fetch_fulltext(self, story_id: int) -> None:
        """Fetch the linked article in a thread and keep its text."""
        try:
            from tui.sources.fulltext import fetch_full_text

            result = fetch_full_text(self.store, story_id, self.host.config)
            ok, error, chars = result.ok, result.error, result.chars
        except Exception as exc:
            ok, error, chars = False, f"{type(exc).__name__}: {exc}", 0

        def read() -> FullTextReady:
            rows = self.service.rows([story_id])
            title = rows.stories[0].title if rows.stories else ""
            return FullTextReady(FullTextDone(story_id, ok, error, chars, title, rows))

        self._post("Reading the story", read)

    def on_full_text_ready(self, message: FullTextReady) -> None:
        done = message.done
        self.set_activity("")
        if not done.ok:
            self.notify(
                f"Full text of “{_short(done.title)}” failed: {plain_error(done.error)}",
                severity="error",
                markup=False,
            )
            return
        self.notify(f"Full article fetched ({done.chars} characters).")
        self.analyses.pop(done.story_id, None)
        self.window.replace_stories(done.rows)
        self.story_list.refresh()
        shown = self.story_view.story
        if shown is not None and shown.id == done.story_id:
            if done.rows.stories:
                self.open_story_id(done.story_id)
            else:
                self.notify("That story is no longer in the desk.", severity="warning")

    def action_export(self) -> None:
        from tui.export import Selection
        from tui.screens.export_dialog import ExportDialog

        flt = self.effective_filter
        defaults = Selection(tags=flt.tags, saved=flt.saved, query=flt.query)
        config = self.host.config

        def done(result: Any) -> None:
            if result is not None:
                count = result.stories
                self.notify(
                    f"Exported {count} {'story' if count == 1 else 'stories'} to {result.path}.",
                    markup=False,
                )

        self.app.push_screen(
            ExportDialog(self.store, config.path, defaults, min_confidence=config.min_confidence),
            done,
        )

    def action_agenda(self) -> None:
        from tui.screens.agenda import AgendaScreen

        start = self.clock().date()
        self.app.push_screen(AgendaScreen(self.store, start=start), self.open_at_sentence)

    def open_at_sentence(self, target: Any) -> None:
        """Open a story from the agenda and reveal the sentence it chose.

        A worker reads the list with the story's row (All when this view does not
        hold it); ``DeskScreen.on_window_ready`` moves there and opens it.
        """
        if target is None:
            return
        self._locating = (int(target.story_id), int(target.sentence_index))
        self._request_list(keep_cursor=True, locate=int(target.story_id))


def _short(title: str) -> str:
    title = " ".join(plain(title).split())
    if not title:
        return "a deleted story"
    return title if len(title) <= 40 else title[:39] + "…"


def plain(text: str) -> str:
    """Feed text made safe for one terminal cell row (``tui.widgets.story_list.plain``)."""
    from tui.widgets.story_list import plain as clean

    return clean(text)
