"""Calendar bounds of TIMEX3-style values ("2026-02", "2026-W05", "2026-Q1", ...).

The store, the desk and the agenda all need to know which days a date mention
covers ("is February still ahead?") without re-running the analysis, so the
mapping from value to first/last day lives here, in the core.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
_VALUE_RE = re.compile(
    r"^(?P<year>\d{4})"
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2})(?:T(?P<time>[\d:]+).*)?)?"
    r"|W(?P<week>\d{2})(?:-(?P<wd>\d))?|Q(?P<quarter>[1-4])|H(?P<half>[12])"
    r"|(?P<season>SP|SU|FA|WI)))?$"
)


def bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by ``value``; ``None`` for refs and unknown forms."""
    m = _VALUE_RE.match(value.strip().upper())
    if not m:
        return None
    year = int(m["year"])
    try:
        if m["day"]:
            day = dt.date(year, int(m["month"]), int(m["day"]))
            return day, day
        if m["month"]:
            month = int(m["month"])
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        if m["week"]:
            monday = dt.date.fromisocalendar(year, int(m["week"]), 1)
            if m["wd"]:
                day = monday + dt.timedelta(days=int(m["wd"]) - 1)
                return day, day
            return monday, monday + dt.timedelta(days=6)
        if m["quarter"]:
            q = int(m["quarter"])
            first = dt.date(year, 3 * q - 2, 1)
            last_month = 3 * q
            return first, dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        if m["half"]:
            h = int(m["half"])
            return dt.date(year, 6 * h - 5, 1), dt.date(year, 6 * h, 30 if h == 1 else 31)
        if m["season"]:
            a, b = _SEASONS[m["season"]]
            end_year, end_month = (year + 1, b - 12) if b > 12 else (year, b)
            return (
                dt.date(year, a, 1),
                dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1]),
            )
    except ValueError:
        return None
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
