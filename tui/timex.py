"""Calendar bounds of TIMEX3-style values ("2026-02", "2026-W05", "2026-Q1", ...) and
whether a date is *upcoming* now.

The store, the desk and the agenda all need to know which days a date mention
covers ("is February still ahead?") without re-running the analysis, so the
mapping from value to first/last day lives here, in the core, next to the one
function that says whether a date is upcoming (``date_status``): the story
panel, the highlights, the sidebar count, the agenda and the exports all ask it,
so no two screens can disagree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
_VALUE_RE = re.compile(
    r"^(?:FY)?(?P<year>\d{4})"
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2})(?:T.+)?)?"
    r"|W(?P<week>\d{2})(?:-(?P<wd>\d)|-(?P<weekend>WE))?|Q(?P<quarter>[1-4])|H(?P<half>[12])"
    r"|(?P<season>SP|SU|FA|WI)))?$"
)
#: A decade ("201": 2010-2019) or a century ("20": 2000-2099), as TIMEX3 writes them.
_SPAN_RE = re.compile(r"^(?P<digits>\d{2,3})$")


def bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by ``value``; ``None`` for refs and unknown forms.

    A fiscal year (``FY2008``) is read as its calendar year: companies start
    theirs in different months, and a whole year is close enough to say whether
    it is still ahead.
    """
    text = value.strip().upper()
    span = _SPAN_RE.match(text)
    if span:
        digits = span["digits"]
        size = 10 if len(digits) == 3 else 100
        start = int(digits) * size
        return dt.date(max(1, start), 1, 1), dt.date(start + size - 1, 12, 31)
    m = _VALUE_RE.match(text)
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
            if m["weekend"]:
                return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
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


#: What a date is to the reader now:
#: ``"upcoming"``: after now (not over by the desk's today), and in the future
#: when the story was published; ``"was_upcoming"``: in the future when the story
#: was published but over by now; ``"past"``: neither (already past, or under
#: way, when the story was published; and vague references like "pronto",
#: which no calendar can place).
DateStatus = Literal["upcoming", "was_upcoming", "past"]


def date_status(value: str, future_at_publication: bool, today: dt.date) -> DateStatus:
    """The one rule for "upcoming": every screen, the agenda and the exports use it.

    ``future_at_publication`` is the analysis's judgement (``DateMention.upcoming``:
    after the publication date at the value's own granularity); ``today`` is the
    desk's clock (``Store.today()``). A date is upcoming while its last day is
    today or later; once over it *was* upcoming. The store's SQL filters
    (``upcoming = 1 AND ends >= today``) say the same.
    """
    if not future_at_publication:
        return "past"
    span = bounds(value)
    if span is None:
        return "past"
    return "upcoming" if span[1] >= today else "was_upcoming"


def parse_today(text: str) -> dt.date:
    """A ``--today`` or config ``today`` value: ``YYYY-MM-DD`` (``ValueError`` otherwise)."""
    return dt.date.fromisoformat(text.strip())
