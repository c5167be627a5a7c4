"""The one ISO timestamp parser (tui.timeparse) and what each reader makes of it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.paths import REPO
from tui.store import Story
from tui.timeparse import parse_iso, parse_utc

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-08T10:00:00Z", dt.datetime(2026, 1, 8, 10, tzinfo=UTC)),
        ("2026-01-08T10:00:00+00:00", dt.datetime(2026, 1, 8, 10, tzinfo=UTC)),
        (
            "2026-01-08T10:00:00+02:00",
            dt.datetime(2026, 1, 8, 10, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        ("2026-01-08T10:00:00.250Z", dt.datetime(2026, 1, 8, 10, 0, 0, 250000, tzinfo=UTC)),
        ("2026-01-08T10:00:00", dt.datetime(2026, 1, 8, 10)),
        ("2026-01-08", dt.datetime(2026, 1, 8)),
    ],
)
def test_parse_iso_keeps_the_zone_as_written(text: str, expected: dt.datetime) -> None:
    moment = parse_iso(text)
    assert moment == expected
    assert moment is not None
    assert (moment.tzinfo is None) == (expected.tzinfo is None)


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01", "08/01/2026", " 2026-01-08"])
def test_parse_iso_says_none_for_what_it_cannot_read(text: str) -> None:
    assert parse_iso(text) is None


def test_parse_utc_reads_a_zone_less_value_as_utc() -> None:
    assert parse_utc("2026-01-08T10:30:00") == dt.datetime(2026, 1, 8, 10, 30, tzinfo=UTC)
    assert parse_utc("2026-01-08") == dt.datetime(2026, 1, 8, tzinfo=UTC)


def test_parse_utc_keeps_an_explicit_zone() -> None:
    moment = parse_utc("2026-01-08T10:00:00-05:00")
    assert moment is not None
    assert moment.utcoffset() == dt.timedelta(hours=-5)
    assert moment.astimezone(UTC).hour == 15


def test_parse_utc_naive_hour_puts_a_bare_day_at_noon_and_leaves_zoned_values() -> None:
    assert parse_utc("2026-01-08", naive_hour=12) == dt.datetime(2026, 1, 8, 12, tzinfo=UTC)
    assert parse_utc("2026-01-08T03:00:00Z", naive_hour=12) == dt.datetime(
        2026, 1, 8, 3, tzinfo=UTC
    )


def test_parse_utc_none_for_garbage() -> None:
    assert parse_utc("not a date") is None
    assert parse_utc("not a date", naive_hour=12) is None


def test_every_reader_uses_the_one_parser() -> None:
    """The copies it replaced behave as before at each call site."""
    from tui.export.periods import readable_timestamp
    from tui.sources import fulltext, jsonfeed
    from tui.story_analysis import published_of

    assert readable_timestamp("garbage") == "garbage"
    assert readable_timestamp("2026-01-08T10:00:00Z").endswith("10:00 UTC")
    assert jsonfeed._date(" 2026-01-08T10:00:00 ") == dt.datetime(2026, 1, 8, 10, tzinfo=UTC)
    assert jsonfeed._date("  ") is None
    assert fulltext._date("2026-01-08") == dt.datetime(2026, 1, 8, 12, tzinfo=UTC)
    assert fulltext._date(42) is None
    assert published_of(_story("2026-01-08T10:00:00Z")) == dt.datetime(2026, 1, 8, 10, tzinfo=UTC)
    assert published_of(_story("")) is None


def _story(published: str) -> Story:
    from tui.store import Story

    return Story(
        id=1,
        uid="u",
        source_id=1,
        source="s",
        guid="g",
        url="",
        title="t",
        author="",
        published=published,
        fetched="",
        language="en",
        text="",
        read=False,
        saved=False,
        archived=False,
        note="",
    )


def test_no_other_module_parses_timestamps_or_clips_on_its_own() -> None:
    """The copies stay gone: ``fromisoformat`` with a "Z" fix-up lives in tui/timeparse.py
    and the word-boundary clip in tui/text_limits.py only."""
    package = REPO / "tui"
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if path.name != "timeparse.py":
            assert 'replace("Z", "+00:00")' not in source, path
        if path.name != "text_limits.py":
            assert 'rfind(" ", 0, limit)' not in source, path
