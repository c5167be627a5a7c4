"""From a pattern match to a ``Period``: the meaning of each named group.

The grammar (data) says *where* a day, a month or a "next" is; this module says
what they mean, the same way for every language: numbers and words become
integers through the language's word lists, partial dates take their year and
weekdays their direction from the publication date and the sentence's tense.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from tui.analysis.dates import calendar as cal
from tui.analysis.dates.calendar import Period
from tui.analysis.dates.grammar import Grammar, normalise

Groups = dict[str, str]
_DIGITS = re.compile(r"\d+")


def number(g: Grammar, text: str | None) -> int | None:
    """Digits, a number in words or an ordinal word as an integer."""
    if not text:
        return None
    lead = _DIGITS.match(text.strip())
    if lead:
        return int(lead.group())
    for table in ("number", "ordinal"):
        value = g.lookup(table, text)
        if isinstance(value, int):
            return value
    tens, _, units = normalise(text).partition(" y ")
    if units:  # "cuarenta y cinco": tens and units
        high, low = g.lookup("number", tens), g.lookup("number", units)
        if isinstance(high, int) and isinstance(low, int) and high % 10 == 0 and 0 < low < 10:
            return high + low
    return None


def _shift(g: Grammar, groups: Groups, *names: str) -> int | None:
    for name in names:
        text = groups.get(name)
        if text:
            for table in ("shift", "anaphoric_shift"):
                value = g.lookup(table, text)
                if isinstance(value, int):
                    return value
    return None


def _year(g: Grammar, groups: Groups, anchor: dt.date) -> int | None:
    text = groups.get("year") or groups.get("year2")
    if text:
        y = int("".join(ch for ch in text if ch.isdigit()))
        if y < 100:
            y += 2000 if y <= anchor.year % 100 + 5 else 1900
        return y
    if groups.get("yrel") is not None:
        return anchor.year + (_shift(g, groups, "yshift", "yshift2") or 0)
    return None


def _unit(g: Grammar, text: str | None) -> str | None:
    for table in ("unit", "units", "period_unit"):
        value = g.lookup(table, text or "")
        if isinstance(value, str):
            return value
    return None


def _month(g: Grammar, text: str | None) -> int | None:
    if not text:
        return None
    if text.strip().isdigit():
        m = int(text)
        return m if 1 <= m <= 12 else None
    value = g.lookup("month", text)
    if value is None:
        value = g.lookup("month_abbr", text)
    return value if isinstance(value, int) else None


def _time(g: Grammar, groups: Groups) -> str | None:
    clock = groups.get("clock")
    zone_text = groups.get("zone") or groups.get("zone2")
    zone = str(g.lookup("zone", zone_text) or "") if zone_text else ""
    if groups.get("zoneoff"):
        zone = ""  # "GMT+8" is local time, not UTC
    if clock:
        value = g.lookup("clock", clock)
        return f"{value}{zone}" if value else None
    hour = number(g, groups.get("hour"))
    named = g.lookup("clock", groups.get("hour") or "")
    if hour is None and isinstance(named, str):  # "a quarter past noon"
        hour = int(named[:2])
    if hour is None:
        return None
    minute_text = groups.get("minute")
    word = g.lookup("minute_word", minute_text) if minute_text else None
    minute = word if isinstance(word, int) else number(g, minute_text) or 0
    less_text = groups.get("less")
    if less_text:  # "las doce menos cuarto": a quarter to twelve
        less = g.lookup("minute_word", less_text)
        less = less if isinstance(less, int) else number(g, less_text)
        if less is None or not 0 < less < 60:
            return None
        hour, minute = (hour - 1) % 24, 60 - less
    ampm_text = groups.get("ampm")
    ampm = g.lookup("ampm", ampm_text) if ampm_text else None
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}{zone}"


def resolve(
    g: Grammar, kind: str, groups: Groups, anchor: dt.date, direction: int
) -> Period | None:
    """The period a match of pattern ``kind`` denotes, or ``None`` when it is no date.

    ``direction`` is the sentence's tense near the match (see ``find_dates``): +
    forward, - back, 0 unknown, ±2 when the cue is right next to the date. An
    explicit "próximo"/"last" in the match overrides it.
    """
    tense = direction
    explicit = _shift(g, groups, "shift", "shift2")
    if explicit is not None and kind in ("date", "weekday", "season", "quarter"):
        direction = 2 * explicit  # "próximo", "last": as strong as a cue can be
    handler = _HANDLERS.get(kind)
    return handler(g, groups, anchor, direction, tense) if handler else None


def _date(g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int) -> Period | None:
    mon = _month(g, groups.get("month"))
    dom = number(g, groups.get("day"))
    y = _year(g, groups, anchor)
    if mon is None and dom is not None and groups.get("weekday"):
        wd = g.lookup("weekday", groups["weekday"])
        fit = _day_of_weekday(anchor, dom, wd) if isinstance(wd, int) else None
        # No month near by has that weekday on that day: the weekday is the slip.
        return fit or _day_of_month(anchor, dom, direction)
    if mon is not None and dom is not None:
        wd = g.lookup("weekday", groups.get("weekday") or "")
        if wd is None:
            wd = g.lookup("weekday_abbr", groups.get("weekday") or "")
        if y is None and isinstance(wd, int):
            # "Fri, Jul 18": the nearest year in which that day is a Friday.
            fits = [
                d
                for n in (0, -1, 1, -2, 2, -3, 3)
                if (d := cal.valid_day(anchor.year + n, mon, dom)) and d.weekday() == wd
            ]
            # "el próximo martes 14": among those, the ones on the cue's side
            # (none: the weekday is the slip, the direction decides the year).
            if direction:
                fits = [d for d in fits if (d >= anchor if direction > 0 else d <= anchor)]
            if fits:
                y = min(fits, key=lambda d: abs((d - anchor).days)).year
        if y is None:
            y = cal.nearest_day_year(anchor, mon, dom, direction)
        d = cal.valid_day(y, mon, dom)
        return cal.day(d) if d else None
    if mon is not None:
        if y is None:
            y = cal.nearest_month_year(anchor, mon, direction)
        return cal.month(y, mon)
    if dom is not None:
        return _day_of_month(anchor, dom, direction)
    if y is not None:
        return cal.year(y)
    return None


def _last_day(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    """ "the last day of October 2015", "el último día de marzo"."""
    mon = _month(g, groups.get("month"))
    if mon is None:
        return None
    y = _year(g, groups, anchor)
    if y is None:
        y = cal.nearest_month_year(anchor, mon, direction)
    ny, nm = cal.add_months(y, mon, 1)
    return cal.day(dt.date(ny, nm, 1) - dt.timedelta(days=1))


def _day_of_shifted_month(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    """ "el 5 del próximo mes", "el 15 de este mes", "the 20th of last month"."""
    dom = number(g, groups.get("day"))
    if dom is None:
        return None
    y, m = cal.add_months(anchor.year, anchor.month, _shift(g, groups, "shift", "shift2") or 0)
    d = cal.valid_day(y, m, dom)
    return cal.day(d) if d else None


def _day_of_month(anchor: dt.date, dom: int, direction: int) -> Period | None:
    """ "el pasado día 15": the 15th of this month, or of the month before or after."""
    if direction > 0:
        n = 0 if dom >= anchor.day else 1
    elif direction < 0:
        n = 0 if dom <= anchor.day else -1
    else:
        n = 0 if abs(dom - anchor.day) <= 15 else (1 if dom < anchor.day else -1)
    y, m = cal.add_months(anchor.year, anchor.month, n)
    d = cal.valid_day(y, m, dom)
    return cal.day(d) if d else None


def _day_of_weekday(anchor: dt.date, dom: int, weekday: int) -> Period | None:
    """ "el domingo 12": the 12th nearest the anchor that falls on a Sunday."""
    best: dt.date | None = None
    for n in (0, 1, -1, 2, -2):
        y, m = cal.add_months(anchor.year, anchor.month, n)
        d = cal.valid_day(y, m, dom)
        if d and d.weekday() == weekday and (best is None or abs(d - anchor) < abs(best - anchor)):
            best = d
    return cal.day(best) if best else None


def _weekday(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    wd = g.lookup("weekday", groups.get("weekday") or "")
    if not isinstance(wd, int):
        return None
    explicit = _shift(g, groups, "shift", "shift2")
    if direction == 0 and explicit is None:
        direction = int(g.settings.get("weekday_default", -1))
    # A strict weekday is never the anchor day itself ("Tuesday" said on a
    # Tuesday is next week's in the future-leaning grammar).
    strict = explicit is not None or bool(g.settings.get("weekday_strict"))
    if explicit == 0 and tense != 0:
        # "este martes": this week's, but the coming one in a future sentence.
        direction, strict = tense, False
    d = cal.weekday_date(anchor, wd, direction, strict=strict)
    part = groups.get("daypart")
    if part:
        code = g.lookup("daypart", part)
        if code:
            return cal.at_time(d, str(code))
    return cal.day(d)


def _relday(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    offset = g.lookup("relday", groups.get("rel") or "")
    if isinstance(offset, int):
        return cal.day(anchor + dt.timedelta(days=offset))
    if isinstance(offset, str):  # "tonight" = "0:NI", "anoche" = "-1:NI": a part of a day
        days, _, code = offset.partition(":")
        return cal.at_time(anchor + dt.timedelta(days=int(days or 0)), code)
    return None


def _relunit(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    if groups.get("punit"):
        value = g.lookup("plural_shift", groups.get("shift") or "")
        sign = value if isinstance(value, int) else 0
        return cal.ref("FUTURE_REF" if sign > 0 else "PAST_REF" if sign < 0 else "PRESENT_REF")
    n = _shift(g, groups, "shift", "shift2")
    unit = _unit(g, groups.get("unit") or groups.get("unit2"))
    if unit is None:
        return None
    return cal.shifted(anchor, unit, n or 0)


def _offset(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    sign = g.lookup("direction", groups.get("dir") or groups.get("dir2") or "")
    unit = _unit(g, groups.get("unit"))
    if not isinstance(sign, int) or unit is None:
        return None
    n = number(g, groups.get("num"))
    if n is None:
        return None
    needed = g.lookup("forward_if_future", groups.get("dir") or "")
    if isinstance(needed, int) and direction < needed:
        # "fell to the lowest level in six years": a span back from now, no date
        return None
    if n == 0:  # "hace unos días", "a few weeks ago": vague
        if unit in ("hour", "minute"):
            return cal.day(anchor)
        return cal.ref("FUTURE_REF" if sign > 0 else "PAST_REF")
    # TimeML reads "a week ago" as the day a week before, not as a week.
    return cal.shifted(anchor, "weekday" if unit == "week" else unit, sign * n)


def _decade(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    text = groups.get("year") or ""
    digits = "".join(ch for ch in text if ch.isdigit())
    word = g.lookup("decade_word", text)
    if isinstance(word, int):
        digits = f"{word:02d}"
    if len(digits) == 4:
        first = int(digits) // 10 * 10
    elif len(digits) == 2:
        # "los noventa": the latest such decade that has begun by the anchor.
        first = 2000 + int(digits) // 10 * 10
        if first > anchor.year:
            first -= 100
    else:
        return None
    # TIMEX3 writes a decade as its first three digits; it spans years.
    return cal.Period(f"{first // 10:03d}", "year", dt.date(first, 1, 1))


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _roman(text: str) -> int | None:
    """ "xxi" -> 21 (subtractive notation); ``None`` for anything else."""
    total = 0
    values = [_ROMAN.get(ch) for ch in text.lower()]
    if not values or None in values:
        return None
    digits = [v for v in values if v is not None]
    for i, v in enumerate(digits):
        total += -v if i + 1 < len(digits) and digits[i + 1] > v else v
    return total


def _century(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    """ "el siglo XX", "the 21st century": TIMEX3 writes its first two digits ("19")."""
    text = (groups.get("year") or "").strip()
    word = g.lookup("century_word", text)
    n = word if isinstance(word, int) else number(g, text) if text[:1].isdigit() else _roman(text)
    if n is None or not 1 <= n <= 30:
        return None
    return cal.Period(f"{n - 1:02d}", "year", dt.date(max(1, 100 * (n - 1)), 1, 1))


def _nextday(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    # A day after or before the one last mentioned; find_dates moves the anchor.
    n = _shift(g, groups, "shift", "shift2")
    return cal.day(anchor + dt.timedelta(days=n)) if n else None


def _holiday(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    rule = g.lookup("holiday", groups.get("holiday") or "")
    if not isinstance(rule, str):
        return None
    rule, _, span = rule.partition("/")
    as_period = cal.week_of if span == "week" else cal.day  # "Semana Santa" is a week
    y = _year(g, groups, anchor)
    if y is not None:
        d = cal.holiday(rule, y)
        return as_period(d) if d else None
    days = [d for d in (cal.holiday(rule, anchor.year + n) for n in (-1, 0, 1)) if d]
    if direction > 0:
        days = [d for d in days if d >= anchor] or days
    elif direction < 0:
        days = [d for d in days if d <= anchor] or days
    return as_period(min(days, key=lambda d: abs((d - anchor).days))) if days else None


def _week_of_month(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    """ "the first week of October": the first full week (Monday to Sunday) in it."""
    n = number(g, groups.get("nth"))
    mon = _month(g, groups.get("month"))
    if n is None or mon is None or not -1 <= n <= 5 or n == 0:
        return None
    y = _year(g, groups, anchor)
    if y is None:
        y = cal.nearest_month_year(anchor, mon, direction)
    first = dt.date(y, mon, 1)
    if n > 0:
        monday = first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))
    else:
        ny, nm = cal.add_months(y, mon, 1)
        last = dt.date(ny, nm, 1) - dt.timedelta(days=1)
        monday = last - dt.timedelta(days=(last.weekday() + 1) % 7 + 6)
    if monday.month != mon:
        return None
    return cal.week_of(monday)


def _nth_weekday(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    """ "the first Tuesday of October", "el último viernes de marzo", and of a
    month named relative to the anchor: "the last Friday of next month", "el
    primer lunes de este mes" (group ``unit``, shifted by ``shift``)."""
    n = number(g, groups.get("nth"))
    wd = g.lookup("weekday", groups.get("weekday") or "")
    y: int | None
    mon: int | None
    if groups.get("unit"):
        y, mon = cal.add_months(
            anchor.year, anchor.month, _shift(g, groups, "shift", "shift2") or 0
        )
    else:
        mon = _month(g, groups.get("month"))
        y = None
    if n is None or mon is None or not isinstance(wd, int) or not -1 <= n <= 5 or n == 0:
        return None
    if y is None:
        y = _year(g, groups, anchor)
    if y is None:
        y = cal.nearest_month_year(anchor, mon, direction)
    d = cal.holiday(f"nth:{mon}:{wd}:{n}", y)
    return cal.day(d) if d and d.month == mon else None


