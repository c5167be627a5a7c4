"""PostgreSQL's batched ingest decides every entry as SQLite's one-by-one upsert does.

The batch runs the same-story rule in memory over the rows one query found,
so these tests feed both backends the awkward cases (an entry repeated or
edited within one feed, a link or text shared with another feed, short
guids, stories with no source) and compare what each reports and stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.store import Store, StoryIn
from tui.store.ingest import content_hash
from tui.store.pg_ingest import PENDING, Known, lookup_keys, plan_batch

NOW = "2026-01-10T12:00:00Z"


def _s(title: str, text: str = "", **kw: Any) -> StoryIn:
    return StoryIn(title=title, text=text or f"text of {title}", **kw)


def _published(hours: int) -> dt.datetime:
    return dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=hours)


# (source index or None, entries): applied in order to both backends.
ROUNDS: list[tuple[int | None, list[StoryIn]]] = [
    (
        0,
        [
            _s("A", guid="1", url="https://a.test/1", published=_published(1)),
            _s("A edited", guid="1", url="", published=_published(2)),  # same entry again
            _s("B", guid="2", url="https://a.test/1"),  # same link as A
            _s("C", "shared body"),  # no guid, no link: content only
            _s("C", "shared body", url="https://a.test/c"),  # same content
            _s("D", guid="tag:a.test,2026:d", author="Ann"),
            _s("E\x00", "nul in the text\x00"),
        ],
    ),
    (
        1,
        [
            _s("Other 1", guid="1"),  # a short guid from another feed: a new story
            _s("D from feed 2", guid="tag:a.test,2026:d"),  # a global guid: the same story
            _s("C", "shared body"),  # same content as feed 1's C
            _s("B rewritten", guid="9", url="https://a.test/1"),  # not its owner: unchanged
        ],
    ),
    (
        0,
        [
            _s("A edited", guid="1", url="https://a.test/1b", published=_published(3)),
            _s("A again", guid="1", language="en"),
            _s("D", guid="tag:a.test,2026:d", author="Ann"),
            _s("F", guid="f", url="https://a.test/f"),
            _s("F2", guid="f2", url="https://a.test/f"),  # a new story's link, same batch
        ],
    ),
    (None, [_s("Loose", guid="x"), _s("Loose edited", guid="x"), _s("C", "shared body")]),
    (None, [_s("Loose edited", guid="x"), _s("Other loose", guid="y")]),
]


def _when(published: str) -> str:
    """The entries' own dates; "now" for those without one (the two runs differ by seconds)."""
    return published if published.startswith("2026-01-01") else "now"


def _replay(store: Store) -> tuple[list[list[tuple[str, str]]], list[tuple[Any, ...]]]:
    sources = [store.add_source(f"https://feed{i}.test/rss").id for i in range(2)]
    seen: list[list[tuple[str, str]]] = []
    for source, entries in ROUNDS:
        source_id = None if source is None else sources[source]
        results = store.upsert_stories(source_id, entries)
        uids = {s.id: s.uid for s in store.list_stories(limit=100)}
        seen.append([(uids[i], status) for i, status in results])
    stored = []
    for s in sorted(store.list_stories(limit=100), key=lambda s: s.uid):
        full = store.story(s.id)
        owner = None if s.source_id is None else sources.index(s.source_id)
        stored.append(
            (
                s.uid, owner, full.guid, full.url, full.title, full.text, full.author,
                full.language, _when(full.published), sorted(store.story_source_labels(s.id)),
            )
        )  # fmt: skip
    return seen, stored


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    from tui.store.postgres import PgStore

    with PgStore.open(pg_url, user="ann") as opened:
        yield opened


def test_batched_ingest_reports_and_stores_what_sqlite_does(db_path: Path, pg_store: Store) -> None:
    with Store.open(db_path) as sqlite:
        expected = _replay(sqlite)
    got = _replay(pg_store)
    assert got[0] == expected[0]
    # NUL cannot be stored in PostgreSQL text: the one difference, and it is dropped there
    assert [row for row in got[1]] == [
        tuple(v.replace("\x00", "") if isinstance(v, str) else v for v in row)
        for row in expected[1]
    ]
    statuses = [status for batch in expected[0] for _, status in batch]
    assert {"new", "updated", "unchanged"} <= set(statuses)


