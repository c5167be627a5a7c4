"""The errors view (``!``): every source whose last fetch failed, when, why, and a retry key.

A failed source shows ``!`` on the left and a toast when it fails; this list keeps
the failures findable afterwards, in plain words, with the time of the last try.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.desk.messages import plain_error
from tui.store import Source
from tui.widgets.story_list import plain
from tui.widgets.story_view import readable_date

if TYPE_CHECKING:
    from textual.app import ComposeResult


class ErrorsScreen(ModalScreen[tuple[str, int] | None]):
    """Failing sources; r retries the highlighted one, enter shows its stories."""

    DEFAULT_CSS = """
    ErrorsScreen { align: center middle; }
    ErrorsScreen > Vertical {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ErrorsScreen OptionList { height: auto; max-height: 1fr; border: none; }
    ErrorsScreen .hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry", id="errors.retry"),
        Binding("escape,q", "close", "Close", id="errors.close"),
    ]

    def __init__(self, sources: list[Source]) -> None:
        super().__init__()
        self.failing = [s for s in sources if s.last_error]

    def compose(self) -> ComposeResult:
        with Vertical():
            count = len(self.failing)
            title = f"Sources in error ({count})" if count else "No source is in error"
            yield Label(Text(title, style="bold"))
            options = [Option(self._entry(source), id=str(source.id)) for source in self.failing]
            yield OptionList(*options, id="errors-list", markup=False)
            yield Static(
                "r: retry the highlighted source · enter: show its stories · esc: close",
                classes="hint",
            )

    @staticmethod
    def _entry(source: Source) -> Text:
        text = Text(plain(source.label), style="bold", end="")
        if source.failures > 1:
            text.append(f"  failed {source.failures}× in a row", style="dim")
        if source.last_fetch:
            text.append(f"  last try {readable_date(source.last_fetch)}", style="dim")
        text.append("\n  " + plain(plain_error(source.last_error or "")))
        text.append("\n  " + plain(source.url), style="dim")
        return text

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _highlighted(self) -> int | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None or not self.failing:
            return None
        return int(listing.get_option_at_index(listing.highlighted).id or 0)

    def action_retry(self) -> None:
        source_id = self._highlighted()
        if source_id is not None:
            self.dismiss(("retry", source_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("show", int(event.option.id or 0)))

    def action_close(self) -> None:
        self.dismiss(None)
