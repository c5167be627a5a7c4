"""Scrollbars follow what they show, and are not repainted by unrelated layout passes
(``tui.widgets.steady_scroll``; issue 17: they were the largest cost of opening a story)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.scrollbar import ScrollBar
from textual.widgets import Static

from tui.analysis.model import Actor, Analysis
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.highlight import DARK


class PanelApp(App[None]):
    CSS = "AnalysisPanel { height: 8; }"

    def compose(self) -> ComposeResult:
        yield AnalysisPanel(id="analysis")
        yield Vertical(id="elsewhere")


def _many_actors(n: int) -> Analysis:
    return Analysis(
        language="en",
        actors=[Actor(i * 10, i * 10 + 5, f"Name{i}", "person", f"Name {i}") for i in range(n)],
    )


async def test_the_scrollbar_follows_the_panel_and_ignores_unrelated_layouts(
    monkeypatch: Any,
) -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(AnalysisPanel)
        panel.show_message("No story open.")
        await pilot.pause()
        assert not panel.show_vertical_scrollbar

        panel.show_analysis(_many_actors(30), DARK)
        await pilot.pause()
        assert panel.show_vertical_scrollbar
        bar = panel.vertical_scrollbar
        assert bar.window_virtual_size == panel.virtual_size.height > 30
        assert bar.window_size == panel.scrollable_content_region.height

        refreshed: list[ScrollBar] = []
        original = ScrollBar.refresh

        def counting(self: ScrollBar, *args: Any, **kwargs: Any) -> Any:
            refreshed.append(self)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(ScrollBar, "refresh", counting)
        # a layout pass caused by another widget: the panel's scrollbar is left alone
        await app.query_one("#elsewhere").mount(Static("a new line elsewhere"))
        await pilot.pause()
        assert bar not in refreshed

        panel.show_analysis(_many_actors(5), DARK)  # fewer lines: a shorter list
        await pilot.pause()
        assert bar in refreshed
        assert bar.window_virtual_size == panel.virtual_size.height

        panel.show_message("Analysing…")
        await pilot.pause()
        assert not panel.show_vertical_scrollbar
