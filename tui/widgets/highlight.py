"""Turning a story and its analysis into highlighted Rich ``Text``, paragraph by paragraph.

Offsets in an ``Analysis`` point into ``analysis_text(story)`` (title, blank line,
text). Feed text is only ever placed in ``Text`` objects (never parsed as markup)
and control characters are blanked one for one, so offsets stay valid.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.theme import Theme

from tui.timex import DateStatus, date_status

if TYPE_CHECKING:  # types only: painting a story must not load the analysis engine
    from tui.analysis.model import Analysis


def default_min_confidence() -> float:
    """``[analysis] min_confidence``'s default, for widgets used without a desk config."""
    from tui.analysis.model import DEFAULT_MIN_CONFIDENCE

    return DEFAULT_MIN_CONFIDENCE


def shown_analysis(analysis: Analysis | None, min_confidence: float) -> Analysis | None:
    """``analysis`` with only the actor mentions confident enough to show
    (``[analysis] min_confidence``, which the desk passes in)."""
    if analysis is None:
        return None
    from tui.analysis.model import above_confidence

    return above_confidence(analysis, min_confidence)


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
    """The base palette for dark or light themes (``palette_for_theme`` fits it to one)."""
    return DARK if dark else LIGHT


# -- fitting the palette to a theme, in truecolor and in 256 colours -------------------------

MIN_TEXT_CONTRAST = 4.5
"""WCAG AA for body text: actor names and dates against the story background."""
MIN_SHADE_CONTRAST = 1.25
"""A commitment's background shade must stay visibly different from the background."""
_SHADE_HUE = {True: Color.parse("#6c6cff"), False: Color.parse("#4f6bff")}


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def in_256_colours(color: Color) -> Color:
    """``color`` as a 256-colour terminal (tmux's default) shows it."""
    rich = RichColor.from_rgb(color.r, color.g, color.b).downgrade(ColorSystem.EIGHT_BIT)
    r, g, b = rich.get_truecolor()
    return Color(r, g, b)


def _readable_everywhere(fg: Color, bg: Color, minimum: float) -> bool:
    return (
        contrast(fg, bg) >= minimum and contrast(in_256_colours(fg), in_256_colours(bg)) >= minimum
    )


def _fit_text(color: Color, background: Color, dark: bool) -> Color:
    """``color`` lightened (dark themes) or darkened until it reads on ``background``."""
    candidate = color
    for _ in range(12):
        if _readable_everywhere(candidate, background, MIN_TEXT_CONTRAST):
            return candidate
        candidate = candidate.lighten(0.06) if dark else candidate.darken(0.06)
    return candidate


_XTERM_COLOURS = tuple(
    Color(*RichColor.from_ansi(index).get_truecolor()) for index in range(16, 256)
)
"""The 240 fixed colours of a 256-colour terminal (0-15 are the user's own, so unknown).
A shade picked from them looks the same in truecolor and in 256 colours."""


def _fit_shade(background: Color, text: Color, dark: bool) -> Color:
    """The commitment shade: the 256-colour-exact colour nearest a light blue tint of the
    background that differs from the background in both colour modes (in 256 colours the
    background itself is rounded) and keeps the story text on it readable."""
    ideal = background.blend(_SHADE_HUE[dark], 0.25)
    rounded_background = in_256_colours(background)
    wanted = min(MIN_TEXT_CONTRAST, 0.85 * contrast(text, background))
    rounded_text = in_256_colours(text)

    def distance(color: Color) -> float:
        return float((color.r - ideal.r) ** 2 + (color.g - ideal.g) ** 2 + (color.b - ideal.b) ** 2)

    visible: list[tuple[float, Color]] = []
    for shade in sorted(_XTERM_COLOURS, key=distance):
        if (
            min(contrast(shade, background), contrast(shade, rounded_background))
            < MIN_SHADE_CONTRAST
        ):
            continue
        readable = min(contrast(text, shade), contrast(rounded_text, shade))
        if readable >= wanted:
            return shade
        visible.append((readable, shade))
    if not visible:
        return ideal
    # None as readable as wished: the most readable of the visible shades near the tint.
    return max(visible[:60], key=lambda pair: pair[0])[1]


def _theme_colours(theme: Theme) -> tuple[Color, Color] | None:
    """The story pane's background and text colours under ``theme`` (None: ANSI themes)."""
    variables = theme.to_color_system().generate()
    try:
        background = Color.parse(variables["surface"])
        text = Color.parse(variables.get("foreground", "#e0e0e0" if theme.dark else "#1e1e1e"))
    except Exception:  # ANSI themes name the terminal's own colours: nothing to compute
        return None
    if background.a == 0 or background.ansi is not None or text.ansi is not None:
        return None
    return background, text


@lru_cache(maxsize=64)
def _fitted(name: str, dark: bool, background: str, text: str) -> Palette:
    base = palette_for(dark)
    bg, fg = Color.parse(background), Color.parse(text)

    def colour(style: Style) -> Style:
        if style.color is None:
            return style
        r, g, b = style.color.get_truecolor()
        fitted = _fit_text(Color(r, g, b), bg, dark)
        return style + Style(color=fitted.hex)

    shade = _fit_shade(bg, fg, dark)
    return replace(
        base,
        person=colour(base.person),
        organization=colour(base.organization),
        place=colour(base.place),
        past=colour(base.past),
        commitment=Style(bgcolor=shade.hex),
    )


_by_theme: dict[int, tuple[Theme, Palette]] = {}
"""Palettes by theme object (kept with it, so its id is not reused): generating a theme's
colour system costs milliseconds, and opening a story asked for the palette three times."""


def palette_for_theme(theme: Theme) -> Palette:
    """The highlight palette fitted to ``theme``: actor and date colours that read on its
    background, and a commitment shade that stays visible when a 256-colour terminal
    rounds both (dracula's fixed shade used to round to its background)."""
    known = _by_theme.get(id(theme))
    if known is not None and known[0] is theme:
        return known[1]
    colours = _theme_colours(theme)
    if colours is None:
        palette = palette_for(theme.dark)
    else:
        background, text = colours
        palette = _fitted(theme.name, theme.dark, background.hex, text.hex)
    if len(_by_theme) >= 64:
        _by_theme.clear()
    _by_theme[id(theme)] = (theme, palette)
    return palette


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
    today: dt.date | None = None,
) -> Text:
    """``full[start:end]`` as ``Text`` with actors, commitments and dates painted.

    Dates are painted by ``date_status`` on ``today`` (the desk's clock).
    """
    text = Text(safe(full[start:end]), style=base_style, end="")
    if analysis is not None:
        day = today or dt.date.today()
        index = _index_of(analysis)
        for commitment in index.commitments.within(start, end):
            _paint(text, palette.commitment, commitment.start, commitment.end, start)
        for date in index.dates.within(start, end):
            style = palette.date(date_status(date.value, date.upcoming, day))
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
        ("organization", palette.organization),
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
