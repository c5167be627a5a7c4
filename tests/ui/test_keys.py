"""Pilot tests: every desk key, checked against the store after the action."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, TextArea

from tests.support.pilot import settle
from tui.runtime import Runtime
from tui.screens.dialogs import NoteDialog
from tui.screens.help import HelpScreen
from tui.screens.tagging import TagDialog, UntagDialog
from tui.store import Store, StoryFilter
from tui.widgets.story_list import StoryList


def newest(store: Store, n: int = 3) -> list[int]:
    return [s.id for s in store.list_stories(limit=n)]


async def test_cursor_keys_move_and_keep_the_cursor_visible(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        stories = app.desk.query_one(StoryList)
        assert app.focused is stories
        ids = newest(app.store, 21)
        await pilot.press("j", "down")
        assert stories.cursor == 2
        assert stories.current_story.id == ids[2]
        await pilot.press("k")
        assert stories.cursor == 1
        await pilot.press("up", "up")
        assert stories.cursor == 0
        await pilot.press("G")
        assert stories.cursor == 20
        visible = stories.scrollable_content_region.height
        assert stories.scroll_y <= 20 < stories.scroll_y + visible
        await pilot.press("g")
        assert stories.cursor == 0 and stories.scroll_y == 0
        await pilot.press("pagedown")
        assert stories.cursor > 1


async def test_enter_opens_the_story_and_marks_it_read(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        seed = app.store.list_stories(limit=1)[0]
        assert not seed.read
        await pilot.press("enter")
        await settle(pilot)
        assert app.desk.story_view.story.id == seed.id
        assert app.store.story(seed.id).read
        assert app.desk.story_view.analysis is not None or app.desk.analysis_panel.option_count


async def test_m_toggles_read_and_u_undoes(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        first = newest(app.store, 1)[0]
        await pilot.press("m")
        await settle(pilot)  # the key's write runs in a worker
        assert app.store.story(first).read
        await pilot.press("m")
        await settle(pilot)  # the key's write runs in a worker
        assert not app.store.story(first).read
        await pilot.press("m", "u")
        await settle(pilot)  # the key's write runs in a worker
        assert not app.store.story(first).read
        await pilot.press("u")
        await settle(pilot)  # the key's write runs in a worker
        assert app.store.story(first).read


async def test_s_saves_and_u_restores(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        first = newest(app.store, 1)[0]
        await pilot.press("s")
        await settle(pilot)  # the key's write runs in a worker
        assert app.store.story(first).saved
        assert app.store.counts()["saved"] == 1
        await pilot.press("u")
        await settle(pilot)  # the key's write runs in a worker
        assert not app.store.story(first).saved


async def test_space_and_v_mark_stories_for_bulk_triage(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        ids = newest(app.store, 3)
        await pilot.press("space", "j", "j", "v")
        assert app.desk.story_list.marked == {ids[0], ids[2]}
        await pilot.press("s")
        await settle(pilot)  # the key's write runs in a worker
        assert [app.store.story(i).saved for i in ids] == [True, False, True]
        await pilot.press("m")
        await settle(pilot)  # the key's write runs in a worker
        assert [app.store.story(i).read for i in ids] == [True, False, True]
        await pilot.press("t", *"bulk, desk", "enter")
        await settle(pilot)
        assert [app.store.story(i).tags for i in ids] == [("bulk", "desk"), (), ("bulk", "desk")]
        await pilot.press("T")
        await pilot.press("enter")  # the first tag of the marked stories: "bulk"
        await settle(pilot)
        assert [app.store.story(i).tags for i in ids] == [("desk",), (), ("desk",)]
        await pilot.press("x")
        await settle(pilot)  # the key's write runs in a worker
        assert [app.store.story(i).archived for i in ids] == [True, False, True]
        await pilot.press("u", "u", "u", "u", "u")
        await settle(pilot)  # the key's write runs in a worker
        assert app.store.tags() == []
        assert not any(app.store.story(i).saved or app.store.story(i).read for i in ids)
        assert not any(app.store.story(i).archived for i in ids)


async def test_t_tags_several_at_once_with_completion(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        first, second = newest(app.store, 2)
        await pilot.press("t")
        await settle(pilot)  # the key's write runs in a worker
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"security, Mexico", "enter")
        await settle(pilot)
        assert set(app.store.story(first).tags) == {"security", "Mexico"}
        await pilot.press("j", "t")
        await pilot.press(*"sec")
        await pilot.pause()
        await pilot.press("right")  # accept the suggestion from existing tags
        field = app.screen.query_one(Input)
        assert field.value == "security"
        await pilot.press("enter")
        await settle(pilot)
        assert app.store.story(second).tags == ("security",)
        await pilot.press("u")
        await settle(pilot)  # the key's write runs in a worker
        assert app.store.story(second).tags == ()
        assert set(app.store.story(first).tags) == {"security", "Mexico"}


async def test_tag_dialog_escape_writes_nothing(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("t", *"nope", "escape")
        await settle(pilot)
        assert app.store.tags() == []


async def test_T_removes_a_tag(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        first = newest(app.store, 1)[0]
        app.store.add_tags([first], ["alpha", "beta"])
        await pilot.press("T")
        await settle(pilot)  # the key's write runs in a worker
        assert isinstance(app.screen, UntagDialog)
        choices = app.screen.query_one(OptionList)
        choices.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert app.store.story(first).tags == ("alpha",)
        await pilot.press("u")
        await settle(pilot)  # the key's write runs in a worker
        assert app.store.story(first).tags == ("alpha", "beta")


async def test_N_edits_the_note(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        first = newest(app.store, 1)[0]
        await pilot.press("N")
        await settle(pilot)  # the key's write runs in a worker
        assert isinstance(app.screen, NoteDialog)
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"call back Monday", "ctrl+s")
        await settle(pilot)
        assert app.store.story(first).note == "call back Monday"
        await pilot.press("u")
        await settle(pilot)  # the key's write runs in a worker
        assert app.store.story(first).note == ""


async def test_x_archives_and_hides_from_unread(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        desk = app.desk
        desk.set_view(
            next(v for v in desk.query_one("SidePanel").views.values() if v.key == "view:unread")
        )
        before = desk.pager.count
        first = desk.story_list.current_story.id
        await pilot.press("x")
        await settle(pilot)  # the key's write runs in a worker
        assert app.store.story(first).archived
        assert desk.pager.count == before - 1
        assert desk.story_list.current_story.id != first
        await pilot.press("u")
        await settle(pilot)  # the key's write runs in a worker
        assert not app.store.story(first).archived
        assert desk.pager.count == before


async def test_n_and_p_jump_between_unread_stories(desk_runtime: Any, make_desk: Any) -> None:
    """n starts at the cursor: on a fresh desk the unread story under it opens first."""
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        ids = newest(app.store, 5)
        app.store.set_read([ids[1], ids[2]], True)
        app.desk.reload()
        await pilot.press("n")
        await settle(pilot)
        assert app.desk.story_list.cursor == 0
        assert app.desk.story_view.story.id == ids[0]
        assert app.store.story(ids[0]).read
        await pilot.press("n")
        await settle(pilot)
        assert app.desk.story_list.cursor == 3
        assert app.desk.story_view.story.id == ids[3]
        assert app.store.story(ids[3]).read
        await pilot.press("p")  # rows 0-2 are read now: p wraps to the oldest unread story
        await settle(pilot)
        last = app.desk.pager.count - 1
        assert app.desk.story_list.cursor == last
        assert app.store.story(app.desk.story_view.story.id).read
        assert any("wrapped to the bottom" in n.message for n in app.notices)


async def test_n_at_the_last_unread_story_wraps_to_the_top_and_says_so(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        ids = newest(app.store, 100)
        app.store.set_read(ids[:-1], True)  # only the oldest … and the first are unread
        app.store.set_read([ids[0]], False)
        app.desk.reload()
        await pilot.press("G")
        assert app.desk.story_list.cursor == len(ids) - 1
        await pilot.press("n")  # the unread story under the cursor
        await settle(pilot)
        assert app.desk.story_view.story.id == ids[-1]
        assert app.store.story(ids[-1]).read
        await pilot.press("n")  # none below: wraps to the top
        await settle(pilot)
        assert app.desk.story_list.cursor == 0
        assert app.store.story(ids[0]).read
        assert any("wrapped to the top" in n.message for n in app.notices)
        await pilot.press("n")
        await settle(pilot)
        assert any(n.message == "No unread stories in this view." for n in app.notices)


async def test_slash_searches_as_you_type_and_escape_clears(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"Dreamli")
        await settle(pilot)  # results are counted and loaded in a worker
        expected = app.store.count_stories(StoryFilter(query="Dreamli"))
        assert expected >= 1
        assert app.desk.pager.count == expected
        assert "Dreamliner" in app.desk.story_list.current_story.title
        await pilot.press("enter")
        assert app.focused is app.desk.story_list
        await pilot.press("escape")
        await settle(pilot)  # the list is read again in a worker
        assert app.desk.pager.count == app.store.count_stories()


async def test_f_filters_by_saved(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = newest(app.store, 4)
        app.store.set_saved([ids[3]], True)
        await pilot.press("f")
        app.screen.query_one("#filter-saved").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.desk.pager.count == 1
        assert app.desk.story_list.current_story.id == ids[3]


async def test_o_opens_and_y_copies_the_link(
    desk_runtime: Any, make_desk: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {opened}\n', encoding="utf-8")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", f"{browser} %s")
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        url = app.desk.story_list.current_story.url
        assert url.startswith("http")
        await pilot.press("o")
        await settle(pilot)
        assert opened.read_text(encoding="utf-8").splitlines() == [url]
        assert any("Opened the link" in n.message for n in app.notices)
        await pilot.press("y")
        assert app.clipboard == url


async def test_o_without_any_browser_says_so(
    desk_runtime: Any, make_desk: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A configured browser that does not exist: a clear error, not silence."""
    Path(desk_runtime.config_file).write_text(
        'browser = "no-such-browser-here %s"\n', encoding="utf-8"
    )
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "o")  # (the first story, the seed, has no link)
        await settle(pilot)
        errors = [n.message for n in app.notices if n.severity == "error"]
        assert any(
            "No browser opened the link" in m and "no-such-browser-here" in m for m in errors
        )


