"""Turning a story and its analysis into highlighted Rich ``Text``, paragraph by paragraph.

Offsets in an ``Analysis`` point into ``analysis_text(story)`` (title, blank line,
text). Feed text is only ever placed in ``Text`` objects (never parsed as markup)
and control characters are blanked one for one, so offsets stay valid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text

from tui.timex import DateStatus, date_status

if TYPE_CHECKING:  # the analysis package may be mid-rebuild; the desk must still start
    from tui.analysis.model import Analysis


def shown_analysis(analysis: Analysis | None, app: Any) -> Analysis | None:
    """``analysis`` with only the actor mentions confident enough to show, by the
    app's ``[analysis] min_confidence`` (the default where the app has no config)."""
    if analysis is None:
        return None
    from tui.analysis.model import DEFAULT_MIN_CONFIDENCE, above_confidence

    config = getattr(app, "config", None)
    return above_confidence(analysis, getattr(config, "min_confidence", DEFAULT_MIN_CONFIDENCE))


_CONTROL_EXCEPT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


@dataclass(frozen=True, slots=True)
class Palette:
    """The highlight colours; one palette for dark themes, one for light."""

    person: Style
    organization: Style
    place: Style
    commitment: Style
    upcoming: Style
    past: Style
    flash: Style
    #: Future when the story was published, over by the desk's today.
    was_upcoming: Style

    def date(self, status: DateStatus) -> Style:
        """The style of a date by its ``tui.timex.date_status``."""
        if status == "upcoming":
            return self.upcoming
        return self.was_upcoming if status == "was_upcoming" else self.past

    def actor(self, kind: str) -> Style:
        """The style of an actor kind (unknown kinds read as places)."""
        if kind == "person":
            return self.person
        if kind == "organization":
            return self.organization
        return self.place


DARK = Palette(
    person=Style(color="#5fafff", bold=True),
    organization=Style(color="#d787ff", bold=True),
    place=Style(color="#5fd787", bold=True),
    commitment=Style(bgcolor="#2e2e52"),
    upcoming=Style(color="#1c1c1c", bgcolor="#ffd75f", bold=True),
    past=Style(color="#d7af5f", underline=True),
    flash=Style(reverse=True, blink=False),
    was_upcoming=Style(color="#ffd75f", bgcolor="#3a3a3a", italic=True),
)

LIGHT = Palette(
    person=Style(color="#005fd7", bold=True),
    organization=Style(color="#8700af", bold=True),
    place=Style(color="#008700", bold=True),
    commitment=Style(bgcolor="#dde3ff"),
    upcoming=Style(color="#000000", bgcolor="#ffd75f", bold=True),
    past=Style(color="#875f00", underline=True),
    flash=Style(reverse=True),
    was_upcoming=Style(color="#5f5f00", bgcolor="#e4e4e4", italic=True),
)


def palette_for(dark: bool) -> Palette:
    """The palette that reads well on the current theme."""
    return DARK if dark else LIGHT


def safe(text: str) -> str:
    """Blank control characters (except newlines) without changing the length."""
    return _CONTROL_EXCEPT_NEWLINE.sub(" ", text)


def paragraph_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-blank paragraph of ``text``, shifted by ``offset``."""
    spans = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            spans.append((offset + start, offset + match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((offset + start, offset + len(text)))
    return spans


def _paint(text: Text, style: Style, start: int, end: int, base: int) -> None:
    lo = max(0, start - base)
    hi = min(len(text), end - base)
    if lo < hi:
        text.stylize(style, lo, hi)


def highlighted(
    full: str,
    start: int,
    end: int,
    analysis: Analysis | None,
    palette: Palette,
    *,
    flash: tuple[int, int] | None = None,
    base_style: Style | str = "",
    today: dt.date | None = None,
) -> Text:
    """``full[start:end]`` as ``Text`` with actors, commitments and dates painted.

    Dates are painted by ``date_status`` on ``today`` (the desk's clock).
    """
    text = Text(safe(full[start:end]), style=base_style, end="")
    if analysis is not None:
        day = today or dt.date.today()
        for commitment in analysis.commitments:
            _paint(text, palette.commitment, commitment.start, commitment.end, start)
        for date in analysis.dates:
            style = palette.date(date_status(date.value, date.upcoming, day))
            _paint(text, style, date.start, date.end, start)
        for actor in analysis.actors:
            _paint(text, palette.actor(actor.kind), actor.start, actor.end, start)
    if flash is not None:
        _paint(text, palette.flash, flash[0], flash[1], start)
    return text


def legend(palette: Palette) -> Text:
    """One line that says what each colour means."""
    parts: Iterable[tuple[str, Style]] = (
        ("person", palette.person),
        ("organisation", palette.organization),
        ("place", palette.place),
        ("commitment", palette.commitment),
        ("upcoming date", palette.upcoming),
        ("was upcoming", palette.was_upcoming),
        ("past date", palette.past),
    )
    text = Text(end="")
    for i, (label, style) in enumerate(parts):
        if i:
            text.append("  ")
        text.append(f" {label} " if style.bgcolor else label, style)
    return text
