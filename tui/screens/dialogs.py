"""Small modal dialogs: the story note, yes/no questions, and the first-run offer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea
from textual.widgets.button import ButtonVariant

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


class YesNoDialog(ModalScreen[bool]):
    """A question answered with y or n (or its two buttons); escape means no.

    Subclasses give the question (``QUESTION``, ``details``), the button labels,
    which button has focus first, and their own ``BINDINGS`` with ids so that
    the answers stay remappable.
    """

    DEFAULT_CSS = """
    YesNoDialog { align: center middle; }
    YesNoDialog > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    YesNoDialog Horizontal { height: auto; margin-top: 1; align-horizontal: center; }
    YesNoDialog Button { margin: 0 1; }
    """

    QUESTION: ClassVar[str] = ""
    YES_LABEL: ClassVar[str] = "Yes (y)"
    NO_LABEL: ClassVar[str] = "No (n)"
    YES_VARIANT: ClassVar[ButtonVariant] = "primary"
    FOCUS_YES: ClassVar[bool] = True

    def details(self) -> ComposeResult:
        """Widgets between the question and the buttons."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.QUESTION, style="bold"))
            yield from self.details()
            with Horizontal():
                yield Button(self.YES_LABEL, variant=self.YES_VARIANT, id="yes")
                yield Button(self.NO_LABEL, id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.FOCUS_YES else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class FirstRunDialog(YesNoDialog):
    """The desk is empty: offer the bundled sample desk."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Load samples", id="firstrun.yes"),
        Binding("n,escape", "answer(False)", "Start empty", id="firstrun.no"),
    ]
    QUESTION = "Welcome to newsdesk"
    YES_LABEL = "Load the sample desk (y)"
    NO_LABEL = "Start empty (n)"

    def details(self) -> ComposeResult:
        yield Static(
            "Your desk is empty. Load the sample desk (a Spanish story on US–Mexico "
            "security talks and twenty Wikinews stories) to see actors, commitments "
            "and upcoming dates highlighted? Add your own feeds any time with A in the "
            "desk, or `newsdesk add URL` in a shell."
        )
