"""Migrations from older files, and durability when a writer is killed mid-write."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.support.paths import REPO
from tui.store import SCHEMA_VERSION, Store, StoryFilter
from tui.store.schema import MIGRATIONS


def _make_v1_file(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO sources (id, kind, url, title, created) "
        "VALUES (1, 'feed', 'https://old.example/feed', 'Old', '2025-01-01T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO stories (id, uid, source_id, guid, title, text, published, fetched, "
        "content_hash, read, saved) VALUES (7, 'u7', 1, 'g7', 'Old story', 'kept text', "
        "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'h', 1, 1)"
    )
    conn.execute("INSERT INTO tags (id, name) VALUES (1, 'legacy')")
    conn.execute("INSERT INTO story_tags VALUES (7, 1)")
    conn.execute("COMMIT")
    conn.close()


def test_opening_a_v1_file_migrates_forward_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _make_v1_file(path)
    with Store.open(path) as store:
        version = store._conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION > 1
        story = store.story(7)
        assert (story.title, story.text, story.read, story.saved, story.tags) == (
            "Old story", "kept text", True, True, ("legacy",),
        )  # fmt: skip
        assert not story.archived  # column added by v2 with its default
        # v2 back-fills the story→source link used by the per-source view.
        assert store.count_stories(StoryFilter(source_id=1)) == 1
        assert store.list_stories(StoryFilter(query="kept"))[0].id == 7
    # Opening again is a no-op.
    with Store.open(path) as store:
        assert store.count_stories() == 1


_WRITER = r"""
import sys
from tui.store import Store, StoryIn
store = Store.open(sys.argv[1])
[(sid, _)] = store.upsert_stories(None, [StoryIn(title="t", text="x", guid="g")])
n = 0
while True:
    n += 1
    store.add_tags([sid], [f"tag-{n}"])
    print(n, flush=True)  # acknowledged only after the transaction committed
"""


def test_killed_writer_leaves_a_valid_file_with_every_committed_tag(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout is not None
    acknowledged = 0
    deadline = time.monotonic() + 30
    while acknowledged < 200 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acknowledged = int(line)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert acknowledged >= 200, "the writer never got going"

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store.open(path) as store:
        tags = {name for name, _ in store.tags()}
    missing = [n for n in range(1, acknowledged + 1) if f"tag-{n}" not in tags]
    assert missing == []
