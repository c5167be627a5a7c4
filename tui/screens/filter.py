"""The filter dialog: source, tag, actor, language, and unread / saved / upcoming switches."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from tui.store import ActorCount, Source, StoryFilter
from tui.widgets.story_list import plain

if TYPE_CHECKING:
    from textual.app import ComposeResult


class FilterDialog(ModalScreen[StoryFilter | None]):
    """Edit the desk's filter; ctrl+s or Apply applies, Clear resets, escape cancels."""

    DEFAULT_CSS = """
    FilterDialog { align: center middle; }
    FilterDialog > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 95%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FilterDialog Select, FilterDialog Input { margin-bottom: 0; }
    FilterDialog Horizontal { height: auto; }
    FilterDialog .buttons { align-horizontal: right; margin-top: 1; }
    FilterDialog Button { margin-left: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="filter.apply"),
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(
        self,
        current: StoryFilter,
        *,
        sources: list[Source],
        tags: list[tuple[str, int]],
        actors: list[ActorCount],
    ) -> None:
        super().__init__()
        self.current = current
        self.sources = sources
        self.tags = tags
        self.actors = actors

    def compose(self) -> ComposeResult:
        flt = self.current
        with Vertical():
            yield Label(Text("Filter stories", style="bold"))
            yield Select[int](
                [(Text(plain(s.label)), s.id) for s in self.sources],
                prompt="Any source",
                value=flt.source_id if flt.source_id is not None else Select.NULL,
                id="filter-source",
            )
            yield Select[str](
                [(Text(plain(name)), name) for name, _ in self.tags],
                prompt="Any tag",
                value=flt.tags[0] if flt.tags else Select.NULL,
                id="filter-tag",
            )
            yield Select[str](
                [(Text(plain(f"{name} ({kind})")), name) for name, kind, _ in self.actors],
                prompt="Any actor",
                value=flt.actor if flt.actor else Select.NULL,
                id="filter-actor",
            )
            yield Input(
                flt.language or "",
                placeholder="Language code (en, es, …) — blank for any",
                id="filter-language",
            )
            with Horizontal():
                yield Checkbox("Unread", flt.unread, id="filter-unread")
                yield Checkbox("Saved", flt.saved, id="filter-saved")
                yield Checkbox("Has upcoming dates", flt.upcoming, id="filter-upcoming")
            with Horizontal(classes="buttons"):
                yield Button("Clear", id="clear")
                yield Button("Apply (ctrl+s)", variant="primary", id="apply")

    def chosen(self) -> StoryFilter:
        """The filter the dialog's fields describe."""
        source = self.query_one("#filter-source", Select).value
        tag = self.query_one("#filter-tag", Select).value
        actor = self.query_one("#filter-actor", Select).value
        language = self.query_one("#filter-language", Input).value.strip().lower()
        return replace(
            self.current,
            source_id=source if isinstance(source, int) else None,
            tags=(tag,) if isinstance(tag, str) else (),
            actor=actor if isinstance(actor, str) else None,
            language=language or None,
            unread=self.query_one("#filter-unread", Checkbox).value,
            saved=self.query_one("#filter-saved", Checkbox).value,
            upcoming=self.query_one("#filter-upcoming", Checkbox).value,
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "clear":
            self.dismiss(StoryFilter())
        else:
            self.action_apply()

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)
