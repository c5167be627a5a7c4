"""Who tagged or noted a story, and when, on SQLite as on a shared desk (schema v4).

A SQLite desk signs with its one user (``[store] user``, else the login name),
the desk shows "#tag by ann" on either backend, ``db copy`` carries the names
both ways, and a file from before v4 opens with its tags unsigned.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tui.store import SCHEMA_VERSION, Store, StoryIn
from tui.store.schema import MIGRATIONS


def _stories(store: Store) -> list[int]:
    return [
        i
        for i, _ in store.upsert_stories(
            None, [StoryIn(title=f"Story {n}", text=f"text {n}", guid=f"g-{n}") for n in range(3)]
        )
    ]


def test_sqlite_tags_and_notes_are_signed_by_the_desks_user(tmp_path: Path) -> None:
    with Store.open(tmp_path / "desk.db", user="ann") as store:
        first, second, _ = _stories(store)
        store.add_tags([first, second], ["Mexico"])
        store.set_note(first, "check the date")
        credits = store.story_credits(first)
        assert [(what, name, who) for what, name, who, _ in credits] == [
            ("tag", "Mexico", "ann"),
            ("note", "", "ann"),
        ]
        assert all(when.endswith("Z") and len(when) == 20 for *_, when in credits)
        assert store.story_credits(2 + first + 1000) == []
    with Store.open(tmp_path / "desk.db", user="bob") as store:
        store.add_tags([first], ["mexico", "Border"])  # Mexico is there: it keeps ann's name
        assert [(name, who) for _, name, who, _ in store.story_credits(first) if name] == [
            ("Border", "bob"),
            ("Mexico", "ann"),
        ]


def _make_v3_file(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    for migration in MIGRATIONS[:3]:
        migration(conn)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO stories (id, uid, guid, title, text, published, fetched, content_hash, note) "
        "VALUES (7, 'u7', 'g7', 'Old story', 'kept text', '2025-01-01T00:00:00Z', "
        "'2025-01-01T00:00:00Z', 'h', 'an old note')"
    )
    conn.execute("INSERT INTO tags (id, name) VALUES (1, 'legacy')")
    conn.execute("INSERT INTO story_tags VALUES (7, 1)")
    conn.execute("COMMIT")
    conn.close()


def test_a_v3_file_opens_with_its_tags_and_notes_unsigned_and_signs_new_ones(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v3.db"
    _make_v3_file(path)
    with Store.open(path, user="ann") as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
        story = store.story(7)
        assert (story.tags, story.note) == (("legacy",), "an old note")
        assert store.story_credits(7) == [("tag", "legacy", "", ""), ("note", "", "", "")]
        store.add_tags([7], ["new"])
        assert [(n, who) for _, n, who, _ in store.story_credits(7)][:2] == [
            ("legacy", ""),
            ("new", "ann"),
        ]


def test_db_copy_carries_the_names_from_sqlite_to_postgresql_and_back(
    tmp_path: Path, pg_url: str
) -> None:
    from tui.store.copy import copy_desk
    from tui.store.postgres import PgStore

    def signed(store: Any, story_id: int) -> list[tuple[str, str, str, str]]:
        return list(store.story_credits(story_id))

    with Store.open(tmp_path / "desk.db", user="ann") as original:
        first, second, _ = _stories(original)
        original.add_tags([first], ["Mexico"])
        original.set_note(second, "call back")
        expected = {i: signed(original, i) for i in (first, second)}
        assert expected[first][0][2] == "ann" and expected[second][0][2] == "ann"
        with PgStore.open(pg_url, user="bob") as shared:
            copy_desk(original, shared)
            assert {i: signed(shared, i) for i in (first, second)} == expected
            shared.add_tags([second], ["late"])  # bob, on the shared desk
            with Store.open(tmp_path / "back.db", user="ann") as back:
                copy_desk(shared, back)
                assert signed(back, first) == expected[first]
                assert [(n, who) for _, n, who, _ in signed(back, second)] == [
                    ("late", "bob"),
                    ("", "ann"),
                ]


async def test_a_sqlite_desk_shows_who_tagged_the_open_story(
    desk_runtime: Any, make_desk: Any
) -> None:
    from textual.widgets import Static

    from tests.support.pilot import settle

    desk_runtime.config_file.write_text('[store]\nuser = "ann"\n')
    app = make_desk(desk_runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t", *"scoop", "enter")
        await settle(pilot)
        shown = app.desk.story_view.story
        assert shown is not None and app.store.story(shown.id).tags == ("scoop",)
        header = app.desk.story_view.query_one("#story-header", Static)
        assert "#scoop by ann" in str(header.render())