def _same_period_last_year(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    # "the same month a year ago": the anchor's month, a year back.
    return cal.shifted(anchor, "month", -12)


def _sameday(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    # The day last mentioned; find_dates replaces the anchor when there is one.
    return cal.day(anchor)


def _thatunit(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    """ "ese año", "aquella semana", "that night": the unit (or part of day) that
    holds the date last mentioned; find_dates passes that date as the anchor."""
    code = g.lookup("daypart", groups.get("daypart") or "")
    if code:
        return cal.at_time(anchor, str(code))
    unit = _unit(g, groups.get("unit") or groups.get("unit2"))
    return cal.shifted(anchor, unit, 0) if unit else None


def _quarter(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    q = number(g, groups.get("quarter"))
    y = _year(g, groups, anchor)
    current = (anchor.month - 1) // 3 + 1
    if q is None:
        return None
    if q < 0:  # "the last quarter": of a given year, or the one before now
        if y is not None:
            return cal.quarter(y, 4)
        return cal.shifted(anchor, "quarter", -1)
    if not 1 <= q <= 4:
        return None
    if y is None:
        y = cal.choose_year(anchor, direction, anchor.year, (q,), (current,))
        if direction == 0 and abs(q - current) > 2:  # the nearest such quarter
            y += 1 if q < current else -1
    return cal.quarter(y, q)


def _half(g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int) -> Period | None:
    """ "el primer semestre de 2011", "the second half of the year", "H1 2026"."""
    h = number(g, groups.get("half"))
    y = _year(g, groups, anchor)
    current = 1 if anchor.month <= 6 else 2
    if h is None:
        return None
    if h < 0:  # "el último semestre": of a given year, or the one before now
        return cal.half(y, 2) if y is not None else cal.shifted(anchor, "half", -1)
    if h not in (1, 2):
        return None
    if y is None:
        y = cal.choose_year(anchor, direction, anchor.year, (h,), (current,))
    return cal.half(y, h)


def _season(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    # "fall" has its own list (it is read only after "the", "last"...): look there too.
    code = g.lookup("season", groups.get("season") or "") or g.lookup(
        "fall", groups.get("season") or ""
    )
    if code not in cal.SEASONS:
        return None
    y = _year(g, groups, anchor)
    if y is None:
        now_year, now_index = cal.season_of(anchor)
        index = cal.SEASONS.index(str(code))
        shift = _shift(g, groups, "shift", "shift2")
        if shift == 0:
            direction = 0
        y = cal.choose_year(anchor, direction, now_year, (index,), (now_index,))
        if direction == 0 and index < now_index and now_index - index > 1:
            y = now_year + 1
    return cal.season(y, str(code))


def _fiscal_year(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    """ "fiscal 2008", "el año fiscal": TIMEX3 ``FY2008``. A company's year starts
    in different months, so it keeps its prefix; unnamed, it is the anchor's
    year, shifted ("next fiscal year")."""
    y = _year(g, groups, anchor)
    if y is None:
        y = anchor.year + (_shift(g, groups, "shift", "shift2") or 0)
    return cal.Period(f"FY{y:04d}", "year", dt.date(y, 1, 1))


def _year_only(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    y = _year(g, groups, anchor)
    return cal.year(y) if y is not None else None


def _time_kind(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    time = _time(g, groups)
    return cal.at_time(anchor, time) if time else None


def _daypart(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    code = g.lookup("daypart", groups.get("daypart") or "")
    return cal.at_time(anchor, str(code)) if code else None


def _ref(g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int) -> Period | None:
    value = g.lookup("ref", groups.get("ref") or "")
    return cal.ref(str(value)) if value else None


def _partunit(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    unit = _unit(g, groups.get("unit") or groups.get("unit2"))
    return cal.shifted(anchor, unit, 0) if unit else None


def _weekend(
    g: Grammar, groups: Groups, anchor: dt.date, direction: int, tense: int
) -> Period | None:
    week = cal.shifted(anchor, "week", _shift(g, groups, "shift", "shift2") or 0)
    if week is None or week.start is None:
        return None
    saturday = week.start + dt.timedelta(days=5)
    return cal.Period(f"{week.value}-WE", "week", saturday)


Handler = Callable[[Grammar, Groups, dt.date, int, int], Period | None]

_HANDLERS: dict[str, Handler] = {
    "date": _date,
    "weekday": _weekday,
    "relday": _relday,
    "relunit": _relunit,
    "offset": _offset,
    "quarter": _quarter,
    "half": _half,
    "season": _season,
    "year": _year_only,
    "fiscalyear": _fiscal_year,
    "time": _time_kind,
    "daypart": _daypart,
    "ref": _ref,
    "partunit": _partunit,
    "wholeunit": _partunit,
    "weekend": _weekend,
    "decade": _decade,
    "century": _century,
    "sameday": _sameday,
    "previousunit": _relunit,
    "lastyearsperiod": _same_period_last_year,
    "weekofmonth": _week_of_month,
    "nthweekday": _nth_weekday,
    "dayofmonth": _day_of_shifted_month,
    "lastday": _last_day,
    "holiday": _holiday,
    "nextday": _nextday,
    "then": _sameday,
    "thatunit": _thatunit,
    "later": _offset,
}
