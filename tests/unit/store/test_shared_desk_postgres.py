"""The shared desk on PostgreSQL: users, live changes, one fetch per feed, bad input, copying.

The store's behaviour common to both backends is tested in ``test_store.py``
(parametrised); this file holds what only a server-backed, multi-user desk has.
All against a real PostgreSQL the session starts (see ``tests.support.postgres``).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import REPO
from tests.support.pilot import settle
from tui.store import (
    Store,
    StoreError,
    StoreUnavailable,
    StoryFilter,
    StoryIn,
)

pytest.importorskip("psycopg")
from tui.store.postgres import PgStore


def _story(n: int, **kw: Any) -> StoryIn:
    base: dict[str, Any] = {
        "title": f"Story {n}",
        "text": f"Body of story number {n}.",
        "guid": f"guid-{n}",
        "published": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n),
    }
    base.update(kw)
    return StoryIn(**base)


@pytest.fixture
def ann(pg_url: str) -> Iterator[PgStore]:
    with PgStore.open(pg_url, user="ann") as store:
        yield store


@pytest.fixture
def bob(pg_url: str, ann: PgStore) -> Iterator[PgStore]:
    with PgStore.open(pg_url, user="bob") as store:
        yield store


def test_read_saved_archived_are_per_user_tags_and_notes_shared_and_signed(
    ann: PgStore, bob: PgStore
) -> None:
    ids = [i for i, _ in ann.upsert_stories(None, [_story(n) for n in range(3)])]
    ann.set_read(ids[:2])
    ann.set_saved([ids[0]])
    ann.set_archived([ids[2]])
    assert ann.counts() == {"total": 3, "unread": 0, "saved": 1}
    assert bob.counts() == {"total": 3, "unread": 3, "saved": 0}
    assert bob.count_stories(StoryFilter(unread=True)) == 3
    assert not bob.story(ids[0]).read and ann.story(ids[0]).read
    bob.add_tags([ids[1]], ["Mexico"])
    bob.set_note(ids[1], "call the embassy")
    seen = ann.story(ids[1])
    assert (seen.tags, seen.note) == (("Mexico",), "call the embassy")
    credits = ann.story_credits(ids[1])
    assert [(what, name, who) for what, name, who, _ in credits] == [
        ("tag", "Mexico", "bob"),
        ("note", "", "bob"),
    ]
    assert all(when.endswith("Z") for *_, when in credits)
    # Undo restores the undoing user's own state and leaves the colleague's alone.
    before = bob.triage_state([ids[0]])
    bob.set_saved([ids[0]])
    bob.restore_triage(before)
    assert not bob.story(ids[0]).saved and ann.story(ids[0]).saved


def test_search_is_accent_insensitive_with_a_prefix_while_typing(ann: PgStore) -> None:
    ann.upsert_stories(None, [_story(1, title="Reunión en Bogotá"), _story(2, title="Weather")])
    assert [s.title for s in ann.list_stories(StoryFilter(query="reunion bogo"))] == [
        "Reunión en Bogotá"
    ]
    assert ann.count_stories(StoryFilter(query="BOGOTA")) == 1
    assert ann.count_stories(StoryFilter(query="'); drop table stories; --")) == 0
    assert ann.count_stories() == 2


def test_a_colleague_sees_a_tag_within_a_second(ann: PgStore, bob: PgStore) -> None:
    [(sid, _)] = ann.upsert_stories(None, [_story(1)])
    heard: list[tuple[str, str, float]] = []
    event = threading.Event()

    def listen(kind: str, user: str) -> None:
        heard.append((kind, user, time.monotonic()))
        if kind == "tags":
            event.set()

    bob.subscribe(listen)
    own: list[str] = []
    ann.subscribe(lambda kind, user: own.append(kind))
    time.sleep(0.5)  # the listeners connect
    started = time.monotonic()
    ann.add_tags([sid], ["urgent"])
    assert event.wait(1.0), heard
    _kind, user, at = next(h for h in heard if h[0] == "tags")
    assert user == "ann" and at - started < 1.0
    assert bob.story(sid).tags == ("urgent",)
    time.sleep(0.3)
    assert own == []  # a desk is not told about its own changes


def test_each_feed_is_claimed_by_one_process_at_a_time(ann: PgStore, bob: PgStore) -> None:
    a = ann.add_source("https://a.example/feed")
    b = ann.add_source("https://b.example/feed")
    with ann.claim_sources([a.id]) as mine:
        assert mine == {a.id}
        with bob.claim_sources([a.id, b.id]) as theirs:
            assert theirs == {b.id}
    with bob.claim_sources([a.id]) as theirs:
        assert theirs == {a.id}  # released when ann's block ended


def test_refresh_skips_feeds_another_process_is_fetching(ann: PgStore, bob: PgStore) -> None:
    from tui.sources.fetch import refresh_sync

    source = ann.add_source("http://127.0.0.1:9/feed")  # never contacted: it is claimed
    with ann.claim_sources([source.id]):
        [result] = refresh_sync(bob)
    assert result.status == "skipped"
    assert result.warnings == ["being fetched by another process"]


def test_wrong_password_missing_database_refused_port_and_bad_url_are_one_clean_line(
    pg_server: Any, pg_url: str
) -> None:
    from tests.support.postgres import PASSWORD

    wrong = pg_server.url("postgres", password="not-the-password")
    missing = pg_server.url("no_such_desk")
    with socket_port() as port:
        refused = f"postgresql://newsdesk:{PASSWORD}@127.0.0.1:{port}/desk"
    cases = {
        "wrong password": (wrong, "password authentication failed"),
        "missing database": (missing, "no_such_desk"),
        "refused": (refused, "refused"),
        "bad url": (f"postgresql://newsdesk:{PASSWORD}@127.0.0.1:notaport/x", "port"),
    }
    for name, (url, expected) in cases.items():
        with pytest.raises(StoreError) as caught:
            PgStore.open(url, user="ann")
        message = str(caught.value)
        assert expected in message, (name, message)
        assert PASSWORD not in message and "not-the-password" not in message, name
        assert "\n" not in message, name


class socket_port:
    """A port nothing listens on (bound, then released)."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        return None


