"""Reliability, items 3 and 12 (disk full) of issue 15: one source never rewrites another's story.

Real SQLite files; real feeds from a server on 127.0.0.1 for the end-to-end case.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.http_server import LoopbackServer, rss
from tui.config import RefreshConfig
from tui.sources.fetch import refresh_sync
from tui.store import Store, StoreError, StoryIn, content_hash
from tui.store.identity import StoryKey, globally_unique, may_replace_content, same_story

GUID = "https://first.example/news/1"


def _in(title: str, text: str, guid: str = GUID, url: str = "") -> StoryIn:
    return StoryIn(title=title, text=text, guid=guid, url=url)


@pytest.mark.parametrize("shared", ["guid", "link", "content"])
def test_another_feed_never_rewrites_a_story(store: Store, shared: str) -> None:
    first = store.add_source("https://first.example/feed", kind="feed", title="First")
    second = store.add_source("https://evil.example/feed", kind="feed", title="Second")
    original = _in("Original title", "Original text.", url="https://first.example/news/1")
    ((story_id, status),) = store.upsert_stories(first.id, [original])
    assert status == "new"
    store.add_tags([story_id], ["mine"])
    hijack = {
        "guid": _in("Hijacked", "Evil text.", guid=GUID),
        "link": _in("Hijacked", "Evil text.", guid="evil-1", url="https://first.example/news/1"),
        "content": _in("Original title", "Original  text.", guid="evil-2"),
    }[shared]
    ((same_id, status),) = store.upsert_stories(second.id, [hijack])
    assert same_id == story_id and status == "unchanged"
    story = store.story(story_id)
    assert (story.title, story.text, story.source) == ("Original title", "Original text.", "First")
    assert story.tags == ("mine",)
    assert store.story_source_labels(story_id) == ["First", "Second"]  # every source recorded
    # The second source repeating itself changes nothing either.
    assert store.upsert_stories(second.id, [hijack]) == [(story_id, "unchanged")]
    # The first source may still edit its own story.
    edited = _in("Edited title", "Edited text.", url="https://first.example/news/1")
    assert store.upsert_stories(first.id, [edited]) == [(story_id, "updated")]
    assert store.story(story_id).title == "Edited title"


def test_end_to_end_two_feeds_sharing_a_guid(server: LoopbackServer, store: Store) -> None:
    items = [(GUID, GUID, "Real", "The real story.")]
    server.feed("/a", rss("A", items))
    server.feed("/b", rss("B", [(GUID, GUID, "FAKE", "Injected text.")]))
    config = RefreshConfig(connect_timeout=2, read_timeout=2, total_timeout=4)
    a = store.add_source(server.url("/a"), kind="feed")
    refresh_sync(store, [a], config)
    b = store.add_source(server.url("/b"), kind="feed")
    (result,) = refresh_sync(store, [b], config)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 1)
    (story,) = store.list_stories(limit=5, with_text=True)
    assert (story.title, story.text, story.source) == ("Real", "The real story.", "A")
    assert store.story_source_labels(story.id) == ["A", "B"]


def test_the_same_story_rule_is_a_pure_function() -> None:
    h = content_hash("T", "x")
    stored = StoryKey(1, "https://e.org/1", "https://e.org/a", h)
    assert same_story(stored, StoryKey(2, "https://e.org/1"))  # global guid
    assert same_story(StoryKey(1, "7"), StoryKey(1, "7"))  # local guid, same feed
    assert not same_story(StoryKey(1, "7"), StoryKey(2, "7"))  # "7" means nothing across feeds
    assert same_story(stored, StoryKey(2, "x", "https://e.org/a"))
    assert same_story(stored, StoryKey(2, "y", "", content_hash("t", " x ")))
    assert not same_story(stored, StoryKey(2, "y", "https://e.org/b", content_hash("T", "y")))
    assert not same_story(StoryKey(1), StoryKey(2))  # nothing to compare is not a match
    assert globally_unique("urn:x") and globally_unique("a" * 16) and not globally_unique("12")
    assert may_replace_content(1, 1) and not may_replace_content(1, 2)
    assert not may_replace_content(None, 2)


# -- item 12: disk full is reported as disk full ------------------------------------------------------


def _fill(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A "full disk": the file may grow two pages more, on this thread's connection and
    on every connection the store opens later (each thread has its own)."""
    from tui.store import connection

    with store.transaction() as conn:
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    cap = f"PRAGMA max_page_count = {pages + 2}"
    store._conn.execute(cap)
    real = connection.configure

    def capped(conn: sqlite3.Connection, path: Path | str) -> sqlite3.Connection:
        real(conn, path).execute(cap)
        return conn

    monkeypatch.setattr(connection, "configure", capped)


def test_disk_full_is_the_error_reported_and_the_store_goes_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = store.add_source("https://e.org/f", kind="feed")
    _fill(store, monkeypatch)
    big = [_in(f"T{i}", "x" * 200_000, guid=f"https://e.org/{i}") for i in range(5)]
    with pytest.raises(StoreError, match="database or disk is full"):
        store.upsert_stories(source.id, big)
    try:  # SQLite rolls back the statement or the whole transaction: either way, say why
        (outcome,) = store.ingest_many([(source.id, big, (), {"last_error": None})])
    except StoreError as exc:
        outcome = exc
    assert isinstance(outcome, StoreError | sqlite3.OperationalError)
    assert "database or disk is full" in str(outcome)
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.upsert_stories(source.id, big[:1])[0][1] == "new"  # no transaction left open


def test_disk_full_during_fetch_names_the_real_error(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [(f"https://e.org/{j}", "", f"Story {j}", "y" * 100_000) for j in range(10)]
    server.feed("/big", rss("Big", items))
    with Store.open(tmp_path / "d.db") as store:
        source = store.add_source(server.url("/big"), kind="feed")
        _fill(store, monkeypatch)
        config = RefreshConfig(
            connect_timeout=2, read_timeout=2, total_timeout=4, max_bytes=5_000_000
        )
        (result,) = refresh_sync(store, [source], config)
    assert result.status == "error"
    assert "database or disk is full" in result.error
    assert "no transaction is active" not in result.error
