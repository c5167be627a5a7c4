"""Reliability, items 6 and 7 of issue 15: a locked or read-only database, and big stories.

Real SQLite files locked by a second connection (a real write lock on the
file, as another process takes it), the real desk driven by Pilot, and bounded
waits everywhere.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import REPO
from tests.support.pilot import settle
from tui.analysis.actors.finder import find_actors
from tui.analysis.commitments import detect
from tui.analysis.dates import find_dates
from tui.analysis.segment import segment
from tui.config import LimitsConfig
from tui.runtime import Runtime
from tui.store import Store, StoreReadOnly, StoryFilter, StoryIn
from tui.store.database import connect_read_only
from tui.store.write_queue import WriteQueue
from tui.text_limits import configure, limits

# -- item 6: locked and read-only databases ----------------------------------------------------------


class Locker:
    """Holds the database's write lock from another connection until released."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=5)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")
        self.conn.close()


def _seed(store: Store, n: int = 3) -> list[int]:
    source = store.add_source("https://e.org/feed", kind="feed", title="Feed")
    stories = [
        StoryIn(title=f"Story {i}", text=f"Text {i}.", guid=f"https://e.org/{i}") for i in range(n)
    ]
    return [story_id for story_id, _ in store.upsert_stories(source.id, stories)]


def test_a_locked_database_keeps_writes_in_order_and_never_blocks(
    store: Store, db_path: Path
) -> None:
    ids = _seed(store)
    events: list[str] = []
    queue = WriteQueue(store, on_event=lambda e, item, n: events.append(e), delays=(0.05, 0.1))
    lock = Locker(db_path)
    try:
        started = time.monotonic()
        first = queue.submit("save", lambda: store.set_saved(ids[:1], True))
        second = queue.submit("tag", lambda: store.add_tags(ids[:1], ["later"]))
        third = queue.submit("unsave", lambda: store.set_saved(ids[:1], False))
        assert time.monotonic() - started < 1.0  # no 10 s busy wait
        assert not first.done.is_set() and "busy" in first.error
        assert [i.label for i in queue.pending] == ["save", "tag", "unsave"]
        assert store.list_stories(StoryFilter(ids=(ids[0],)), limit=1)[0].saved is False
        time.sleep(0.4)  # retries while locked, the desk would say so
        assert "failed" in events
    finally:
        lock.release()
    assert third.done.wait(5) and first.done.is_set() and second.done.is_set()
    story = store.story(ids[0])
    assert (story.saved, story.tags) == (False, ("later",))  # applied in order
    assert queue.pending == [] and events[-1] == "saved"
    assert queue.close() == []


def test_a_write_that_cannot_succeed_is_handed_back(store: Store) -> None:
    from tui.store import NotFoundError

    queue = WriteQueue(store)
    item = queue.submit("note", lambda: store.set_note(999, "x"))
    assert item.done.is_set() and isinstance(item.exception, NotFoundError)


async def test_desk_keys_on_a_locked_database_keep_the_action_and_the_ui(
    tmp_path: Path, make_desk: Any
) -> None:
    runtime = Runtime(db_path=tmp_path / "desk.db", config_file=tmp_path / "config.toml")
    with Store.open(runtime.db_path) as seeding:
        ids = _seed(seeding)
    app = make_desk(runtime)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        lock = Locker(runtime.db_path)
        try:
            started = time.monotonic()
            await pilot.press("s")
            await pilot.press("j")  # the UI still answers
            assert time.monotonic() - started < 3.0
            notes = [n.message for n in app.notices]
            assert any("Not saved yet" in m and "kept" in m for m in notes), notes
            assert len(app.desk.writes.pending) == 1
        finally:
            lock.release()
        for _ in range(100):
            await pilot.pause(0.05)
            if not app.desk.writes.pending:
                break
        assert app.store.story(ids[-1]).saved or app.store.story(ids[0]).saved
    assert app.unsaved == []


