"""Which feeds the desk's timer and ``fetch --every`` refresh, and when (no Textual, no I/O)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from tui.config import FeedConfig
from tui.desk.refresh_schedule import Schedule, parse_utc
from tui.store.models import Source

NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)


def _source(
    n: int,
    *,
    minutes_ago: float | None,
    kind: Literal["feed", "file"] = "feed",
    retry_in: float | None = None,
) -> Source:
    def at(minutes: float) -> str:
        return (NOW + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")

    return Source(
        id=n, kind=kind, url=f"https://f{n}.test/rss", title="", etag=None, last_modified=None,
        last_fetch=None if minutes_ago is None else at(-minutes_ago), last_success=None,
        last_error=None, failures=0, retry_after=None if retry_in is None else at(retry_in),
        options={},
    )  # fmt: skip


def test_global_interval_makes_old_and_never_fetched_feeds_due() -> None:
    schedule = Schedule.from_config(15 * 60)
    sources = [_source(1, minutes_ago=20), _source(2, minutes_ago=5), _source(3, minutes_ago=None)]
    assert [s.id for s in schedule.due(sources, NOW)] == [1, 3]
    assert schedule.next_due([sources[1]]) == NOW + dt.timedelta(minutes=10)


def test_zero_is_off_globally_and_per_feed() -> None:
    sources = [_source(1, minutes_ago=600), _source(2, minutes_ago=600)]
    off = Schedule.from_config(0)
    assert not off.active and off.due(sources, NOW) == [] and off.next_due(sources) is None
    one_manual = Schedule.from_config(60, [FeedConfig(sources[0].url, refresh_minutes=0)])
    assert [s.id for s in one_manual.due(sources, NOW)] == [2]
    only_one = Schedule.from_config(0, [FeedConfig(sources[1].url, refresh_minutes=5)])
    assert only_one.active and [s.id for s in only_one.due(sources, NOW)] == [2]


def test_per_feed_refresh_minutes_overrides_the_global_interval() -> None:
    fast = _source(1, minutes_ago=6)
    slow = _source(2, minutes_ago=6)
    schedule = Schedule.from_config(60 * 60, [FeedConfig(fast.url, refresh_minutes=5)])
    assert [s.id for s in schedule.due([fast, slow], NOW)] == [1]
    assert schedule.tick_seconds(longest=30) == 30
    assert schedule.tick_seconds(longest=3600) == 300


def test_slack_counts_a_feed_fetched_just_after_the_round_started_as_due() -> None:
    schedule = Schedule.from_config(15 * 60)
    late = _source(1, minutes_ago=14.5)  # fetched 30 s into the previous round
    assert schedule.due([late], NOW) == []
    assert [s.id for s in schedule.due([late], NOW, slack=7.5 * 60)] == [1]


def test_a_retry_after_and_local_paths_are_never_due_early() -> None:
    schedule = Schedule.from_config(15 * 60)
    waiting = _source(1, minutes_ago=60, retry_in=30)
    path = _source(2, minutes_ago=None, kind="file")
    assert schedule.due([waiting, path], NOW) == []
    assert schedule.next_due([waiting, path]) == NOW + dt.timedelta(minutes=30)
    assert schedule.due([waiting, path], NOW, force=True) == [waiting]  # fetch --force


def test_stored_timestamps_parse_and_garbage_is_none() -> None:
    assert parse_utc("2026-01-08T10:00:00Z") == dt.datetime(2026, 1, 8, 10, tzinfo=dt.UTC)
    assert parse_utc("yesterday") is None and parse_utc(None) is None
