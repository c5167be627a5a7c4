"""Desk behaviour beyond single keys: first run, demo, highlights and jumps, empty states,
markup safety, two desks on one database."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tests.support.pilot import settle
from tui.analysis.model import Actor, Analysis, Commitment, DateMention
from tui.samples import OFFERED_KEY
from tui.screens.dialogs import FirstRunDialog
from tui.store import Store, StoryFilter, StoryIn
from tui.widgets.analysis_panel import AnalysisPanel, group_actors
from tui.widgets.highlight import DARK, highlighted, paragraph_spans
from tui.widgets.story_view import Paragraph, full_text


def test_highlighted_paints_each_kind_and_keeps_offsets() -> None:
    full = "Rubio met Ebrard in Mexico City on 23 January."
    analysis = Analysis(
        language="en",
        actors=[
            Actor(0, 5, "Rubio", "person", "Marco Rubio"),
            Actor(20, 31, "Mexico City", "place", "Mexico City"),
        ],
        dates=[DateMention(35, 45, "23 January", "2026-01-23", "day", False, 0)],
    )
    text = highlighted(full, 0, len(full), analysis, DARK)
    assert text.plain == full
    styles = {(s.start, s.end): s.style for s in text.spans}
    assert styles[(0, 5)] == DARK.person
    assert styles[(20, 31)] == DARK.place
    assert styles[(35, 45)] == DARK.past
    part = highlighted(full, 10, 40, analysis, DARK)  # a slice keeps the right spans
    assert {(s.start, s.end) for s in part.spans} == {(10, 21), (25, 30)}


def test_paragraphs_and_grouping() -> None:
    assert paragraph_spans("a\n\nb  \n \n\nc", 10) == [(10, 11), (13, 16), (20, 21)]
    analysis = Analysis(
        language="es",
        actors=[
            Actor(0, 5, "Rubio", "person", "Marco Rubio"),
            Actor(9, 20, "Marco Rubio", "person", "Marco Rubio", "secretario"),
            Actor(30, 36, "México", "place", "México"),
        ],
    )
    groups = group_actors(analysis)
    assert [(g.name, g.role, len(g.spans)) for g in groups] == [
        ("Marco Rubio", "secretario", 2),
        ("México", "", 1),
    ]


async def test_first_run_offers_the_samples_and_loads_them(
    empty_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(empty_runtime)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunDialog)
        await pilot.press("y")
        await settle(pilot)
        assert app.store.count_stories() == 21
        assert app.store.meta(OFFERED_KEY) == "loaded"
        assert app.desk.pager.count == 21
        assert app.screen is app.desk


async def test_first_run_declined_is_remembered(empty_runtime: Any, make_desk: Any) -> None:
    app = make_desk(empty_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.store.count_stories() == 0
        assert app.store.meta(OFFERED_KEY) == "declined"
        assert "desk is empty" in app.desk.story_list.empty_message
    again = make_desk(empty_runtime)
    async with again.run_test() as pilot:
        await settle(pilot)
        assert again.screen is again.desk  # not offered twice
        await pilot.press("ctrl+l")  # but still one key away
        await settle(pilot)
        assert again.store.count_stories() == 21


async def test_demo_runtime_loads_the_samples_without_asking(
    empty_runtime: Any, make_desk: Any
) -> None:
    empty_runtime.demo = True
    app = make_desk(empty_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.screen is app.desk
        assert app.store.count_stories() == 21


async def test_choosing_an_entry_scrolls_to_it_and_flashes(
    desk_runtime: Any, make_desk: Any, seed_analysis: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        desk = app.desk
        story = desk.story_view.story
        assert story is not None and "Rubio" in story.title
        analysis = seed_analysis(full_text(story))
        desk.show_analysis(story.id, analysis)
        await pilot.pause()
        panel = desk.query_one(AnalysisPanel)
        panel.focus()
        pledge = analysis.commitments[0]
        panel.highlighted = panel.get_option_index("commitment-0")
        await pilot.press("enter")
        await pilot.pause()
        assert desk.story_view.flashing == (pledge.start, pledge.end)
        target = next(
            p for p in desk.story_view.query(Paragraph) if p.span[0] <= pledge.start < p.span[1]
        )
        view = desk.story_view
        assert view.scroll_y > 0
        assert view.region.contains_region(target.region.intersection(view.region))
        assert target.region.intersection(view.region).height > 0
        # the actor entry cycles through its mentions
        panel.highlighted = panel.get_option_index("actor-0")
        await pilot.press("enter")
        first = desk.story_view.flashing
        await pilot.press("enter")
        assert desk.story_view.flashing != first
        assert {first, desk.story_view.flashing} == {
            (a.start, a.end) for a in analysis.actors if a.name == "Marco Rubio"
        }


async def test_empty_filter_says_so(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzqqq")
        await settle(pilot)  # results are counted and loaded in a worker
        assert app.desk.pager.count == 0
        assert "No stories match" in app.desk.story_list.empty_message
        line = app.desk.story_list.render_line(1)
        assert "No stories match" in line.text


async def test_feed_text_is_never_markup(desk_runtime: Any, make_desk: Any) -> None:
    with Store.open(desk_runtime.db_path) as store:
        store.upsert_story(
            None, StoryIn(title="[bold red]Boom[/] \x1b[31mred", text="[link=x]y[/link]")
        )
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "Boom" in app.desk.story_list.current_story.title  # newest: published now
        await pilot.press("enter")
        await settle(pilot)
        header = app.desk.story_view.query_one("#story-header").render()
        assert "[bold red]Boom[/]" in str(header)
        row = app.desk.story_list.render_line(0).text
        assert "[bold red]Boom[/]" in row and "\x1b" not in row
        para = app.desk.story_view.query(Paragraph).first()
        assert "[link=x]y[/link]" in str(para.render())


async def test_two_desks_share_one_database(desk_runtime: Any, make_desk: Any) -> None:
    first = make_desk(desk_runtime)
    second = make_desk(desk_runtime)
    async with first.run_test() as pilot_a, second.run_test() as pilot_b:
        await settle(pilot_a)
        await settle(pilot_b)
        story_id = first.desk.story_list.current_story.id
        await pilot_a.press("s")
        await pilot_b.press("t", *"shared", "enter")
        await settle(pilot_b)
    with Store.open(desk_runtime.db_path) as store:
        story = store.story(story_id)
        assert story.saved and story.tags == ("shared",)
        assert store.count_stories(StoryFilter(saved=True)) == 1


def test_text_helper_is_plain() -> None:
    assert Text("[b]x[/b]").plain == "[b]x[/b]"


CHILD_DESK = """
import asyncio, sys
from pathlib import Path
from tui.app import NewsDeskApp
from tui.runtime import Runtime

