"""The e (export dialog) and a (agenda) keys of the desk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList

from tests.support.pilot import settle


async def test_e_exports_the_current_view(
    desk_runtime: Any, make_desk: Any, tmp_path: Path
) -> None:
    from tui.screens.export_dialog import ExportDialog

    app = make_desk(desk_runtime)
    target = tmp_path / "out.md"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = app.desk.story_list.current_story
        app.store.add_tags([first.id], ["mexico"])
        app.desk.set_view(app.desk.query_one("SidePanel").views["view:all"])
        await pilot.press("t", *"mexico", "enter")
        await settle(pilot)
        app.desk.set_view(app.desk.query_one("SidePanel").views["tag:mexico"])
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#tags", Input).value == "mexico"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.desk
    text = target.read_text(encoding="utf-8")
    assert first.title.split(":")[0] in text


async def test_a_opens_the_agenda_and_enter_opens_the_story(
    desk_runtime: Any, make_desk: Any
) -> None:
    from tui.screens.agenda import AgendaScreen

    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        listing = app.screen.query_one(OptionList)
        # the seed story (2026-01-08) announces a meeting on 23 January: after the frozen "now"
        assert listing.highlighted is not None
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.desk
        shown = app.desk.story_view.story
        assert shown is not None
        assert app.desk.story_list.current_story.id == shown.id
        assert app.store.story(shown.id).read
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("escape")
        assert app.screen is app.desk
