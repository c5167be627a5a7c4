"""The desk's export dialog and agenda screen, driven with ``App.run_test`` in a tiny host app."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Select

from tests.support.analyses import A, D, add_story, build_analysis, cached_provider, save
from tui.export import Selection
from tui.screens.agenda import AgendaScreen, AgendaTarget
from tui.screens.export_dialog import ConfirmReplace, ExportDialog, ExportDone
from tui.store import Store

UNSET = object()


class Host(App[None]):
    """Pushes one screen at mount and keeps what it dismissed with."""

    def __init__(self, factory: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.factory = factory
        self.result: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(self.factory(), self._done)

    def _done(self, result: object) -> None:
        self.result = result


async def until(pilot: Any, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let workers run until ``condition`` holds (fails the test after ``timeout``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out waiting for the screen"
        await pilot.pause(0.02)


def status_text(app: App[None]) -> str:
    return str(app.screen.query_one("#status", Label).render())


@pytest.fixture
def desk(store: Store) -> Store:
    rubio = add_story(store, "Rubio y De la Fuente", "Marco Rubio convocó la Reunión Ministerial el 3 de febrero.",
                      url="https://example.org/a")  # fmt: skip
    other = add_story(store, "Ministerial set", "Marco Rubio will host the ministerial on February 3.",
                      url="https://example.org/b")  # fmt: skip
    save(store, rubio, build_analysis(rubio, "es", [A("Marco Rubio", "person", "Marco Rubio")],
                                      [D("3 de febrero", "2026-02-03", "day", "Reunión Ministerial")]))  # fmt: skip
    save(store, other, build_analysis(other, "en", [A("Marco Rubio", "person", "Marco Rubio")],
                                      [D("February 3", "2026-02-03", "day", "ministerial")]))  # fmt: skip
    store.add_tags([rubio.id], ["mexico"])
    return store


async def test_export_dialog_writes_and_remembers_the_path(desk: Store, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    out = tmp_path / "desk.md"
    host = Host(
        lambda: ExportDialog(desk, config, Selection(tags=("mexico",)), analyse=cached_provider)
    )
    async with host.run_test() as pilot:
        await pilot.pause()
        assert host.screen.query_one("#tags", Input).value == "mexico"
        host.screen.query_one("#path", Input).value = str(out)
        await pilot.press("enter")
        await until(pilot, lambda: host.result is not UNSET)
    assert host.result == ExportDone(out, 1, "markdown")
    assert "## [Rubio y De la Fuente](https://example.org/a)" in out.read_text(encoding="utf-8")
    assert tomllib.loads(config.read_text())["export"]["path"] == str(out)
    again = Host(lambda: ExportDialog(desk, config, analyse=cached_provider))
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.screen.query_one("#path", Input).value == str(out)
        await pilot.press("escape")
        await until(pilot, lambda: again.result is not UNSET)
    assert again.result is None


async def test_export_dialog_asks_before_replacing_a_file(desk: Store, tmp_path: Path) -> None:
    out = tmp_path / "desk.json"
    out.write_text("keep me")
    host = Host(
        lambda: ExportDialog(desk, tmp_path / "c.toml", last_path=str(out), analyse=cached_provider)
    )
    async with host.run_test() as pilot:
        await pilot.pause()
        host.screen.query_one("#path", Input).value = str(tmp_path / "desk.md")
        host.screen.query_one("#format", Select).value = "json"
        await pilot.pause()
        assert host.screen.query_one("#path", Input).value == str(out)  # .md follows the format
        host.screen.query_one("#title", Input).value = "Weekly *brief*"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(host.screen, ConfirmReplace))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(host.screen, ExportDialog))
        assert "not replaced" in status_text(host)
        assert out.read_text() == "keep me"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(host.screen, ConfirmReplace))
        await pilot.press("y")
        await until(pilot, lambda: host.result is not UNSET)
    assert host.result == ExportDone(out, 2, "json")
    assert json.loads(out.read_text())["title"] == "Weekly *brief*"


async def test_export_dialog_shows_errors_and_stays_open(desk: Store, tmp_path: Path) -> None:
    host = Host(lambda: ExportDialog(desk, tmp_path / "c.toml", last_path=str(tmp_path / "no" / "x.md"),
                                     analyse=cached_provider))  # fmt: skip
    async with host.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "does not exist" in status_text(host))
        host.screen.query_one("#since", Input).value = "soon"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "'soon' is not a date" in status_text(host)
        assert isinstance(host.screen, ExportDialog) and host.result is UNSET


async def test_agenda_screen_returns_story_and_sentence(desk: Store) -> None:
    ids = sorted(s.id for s in desk.list_stories())

    def factory() -> AgendaScreen:
        return AgendaScreen(
            desk, start=dt.date(2026, 1, 20), analyse=cached_provider, analyse_missing=False
        )

    host = Host(factory)
    async with host.run_test() as pilot:
        await until(pilot, lambda: getattr(host.screen, "agenda", None) is not None)
        screen = host.screen
        assert isinstance(screen, AgendaScreen) and screen.agenda is not None
        (entry,) = screen.agenda.entries  # the two stories report one event
        assert [s.story_id for s in entry.sources] == ids
        listing = screen.query_one(OptionList)
        assert listing.option_count == 4  # the day heading, the entry, its two stories
        await pilot.press("enter")
        await until(pilot, lambda: host.result is not UNSET)
    assert host.result == AgendaTarget(ids[0], 1)
    second = Host(factory)
    async with second.run_test() as pilot:
        await until(pilot, lambda: getattr(second.screen, "agenda", None) is not None)
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: second.result is not UNSET)
    assert second.result == AgendaTarget(ids[1], 1)
