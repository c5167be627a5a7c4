"""Snapshot tests of the desk (pytest-textual-snapshot).

Deterministic by construction: a frozen clock for ages, the hand-made seed analysis
(not the evolving analyser), no background work, and no blinking cursors.
Update after a reviewed UI change with ``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from tests.support.pilot import settle, steady_screen
from tui.store import Store

SIZES = [(80, 24), (200, 50)]


async def _open_seed(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("enter")
    # The panels scroll to their top when a story opens; on a loaded machine the
    # snapshot could catch a scrollbar mid-way (one CI run did).
    await steady_screen(pilot)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_desk_with_seed_story_open(
    snap_compare: Any, desk_runtime: Any, make_desk: Any, seed_analyser: Any, size: tuple[int, int]
) -> None:
    app = make_desk(desk_runtime, analyser=seed_analyser)
    assert snap_compare(app, terminal_size=size, run_before=_open_seed)


def test_tag_dialog(
    snap_compare: Any, desk_runtime: Any, make_desk: Any, seed_analyser: Any
) -> None:
    with Store.open(desk_runtime.db_path) as store:
        ids = [s.id for s in store.list_stories(limit=3)]
        store.add_tags(ids[1:], ["security", "mexico", "seguridad"])

    async def run_before(pilot: Any) -> None:
        await _open_seed(pilot)
        await pilot.press("t")
        await pilot.pause()
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"usa, se")
        await steady_screen(pilot)  # the tag suggestion may come from a worker

    app = make_desk(desk_runtime, analyser=seed_analyser)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_help(snap_compare: Any, desk_runtime: Any, make_desk: Any, size: tuple[int, int]) -> None:
    app = make_desk(desk_runtime)
    assert snap_compare(app, terminal_size=size, press=["question_mark"])


def test_search_results(snap_compare: Any, desk_runtime: Any, make_desk: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("slash", *"Apple", "enter")
        await settle(pilot)  # results are counted and loaded in a worker

    app = make_desk(desk_runtime)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_source_in_error(snap_compare: Any, desk_runtime: Any, make_desk: Any) -> None:
    with Store.open(desk_runtime.db_path) as store:
        source = store.add_source("http://127.0.0.1:9/feed.xml", title="Border wire")
        store.update_source(
            source.id,
            last_error="HTTP 503 Service Unavailable",
            failures=3,
            last_fetch="2026-01-10T11:00:00Z",
        )

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        desk = pilot.app.desk
        desk.set_view(desk.query_one("SidePanel").views[f"source:{source.id}"])
        await pilot.pause()

    app = make_desk(desk_runtime)
    assert snap_compare(app, terminal_size=(200, 50), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_first_run(
    snap_compare: Any, empty_runtime: Any, make_desk: Any, size: tuple[int, int]
) -> None:
    app = make_desk(empty_runtime)
    assert snap_compare(app, terminal_size=size)


def test_demo_desk_agenda_shows_entries(snap_compare: Any, tmp_path: Any, make_desk: Any) -> None:
    """The demo desk's clock is the day after its newest story: its agenda is not empty."""
    import datetime as dt

    from tui.runtime import Runtime

    runtime = Runtime(db_path=tmp_path / "demo.db", config_file=tmp_path / "config.toml", demo=True)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await settle(pilot)
        pilot.app.clear_notifications()  # "Sample desk loaded" would cover the list
        await pilot.press("a")
        await settle(pilot)

    app = make_desk(runtime, clock=lambda: dt.datetime(2030, 5, 1, tzinfo=dt.UTC))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


THEMES = ["textual-dark", "solarized-light"]


def _themed(runtime: Any, theme: str) -> Any:
    runtime.config_file.write_text(f'theme = "{theme}"\n', encoding="utf-8")
    return runtime


def _no_blink(pilot: Any) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


@pytest.mark.parametrize("theme", THEMES)
def test_desk_at_80x24_with_a_story_open(
    snap_compare: Any, desk_runtime: Any, make_desk: Any, seed_analyser: Any, theme: str
) -> None:
    app = make_desk(_themed(desk_runtime, theme), analyser=seed_analyser)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_seed)


@pytest.mark.parametrize("theme", THEMES)
def test_export_dialog_at_80x24(
    snap_compare: Any, desk_runtime: Any, make_desk: Any, theme: str
) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        _no_blink(pilot)
        await pilot.pause()

    app = make_desk(_themed(desk_runtime, theme))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_add_feed_dialog_at_80x24(
    snap_compare: Any, desk_runtime: Any, make_desk: Any, theme: str
) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("A")
        await pilot.pause()
        _no_blink(pilot)
        await pilot.press(*"example.org")
        await pilot.pause()

    app = make_desk(_themed(desk_runtime, theme))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
