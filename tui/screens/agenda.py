"""The desk's agenda screen (key ``a``): upcoming dates across stories, by day, week and month.

Construct with ``AgendaScreen(store)`` (optionally ``start``, ``end``, ``tags``) and
push it with a callback::

    app.push_screen(AgendaScreen(store), open_at)   # open_at(target: AgendaTarget | None)

Each group (a day, a week, a month, a longer period) is a heading; under it each
entry shows the event, the actors of its sentence and the stories reporting it.
Enter on an entry (or on one of its stories) dismisses the screen with an
``AgendaTarget(story_id, sentence_index)`` so the desk opens that story at that
sentence; escape dismisses with ``None``. The agenda is built in a thread worker
(stories not yet analysed are analysed and cached first).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.export.agenda import Agenda, AgendaEntry, build_agenda
from tui.export.document import AnalysisProvider, default_analysis
from tui.export.periods import short_day

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tui.store import Store


@dataclass(frozen=True, slots=True)
class AgendaTarget:
    """Where to go: a story and the index of the sentence that mentions the date."""

    story_id: int
    sentence_index: int


def _safe(text: str) -> str:
    """Feed text for the screen: control characters become spaces, whitespace collapses."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


class AgendaScreen(ModalScreen[AgendaTarget | None]):
    """Upcoming dates; enter opens the story at the sentence, escape closes."""

    DEFAULT_CSS = """
    AgendaScreen { align: center middle; }
    AgendaScreen > Vertical {
        width: 100%; height: 100%; border: thick $primary; background: $surface;
    }
    AgendaScreen #agenda-title { padding: 0 1; text-style: bold; }
    AgendaScreen OptionList { height: 1fr; border: none; }
    AgendaScreen .hint { color: $text-muted; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="agenda.close"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        tags: Iterable[str] = (),
        analyse: AnalysisProvider = default_analysis,
        analyse_missing: bool = True,
    ) -> None:
        super().__init__()
        self.store = store
        self.start = start or store.today()
        self.end = end
        self.tags = tuple(tags)
        self.analyse = analyse
        self.analyse_missing = analyse_missing
        self.agenda: Agenda | None = None
        self._targets: dict[str, AgendaTarget] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title("loading…"), id="agenda-title")
            yield OptionList(id="agenda-list")
            yield Label("enter: open the story at that sentence · esc: close", classes="hint")

    def _title(self, suffix: str) -> Text:
        text = Text(f"Agenda from {short_day(self.start)}")
        if self.end:
            text.append(f" to {short_day(self.end)}")
        if self.tags:
            text.append(" · tags: " + ", ".join(_safe(t) for t in self.tags))
        if suffix:
            text.append(f" · {suffix}", style="dim")
        return text

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="agenda", exit_on_error=False)
    def load(self) -> None:
        """Build the agenda off the UI thread."""
        try:
            agenda = build_agenda(
                self.store,
                start=self.start,
                end=self.end,
                tags=self.tags,
                analyse=self.analyse,
                analyse_missing=self.analyse_missing,
            )
        except Exception as exc:  # show it; the desk must survive a broken agenda
            self.app.call_from_thread(self._show_error, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self.show, agenda)

    def _show_error(self, message: str) -> None:
        self.query_one("#agenda-title", Label).update(
            self._title(f"could not build: {_safe(message)}")
        )

    def _entry_prompt(self, entry: AgendaEntry) -> Text:
        t = entry.time
        prompt = Text("  ")
        if t is not None:
            prompt.append(
                t.time.strftime("%H:%M") + (f" {t.zone_label}" if t.zone_label else "") + "  ",
                style="bold",
            )
        prompt.append(_safe(entry.summary))
        if entry.actors:
            prompt.append("\n      " + ", ".join(_safe(a) for a in entry.actors), style="cyan")
        if len(entry.sources) == 1:
            prompt.append("\n      " + _safe(entry.sources[0].title or "(untitled)"), style="dim")
        return prompt

    def show(self, agenda: Agenda) -> None:
        """Fill the list (one heading per group; entries and their stories selectable)."""
        self.agenda = agenda
        listing = self.query_one(OptionList)
        listing.clear_options()
        self._targets.clear()
        options: list[Option] = []
        for g_index, group in enumerate(agenda.groups):
            options.append(
                Option(Text(group.label, style="bold reverse"), id=f"g{g_index}", disabled=True)
            )
            for e_index, entry in enumerate(group.entries):
                key = f"e{g_index}.{e_index}"
                first = entry.sources[0]
                self._targets[key] = AgendaTarget(first.story_id, first.sentence_index)
                options.append(Option(self._entry_prompt(entry), id=key))
                if len(entry.sources) > 1:
                    for s_index, source in enumerate(entry.sources):
                        skey = f"{key}.{s_index}"
                        self._targets[skey] = AgendaTarget(source.story_id, source.sentence_index)
                        options.append(
                            Option(
                                Text("      ↳ " + _safe(source.title or "(untitled)"), style="dim"),
                                id=skey,
                            )
                        )
        listing.add_options(options)
        count = len(agenda.entries)
        self.query_one("#agenda-title", Label).update(
            self._title(
                f"{count} date{'s' if count != 1 else ''}" if count else "no upcoming dates"
            )
        )
        if self._targets:
            listing.highlighted = next(i for i, o in enumerate(options) if not o.disabled)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._targets.get(event.option.id or "")
        if target is not None:
            self.dismiss(target)

    def action_close(self) -> None:
        self.dismiss(None)
