"""Calendar arithmetic for TIMEX3-style values: periods, shifts and their formats.

A resolved expression is a ``Period``: its normalised ``value``, its
``granularity`` and the first day it covers (``start``), which is what
"upcoming" compares with the publication date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui.analysis.model import Granularity

#: First month of each season (northern hemisphere, as TIMEX3 assumes).
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASONS = ("SP", "SU", "FA", "WI")
#: TIMEX3 parts of day: morning, midday, afternoon, evening, night, daytime.
DAYPARTS = frozenset({"MO", "MI", "AF", "EV", "NI", "DT"})


@dataclass(frozen=True, slots=True)
class Period:
    """A resolved date: value, granularity, first day covered, time-of-day suffix."""

    value: str
    granularity: Granularity
    start: dt.date | None
    time: str = ""

    @property
    def is_day(self) -> bool:
        """A whole day (a time of day can attach to it)."""
        return self.granularity == "day"


def day(d: dt.date) -> Period:
    return Period(d.isoformat(), "day", d)


def week_of(d: dt.date) -> Period:
    year, week, _ = d.isocalendar()
    monday = d - dt.timedelta(days=d.weekday())
    return Period(f"{year}-W{week:02d}", "week", monday)


def month(year: int, mon: int) -> Period:
    return Period(f"{year:04d}-{mon:02d}", "month", dt.date(year, mon, 1))


def quarter(year: int, q: int) -> Period:
    return Period(f"{year:04d}-Q{q}", "quarter", dt.date(year, 3 * q - 2, 1))


def half(year: int, h: int) -> Period:
    """A half-year, "2026-H1" (``tui.timex`` knows its bounds)."""
    return Period(f"{year:04d}-H{h}", "half", dt.date(year, 6 * h - 5, 1))


def season(year: int, code: str) -> Period:
    return Period(f"{year:04d}-{code}", "season", dt.date(year, SEASON_START[code], 1))


def year(y: int) -> Period:
    return Period(f"{y:04d}", "year", dt.date(y, 1, 1))


def ref(value: str) -> Period:
    return Period(value, "ref", None)


def at_time(d: dt.date, time: str) -> Period:
    """``d`` at a clock time (``"10:00"``, ``"16:08Z"``) or a part of day (``"MO"``)."""
    return Period(f"{d.isoformat()}T{time}", "time", d, time)


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + n
    return index // 12, index % 12 + 1


def shifted(anchor: dt.date, unit: str, n: int) -> Period | None:
    """The ``unit`` period ``n`` units away from ``anchor`` (0 = the current one)."""
    if unit == "day":
        return day(anchor + dt.timedelta(days=n))
    if unit == "week":
        return week_of(anchor + dt.timedelta(weeks=n))
    if unit == "weekday":  # "hace una semana": the day a week away
        return day(anchor + dt.timedelta(weeks=n))
    if unit == "month":
        return month(*add_months(anchor.year, anchor.month, n))
    if unit == "quarter":
        y, m = add_months(anchor.year, anchor.month, 3 * n)
        return quarter(y, (m - 1) // 3 + 1)
    if unit == "half":
        y, m = add_months(anchor.year, anchor.month, 6 * n)
        return half(y, 1 if m <= 6 else 2)
    if unit == "year":
        return year(anchor.year + n)
    if unit == "decade":  # TIMEX3 writes a decade as its first three digits
        first = anchor.year // 10 + n
        return Period(f"{first:03d}", "year", dt.date(max(1, first * 10), 1, 1))
    if unit in ("hour", "minute"):
        # Hours away from the publication day: the day itself (no invented time).
        return day(anchor)
    return None


def season_of(d: dt.date) -> tuple[int, int]:
    """(year, index into SEASONS) of ``d``; January and February are last year's winter."""
    if d.month in (1, 2):
        return d.year - 1, 3
    return d.year, (d.month - 3) // 3