def test_ingest_of_many_feeds_matches_sqlite_counts_and_tags(
    db_path: Path, pg_store: Store
) -> None:
    def run(store: Store) -> tuple[Any, ...]:
        a = store.add_source("https://a.test/rss", tags=["world"]).id
        b = store.add_source("https://b.test/rss").id
        out = store.ingest_many(
            [
                (a, [_s("One", guid="g1"), _s("Two", guid="g2")], ["world"], {"title": "A"}),
                (b, [_s("One", guid="g1"), _s("Three", guid="https://b.test/3")], [], None),
            ]
        )
        assert not any(isinstance(o, Exception) for o in out)
        statuses = [[st for _, st in o] for o in out]  # type: ignore[union-attr]
        tagged = sorted(s.title for s in store.list_stories(limit=10) if "world" in s.tags)
        return statuses, store.counts(), store.source_totals(), tagged, store.source(a).title

    with Store.open(db_path) as sqlite:
        expected = run(sqlite)
    got = run(pg_store)
    assert got[0] == expected[0] == [["new", "new"], ["unchanged", "new"]]  # "One": same text
    assert got[1:] == expected[1:]


def test_plan_sees_its_own_earlier_entries_and_keeps_the_owner_rule() -> None:
    stored = Known(7, "u7", 2, "https://x.test/7", "https://x.test/7", "h7")
    (entries,), keys = lookup_keys(
        [
            (
                1,
                [
                    _s("new", guid="n1"),
                    _s("new, edited", guid="n1"),
                    _s("other feed's story", guid="https://x.test/7"),
                    _s("new, edited"),  # no guid, no link: the same title and text as the edit
                ],
            )
        ],
        NOW,
    )
    plan = plan_batch([(1, entries)], [stored], [], NOW)
    assert plan.results[0] == [
        (PENDING, "new"),
        (PENDING, "updated"),
        (7, "unchanged"),
        (PENDING, "unchanged"),
    ]
    assert len(plan.inserts) == 1 and plan.inserts[0].title == "new, edited"
    assert plan.inserts[0].content_hash == content_hash("new, edited", "text of new, edited")
    assert plan.updates == []
    assert plan.links == {(PENDING, 1): None, (7, 1): "https://x.test/7"}
    assert keys["link_source"] == [1, 1] and keys["link_guid"] == ["https://x.test/7", "n1"]


def test_plan_across_feeds_finds_a_story_an_earlier_feed_of_the_batch_brought() -> None:
    feeds, _ = lookup_keys(
        [
            (1, [_s("Shared", guid="https://x.test/s")]),
            (2, [_s("Shared", guid="https://x.test/s")]),
        ],
        NOW,
    )
    plan = plan_batch(list(zip([1, 2], feeds, strict=True)), [], [], NOW)
    assert plan.results == [[(PENDING, "new")], [(PENDING, "unchanged")]]
    assert plan.links == {(PENDING, 1): "https://x.test/s", (PENDING, 2): "https://x.test/s"}


def test_a_v1_shared_desk_migrates_and_keeps_counting_links(pg_server: Any) -> None:
    """v2 counts new source links per statement; a v1 database (row triggers) moves to it."""
    import psycopg

    from tui.store.pg_schema import SCHEMA_VERSION, V1
    from tui.store.postgres import PgStore

    name = "desk_v1_migration"
    pg_server.admin(f"DROP DATABASE IF EXISTS {name}")
    pg_server.admin(f"CREATE DATABASE {name}")
    url = pg_server.url(name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(V1)
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO schema_version VALUES (1)")
        with PgStore.open(url, user="ann") as store:
            a = store.add_source("https://a.test/rss").id
            b = store.add_source("https://b.test/rss").id
            (one, _), _ = store.upsert_stories(a, [_s("One"), _s("Two")])
            store.set_read([one])
            store.upsert_stories(b, [_s("One"), _s("Three")])  # One: a second source's link
            assert store.source_totals() == {a: 2, b: 2}
            assert store.unread_by_source() == {a: 1, b: 1}
            store.remove_source(b)
            assert store.source_totals() == {a: 2}
        with psycopg.connect(url, autocommit=True) as conn:
            version = conn.execute("SELECT version FROM schema_version").fetchone()
            assert version == (SCHEMA_VERSION,) and SCHEMA_VERSION >= 2
    finally:
        pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
