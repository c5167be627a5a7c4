"""The Textual-free desk service (``tui.desk``): plain unit tests, no app, no terminal."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.desk import navigation
from tui.desk.browser import command_for, open_link, run_command
from tui.desk.keys import DESK_COMMANDS, OTHER_KEYS, key_problems, known_binding_ids
from tui.desk.targets import TargetTracker
from tui.desk.views import ALL, VIEWS, DeskView, describe
from tui.store import Story, StoryFilter

# -- which story a key acts on ------------------------------------------------------------------


def test_without_an_open_story_keys_act_on_the_cursor_row() -> None:
    tracker = TargetTracker()
    target = tracker.stories(set(), 7)
    assert (target.ids, target.kind) == ((7,), "cursor")
    assert not tracker.off_cursor(7)


def test_after_a_reload_moved_the_cursor_keys_act_on_the_open_story() -> None:
    tracker = TargetTracker()
    tracker.opened(4)
    target = tracker.story(1)  # a search put the cursor on row 1 (story 1)
    assert (target.ids, target.kind, target.phrase) == ((4,), "open", "the open story")
    assert tracker.off_cursor(1)


def test_a_cursor_move_by_the_user_makes_keys_follow_the_cursor() -> None:
    tracker = TargetTracker()
    tracker.opened(4)
    tracker.cursor_moved_by_user(5)
    assert tracker.story(5).ids == (5,)
    assert tracker.story(5, reader_focused=True).ids == (4,)  # reading: the open story
    tracker.cursor_moved_by_user(4)  # back on the open story
    assert tracker.story(9).ids == (4,)


def test_marks_win_and_closing_forgets_the_open_story() -> None:
    tracker = TargetTracker()
    tracker.opened(4)
    marked = tracker.stories({3, 1}, 2)
    assert (marked.ids, marked.phrase) == ((1, 3), "2 marked stories")
    tracker.closed()
    assert tracker.story(None).kind == "none" and not tracker.story(None)


# -- n and p --------------------------------------------------------------------------------------


@dataclass
class _Rows:
    """A list of read flags standing in for the story pager."""

    read: list[bool]

    @property
    def count(self) -> int:
        return len(self.read)

    def get(self, index: int) -> Story | None:
        if not 0 <= index < len(self.read):
            return None
        return _story(index, self.read[index])

    def next_unread(self, index: int) -> int | None:
        return next((i for i in range(index + 1, self.count) if not self.read[i]), None)

    def previous_unread(self, index: int) -> int | None:
        return next(
            (i for i in range(min(index, self.count) - 1, -1, -1) if not self.read[i]), None
        )


def _story(index: int, read: bool) -> Story:
    return Story(
        id=index + 1, uid=f"u{index}", source_id=1, source="s", guid=str(index), url="",
        title=f"t{index}", author="", published="2026-01-01T00:00:00Z",
        fetched="2026-01-01T00:00:00Z", language="en", text="", read=read, saved=False,
        archived=False, note="",
    )  # fmt: skip


def test_n_starts_with_the_unread_story_under_the_cursor() -> None:
    step = navigation.next_unread(_Rows([False, True, False]), 0)
    assert step == navigation.UnreadStep(0, False)


def test_n_goes_down_then_wraps_to_the_top() -> None:
    rows = _Rows([False, True, True, True])
    assert navigation.next_unread(rows, 1) == navigation.UnreadStep(0, True)
    assert navigation.next_unread(_Rows([True, True, False]), 0) == navigation.UnreadStep(2, False)
    assert navigation.next_unread(_Rows([True, True]), 1) is None


def test_p_goes_up_then_wraps_to_the_bottom() -> None:
    assert navigation.previous_unread(_Rows([True, True, False]), 0) == navigation.UnreadStep(
        2, True
    )
    assert navigation.previous_unread(_Rows([False, True, True]), 2) == navigation.UnreadStep(
        0, False
    )
    assert navigation.previous_unread(_Rows([True]), 0) is None


# -- the browser ----------------------------------------------------------------------------------


def test_browser_commands_take_the_url_in_place_of_percent_s_or_at_the_end() -> None:
    assert command_for("firefox --new-tab %s", "http://x/") == ["firefox", "--new-tab", "http://x/"]
    assert command_for("'my browser'", "http://x/") == ["my browser", "http://x/"]


def test_the_config_browser_comes_first_then_browser_env_then_the_platform() -> None:
    ran: list[Sequence[str]] = []

    def run(argv: Sequence[str]) -> str | None:
        ran.append(argv)
        return None if argv[0] == "good" else f"{argv[0]}: not found"

    def platform(url: str) -> str | None:
        return "no platform browser"

    result = open_link("http://x/", "good %s", {"BROWSER": "bad"}, run=run, platform=platform)
    assert result.ok and ran == [["good", "http://x/"]]
    ran.clear()
    result = open_link("http://x/", "", {"BROWSER": "bad:good"}, run=run, platform=platform)
    assert result.ok and [a[0] for a in ran] == ["bad", "good"]
    ran.clear()
    result = open_link("http://x/", "", {"BROWSER": "bad"}, run=run, platform=platform)
    assert not result.ok
    assert "bad: not found; no platform browser" in result.message
    assert "$BROWSER" in result.message


def test_a_configured_browser_that_fails_is_reported_not_replaced() -> None:
    result = open_link(
        "http://x/", "bad", {}, run=lambda argv: "bad: not found", platform=lambda url: None
    )
    assert not result.ok and "bad: not found" in result.message


def test_run_command_reports_a_missing_program_and_a_failing_one(tmp_path: Path) -> None:
    assert run_command(["no-such-program-anywhere", "x"]) == "no-such-program-anywhere: not found"
    assert run_command([sys.executable, "-c", "raise SystemExit(3)"]) is not None
    assert run_command([sys.executable, "-c", "pass"]) is None


# -- keys -----------------------------------------------------------------------------------------


def test_the_default_keys_have_no_problems() -> None:
    assert key_problems({}) == []


def test_unknown_ids_and_clashes_are_problems_naming_the_key() -> None:
    problems = key_problems({"desk.sav": "S", "desk.save": "j"})
    assert [p.binding_id for p in problems] == ["desk.sav", "desk.save"]
    assert "unknown binding id" in problems[0].problem
    assert "'j' is already bound to desk.down" in problems[1].problem
    assert key_problems({"desk.save": "S", "desk.down": "j,down,ctrl+n"}) == []
    assert key_problems({"side.down": "j"}) == []  # another screen: no clash with desk.down


def test_other_keys_match_the_bindings_the_dialogs_declare() -> None:
    from textual.binding import Binding

    from tui.screens.add_feed import AddFeedDialog
    from tui.screens.agenda import AgendaScreen
    from tui.screens.dialogs import FirstRunDialog, NoteDialog
    from tui.screens.errors import ErrorsScreen
    from tui.screens.export_dialog import ConfirmReplace, ExportDialog
    from tui.screens.filter import FilterDialog
    from tui.screens.help import HelpScreen
    from tui.screens.tagging import TagDialog, UntagDialog
    from tui.widgets.analysis_panel import AnalysisPanel
    from tui.widgets.side_panel import SidePanel
    from tui.widgets.story_view import StoryView

    classes = {
        "side": SidePanel, "note": NoteDialog, "firstrun": FirstRunDialog, "filter": FilterDialog,
        "tag": TagDialog, "untag": UntagDialog, "help": HelpScreen, "agenda": AgendaScreen,
        "replace": ConfirmReplace, "export": ExportDialog, "add_feed": AddFeedDialog,
        "errors": ErrorsScreen, "story": StoryView, "analysis": AnalysisPanel,
    }  # fmt: skip
    declared = {
        (b.id, b.key, scope)
        for scope, cls in classes.items()
        for b in cls.BINDINGS
        if isinstance(b, Binding) and b.id
    }
    assert declared == {(b.id, b.keys, b.scope) for b in OTHER_KEYS}
    assert {c.id for c in DESK_COMMANDS} <= known_binding_ids()


# -- views ----------------------------------------------------------------------------------------


def test_a_filter_says_every_condition_it_has() -> None:
    view = DeskView("filter", "Filter", StoryFilter(source_id=2, tags=("a", "b"), unread=True))
    assert describe(view, {2: "Reuters"}) == "Filter: source Reuters · #a or #b · unread"
    assert describe(ALL) == "All"
    assert describe(VIEWS[1]) == "Unread"


@pytest.mark.parametrize("view", VIEWS)
def test_side_views_describe_themselves_by_name(view: DeskView) -> None:
    assert describe(view) == view.label
