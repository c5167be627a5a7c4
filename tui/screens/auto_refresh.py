"""The desk's own timer for feeds that are due, and desks that leave fetching to the team.

Two settings users expect to work: ``[refresh] interval_minutes`` and a feed's
``refresh_minutes`` (``tui.desk.refresh_schedule`` decides what is due); and
``[store] fetcher = "team"``, under which the desk never fetches: ``newsdesk
fetch --every`` does, and its stories reach the desk like any colleague's change
(LISTEN/NOTIFY on PostgreSQL, the file poll on SQLite). ``r`` then says so in
one line, with when the team fetcher last ran.

Store calls run in worker threads; the UI thread only starts them and shows
what they found. ``OutsideActions`` (r, R) mixes this class in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import work

from tui.desk.refresh_schedule import (
    TEAM_FETCHER_EVERY,
    TEAM_FETCHER_LAST_ROUND,
    Schedule,
    team_fetcher_line,
)
from tui.screens.desk_base import DeskBase


class AutoRefresh(DeskBase):
    """Due feeds refreshed without a key press; ``r`` deferring to the team fetcher."""

    #: How often the desk checks for due feeds (seconds); a test shortens it.
    auto_refresh_seconds: ClassVar[float] = 30.0

    if TYPE_CHECKING:

        def refresh_sources(self, source_ids: list[int] | None, total: int) -> object: ...

    def start_auto_refresh(self) -> None:
        """Start the schedule check (once, when the desk is mounted)."""
        self.set_interval(self.auto_refresh_seconds, self.check_refresh_schedule)

    def fetching_left_to_team(self) -> bool:
        """Whether this desk leaves fetching to ``newsdesk fetch --every``."""
        return self.host.config.fetcher == "team"

    def tell_team_fetches(self) -> None:
        """``r`` on such a desk: one line saying who refreshes, and when it last ran."""
        self._team_fetcher_status()

    @work(thread=True, group="team-fetcher", exclusive=True, exit_on_error=False)
    def _team_fetcher_status(self) -> None:
        try:
            last, every = (
                self.store.meta(TEAM_FETCHER_LAST_ROUND),
                self.store.meta(TEAM_FETCHER_EVERY),
            )
        except Exception:  # a database that is away: say who fetches all the same
            last = every = None
        line = team_fetcher_line(last, every, dt.datetime.now(dt.UTC))
        self.app.call_from_thread(self.notify, line, markup=False)

    def _schedule(self) -> Schedule | None:
        config = self.host.config
        if self.fetching_left_to_team() or self.store.read_only:
            return None
        schedule = Schedule.from_config(config.refresh.interval_minutes * 60.0, config.feeds)
        return schedule if schedule.active else None

    def _refreshing(self) -> bool:
        """Whether a refresh worker runs now (r, R, a retry or this timer started it)."""
        return any(w.group == "refresh" and w.is_running for w in self.workers)

    def check_refresh_schedule(self) -> None:
        """Timer: look for due feeds in a thread, unless a refresh is running already."""
        schedule = self._schedule()
        if schedule is not None and not self._refreshing():
            self._find_due_sources(schedule)

    @work(thread=True, group="auto-refresh", exclusive=True, exit_on_error=False)
    def _find_due_sources(self, schedule: Schedule) -> None:
        now = dt.datetime.now(dt.UTC)  # fetch times are real times, whatever the desk's clock
        due = schedule.due(self.store.sources(), now, slack=self.auto_refresh_seconds / 2)
        if due:
            self.app.call_from_thread(self._refresh_due, [s.id for s in due])

    def _refresh_due(self, source_ids: list[int]) -> None:
        if not self._refreshing():  # r may have started one meanwhile
            self.refresh_sources(source_ids, len(source_ids))
