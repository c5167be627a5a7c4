"""TIMEX3 values as people read them, in English and Spanish.

The analysis stores normalised values ("2021-WI", "2026-W05-WE", "FY2008",
"201", "2026-01-23TMO", "PAST_REF"); nobody should have to decode them. Every
place a person reads a date (the analysis panel, the commitments' "due", the
agenda, the Markdown/ICS/JSON exports) asks ``readable`` for its words. Labels
are built from fixed word tables (no ``strftime``), so they do not depend on the
machine's locale and golden files stay stable.

Languages other than Spanish read in English (the desk's own language).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from tui.analysis import data_loader


@dataclass(frozen=True, slots=True)
class _Words:
    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    seasons: dict[str, str]
    parts: dict[str, str]
    refs: dict[str, str]
    nth: tuple[str, ...]  # first .. fourth
    units: dict[str, tuple[str, str]]  # duration unit -> (singular, plural)


#: Per-language word tables (``analysis/data/<lang>/readable.toml``), read through
#: the data loader, which does not import the analysis engine: the desk paints dates
#: before it analyses anything.
DATA = data_loader.DATA


@cache
def words_for(language: str) -> _Words:
    """The word table of ``language`` (English where the language has none)."""
    code = language[:2].lower()
    data = data_loader.table(code if data_loader.has(code, "readable") else "en", "readable")
    return _Words(
        months=tuple(data["months"]),
        weekdays=tuple(data["weekdays"]),
        seasons=dict(data["seasons"]),
        parts=dict(data["parts"]),
        refs=dict(data["refs"]),
        nth=tuple(data["nth"]),
        units={unit: (pair[0], pair[1]) for unit, pair in data["units"].items()},
    )


def _spanish(language: str) -> bool:
    return language[:2].lower() == "es"


def day_words(day: dt.date, language: str = "en", *, weekday: bool = True) -> str:
    """``Friday 23 January 2026`` / ``viernes 23 de enero de 2026``."""
    w = words_for(language)
    name = f"{w.weekdays[day.weekday()]} " if weekday else ""
    if _spanish(language):
        return f"{name}{day.day} de {w.months[day.month - 1]} de {day.year}"
    return f"{name}{day.day} {w.months[day.month - 1]} {day.year}"


def month_words(year: int, month: int, language: str = "en") -> str:
    """``January 2026`` / ``enero de 2026``."""
    w = words_for(language)
    if _spanish(language):
        return f"{w.months[month - 1]} de {year}"
    return f"{w.months[month - 1]} {year}"


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_ROMAN = (
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


_DAY = re.compile(r"^(?P<y>\d{4}|XXXX)-(?P<m>\d{2}|XX)-(?P<d>\d{2}|XX)(?:T(?P<t>.+))?$")
_TIME_ONLY = re.compile(r"^T(?P<t>.+)$")
_CLOCK = re.compile(r"^(?P<h>\d{2}):(?P<min>\d{2})(?::\d{2})?(?P<zone>.*)$")
_WEEK = re.compile(r"^(?P<y>\d{4}|XXXX)-W(?P<w>\d{2}|XX)(?:-(?P<d>\d|WE))?$")
_MONTH = re.compile(r"^(?P<y>\d{4}|XXXX)-(?P<m>\d{2})$")
_QUARTER = re.compile(r"^(?P<fy>FY)?(?P<y>\d{4})-Q(?P<q>[1-4])$")
_HALF = re.compile(r"^(?P<y>\d{4})-H(?P<h>[12])$")
_SEASON = re.compile(r"^(?P<y>\d{4}|XXXX)-(?P<s>SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(?P<fy>FY)?(?P<y>\d{4})$")
_DECADE = re.compile(r"^(?P<d>\d{3})X?$")
_CENTURY = re.compile(r"^(?P<c>\d{2})(?:XX)?$")
_DURATION = re.compile(r"^P(?P<n>\d+|X)(?P<u>Y|M|W|D|Q|DE)$|^PT(?P<tn>\d+|X)(?P<tu>H|M)$")


def _clock_words(text: str, language: str) -> str:
    """``10:00Z`` → ``10:00 UTC``; ``MO`` → ``morning``."""
    w = words_for(language)
    if text in w.parts:
        return w.parts[text]
    m = _CLOCK.match(text)
    if not m:
        return ""
    zone = m["zone"]
    label = "UTC" if zone == "Z" else zone
    return f"{m['h']}:{m['min']}" + (f" {label}" if label else "")


def _day_value(m: re.Match[str], language: str) -> str:
    w = words_for(language)
    es = _spanish(language)
    y, mo, d = m["y"], m["m"], m["d"]
    if y != "XXXX" and mo != "XX" and d != "XX":
        try:
            base = day_words(dt.date(int(y), int(mo), int(d)), language)
        except ValueError:
            return ""
    elif mo != "XX" and d != "XX":  # XXXX-01-23: a day of some year
        base = f"{int(d)} de {w.months[int(mo) - 1]}" if es else f"{int(d)} {w.months[int(mo) - 1]}"
    elif mo != "XX":  # XXXX-01-XX
        base = w.months[int(mo) - 1]
        if y != "XXXX":
            base = month_words(int(y), int(mo), language)
    elif d != "XX":  # XXXX-XX-23
        base = f"el día {int(d)}" if es else f"the {_ordinal_en(int(d))}"
    elif y != "XXXX":  # 2006-XX-XX: some day in 2006
        base = f"un día de {y}" if es else f"a day in {y}"
    else:
        base = "un día" if es else "a day"
    if m["t"]:
        clock = _clock_words(m["t"], language)
        if not clock:
            return ""
        if m["t"] in w.parts:  # "viernes ... por la mañana", "Friday ..., morning"
            return f"{base} {clock}" if es else f"{base}, {clock}"
        return f"{base}, a las {clock}" if es else f"{base}, {clock}"
    return base


def _week_value(m: re.Match[str], language: str) -> str:
    w = words_for(language)
    es = _spanish(language)
    if m["y"] == "XXXX" or m["w"] == "XX":
        if m["d"] and m["d"] != "WE":
            name = w.weekdays[int(m["d"]) - 1]
            return f"un {name}" if es else f"a {name}"
        if m["d"] == "WE":
            return "un fin de semana" if es else "a weekend"
        return "una semana" if es else "a week"
    try:
        monday = dt.date.fromisocalendar(int(m["y"]), int(m["w"]), 1)
    except ValueError:
        return ""
    if m["d"] == "WE":
        saturday = monday + dt.timedelta(days=5)
        what = day_words(saturday, language, weekday=False)
        return f"fin de semana del {what}" if es else f"weekend of {what}"
    if m["d"]:
        return day_words(monday + dt.timedelta(days=int(m["d"]) - 1), language)
    what = day_words(monday, language, weekday=False)
    return f"semana del {what}" if es else f"week of {what}"


def _duration(m: re.Match[str], language: str) -> str:
    w = words_for(language)
    n, unit = (m["n"], m["u"]) if m["n"] else (m["tn"], "MIN" if m["tu"] == "M" else "H")
    one, many = w.units[unit]
    if n == "X":
        return f"unos {many}" if _spanish(language) else f"some {many}"
    count = int(n)
    return f"{count} {one if count == 1 else many}"


@lru_cache(maxsize=8192)
def readable(value: str, language: str = "en", fallback: str = "") -> str:
    """``value`` in words; ``fallback`` (e.g. the mention's own text) when unknown.

    Only when there is neither words nor a fallback is the value itself returned.
    """
    v = value.strip().upper()
    w = words_for(language)
    es = _spanish(language)
    label = ""
    if v in w.refs:
        label = w.refs[v]
    elif m := _DAY.match(v):
        label = _day_value(m, language)
    elif m := _TIME_ONLY.match(v):
        label = _clock_words(m["t"], language)
    elif m := _WEEK.match(v):
        label = _week_value(m, language)
    elif m := _MONTH.match(v):
        month = int(m["m"])
        if 1 <= month <= 12:
            label = (
                w.months[month - 1]
                if m["y"] == "XXXX"
                else month_words(int(m["y"]), month, language)
            )
    elif m := _QUARTER.match(v):
        nth = w.nth[int(m["q"]) - 1]
        fiscal = " fiscal" if m["fy"] else ""
        label = (
            f"{nth} trimestre{fiscal} de {m['y']}" if es else f"{nth}{fiscal} quarter of {m['y']}"
        )
    elif m := _HALF.match(v):
        label = (
            f"{'primer' if m['h'] == '1' else 'segundo'} semestre de {m['y']}"
            if es
            else f"{'first' if m['h'] == '1' else 'second'} half of {m['y']}"
        )
    elif m := _SEASON.match(v):
        name = w.seasons[m["s"]]
        if m["y"] == "XXXX":
            label = f"el {name}" if es and m["s"] != "SP" else f"la {name}" if es else name
        else:
            # Winter runs into the next year: "winter 2021-2022".
            years = f"{m['y']}-{int(m['y']) + 1}" if m["s"] == "WI" else m["y"]
            label = f"{name} de {years}" if es else f"{name} {years}"
    elif m := _YEAR.match(v):
        fiscal = f"año fiscal {m['y']}" if es else f"fiscal year {m['y']}"
        label = fiscal if m["fy"] else m["y"]
    elif m := _DECADE.match(v):
        first = int(m["d"]) * 10
        label = f"la década de {first}" if es else f"the {first}s"
    elif m := _CENTURY.match(v):
        n = int(m["c"]) + 1
        label = f"el siglo {_roman(n)}" if es else f"the {_ordinal_en(n)} century"
    elif v == "XXXX":
        label = "algún año" if es else "some year"
    elif m := _DURATION.match(v):
        label = _duration(m, language)
    return label or fallback or value
