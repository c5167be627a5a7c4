"""The panel under the story: Actors, Commitments and Upcoming (and was-upcoming) dates,
each entry a jump target; dates read in words (``tui.readable_dates``), never as codes.

Choosing an entry posts ``AnalysisPanel.Reveal`` with the character span to show;
choosing an actor again walks through its other mentions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.readable_dates import readable
from tui.timex import date_status
from tui.widgets.highlight import Palette, default_min_confidence, legend, safe, shown_analysis

if TYPE_CHECKING:
    from tui.analysis.model import Analysis


@dataclass(frozen=True, slots=True)
class ActorGroup:
    """Every mention of one actor in a story."""

    name: str
    kind: str
    role: str
    spans: tuple[tuple[int, int], ...]


def group_actors(analysis: Analysis) -> list[ActorGroup]:
    """Actors grouped by canonical name, most mentioned first, then by name."""
    groups: dict[str, list[tuple[int, int]]] = {}
    kinds: dict[str, str] = {}
    roles: dict[str, str] = {}
    for actor in analysis.actors:
        groups.setdefault(actor.name, []).append((actor.start, actor.end))
        kinds.setdefault(actor.name, actor.kind)
        if actor.role and not roles.get(actor.name):
            roles[actor.name] = actor.role
    ordered = sorted(groups, key=lambda name: (-len(groups[name]), name.casefold()))
    return [
        ActorGroup(name, kinds[name], roles.get(name, ""), tuple(sorted(groups[name])))
        for name in ordered
    ]


class AnalysisPanel(OptionList):
    """Three lists about the shown story; enter on an entry reveals it in the text."""

    DEFAULT_CSS = """
    AnalysisPanel {
        background: $surface; border: none; border-top: solid $primary-muted;
        scrollbar-gutter: stable;
    }
    AnalysisPanel:focus { border: none; border-top: solid $primary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="analysis.down"),
        Binding("k", "cursor_up", "Up", show=False, id="analysis.up"),
    ]

    class Reveal(Message):
        """Show the text span ``start:end`` of the current story."""

        def __init__(self, start: int, end: int) -> None:
            super().__init__()
            self.start = start
            self.end = end

    def __init__(
        self,
        *,
        min_confidence: Callable[[], float] = default_min_confidence,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.min_confidence = min_confidence
        """``[analysis] min_confidence`` as configured now (passed in by the desk)."""
        self._targets: dict[str, tuple[tuple[int, int], ...]] = {}
        self._visits: dict[str, int] = {}

    def show_message(self, message: str) -> None:
        """A single greyed-out line (no story, analysis pending or unavailable)."""
        self._targets.clear()
        self.clear_options()
        self.add_option(Option(Text(message, style="italic dim"), disabled=True))

    def show_analysis(
        self, analysis: Analysis, palette: Palette, today: dt.date | None = None
    ) -> None:
        """Fill the lists from ``analysis``; dates by ``date_status`` on ``today``."""
        self._targets.clear()
        self._visits.clear()
        options: list[Option | None] = [Option(legend(palette), disabled=True)]
        analysis = shown_analysis(analysis, self.min_confidence()) or analysis
        groups = group_actors(analysis)
        options.append(Option(Text(f"Actors ({len(groups)})", style="bold"), disabled=True))
        if not groups:
            options.append(Option(Text("  none found", style="dim"), disabled=True))
        for i, group in enumerate(groups):
            key = f"actor-{i}"
            self._targets[key] = group.spans
            line = Text("  ", end="")
            line.append(safe(group.name), palette.actor(group.kind))
            line.append(f"  {group.kind}", style="dim")
            if group.role:
                line.append(f" · {safe(group.role)}", style="italic")
            line.append(f"  ×{len(group.spans)}", style="dim")
            options.append(Option(line, id=key))
        commitments = analysis.commitments
        options.append(
            Option(Text(f"Commitments ({len(commitments)})", style="bold"), disabled=True)
        )
        if not commitments:
            options.append(Option(Text("  none found", style="dim"), disabled=True))
        for i, commitment in enumerate(commitments):
            key = f"commitment-{i}"
            self._targets[key] = ((commitment.start, commitment.end),)
            line = Text("  ", end="")
            if commitment.actor:
                line.append(safe(commitment.actor), style="bold")
            else:  # e.g. a headline "Alistan reunión…" names no one
                line.append("someone", style="dim italic")
            line.append(": ")
            if commitment.negated:
                line.append("not ", style="bold red")
            line.append(safe(commitment.action or commitment.text), palette.commitment)
            if commitment.due:
                due = readable(commitment.due, analysis.language)
                line.append(f"  due {safe(due)}", style="dim")
            options.append(Option(line, id=key))
        day = today or dt.date.today()
        status = {id(d): date_status(d.value, d.upcoming, day) for d in analysis.dates}
        language = analysis.language
        upcoming = [d for d in analysis.dates if status[id(d)] == "upcoming"]
        was = [d for d in analysis.dates if status[id(d)] == "was_upcoming"]
        options.append(Option(Text(f"Upcoming ({len(upcoming)})", style="bold"), disabled=True))
        if not upcoming:
            options.append(Option(Text("  none found", style="dim"), disabled=True))
        sections = [("date", upcoming, palette.upcoming)]
        if was:  # ahead when the story was published, over now: their own list and style
            sections.append(("was", was, palette.was_upcoming))
        for prefix, dates, style in sections:
            if prefix == "was":
                options.append(
                    Option(Text(f"Was upcoming ({len(dates)})", style="bold"), disabled=True)
                )
            for i, date in enumerate(sorted(dates, key=lambda d: (d.value, d.start))):
                key = f"{prefix}-{i}"
                self._targets[key] = ((date.start, date.end),)
                line = Text("  ", end="")
                line.append(safe(readable(date.value, language, date.text)), style)
                line.append(" — ")
                line.append(safe(date.event or date.text))
                options.append(Option(line, id=key))
        self.clear_options()
        self.add_options(options)

    def target_of(self, option_id: str) -> tuple[int, int] | None:
        """The span to reveal for an entry; repeated choices cycle through an actor's mentions."""
        spans = self._targets.get(option_id)
        if not spans:
            return None
        visit = self._visits.get(option_id, 0)
        self._visits[option_id] = visit + 1
        return spans[visit % len(spans)]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        span = self.target_of(event.option.id)
        if span is not None:
            self.post_message(self.Reveal(*span))
