"""Turning a story and its analysis into highlighted Rich ``Text``, paragraph by paragraph.

Offsets in an ``Analysis`` point into ``analysis_text(story)`` (title, blank line,
text). Feed text is only ever placed in ``Text`` objects (never parsed as markup)
and control characters are blanked one for one, so offsets stay valid.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:  # the analysis package may be mid-rebuild; the desk must still start
    from tui.analysis.model import Analysis


class _Mention(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


_M = TypeVar("_M", bound=_Mention)

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
)

LIGHT = Palette(
    person=Style(color="#005fd7", bold=True),
    organization=Style(color="#8700af", bold=True),
    place=Style(color="#008700", bold=True),
    commitment=Style(bgcolor="#dde3ff"),
    upcoming=Style(color="#000000", bgcolor="#ffd75f", bold=True),
    past=Style(color="#875f00", underline=True),
    flash=Style(reverse=True),
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


class _Spans(Generic[_M]):
    """Mentions sorted by start: those overlapping a paragraph cost a bisection to find.

    Painting each paragraph used to walk every mention of the story, so a long
    story took paragraphs x mentions steps to show (half a minute for 2 MB).
    """

    def __init__(self, mentions: Sequence[_M]) -> None:
        order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
        self.items = [(i, mentions[i]) for i in order]
        self.starts = [mentions[i].start for i in order]
        self.longest = max((m.end - m.start for m in mentions), default=0)

    def within(self, start: int, end: int) -> list[_M]:
        """Mentions overlapping ``[start, end)``, in their original order."""
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        hits = [(i, m) for i, m in self.items[lo:hi] if m.start < end and start < m.end]
        hits.sort(key=lambda im: im[0])
        return [m for _i, m in hits]


class _MentionIndex:
    def __init__(self, analysis: Analysis) -> None:
        self.commitments = _Spans(analysis.commitments)
        self.dates = _Spans(analysis.dates)
        self.actors = _Spans(analysis.actors)


_last_index: tuple[Analysis, _MentionIndex] | None = None


def _index_of(analysis: Analysis) -> _MentionIndex:
    """The index of the analysis being painted (one story is shown at a time: one entry)."""
    global _last_index
    if _last_index is None or _last_index[0] is not analysis:
        _last_index = (analysis, _MentionIndex(analysis))
    return _last_index[1]


def highlighted(
    full: str,
    start: int,
    end: int,
    analysis: Analysis | None,
    palette: Palette,
    *,
    flash: tuple[int, int] | None = None,
    base_style: Style | str = "",
) -> Text:
    """``full[start:end]`` as ``Text`` with actors, commitments and dates painted."""
    text = Text(safe(full[start:end]), style=base_style, end="")
    if analysis is not None:
        index = _index_of(analysis)
        for commitment in index.commitments.within(start, end):
            _paint(text, palette.commitment, commitment.start, commitment.end, start)
        for date in index.dates.within(start, end):
            style = palette.upcoming if date.upcoming else palette.past
            _paint(text, style, date.start, date.end, start)
        for actor in index.actors.within(start, end):
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
        ("past date", palette.past),
    )
    text = Text(end="")
    for i, (label, style) in enumerate(parts):
        if i:
            text.append("  ")
        text.append(f" {label} " if style.bgcolor else label, style)
    return text
