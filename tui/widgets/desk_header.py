"""The one-line header: desk counts on the left, background activity on the right."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class DeskHeader(Static):
    """``newsdesk · 120 stories · 14 unread · 3 saved`` and, when busy, what is running."""

    DEFAULT_CSS = """
    DeskHeader {
        dock: top; height: 1; width: 100%;
        background: $primary; color: $text; padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.counts: dict[str, int] = {}
        self.activity = ""

    def set_counts(self, counts: dict[str, int]) -> None:
        """New desk-wide counts."""
        self.counts = dict(counts)
        self._draw()

    def set_activity(self, activity: str) -> None:
        """What runs in the background right now ("" when idle)."""
        self.activity = activity
        self._draw()

    def _draw(self) -> None:
        text = Text("newsdesk", style="bold", end="")
        c = self.counts
        total = c.get("total", 0)
        text.append(
            f"  ·  {total} {'story' if total == 1 else 'stories'} · {c.get('unread', 0)} unread · "
            f"{c.get('saved', 0)} saved"
        )
        if self.activity:
            text.append("  ·  ")
            text.append(self.activity, style="bold reverse")
        self.update(text)