async def test_help_lists_remapped_keys(desk_runtime: Any, make_desk: Any) -> None:
    Path(desk_runtime.config_file).write_text('[keys]\n"desk.save" = "S"\n', encoding="utf-8")
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        first = newest(app.store, 1)[0]
        await pilot.press("s")
        await settle(pilot)  # the key's write runs in a worker
        assert not app.store.story(first).saved
        await pilot.press("S")
        await settle(pilot)  # the key's write runs in a worker
        assert app.store.story(first).saved
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.keymap.get("desk.save") == "S"
        await pilot.press("escape")
        assert app.screen is app.desk


async def test_ctrl_p_palette_and_q_quits(desk_runtime: Any, make_desk: Any) -> None:
    from textual.command import CommandPalette

    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Save", "enter")
        await settle(pilot)
        assert app.store.story(newest(app.store, 1)[0]).saved
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_theme_choice_is_saved_to_the_config(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
        await pilot.pause()
    assert 'theme = "nord"' in Path(desk_runtime.config_file).read_text(encoding="utf-8")


async def test_filter_dialog_shows_feed_names_literally(desk_runtime: Any, make_desk: Any) -> None:
    from textual.widgets import Select

    app = make_desk(desk_runtime)
    source = app.store.add_source("http://127.0.0.1:9/x.xml", title="[b]Wire[/b] [red]x")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        select = app.screen.query_one("#filter-source", Select)
        select.value = source.id
        await pilot.pause()
        assert "[b]Wire[/b] [red]x" in str(select.query_one("SelectCurrent #label").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.desk.base_filter.source_id == source.id


async def test_h_and_l_move_focus_between_list_and_story(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("enter", "l")
        assert app.focused is app.desk.story_view
        await pilot.press("h")
        assert app.focused is app.desk.story_list


async def test_unknown_binding_ids_in_the_config_are_reported(
    desk_runtime: Any, make_desk: Any
) -> None:
    """An unknown id stops the desk with file, line and key; a valid remap works."""
    from tui.config import ConfigError

    config = Path(desk_runtime.config_file)
    config.write_text('[keys]\n"desk.sav" = "S"\n"desk.down" = "j,down,ctrl+n"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.toml:2: keys.desk.sav: unknown binding id"):
        make_desk(desk_runtime)
    config.write_text('[keys]\n"desk.down" = "j,down,ctrl+n"\n', encoding="utf-8")
    restarted = Runtime(db_path=desk_runtime.db_path, config_file=desk_runtime.config_file)
    app = make_desk(restarted)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert not [n for n in app.notices if n.severity == "warning"]
        await pilot.press("ctrl+n")
        assert app.desk.story_list.cursor == 1


async def test_backslash_shows_the_sources_pane_on_narrow_terminals(
    desk_runtime: Any, make_desk: Any
) -> None:
    from tui.widgets.side_panel import SidePanel

    app = make_desk(desk_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        side = app.desk.query_one(SidePanel)
        assert side.region.width == 0  # hidden: the story gets the room
        await pilot.press("backslash")
        await pilot.pause()
        assert side.region.width > 0 and app.focused is side
        side.highlighted = side.get_option_index("view:saved")
        await pilot.press("enter")
        await pilot.pause()
        assert app.desk.base_filter.saved
        assert side.region.width == 0 and app.focused is app.desk.story_list
    wide = make_desk(desk_runtime)
    async with wide.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        side = wide.desk.query_one(SidePanel)
        assert side.region.width > 0
        await pilot.press("backslash")
        await pilot.pause()
        assert side.region.width == 0


async def test_click_moves_the_cursor_and_double_click_opens(
    desk_runtime: Any, make_desk: Any
) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        stories = app.desk.story_list
        await pilot.click(StoryList, offset=(10, 3))
        assert stories.cursor == 3
        await pilot.click(StoryList, offset=(10, 4), times=2)
        await settle(pilot)
        assert stories.cursor == 4
        assert app.desk.story_view.story.id == stories.current_story.id


async def test_tag_dialog_down_picks_from_existing_tags(desk_runtime: Any, make_desk: Any) -> None:
    app = make_desk(desk_runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        first, second = newest(app.store, 2)
        app.store.add_tags([second], ["security", "seguridad", "mexico"])
        await pilot.press("t")
        await settle(pilot)  # the dialog reads the desk's tags in a worker
        await pilot.press(*"seg", "down")
        assert isinstance(app.focused, OptionList)
        await pilot.press("enter")
        field = app.screen.query_one(Input)
        assert field.value == "seguridad, " and app.focused is field
        await pilot.press(*"usa", "enter")
        await settle(pilot)
        assert app.store.story(first).tags == ("seguridad", "usa")
