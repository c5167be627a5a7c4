"""Dialogs for adding tags (with completion, several at once) and removing one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.widgets.story_list import plain

if TYPE_CHECKING:
    from textual.app import ComposeResult


def split_tags(value: str) -> list[str]:
    """Tags typed as ``a, b, c`` (blank entries dropped, duplicates kept once, in order)."""
    seen: set[str] = set()
    out = []
    for part in value.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def last_token(value: str) -> str:
    """What is being typed now: the text after the last comma."""
    return value.rpartition(",")[2].lstrip()


class TagSuggester(Suggester):
    """Completes the tag being typed (after the last comma) from existing tag names."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        token = last_token(value)
        if not token:
            return None
        folded = token.casefold()
        for name in self.names:
            if name.casefold().startswith(folded) and len(name) > len(token):
                return value + name[len(token) :]
        return None


class TagDialog(ModalScreen[list[str] | None]):
    """Ask for tags to add; suggests existing tags as you type."""

    DEFAULT_CSS = """
    TagDialog { align: center middle; }
    TagDialog > Vertical {
        width: 60; max-width: 90%; height: auto; max-height: 80%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    TagDialog OptionList { height: auto; max-height: 10; }
    TagDialog .hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("down", "choices", "Pick a tag", show=False, id="tag.choices"),
    ]

    def __init__(self, names: list[tuple[str, int]], count: int) -> None:
        super().__init__()
        self.names = [name for name, _ in names]
        self.usage = dict(names)
        self.count = count
        self._suggester = TagSuggester(self.names)

    def update_names(self, names: list[tuple[str, int]]) -> None:
        """The desk's tags as just read (the dialog opened with the last ones it knew)."""
        self.names = [name for name, _ in names]
        self.usage = dict(names)
        self._suggester.names = self.names
        if self.is_mounted:
            self._show_choices(last_token(self.query_one(Input).value))

    def compose(self) -> ComposeResult:
        with Vertical():
            what = "this story" if self.count == 1 else f"{self.count} stories"
            yield Label(Text(f"Tag {what}", style="bold"))
            yield Input(
                placeholder="tags, separated by commas",
                suggester=self._suggester,
                select_on_focus=False,  # coming back from the list must not select what is typed
                id="tag-input",
            )
            yield OptionList(id="tag-choices", markup=False)
            yield Label("enter add · → complete · ↓ pick a tag · esc cancel", classes="hint")

    def on_mount(self) -> None:
        self._show_choices("")
        self.query_one(Input).focus()

    def _show_choices(self, token: str) -> None:
        choices = self.query_one("#tag-choices", OptionList)
        folded = token.casefold()
        matching = [n for n in self.names if folded in n.casefold()]
        choices.clear_options()
        choices.add_options(
            Option(Text(plain(n)) + Text(f"  {self.usage.get(n, 0)}", style="dim"), id=n)
            for n in matching[:50]
        )
        choices.display = bool(matching)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_choices(last_token(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(split_tags(event.value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        field = self.query_one(Input)
        head, comma, _ = field.value.rpartition(",")
        prefix = f"{head}{comma} " if comma else ""
        field.value = f"{prefix}{event.option.id}, "
        field.cursor_position = len(field.value)
        field.focus()

    def action_choices(self) -> None:
        """From the text field, ↓ moves into the list of matching tags."""
        choices = self.query_one("#tag-choices", OptionList)
        if choices.display and choices.option_count:
            choices.focus()
            if choices.highlighted is None:
                choices.highlighted = 0

    def action_cancel(self) -> None:
        self.dismiss(None)


class UntagDialog(ModalScreen[str | None]):
    """Choose one of the stories' tags to remove."""

    DEFAULT_CSS = """
    UntagDialog { align: center middle; }
    UntagDialog > Vertical {
        width: 50; max-width: 90%; height: auto; max-height: 80%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    UntagDialog OptionList { height: auto; max-height: 14; }
    UntagDialog .hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(self, tags: list[str]) -> None:
        super().__init__()
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Remove a tag", style="bold"))
            yield OptionList(*(Option(Text(plain(t)), id=t) for t in self.tags), markup=False)
            yield Label("enter: remove · esc: cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