async def main() -> None:
    runtime = Runtime(db_path=Path(sys.argv[1]), config_file=Path(sys.argv[2]))
    app = NewsDeskApp(runtime, background_analysis=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s", "t", *"urgent", "enter", "j", "x")
        await pilot.pause()
        print("pressed", flush=True)
        await asyncio.sleep(120)

asyncio.run(main())
"""


def test_kill_9_right_after_the_keys_loses_nothing(desk_runtime: Any) -> None:
    import os
    import signal
    import subprocess
    import sys

    with Store.open(desk_runtime.db_path) as store:
        first, second = (s.id for s in store.list_stories(limit=2))
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD_DESK,
            str(desk_runtime.db_path),
            str(desk_runtime.config_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "pressed"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    with Store.open(desk_runtime.db_path) as store:
        assert store.story(first).saved
        assert store.story(first).tags == ("urgent",)
        assert store.story(second).archived


async def test_background_analysis_fills_the_cache_and_the_actor_views(
    desk_runtime: Any, make_desk: Any
) -> None:
    from tui.analysis import ANALYSER_VERSION

    app = make_desk(desk_runtime, background_analysis=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.store.stories_without_analysis(ANALYSER_VERSION) == []
        actors = app.store.actors(limit=12)
        assert actors
        views = app.desk.query_one("SidePanel").views
        assert f"actor:{actors[0][0]}" in views
        app.desk.set_view(views[f"actor:{actors[0][0]}"])
        await pilot.pause()
        assert app.desk.pager.count == app.store.count_stories(StoryFilter(actor=actors[0][0]))
        assert app.desk.pager.count >= 1


async def test_a_failing_or_empty_analysis_leaves_the_story_readable(
    desk_runtime: Any, make_desk: Any
) -> None:
    def broken(store: Any, story: Any) -> Analysis:
        raise RuntimeError("analyser mid-rebuild")

    app = make_desk(desk_runtime, analyser=broken)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        panel = app.desk.query_one(AnalysisPanel)
        assert "Analysis unavailable" in str(panel.get_option_at_index(0).prompt)
        assert "mid-rebuild" in str(panel.get_option_at_index(0).prompt)
        assert len(app.desk.story_view.query(Paragraph)) > 3  # the text is still there
    empty = make_desk(desk_runtime, analyser=lambda store, story: Analysis(language="es"))
    async with empty.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        panel = empty.desk.query_one(AnalysisPanel)
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert (
            "Actors (0)" in prompts and "Commitments (0)" in prompts and "Upcoming (0)" in prompts
        )
        assert prompts.count("  none found") == 3


async def test_theme_from_the_config_is_applied(desk_runtime: Any, make_desk: Any) -> None:
    from pathlib import Path

    Path(desk_runtime.config_file).write_text('theme = "gruvbox"\n', encoding="utf-8")
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"


async def test_stories_added_by_another_process_appear(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        before = app.desk.pager.count
        with Store.open(desk_runtime.db_path) as other:  # e.g. ``newsdesk fetch`` from cron
            other.upsert_story(None, StoryIn(title="Arrived meanwhile", text="Body."))
        app.desk.poll_store()  # what the desk's timer runs every few seconds
        await pilot.pause()
        assert app.desk.pager.count == before + 1
        assert app.query_one("DeskHeader").counts["total"] == before + 1


async def test_a_commitment_without_a_named_actor_reads_someone() -> None:
    from textual.app import App, ComposeResult

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield AnalysisPanel()

    headline = "Alistan reunión ministerial para febrero"
    analysis = Analysis(
        language="es",
        commitments=[
            Commitment(0, len(headline), headline, "Alistan", "", (), "reunión ministerial", "plan")
        ],
    )
    async with Host().run_test() as pilot:
        panel = pilot.app.query_one(AnalysisPanel)
        panel.show_analysis(analysis, DARK)
        await pilot.pause()
        prompt = panel.get_option("commitment-0").prompt
        assert isinstance(prompt, Text)
        assert prompt.plain.strip() == "someone: reunión ministerial"
