"""Readable labels for TIMEX values and the periods the agenda groups them by.

Values repeat across stories (every story of a week says "February"), so the
pure functions here are memoised.

The analysis resolves "el próximo 23 de enero" to ``2026-01-23`` and "next week"
to ``2026-W05``; readers of an export want "Friday 23 January 2026" and "week of
26 January 2026". Labels are English and locale-independent (no ``strftime``
month names), so golden files do not depend on the machine's locale.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui.readable_dates import readable, words_for
from tui.timeparse import parse_iso
from tui.timex import bounds

MONTHS = words_for("en").months
WEEKDAYS = words_for("en").weekdays
_TIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})T(?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2}|[A-Za-z_]+(?:/[A-Za-z_+-]+)*)?$"
)


def day_label(day: dt.date) -> str:
    """``Friday 23 January 2026``."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_day(day: dt.date) -> str:
    """``23 January 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def readable_timestamp(iso: str) -> str:
    """A stored UTC timestamp (``2026-01-08T10:00:00Z``) for people: ``Thursday 8 January 2026, 10:00 UTC``."""
    moment = parse_iso(iso)
    if moment is None:
        return iso
    label = day_label(moment.date())
    if (moment.hour, moment.minute) != (0, 0):
        label += f", {moment.hour:02d}:{moment.minute:02d} UTC"
    return label


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A TIMEX time value split up: the day, the clock time and its zone (if any)."""

    day: dt.date
    time: dt.time
    zone: dt.tzinfo | None
    zone_label: str


@lru_cache(maxsize=4096)
def parse_time(value: str) -> TimeValue | None:
    """``2026-01-23T10:00-06:00`` → parts; zone names (``America/Mexico_City``) are looked up."""
    m = _TIME_RE.match(value.strip())
    if not m:
        return None
    try:
        day = dt.date.fromisoformat(m["date"])
        clock = dt.time(int(m["h"]), int(m["m"]), int(m["s"] or 0))
    except ValueError:
        return None
    raw = m["zone"] or ""
    zone: dt.tzinfo | None = None
    if raw == "Z":
        zone = dt.UTC
    elif raw[:1] in "+-" and raw:
        digits = raw[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        zone = dt.timezone(-offset if raw[0] == "-" else offset)
    elif raw:
        try:
            zone = ZoneInfo(raw)
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
    label = "UTC" if raw == "Z" else raw
    return TimeValue(day, clock, zone, label)


@lru_cache(maxsize=4096)
def value_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a value, times included (their day)."""
    time = parse_time(value)
    if time is not None:
        return time.day, time.day
    return bounds(value)


@lru_cache(maxsize=4096)
def value_label(value: str, granularity: str, language: str = "en") -> str:
    """A readable label of a TIMEX value (``tui.readable_dates``: never a raw code)."""
    return readable(value, language)


@lru_cache(maxsize=4096)
def period_kind(value: str, granularity: str) -> str:
    """What the agenda groups a value under: ``day``, ``week``, ``month``, or a longer period."""
    if parse_time(value) is not None:
        return "day"
    span = bounds(value)
    if span is None:
        return granularity or "other"
    first, last = span
    if first == last:
        return "day"
    if "-W" in value.upper():
        return "week"
    if first.month == last.month and first.year == last.year:
        return "month"
    if granularity in ("quarter", "season", "year"):
        return granularity
    return "period"
