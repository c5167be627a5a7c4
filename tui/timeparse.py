"""ISO 8601 timestamps read in one place: stored times, feed dates, front matter.

The store keeps UTC timestamps as ``2026-01-08T10:00:00Z``; feeds, JSON Feed,
front matter and article metadata give ISO dates with or without a zone, or a
bare day. Each reader used to carry its own ``fromisoformat`` with a ``"Z"``
fix-up and its own idea of a zone-less value; this module is that one parser,
and callers say what a value without a zone means to them.
"""

from __future__ import annotations

import datetime as dt


def parse_iso(text: str) -> dt.datetime | None:
    """``text`` as a datetime, aware when it names a zone (``Z`` included), naive when
    it does not; a bare day is its midnight. ``None`` when it is no ISO timestamp.

    The text is read as given (no stripping): stored values are exact, and a caller
    reading loose input strips it first.
    """
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_utc(text: str, *, naive_hour: int | None = None) -> dt.datetime | None:
    """``text`` as an aware datetime: a value without a zone is read as UTC.

    ``naive_hour`` sets the hour of a zone-less value (article metadata gives bare
    days, and noon UTC is the same calendar day almost everywhere). ``None`` when
    ``text`` is no ISO timestamp.
    """
    moment = parse_iso(text)
    if moment is None or moment.tzinfo is not None:
        return moment
    if naive_hour is not None:
        moment = moment.replace(hour=naive_hour)
    return moment.replace(tzinfo=dt.UTC)
