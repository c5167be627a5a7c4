"""When a feed is due for an automatic refresh (the desk's timer, ``newsdesk fetch --every``).

Plain Python, no Textual, no I/O: given the sources with their last fetch, the
global interval (``[refresh] interval_minutes`` on a desk, the ``--every``
duration for the team fetcher) and each feed's own ``refresh_minutes``, say
which are due now and when the next one will be. Zero means "not
automatically": ``interval_minutes = 0`` turns the desk's timer off for feeds
without their own setting, ``refresh_minutes = 0`` keeps one feed manual.

A feed waiting out a server's Retry-After is not due before it has passed:
asking earlier would only be skipped. A feed never fetched is due at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tui import timeparse
from tui.config import FeedConfig
from tui.store.models import Source

#: Meta keys ``newsdesk fetch --every`` writes after each round, for the desks that leave
#: fetching to it (``[store] fetcher = "team"``): when it last ran, and how often it runs.
TEAM_FETCHER_LAST_ROUND = "team_fetcher.last_round"
TEAM_FETCHER_EVERY = "team_fetcher.every_seconds"


def parse_utc(text: str | None) -> dt.datetime | None:
    """A stored ``2026-01-08T10:00:00Z`` timestamp, or None (missing or unreadable)."""
    return timeparse.parse_utc(text) if text else None


@dataclass(frozen=True, slots=True)
class Schedule:
    """How often each feed is refreshed automatically, in seconds (0 = not automatically)."""

    default_seconds: float = 0.0
    #: feed URL -> seconds, from ``[[feeds]] refresh_minutes`` (0 = this feed never)
    per_feed: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_config(cls, default_seconds: float, feeds: Iterable[FeedConfig] = ()) -> Schedule:
        """The global interval and the config's per-feed ``refresh_minutes``."""
        return cls(
            max(0.0, default_seconds),
            {
                f.url: max(0, f.refresh_minutes) * 60.0
                for f in feeds
                if f.refresh_minutes is not None
            },
        )

    @property
    def active(self) -> bool:
        """Whether any feed is refreshed automatically at all."""
        return self.default_seconds > 0 or any(v > 0 for v in self.per_feed.values())

    def interval(self, source: Source) -> float:
        """Seconds between automatic refreshes of ``source`` (0 = never)."""
        if source.kind != "feed":
            return 0.0
        return self.per_feed.get(source.url, self.default_seconds)

    def due_at(self, source: Source, *, force: bool = False) -> dt.datetime | None:
        """When ``source`` is next due (a time in the past when overdue), None if never;
        ``force`` (``fetch --force``) disregards a server's Retry-After."""
        every = self.interval(source)
        if every <= 0:
            return None
        last = parse_utc(source.last_fetch)
        due = (
            dt.datetime.min.replace(tzinfo=dt.UTC)
            if last is None
            else (last + dt.timedelta(seconds=every))
        )
        retry = None if force else parse_utc(source.retry_after)
        return max(due, retry) if retry is not None else due

    def due(
        self,
        sources: Sequence[Source],
        now: dt.datetime,
        *,
        slack: float = 0.0,
        force: bool = False,
    ) -> list[Source]:
        """The sources to refresh at ``now``.

        ``slack`` (seconds) counts a feed due that early: a loop waking every
        N seconds passes ``N / 2`` so a feed fetched a moment after the previous
        round started is not left for a whole extra round.
        """
        soon = now + dt.timedelta(seconds=slack)
        return [
            s for s in sources if (at := self.due_at(s, force=force)) is not None and at <= soon
        ]

    def next_due(self, sources: Sequence[Source]) -> dt.datetime | None:
        """The earliest time any source is due, None when none ever is."""
        times = [at for s in sources if (at := self.due_at(s)) is not None]
        return min(times) if times else None

    def tick_seconds(self, *, longest: float) -> float:
        """How often a loop should wake to honour every interval: the shortest one,
        capped at ``longest``."""
        intervals = [v for v in (self.default_seconds, *self.per_feed.values()) if v > 0]
        return min([longest, *intervals])


def _span(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"


def team_fetcher_line(last_round: str | None, every: str | None, now: dt.datetime) -> str:
    """What ``r`` says on a desk that leaves fetching to the team fetcher: one line."""
    head = "The team fetcher (newsdesk fetch --every) refreshes this desk; new stories appear here"
    last = parse_utc(last_round)
    if last is None:
        return f"{head} when it runs: it has not run on this database yet."
    try:
        period = f", every {_span(float(every))}" if every else ""
    except ValueError:
        period = ""
    return (
        f"{head} as it brings them (last round {_span((now - last).total_seconds())} ago{period})."
    )
