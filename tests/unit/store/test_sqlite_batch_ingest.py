"""The batched feed ingest (``store.ingest_batch``) stores exactly what one-by-one does.

Two SQLite stores take the same random refreshes (feeds drawn from a small pool
of guids, links, titles and texts, so entries collide with stored stories, with
other feeds' stories and with each other); one uses the batched path, the other
is forced one story at a time. Every table the ingest touches, the ids and
statuses returned and the full-text index must come out identical.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from tui.store import Store, StoryFilter, StoryIn
from tui.store import ingest as ingest_module
from tui.store.ingest import content_hash
from tui.store.ingest_batch import upsert_feed

FIXED_NOW = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
_TABLES = {
    "stories": "SELECT id, uid, source_id, guid, url, title, author, published, language, text, "
    "content_hash, read, saved FROM stories ORDER BY id",
    "story_sources": "SELECT story_id, source_id, guid FROM story_sources ORDER BY 1, 2",
    "source_stats": "SELECT * FROM source_stats ORDER BY 1",
    "story_counts": "SELECT * FROM story_counts",
    # who tagged, not when: the two stores are filled a moment apart
    "story_tags": "SELECT story_id, tag_id, tagged_by FROM story_tags ORDER BY 1, 2",
    "fts": "SELECT rowid FROM stories_fts WHERE stories_fts MATCH 'alpha OR beta OR gamma' "
    "ORDER BY rowid",
    "analysis": "SELECT story_id FROM analysis ORDER BY 1",
}


def _dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    conn = store._conn
    return {name: [tuple(r) for r in conn.execute(sql)] for name, sql in _TABLES.items()}


def _random_story(rng: random.Random) -> StoryIn:
    guid = rng.choice(
        ["", "", *(f"g{i}" for i in range(8)), "https://x.example/g", "urn:uuid:1234567890abcdef"]
    )
    url = rng.choice(["", "https://x.example/g", *(f"https://x.example/{i}" for i in range(8))])
    words = ["alpha", "beta", "gamma", "delta"]
    return StoryIn(
        title=f"{rng.choice(words)} {rng.randrange(4)}",
        text=f"{rng.choice(words)} text {rng.randrange(4)}",
        url=url,
        guid=guid,
        author=rng.choice(["", "Ana"]),
        published=rng.choice([None, dt.datetime(2026, 1, 1 + rng.randrange(5), tzinfo=dt.UTC)]),
        language=rng.choice(["", "es"]),
    )


def _run(store: Store, plan: list[tuple[int, list[StoryIn]]]) -> list[object]:
    sources = [store.add_source(f"https://feed{i}.example/rss").id for i in range(3)]
    out: list[object] = []
    for which, stories in plan:
        source = sources[which]
        # A stored story that was analysed: an update must drop its analysis in both paths.
        for story_id in (1, 2):
            if store._conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
                store.save_analysis(story_id, "v", {"x": 1})
        out.append(store.ingest(source, stories, tags=["t"], status={"etag": f'"{len(out)}"'}))
    out.append(
        store.ingest_many([(sources[0], plan[0][1], (), None), (sources[1], plan[-1][1], (), None)])
    )
    return out


@pytest.mark.parametrize("seed", range(40))
def test_batched_ingest_stores_what_one_by_one_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    plan = [
        (rng.randrange(3), [_random_story(rng) for _ in range(rng.randrange(1, 7))])
        for _ in range(12)
    ]
    batched_calls: list[object] = []

    def counting(*args: object, **kwargs: object) -> object:
        done = upsert_feed(*args, **kwargs)  # type: ignore[arg-type]
        batched_calls.append(done is not None)
        return done

    real_utc_iso = ingest_module.utc_iso
    monkeypatch.setattr(  # "now" (the date of undated entries) the same in both runs
        ingest_module, "utc_iso", lambda moment=None: real_utc_iso(moment or FIXED_NOW)
    )
    monkeypatch.setattr(ingest_module, "upsert_feed", counting)
    with Store.open(tmp_path / "batched.db") as batched:
        got = _run(batched, plan)
        got_tables = _dump(batched)
    monkeypatch.setattr(ingest_module, "upsert_feed", lambda *a, **k: None)
    with Store.open(tmp_path / "single.db") as single:
        want = _run(single, plan)
        want_tables = _dump(single)
    assert got == want
    assert got_tables == want_tables
    assert any(batched_calls)  # the batched path was taken for some feeds, not always skipped


def test_a_plain_feed_is_stored_in_one_batch_and_again_unchanged(tmp_path: Path) -> None:
    stories = [
        StoryIn(title=f"Story {i}", text=f"alpha {i}", url=f"https://x.example/{i}", guid=f"g{i}")
        for i in range(50)
    ]
    with Store.open(tmp_path / "plain.db") as store:
        source = store.add_source("https://feed.example/rss").id
        conn = store._conn
        hashes = [content_hash(s.title, s.text) for s in stories]
        with store.transaction() as tx:
            first = upsert_feed(
                tx, source, stories, hashes, "2026-01-01T00:00:00Z", lambda c, i: None
            )
        assert first is not None and [status for _id, status in first] == ["new"] * 50
        assert [story_id for story_id, _ in first] == list(range(1, 51))
        changes = conn.total_changes
        with store.transaction() as tx:
            again = upsert_feed(
                tx, source, stories, hashes, "2026-01-02T00:00:00Z", lambda c, i: None
            )
        assert again == [(i, "unchanged") for i in range(1, 51)]
        assert conn.total_changes == changes  # nothing rewritten for an unchanged feed
        assert tuple(conn.execute("SELECT total, unread FROM source_stats").fetchone()) == (50, 50)
        assert store.count_stories(StoryFilter(query="alpha"))  # indexed at commit like any other
        duplicated = [*stories[:2], stories[0]]
        with store.transaction() as tx:
            assert upsert_feed(tx, source, duplicated, hashes[:2] + hashes[:1], "x", print) is None


def test_feeds_are_stored_with_statement_journals_in_memory_then_the_default_again(
    tmp_path: Path,
) -> None:
    """``bulk_transaction`` keeps SQLite's statement journals in memory while a feed is
    stored, and the connection is back on the default afterwards, even after an error."""
    with Store.open(tmp_path / "journal.db") as store:
        source = store.add_source("https://feed.example/rss").id
        conn = store._conn
        seen: list[int] = []
        real = ingest_module.upsert_feed

        def spy(*args: object, **kwargs: object) -> object:
            seen.append(int(conn.execute("PRAGMA temp_store").fetchone()[0]))
            return real(*args, **kwargs)  # type: ignore[arg-type]

        stories = [StoryIn(title=f"S{i}", text=f"alpha {i}", guid=f"g{i}") for i in range(3)]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ingest_module, "upsert_feed", spy)
            store.ingest(source, stories)
            with pytest.raises(Exception, match=r"FOREIGN KEY"):
                store.ingest(source + 99, stories)
        assert seen == [2, 2]  # MEMORY while storing
        assert int(conn.execute("PRAGMA temp_store").fetchone()[0]) == 0  # DEFAULT after