def test_cli_errors_never_print_the_password(pg_server: Any, tmp_path: Path) -> None:
    from tests.support.postgres import PASSWORD

    url = pg_server.url("no_such_desk")
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", url, "list"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert done.returncode == 1
    assert PASSWORD not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsdesk: error:"), done.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "tui", "--db", url, "config", "path"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert "newsdesk:***@127.0.0.1" in shown.stdout and PASSWORD not in shown.stdout


def test_server_gone_mid_session_is_one_line_and_the_store_reconnects(
    pg_server: Any, ann: PgStore
) -> None:
    [(sid, _)] = ann.upsert_stories(None, [_story(1)])
    ann.add_tags([sid], ["kept"])
    pg_server.stop("fast")
    try:
        with pytest.raises(StoreUnavailable) as caught:
            ann.add_tags([sid], ["while away"])
        assert "\n" not in str(caught.value)
    finally:
        pg_server.start()
    deadline = time.monotonic() + 20
    while True:
        try:
            ann.add_tags([sid], ["back"])
            break
        except StoreUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    assert ann.story(sid).tags == ("back", "kept")


def test_db_copy_sqlite_to_postgresql_and_back_keeps_everything(
    tmp_path: Path, pg_url: str
) -> None:
    from tui.samples import load_samples
    from tui.store.copy import copy_desk

    with Store.open(tmp_path / "desk.db") as original:
        load_samples(original)
        ids = [s.id for s in original.list_stories(limit=5)]
        original.add_tags(ids[:2], ["Mexico"])
        original.set_note(ids[0], "check the date")
        original.set_read(ids[:3])
        original.set_saved([ids[1]])
        original.set_archived([ids[4]])
        original.save_analysis(
            ids[0], "v1", {"language": "es", "actors": [{"name": "Rubio", "kind": "person"}],
                           "dates": [], "commitments": []},
        )  # fmt: skip
        before = [(s.id, s.title, s.tags, s.read, s.saved, s.archived, s.note)
                  for s in original.list_stories(limit=100, with_text=True)]  # fmt: skip
        with PgStore.open(pg_url, user="ann") as shared:
            copy_desk(original, shared)
            middle = [(s.id, s.title, s.tags, s.read, s.saved, s.archived, s.note)
                      for s in shared.list_stories(limit=100, with_text=True)]  # fmt: skip
            assert middle == before
            assert shared.actors() == original.actors()
            assert shared.cached_analysis(ids[0], "v1") == original.cached_analysis(ids[0], "v1")
            assert shared.counts() == original.counts()
            assert shared.unread_by_source() == original.unread_by_source()
            assert shared.list_stories(
                StoryFilter(query="seguridad")
            )  # the copied text is searchable
            [(new_id, status)] = shared.upsert_stories(None, [_story(99)])
            assert status == "new" and new_id > max(ids)  # sequences moved past copied ids
            with Store.open(tmp_path / "back.db") as back:
                copy_desk(shared, back)
                after = [(s.id, s.title, s.tags, s.read, s.saved, s.archived, s.note)
                         for s in back.list_stories(limit=100, with_text=True)
                         if s.id != new_id]  # fmt: skip
                assert after == before
                assert back.unread_by_source() == {
                    k: v + (1 if k is None else 0) for k, v in original.unread_by_source().items()
                }


