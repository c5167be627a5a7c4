"""Reliability, item 10 of issue 15 and what held: kill -9 during a fetch, concurrent writers.

Real ``newsdesk fetch`` processes killed with SIGKILL; every wait is bounded.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.http_server import LoopbackServer, rss
from tests.support.paths import REPO
from tests.support.processes import alive, descendants
from tui.sources.parse_pool import process_alive
from tui.store import Store, StoryFilter

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def _feeds(server: LoopbackServer, count: int, stalled: int) -> list[str]:
    urls = []
    for i in range(count):
        path = f"/f{i}"
        if i < stalled:
            server.routes[path] = lambda h: server.stop.wait(30)  # never answers
        else:
            items = [(f"https://e.org/{i}/{j}", f"https://e.org/{i}/{j}", f"Story {i}.{j}",
                      f"Text {i} {j}.") for j in range(5)]  # fmt: skip
            server.feed(path, rss(f"Feed {i}", items))
        urls.append(server.url(path))
    return urls


def _start_fetch(db: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\nread_timeout = 60.0\ntotal_timeout = 120.0\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSDESK_CONFIG": str(config)}
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", str(db), "fetch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def _wait(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@needs_proc
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the parser pool needs two CPUs")
def test_kill_9_during_fetch_leaves_no_orphans_and_an_intact_database(
    server: LoopbackServer, tmp_path: Path
) -> None:
    db = tmp_path / "d.db"
    urls = _feeds(server, 16, stalled=2)
    with Store.open(db) as store:
        for url in urls:
            store.add_source(url, kind="feed")
        kept = store.add_source("https://e.org/kept", kind="file")
        ((story_id, _),) = store.upsert_stories(kept.id, [_story()])
        store.add_tags([story_id], ["keep"])
        store.set_note(story_id, "my note")
        store.set_saved([story_id], True)
    fetch = _start_fetch(db, tmp_path)
    try:
        # Wait for the parser pool (fork server, workers, resource tracker) and some stories.
        assert _wait(lambda: len(descendants(fetch.pid)) >= 3 and _stored(db) >= 10, 40)
        time.sleep(0.3)
        family = descendants(fetch.pid)
    finally:
        fetch.send_signal(signal.SIGKILL)
        fetch.wait(10)
    assert _wait(lambda: not alive(family), 8), f"orphans left: {sorted(alive(family))}"
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    with Store.open(db) as store:
        story = store.story(story_id)
        assert (story.tags, story.note, story.saved) == (("keep",), "my note", True)
        assert store.count_stories() >= 10


def _story():  # type: ignore[no-untyped-def]
    from tui.store import StoryIn

    return StoryIn(title="Mine", text="My own text.", guid="/home/me/mine.md")


def _stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM stories").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_process_alive_sees_zombies_as_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    assert _wait(lambda: not process_alive(child.pid), 10)  # exited, not yet reaped
    child.wait(5)
    assert process_alive(os.getpid())


_WRITER = """
import sys
from tui.store import Store
db, story_id, name, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
with Store.open(db) as store:
    for i in range(count):
        store.add_tags([story_id], [f"{name}{i}"])
        store.set_note(story_id, f"{name} {i}")
"""


def test_concurrent_writers_lose_nothing(server: LoopbackServer, tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    urls = _feeds(server, 6, stalled=0)
    with Store.open(db) as store:
        source = store.add_source("https://e.org/mine", kind="file")
        ((story_id, _),) = store.upsert_stories(source.id, [_story()])
        for url in urls:
            store.add_source(url, kind="feed")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db), str(story_id), name, "40"], env=env
        )
        for name in ("a", "b")
    ]
    fetch = _start_fetch(db, tmp_path)
    try:
        assert all(w.wait(60) == 0 for w in writers)
        assert fetch.wait(60) == 0
    finally:
        for proc in (*writers, fetch):
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
    with Store.open(db) as store:
        story = store.story(story_id)
        assert {t for t in story.tags} == {f"{n}{i}" for n in "ab" for i in range(40)}
        assert story.note in ("a 39", "b 39")
        assert store.count_stories(StoryFilter()) == 1 + 6 * 5


_DESK_KEY = """
import asyncio, sys
from tui.app import NewsDeskApp
from tui.runtime import Runtime
from pathlib import Path

async def main() -> None:
    runtime = Runtime(db_path=Path(sys.argv[1]), config_file=Path(sys.argv[2]))
    app = NewsDeskApp(runtime, background_analysis=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*sys.argv[3:])
        await pilot.pause()
        print("pressed", flush=True)
        await asyncio.sleep(60)

asyncio.run(main())
"""


def test_kill_9_right_after_a_key_keeps_what_the_key_did(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    with Store.open(db) as store:
        source = store.add_source("https://e.org/kept", kind="file")
        ((story_id, _),) = store.upsert_stories(source.id, [_story()])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    desk = subprocess.Popen(
        [sys.executable, "-c", _DESK_KEY, str(db), str(tmp_path / "c.toml"), "s"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert desk.stdout is not None
        line = desk.stdout.readline()  # blocks until the key was handled (or the desk died)
        assert line.strip() == "pressed", desk.stderr.read() if desk.stderr else ""
    finally:
        desk.send_signal(signal.SIGKILL)
        desk.wait(10)
    with Store.open(db) as store:
        assert store.story(story_id).saved
