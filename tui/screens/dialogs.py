"""Small modal dialogs: the story note, and the first-run offer of the sample desk."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

if TYPE_CHECKING:
    from textual.app import ComposeResult


class NoteDialog(ModalScreen[str | None]):
    """Edit the free-text note of a story; ctrl+s saves, escape cancels."""

    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog > Vertical {
        width: 70; max-width: 95%; height: 16; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    NoteDialog TextArea { height: 1fr; }
    NoteDialog .hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.story_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Note: ", style="bold") + Text(self.story_title), markup=False)
            yield TextArea(self.note, id="note-text", soft_wrap=True)
            yield Label("ctrl+s: save · esc: cancel", classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class FirstRunDialog(ModalScreen[bool]):
    """The desk is empty: offer the bundled sample desk."""

    DEFAULT_CSS = """
    FirstRunDialog { align: center middle; }
    FirstRunDialog > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    FirstRunDialog Horizontal { height: auto; margin-top: 1; align-horizontal: center; }
    FirstRunDialog Button { margin: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Load samples", id="firstrun.yes"),
        Binding("n,escape", "answer(False)", "Start empty", id="firstrun.no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Welcome to newsdesk", style="bold"))
            yield Static(
                "Your desk is empty. Load the sample desk (a Spanish story on US–Mexico "
                "security talks and twenty Wikinews stories) to see actors, commitments "
                "and upcoming dates highlighted? You can add feeds later in the config file."
            )
            with Horizontal():
                yield Button("Load the sample desk (y)", variant="primary", id="yes")
                yield Button("Start empty (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
