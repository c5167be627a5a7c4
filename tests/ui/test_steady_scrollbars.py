"""Scrollbars follow what they show, and are not repainted by unrelated layout passes
(``tui.widgets.steady_scroll``; issue 17: they were the largest cost of opening a story)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.scrollbar import ScrollBar
from textual.widgets import OptionList, Static

from tui.widgets.side_panel import SidePanel
from tui.widgets.steady_scroll import SteadyScrollbars
from tui.widgets.story_list import StoryList


class SteadyOptions(SteadyScrollbars, OptionList):
    """An option list with the mixin, as the side panel uses it."""


class OptionsApp(App[None]):
    CSS = "SteadyOptions { height: 8; }"

    def compose(self) -> ComposeResult:
        yield SteadyOptions(id="options")
        yield Vertical(id="elsewhere")


def test_the_desk_lists_use_it_and_keep_their_css() -> None:
    for widget in (SidePanel, StoryList):
        assert issubclass(widget, SteadyScrollbars)
    assert "OptionList" in SidePanel._css_type_names  # the mixin is not a widget base


async def test_the_scrollbar_follows_the_list_and_ignores_unrelated_layouts(
    monkeypatch: Any,
) -> None:
    app = OptionsApp()
    async with app.run_test(size=(60, 20)) as pilot:
        options = app.query_one(SteadyOptions)
        options.add_option("only one")
        await pilot.pause()
        assert not options.show_vertical_scrollbar

        options.clear_options()
        options.add_options([f"option {i}" for i in range(30)])
        await pilot.pause()
        assert options.show_vertical_scrollbar
        bar = options.vertical_scrollbar
        assert bar.window_virtual_size == options.virtual_size.height == 30
        assert bar.window_size == options.scrollable_content_region.height

        refreshed: list[ScrollBar] = []
        original = ScrollBar.refresh

        def counting(self: ScrollBar, *args: Any, **kwargs: Any) -> Any:
            refreshed.append(self)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(ScrollBar, "refresh", counting)
        # a layout pass caused by another widget: the list's scrollbar is left alone
        await app.query_one("#elsewhere").mount(Static("a new line elsewhere"))
        await pilot.pause()
        assert bar not in refreshed

        options.clear_options()
        options.add_options([f"option {i}" for i in range(12)])  # a shorter list
        await pilot.pause()
        assert bar in refreshed
        assert bar.window_virtual_size == options.virtual_size.height == 12

        options.clear_options()
        options.add_option("only one again")
        await pilot.pause()
        assert not options.show_vertical_scrollbar
