"""The agenda as an iCalendar file (RFC 5545, via the ``icalendar`` package).

- Day dates are all-day events; week, month and longer periods are all-day
  events spanning the whole period, with the granularity in the summary
  ("[week] ...") so nobody mistakes a "sometime in February" for 1 February.
- Times keep their zone: a named zone gets a TZID and a VTIMEZONE, a fixed offset
  is written as the same instant in UTC, and a time without a zone stays floating
  (local wherever the calendar is), which is what the story said.
- UIDs come from ``AgendaEntry.uid`` (value + normalised event), so importing a
  later export updates events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from tui.export.agenda import Agenda, AgendaEntry
from tui.sources.links import web_link

PRODID = "-//newsdesk//agenda//EN"
SUMMARY_MAX = 160


def _summary(entry: AgendaEntry) -> str:
    text = entry.summary
    if len(text) > SUMMARY_MAX:
        text = text[: SUMMARY_MAX - 1].rstrip() + "…"
    if entry.kind == "day":
        return text
    return f"[{entry.kind}: {entry.label}] {text}"


def _description(entry: AgendaEntry) -> str:
    lines = [f"When: {entry.label}"]
    if entry.actors:
        lines.append("Actors: " + ", ".join(entry.actors))
    lines.append("")
    lines.append("Reported by:")
    for s in entry.sources:
        lines.append(
            f"- {s.title or '(untitled)'}" + (f" <{web_link(s.url)}>" if web_link(s.url) else "")
        )
        if s.sentence:
            lines.append(f"  “{s.sentence}”")
    return "\n".join(lines)


def entry_event(entry: AgendaEntry, stamp: dt.datetime) -> Event:
    """One VEVENT for an agenda entry."""
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("summary", _summary(entry))
    time = entry.time
    if time is not None:
        moment = dt.datetime.combine(time.day, time.time)
        if isinstance(time.zone, ZoneInfo):
            event.add("dtstart", moment.replace(tzinfo=time.zone))
        elif time.zone is not None:
            event.add("dtstart", moment.replace(tzinfo=time.zone).astimezone(dt.UTC))
        else:
            event.add("dtstart", moment)  # floating: local time wherever it is read
    else:
        event.add("dtstart", entry.first)
        event.add(
            "dtend", entry.last + dt.timedelta(days=1)
        )  # DTEND of all-day events is exclusive
        event.add("transp", "TRANSPARENT")
    event.add("description", _description(entry))
    link = web_link(entry.sources[0].url) if entry.sources else ""
    if link:  # only http(s): a calendar app would act on javascript: or file:
        event.add("url", link)
    event.add("categories", [entry.kind])
    return event


def render_ics(agenda: Agenda, *, generated: dt.datetime | None = None) -> bytes:
    """The agenda as iCalendar bytes (CRLF line ends, folded lines, UTF-8)."""
    stamp = (generated or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "newsdesk agenda")
    for entry in agenda.entries:
        cal.add_component(entry_event(entry, stamp))
    if any(isinstance(e.time.zone, ZoneInfo) for e in agenda.entries if e.time is not None):
        cal.add_missing_timezones()
    return bytes(cal.to_ical())