def test_db_copy_refuses_a_destination_that_is_not_empty(tmp_path: Path, ann: PgStore) -> None:
    from tui.store.copy import copy_desk

    ann.upsert_stories(None, [_story(1)])
    with Store.open(tmp_path / "src.db") as src:
        src.upsert_stories(None, [_story(2)])
        with pytest.raises(StoreError, match="not empty"):
            copy_desk(src, ann)
    assert ann.count_stories() == 1


def test_db_copy_command(tmp_path: Path, pg_url: str) -> None:
    with Store.open(tmp_path / "desk.db") as original:
        original.upsert_stories(None, [_story(n) for n in range(30)])
    result = subprocess.run(
        [sys.executable, "-m", "tui", "db", "copy", str(tmp_path / "desk.db"), pg_url],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "30 stories" in result.stdout and "s3cret" not in result.stdout
    with PgStore.open(pg_url, user="x") as shared:
        assert shared.count_stories() == 30


_TRIAGER = r"""
import sys
from tui.store.postgres import PgStore
url, who, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
store = PgStore.open(url, user=who)
ids = [s.id for s in store.list_stories(limit=1000)]
for n, story_id in enumerate(ids[first:last]):
    store.add_tags([story_id], [f"{who}-{n}"])
    store.set_note(story_id, f"{who} was here {n}")
    store.set_archived([story_id])
    store.set_saved([ids[n]])  # the same stories for every triager: contended rows
    print(story_id, n, flush=True)  # acknowledged only after the transactions committed
store.close()
"""

_FETCHER = r"""
import sys, datetime as dt
from tui.store import StoryIn
from tui.store.postgres import PgStore
store = PgStore.open(sys.argv[1], user="fetcher")
source = store.add_source("https://wire.example/feed", title="Wire")
n = 0
while True:
    batch = [StoryIn(title=f"Wire {n}-{i}", text=f"wire text {n} {i}", guid=f"wire-{n}-{i}")
             for i in range(20)]
    store.ingest(source.id, batch, tags=["wire"])
    print(n, flush=True)
    n += 1
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_five_triaging_processes_and_a_fetcher_lose_no_acknowledged_change(
    pg_url: str, ann: PgStore
) -> None:
    ann.upsert_stories(None, [_story(n) for n in range(100)])
    fetcher = _spawn(_FETCHER, pg_url)
    assert fetcher.stdout is not None
    fetched = [fetcher.stdout.readline()]  # writing before the triagers start
    users = [f"user{k}" for k in range(5)]
    triagers = [_spawn(_TRIAGER, pg_url, who, str(k * 20), str(k * 20 + 20))
                for k, who in enumerate(users)]  # fmt: skip
    acked: dict[str, list[tuple[int, int]]] = {}
    for who, proc in zip(users, triagers, strict=True):
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        acked[who] = [(int(a), int(b)) for a, b in (line.split() for line in out.splitlines())]
    os.kill(fetcher.pid, signal.SIGKILL)  # mid-refresh
    rest, _ = fetcher.communicate()
    fetched += rest.splitlines()
    committed_rounds = [int(x) for x in fetched if x.strip()]
    stores = {who: PgStore.open(pg_url, user=who) for who in users}
    try:
        for who, acks in acked.items():
            assert len(acks) == 20
            store = stores[who]
            for story_id, n in acks:
                story = store.story(story_id)
                assert f"{who}-{n}" in story.tags
                assert story.archived
                assert story.note.startswith("user")  # the last writer's note, whoever
            assert store.counts()["saved"] == 20
        wire = ann.count_stories(StoryFilter(tags=("wire",)))
        assert wire >= 20 * len(committed_rounds)  # every acknowledged round is there
        assert wire % 20 == 0  # and no round is half there
    finally:
        for store in stores.values():
            store.close()


async def test_two_desks_on_one_database_see_each_others_tags_live(
    tmp_path: Path, pg_url: str, make_desk: Any
) -> None:
    from tui.runtime import Runtime
    from tui.samples import load_samples

    with PgStore.open(pg_url, user="setup") as setup:
        load_samples(setup)
    desks = []
    for who in ("ann", "bob"):
        config = tmp_path / f"{who}.toml"
        config.write_text(f'[store]\nuser = "{who}"\n')
        runtime = Runtime(config_file=config)
        runtime.set_db(pg_url)
        desks.append(make_desk(runtime))
    ann_desk, bob_desk = desks
    async with ann_desk.run_test() as ann_pilot, bob_desk.run_test() as bob_pilot:
        await settle(ann_pilot)
        await settle(bob_pilot)
        assert bob_desk.store.user == "bob"
        await bob_pilot.press("j", "j")
        bob_cursor = bob_desk.desk.story_list.cursor
        first = ann_desk.desk.story_list.current_story
        await ann_pilot.press("t", *"scoop", "enter")
        await settle(ann_pilot)
        assert ann_desk.store.story(first.id).tags == ("scoop",)
        started = time.monotonic()
        while time.monotonic() - started < 1.0:
            await bob_pilot.pause(0.05)
            shown = bob_desk.desk.pager.get(bob_desk.desk.pager.index_of(first))
            if shown is not None and shown.tags == ("scoop",):
                break
        assert shown is not None and shown.tags == ("scoop",)
        assert ("scoop", 1) in [tuple(t) for t in bob_desk.store.tags()]
        assert bob_desk.desk.story_list.cursor == bob_cursor  # nobody moved bob's cursor
        # Reading is per user: ann's open story is read for ann only.
        await ann_pilot.press("enter")
        await settle(ann_pilot)
        assert ann_desk.store.story(first.id).read
        assert not bob_desk.store.story(first.id).read


def test_schema_is_migrated_once_and_a_newer_one_is_refused(pg_url: str) -> None:
    import psycopg

    from tui.store import SchemaTooNewError
    from tui.store.pg_schema import SCHEMA_VERSION

    PgStore.open(pg_url, user="ann").close()  # already migrated (template): a no-op
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        conn.execute("UPDATE schema_version SET version = version + 1")
    with pytest.raises(SchemaTooNewError):
        PgStore.open(pg_url, user="ann")


def test_team_fetcher_keeps_going_while_the_database_is_away(pg_server: Any) -> None:
    """``fetch --every``: one warning line per failed round, no password, still running."""
    from tests.support.postgres import PASSWORD

    url = pg_server.url("no_such_desk_yet")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", url, "fetch", "--every", "1s"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stderr is not None and proc.stdout is not None
    try:
        warnings = [proc.stderr.readline() for _ in range(2)]
        assert all(w.startswith("newsdesk: warning:") and "no_such_desk_yet" in w for w in warnings)
        assert all(PASSWORD not in w for w in warnings)
        pg_server.admin("CREATE DATABASE no_such_desk_yet TEMPLATE newsdesk_template")
        line = proc.stdout.readline()  # the next round reaches the database
        assert "0 source(s)" in line
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.communicate()
        pg_server.drop_database(url)


async def test_a_desk_says_so_when_the_server_goes_away_and_carries_on_when_it_is_back(
    tmp_path: Path, pg_server: Any, pg_url: str, make_desk: Any
) -> None:
    from tui.runtime import Runtime
    from tui.samples import load_samples

    with PgStore.open(pg_url, user="setup") as setup:
        load_samples(setup)
    runtime = Runtime(config_file=tmp_path / "config.toml")
    runtime.set_db(pg_url)
    app = make_desk(runtime)
    async with app.run_test() as pilot:
        await settle(pilot)
        first = app.desk.story_list.current_story
        pg_server.stop("fast")
        try:
            await pilot.press("s")
            await settle(pilot)
            messages = [n.message for n in app.notices if n.severity == "error"]
            assert any("was not saved" in m for m in messages), messages
            assert app.is_running
        finally:
            pg_server.start()
        deadline = time.monotonic() + 30
        while not (_reachable(app.store) and app.store.story(first.id).saved):
            assert time.monotonic() < deadline, "the desk never reconnected"
            await pilot.press("s")
            await settle(pilot)
            await pilot.pause(0.3)
        assert app.store.story(first.id).saved


def _reachable(store: PgStore) -> bool:
    try:
        store.counts()
    except StoreUnavailable:
        return False
    return True


def test_per_user_counters_agree_with_a_recount_after_links_triage_and_deletes(
    ann: PgStore, bob: PgStore
) -> None:
    a = ann.add_source("https://a.example/feed")
    b = ann.add_source("https://b.example/feed")
    ids = [i for i, _ in ann.upsert_stories(a.id, [_story(n) for n in range(6)])]
    ann.set_read(ids[:4])
    bob.set_archived(ids[2:5])
    ann.set_saved(ids[:2])
    ann.upsert_stories(b.id, [_story(n, guid=f"b{n}") for n in range(3, 8)])  # links 3 read
    bob.set_read(ids[2:3], False)  # archived still: done either way
    ann.set_read(ids[:1], False)
    with ann.transaction() as conn:
        conn.execute("DELETE FROM stories WHERE id = ?", (ids[3],))

    def recount(store: PgStore) -> tuple[dict[str, int], dict[int, int]]:
        q = store.sql
        total = store._query("SELECT count(*) FROM stories")[0][0]
        unread = store.count_stories(StoryFilter(unread=True))
        saved = store.count_stories(StoryFilter(saved=True))
        rows = store._query(
            "SELECT ss.source_id, count(*) FROM story_sources ss JOIN stories s "
            f"ON s.id = ss.story_id{q.state_join} WHERE {q.read} = 0 AND {q.archived} = 0 "
            "GROUP BY ss.source_id"
        )
        counts = {"total": int(total), "unread": unread, "saved": saved}
        return counts, {int(r[0]): int(r[1]) for r in rows}

    for store in (ann, bob):
        assert (store.counts(), store.unread_by_source()) == recount(store)
    assert ann.counts() == {"total": 7, "unread": 5, "saved": 2}
