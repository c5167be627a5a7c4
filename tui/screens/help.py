"""Help: every desk key (as remapped by the config) and what the highlight colours mean."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.commands import DESK_COMMANDS
from tui.widgets.highlight import Palette, legend

if TYPE_CHECKING:
    from textual.app import ComposeResult


def key_label(keys: str) -> str:
    """``j,down`` → ``j / ↓`` for people."""
    names = {"down": "↓", "up": "↑", "slash": "/", "question_mark": "?", "space": "space",
             "pagedown": "PgDn", "pageup": "PgUp", "escape": "esc", "backslash": "\\",
             "exclamation_mark": "!"}  # fmt: skip
    return " / ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


def keys_table(keymap: dict[str, str]) -> Table:
    """A table of every desk command with its current keys and binding id."""
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True)
    table.add_column("Keys", no_wrap=True)
    table.add_column("Action")
    table.add_column("Binding id", style="dim", no_wrap=True)
    for command in DESK_COMMANDS:
        table.add_row(key_label(keymap.get(command.id, command.keys)), command.help, command.id)
    table.add_row("ctrl+p", "Command palette (every action, themes)", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Keys, colours and where to remap keys."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 100%; height: 90%; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen Static { margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close")
    ]

    def __init__(self, keymap: dict[str, str], palette: Palette) -> None:
        super().__init__()
        self.keymap = keymap
        self.palette = palette

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("newsdesk — keys and colours", style="bold"))
            yield Static(Text("Colours in the story text", style="bold"))
            yield Static(legend(self.palette))
            yield Static(
                Text(
                    "Actors are coloured by kind; a commitment (who agreed, promised or decided "
                    "to do what) is a shaded block; upcoming dates (after the desk's today) are "
                    "bright, dates that were upcoming when the story was published but are over "
                    "now are shaded italic, other past dates are underlined. In the list: ● unread, "
                    "× archived, ★ saved, ◆ has upcoming dates, ▌ marked for bulk triage, › the "
                    "open story (keys act on it until you move the cursor; the line above the list "
                    "says so), ! on a source whose last fetch failed (! lists them)."
                )
            )
            yield Static(keys_table(self.keymap))
            yield Static(
                Text(
                    "Remap any key in the config file's [keys] table by binding id, e.g.\n"
                    '[keys]\n"desk.save" = "S"\n"desk.down" = "j,down,ctrl+n"',
                    style="dim",
                )
            )

    def action_close(self) -> None:
        self.dismiss(None)
