"""Upcoming means after the desk's today (issue 13): the desk, the demo desk and the CLI.

A story whose dates were ahead when it was published but are over now shows them
as *was upcoming*, apart from upcoming ones, and is not counted under Upcoming;
the desk's clock can be set (``--today``, the config's ``today``); the demo desk
sets it just after its newest story so that its agenda shows entries.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text

from tests.support.paths import REPO
from tests.support.pilot import settle
from tui.analysis.model import Analysis, DateMention
from tui.config import ConfigError, load_config
from tui.runtime import Runtime
from tui.samples import SEED_STORY, demo_today, load_samples
from tui.store import Store, StoryFilter, StoryIn
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.highlight import DARK, highlighted

OLD_STORY = StoryIn(
    title="El Consejo se reunirá mañana",
    text="El Consejo de Seguridad se reunirá mañana para votar la resolución.",
    guid="old-story",
    published=dt.datetime(2019, 9, 24, 9, 0, tzinfo=dt.UTC),
    language="es",
)


def _desk_with_old_story(tmp_path: Path) -> Runtime:
    runtime = Runtime(db_path=tmp_path / "desk.db", config_file=tmp_path / "config.toml")
    with Store.open(runtime.db_path) as store:
        source = store.add_source("https://example.org/feed", title="Archive")
        store.upsert_stories(source.id, [OLD_STORY])
    return runtime


def _prompts(panel: AnalysisPanel) -> list[str]:
    return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]


async def test_a_story_whose_dates_are_now_past_shows_them_as_was_upcoming(
    tmp_path: Path, make_desk: Any
) -> None:
    app = make_desk(_desk_with_old_story(tmp_path))  # the desk's clock: 2026-01-10
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        desk = app.desk
        assert desk.story_view.story is not None
        prompts = _prompts(desk.query_one(AnalysisPanel))
        assert "Upcoming (0)" in prompts
        assert "Was upcoming (2)" in prompts  # the title's "mañana" and the text's
        entry = prompts[prompts.index("Was upcoming (2)") + 1]
        # In words, in the story's language; never "2019-09-25".
        assert entry.startswith("  miércoles 25 de septiembre de 2019 — ")
        assert "2019-09-25" not in "".join(prompts)
        # Not under the sidebar's Upcoming view: that counts from the desk's today.
        assert app.store.count_stories(StoryFilter(upcoming=True)) == 0


async def test_the_same_story_read_before_the_meeting_shows_it_upcoming(
    tmp_path: Path, make_desk: Any
) -> None:
    clock = dt.datetime(2019, 9, 24, 18, 0, tzinfo=dt.UTC)
    app = make_desk(_desk_with_old_story(tmp_path), clock=lambda: clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        prompts = _prompts(app.desk.query_one(AnalysisPanel))
        assert "Upcoming (2)" in prompts
        assert not any(p.startswith("Was upcoming") for p in prompts)
        assert app.store.count_stories(StoryFilter(upcoming=True)) == 1


def test_highlights_paint_was_upcoming_dates_in_their_own_style() -> None:
    text = "Se reunirán mañana. Se reunieron ayer."
    analysis = Analysis(
        language="es",
        dates=[
            DateMention(12, 18, "mañana", "2019-09-25", "day", True, 0),
            DateMention(32, 36, "ayer", "2019-09-23", "day", False, 1),
        ],
    )

    def style_at(today: dt.date, offset: int) -> Any:
        painted: Text = highlighted(text, 0, len(text), analysis, DARK, today=today)
        return next(s.style for s in painted.spans if s.start <= offset < s.end)

    assert style_at(dt.date(2019, 9, 24), 12) == DARK.upcoming
    assert style_at(dt.date(2026, 1, 10), 12) == DARK.was_upcoming
    assert style_at(dt.date(2026, 1, 10), 32) == DARK.past
    assert DARK.was_upcoming not in (DARK.upcoming, DARK.past)


def test_the_demo_clock_is_the_day_after_the_newest_sample(store: Store) -> None:
    assert demo_today(store) is None
    load_samples(store)
    assert demo_today(store) == dt.date(2026, 1, 9)  # the seed story is of 8 January 2026


async def test_the_demo_desk_shows_upcoming_dates_and_an_agenda_with_entries(
    tmp_path: Path, make_desk: Any
) -> None:
    runtime = Runtime(db_path=tmp_path / "demo.db", config_file=tmp_path / "config.toml", demo=True)
    # A real clock long after the samples: without the demo clock nothing would be upcoming.
    app = make_desk(runtime, clock=lambda: dt.datetime(2030, 5, 1, tzinfo=dt.UTC))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert app.today() == dt.date(2026, 1, 9)
        assert app.store.today() == dt.date(2026, 1, 9)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        agenda = getattr(screen, "agenda", None)
        assert agenda is not None, type(screen)
        values = {e.value for e in agenda.entries}
        assert {"2026-01-23", "2026-02"} <= values
        assert str(screen.start) == "2026-01-09"
        # The sidebar's Upcoming view counts from the same clock (the seed story).
        assert app.store.count_stories(StoryFilter(upcoming=True)) == 1


def _cli(*args: str, db: Path, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "NEWSDESK_CONFIG": str(config)},
        timeout=120,
    )


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    db = tmp_path / "desk.db"
    with Store.open(db) as store:
        load_samples(store)
    return db


def test_today_sets_the_agenda_clock_before_or_after_the_command(
    sample_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    early = _cli("--today", "2026-01-09", "agenda", "--format", "json", db=sample_db, config=config)
    assert early.returncode == 0, early.stderr
    data = json.loads(early.stdout)
    assert data["from"] == "2026-01-09"
    labels = [e["label"] for g in data["groups"] for e in g["entries"]]
    assert "Friday 23 January 2026" in labels
    assert all("2026-" not in label for label in labels)  # words, not codes
    ics = _cli("agenda", "--today", "2026-01-09", "--format", "ics", db=sample_db, config=config)
    assert ics.returncode == 0, ics.stderr
    assert "BEGIN:VEVENT" in ics.stdout
    late = _cli("agenda", "--today", "2030-01-01", db=sample_db, config=config)
    assert late.returncode == 0, late.stderr
    assert "No upcoming dates." in late.stdout


def test_the_config_today_key_is_the_desks_clock(sample_db: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('today = "2026-01-09"\n', encoding="utf-8")
    result = _cli("agenda", db=sample_db, config=config)
    assert result.returncode == 0, result.stderr
    assert "Friday 23 January 2026" in result.stdout
    # The export takes the same clock: the seed story's dates are upcoming, in words.
    out = tmp_path / "export.md"
    export = _cli("export", "-o", str(out), db=sample_db, config=config)
    assert export.returncode == 0, export.stderr
    markdown = out.read_text(encoding="utf-8")
    assert "- viernes 23 de enero de 2026 — " in markdown
    assert "2026-01-23" not in markdown
    later = _cli("--today", "2026-03-01", "export", "-o", "-", db=sample_db, config=config)
    assert "#### Was upcoming" in later.stdout or "### Was upcoming" in later.stdout


@pytest.mark.parametrize(
    ("line", "expected"),
    [('today = "2021-10-06"', dt.date(2021, 10, 6)), ("today = 2021-10-06", dt.date(2021, 10, 6))],
)
def test_config_today_reads_a_date(tmp_path: Path, line: str, expected: dt.date) -> None:
    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")
    assert load_config(path).today == expected


def test_config_today_that_is_no_date_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\ntoday = "next tuesday"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.toml:2: today: expected a date"):
        load_config(path)


def test_seed_story_file_is_the_newest_sample() -> None:
    assert "published: 2026-01-08" in SEED_STORY.read_text(encoding="utf-8")


def test_demo_agenda_from_the_command_line_has_entries(tmp_path: Path) -> None:
    """``newsdesk --demo agenda``: the samples, counted from the demo clock."""
    config = tmp_path / "config.toml"
    ics = _cli("--demo", "agenda", "--format", "ics", db=tmp_path / "unused.db", config=config)
    assert ics.returncode == 0, ics.stderr
    assert ics.stdout.count("BEGIN:VEVENT") >= 2
    unfolded = ics.stdout.replace("\r\n ", "").replace("\n ", "")
    assert "When: Friday 23 January 2026\\n" in unfolded  # in words, without the raw value