def choose_year(
    anchor: dt.date, direction: int, candidate: int, key: tuple[int, ...], now: tuple[int, ...]
) -> int:
    """Year for a partial date whose within-year position is ``key``.

    ``direction`` > 0: the first occurrence on or after the anchor; < 0: the last
    one on or before it; 0: the occurrence nearest to the anchor.
    """
    if direction > 0:
        return candidate if key >= now else candidate + 1
    if direction < 0:
        return candidate if key <= now else candidate - 1
    return candidate


#: A distant tense cue (direction ±1, not ±2) that puts a partial date this far
#: from the anchor is more likely about another clause than about the date.
FAR_DAYS = 270


def nearest_month_year(anchor: dt.date, mon: int, direction: int) -> int:
    """Year of month ``mon`` resolved against ``anchor`` and a direction."""
    if direction != 0:
        y = choose_year(anchor, direction, anchor.year, (mon,), (anchor.month,))
        if abs(direction) > 1 or abs((dt.date(y, mon, 15) - anchor).days) <= FAR_DAYS:
            return y
    diff = mon - anchor.month
    if diff > 6:
        return anchor.year - 1
    if diff < -6:
        return anchor.year + 1
    return anchor.year


def nearest_day_year(anchor: dt.date, mon: int, dom: int, direction: int) -> int:
    """Year of day ``dom`` of month ``mon`` resolved against ``anchor`` and a direction."""
    if direction != 0:
        y = choose_year(anchor, direction, anchor.year, (mon, dom), (anchor.month, anchor.day))
        d = valid_day(y, mon, dom)
        if d is None or abs(direction) > 1 or abs((d - anchor).days) <= FAR_DAYS:
            return y
    return nearest_month_year(anchor, mon, 0)


def weekday_date(anchor: dt.date, weekday: int, direction: int, strict: bool) -> dt.date:
    """The ``weekday`` (0 = Monday) before (<0), after (>0) or in the week of (0) ``anchor``.

    ``strict`` excludes the anchor day itself: "el próximo lunes" said on a
    Monday is a week away, while a bare "Monday" in a Monday story is that day.
    """
    delta = weekday - anchor.weekday()
    if direction > 0:
        return anchor + dt.timedelta(
            days=delta if delta > 0 or (delta == 0 and not strict) else delta + 7
        )
    if direction < 0:
        return anchor + dt.timedelta(
            days=delta if delta < 0 or (delta == 0 and not strict) else delta - 7
        )
    return anchor + dt.timedelta(days=delta)


def year_before(period: Period) -> Period | None:
    """The same day, month or quarter a year earlier ("the same period last year")."""
    start = period.start
    if start is None:
        return None
    if period.granularity == "day":
        return day(valid_day(start.year - 1, start.month, start.day) or start.replace(day=28))
    if period.granularity == "month":
        return month(start.year - 1, start.month)
    if period.granularity == "quarter":
        return quarter(start.year - 1, (start.month - 1) // 3 + 1)
    return None


def easter(y: int) -> dt.date:
    """Western Easter Sunday of year ``y`` (anonymous Gregorian computus)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    return dt.date(y, month, (h + l - 7 * m + 114) % 31 + 1)


def holiday(rule: str, y: int) -> dt.date | None:
    """The day a holiday rule names in year ``y``.

    Rules (from the data files): ``"12-25"`` a fixed day; ``"nth:11:3:4"`` the
    4th Thursday (weekday 3) of November, ``-1`` for the last, and an optional
    fifth field of days after it (``"nth:11:3:4:1"``, Black Friday, the day after
    Thanksgiving); ``"easter:-2"`` days from Easter Sunday.
    """
    kind, _, rest = rule.partition(":")
    if kind == "easter":
        return easter(y) + dt.timedelta(days=int(rest or 0))
    if kind == "nth":
        mon, weekday, n, *after = (int(x) for x in rest.split(":"))
        later = dt.timedelta(days=after[0] if after else 0)
        if n > 0:
            first = dt.date(y, mon, 1)
            nth = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
            return nth + later
        y2, m2 = add_months(y, mon, 1)
        last = dt.date(y2, m2, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7) + later
    month_text, _, day_text = rule.partition("-")
    return valid_day(y, int(month_text), int(day_text))


def valid_day(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None