async def test_a_read_only_desk_says_so_and_keeps_changes(tmp_path: Path, make_desk: Any) -> None:
    db = tmp_path / "desk.db"
    with Store.open(db) as seeding:
        _seed(seeding)
    store = Store(connect_read_only(db), db, read_only=True)
    runtime = Runtime(db_path=db, config_file=tmp_path / "config.toml")
    app = make_desk(runtime, store=store)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        notes = [n.message for n in app.notices]
        assert any("read-only" in m for m in notes), notes
        assert [i.label for i in app.desk.writes.pending] == ["saved"]
    assert app.unsaved == ["saved"]  # reported after the desk closes, not lost silently
    store.close()


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder holding a WAL database that cannot be written (permissions, or a ro mount as root)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        with Store.open(folder / "d.db") as store:
            _seed(store)
        (folder / "d.db").chmod(0o444)
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("root without a way to make a read-only folder")
    try:
        with Store.open(folder / "d.db") as store:
            _seed(store)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_list_works_in_a_read_only_folder(read_only_folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(read_only_folder / "d.db"), "list"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Story 2" in done.stdout
    with Store.open(read_only_folder / "d.db") as store:
        assert store.read_only
        with pytest.raises(StoreReadOnly):
            store.set_saved([1], True)


# -- item 7: big stories -----------------------------------------------------------------------------

PARAGRAPH = (
    "The minister Ana Pérez said on Monday that the government will build a new bridge in "
    "Madrid by March 2027. Officials from the European Commission promised to fund half of the "
    "project, and the mayor, Luis García, pledged to hold a vote next week."
)


class CountingList(list):  # type: ignore[type-arg]
    """A list that counts how often it is walked through."""

    walks = 0

    def __iter__(self) -> Iterator[Any]:
        CountingList.walks += 1
        return super().__iter__()


def test_commitments_do_not_scan_every_actor_per_commitment() -> None:
    text = "\n\n".join(PARAGRAPH for _ in range(150))
    doc = segment(text, "en")
    actors = find_actors(doc)
    dates = find_dates(doc, dt.date(2026, 1, 5), True)
    CountingList.walks = 0
    found = detect.find_commitments(doc, CountingList(actors), CountingList(dates))
    assert len(found) >= 150
    # The index walks them once each; the old code walked both once per commitment.
    assert CountingList.walks <= 6


def test_analysis_is_capped_and_linear_enough_for_a_big_story(store: Store) -> None:
    from tui.story_analysis import analysis_for, analysis_is_cut, analysis_text

    source = store.add_source("https://e.org/f", kind="feed")
    big = "\n\n".join(PARAGRAPH for _ in range(12_000))  # ~3 MB
    ((story_id, _),) = store.upsert_stories(
        source.id, [StoryIn(title="Big", text=big, guid="https://e.org/big")]
    )
    story = store.story(story_id)
    assert len(analysis_text(story)) <= limits().analysis_chars and analysis_is_cut(story)
    started = time.monotonic()
    analysis_for(store, story)
    assert time.monotonic() - started < 30  # the cap: ~100k characters, whatever the story


def test_limits_come_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[limits]\nanalysis_chars = 5000\ndisplay_chars = 9000\n")
    try:
        runtime = Runtime(db_path=tmp_path / "d.db", config_file=config)
        assert runtime.config.limits == LimitsConfig(5000, 9000)
        assert limits() == LimitsConfig(5000, 9000)
    finally:
        configure(LimitsConfig())


async def test_a_huge_story_opens_says_it_is_cut_and_q_quits(
    tmp_path: Path, make_desk: Any
) -> None:
    runtime = Runtime(db_path=tmp_path / "desk.db", config_file=tmp_path / "config.toml")
    huge = "\n\n".join(PARAGRAPH for _ in range(8_000))  # ~2 MB
    with Store.open(runtime.db_path) as seeding:
        source = seeding.add_source("https://e.org/f", kind="feed")
        seeding.upsert_stories(
            source.id, [StoryIn(title="Huge", text=huge, guid="https://e.org/h")]
        )
    app = make_desk(runtime)
    started = time.monotonic()
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        shown = app.desk.story_view.story
        assert len(shown.text) < limits().display_chars + 500
        assert "[Text cut: showing the first" in shown.text
        await pilot.press("q")
        await pilot.pause()
    assert time.monotonic() - started < 60
    assert app.return_code in (0, None)


def test_export_of_a_huge_story_finishes(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    with Store.open(db) as store:
        source = store.add_source("https://e.org/f", kind="feed")
        huge = "\n\n".join(PARAGRAPH for _ in range(8_000))
        store.upsert_stories(source.id, [StoryIn(title="Huge", text=huge, guid="https://e.org/h")])
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), "export", "--format", "json"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"title":"Huge"' in done.stdout


def test_a_read_only_store_stays_read_only_in_every_thread(tmp_path: Path) -> None:
    """Each thread opens its own connection: a read-only desk's must be read-only too
    (a retry thread once wrote through a fresh, writable connection)."""
    import threading

    db = tmp_path / "desk.db"
    with Store.open(db) as seeding:
        _seed(seeding)
    store = Store(connect_read_only(db), db, read_only=True)
    outcome: list[BaseException] = []

    def write() -> None:
        try:
            store.set_saved([1], True)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(10)
    store.close()
    assert len(outcome) == 1 and isinstance(outcome[0], StoreReadOnly)
