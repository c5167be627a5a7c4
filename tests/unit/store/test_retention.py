"""Retention keeps the database bounded and never removes a story the user kept."""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.http_server import LoopbackServer
from tests.support.paths import REPO
from tui.config import ConfigError, RetentionConfig, load_config
from tui.store import Store, Story, StoryFilter, StoryIn
from tui.store.retention import apply_retention, maintain, prune

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _search(store: Store, text: str) -> list[Story]:
    """Full-text search as the desk pages it (newest first), archived stories included."""
    return store.list_stories(StoryFilter(query=text, include_archived=True))


def _add(store: Store, source_id: int, n: int, days_old: float, **flags: object) -> int:
    story_id, _ = store.upsert_story(
        source_id,
        StoryIn(
            title=f"Story {source_id}-{n}",
            text=f"text of story {source_id} {n} harbour",
            guid=f"retention-guid-{source_id}-{n}",
            published=NOW - dt.timedelta(days=days_old),
        ),
    )
    if flags.get("saved"):
        store.set_saved([story_id])
    if flags.get("tagged"):
        store.add_tags([story_id], ["keep"])
    if flags.get("note"):
        store.set_note(story_id, "follow up")
    return story_id


def _ids(store: Store) -> set[int]:
    return {int(r[0]) for r in store._query("SELECT id FROM stories")}


def _consistent(store: Store) -> None:
    store._conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('integrity-check')")
    total = store._query("SELECT count(*) FROM stories")[0][0]
    assert store.counts()["total"] == total
    per_source = dict(store._query("SELECT source_id, count(*) FROM story_sources GROUP BY 1"))
    assert {k: v for k, v in store.source_totals().items() if v} == per_source


def test_old_stories_go_and_kept_ones_stay(store: Store) -> None:
    source = store.add_source("https://ret.example/a").id
    old_plain = _add(store, source, 1, 40)
    old_saved = _add(store, source, 2, 40, saved=True)
    old_tagged = _add(store, source, 3, 40, tagged=True)
    old_noted = _add(store, source, 4, 40, note=True)
    recent = _add(store, source, 5, 3)
    report = prune(store, days=30, now=NOW)
    assert report.removed == report.by_age == 1
    assert _ids(store) == {old_saved, old_tagged, old_noted, recent}
    assert old_plain not in _ids(store)
    assert _search(store, "harbour")  # the survivors are still searchable
    _consistent(store)


def test_per_source_keeps_the_newest_n_and_shared_stories(store: Store) -> None:
    a = store.add_source("https://ret.example/a").id
    b = store.add_source("https://ret.example/b").id
    a_ids = [_add(store, a, n, days_old=n) for n in range(5)]  # n=0 newest
    saved_old = _add(store, a, 9, days_old=9, saved=True)
    # the oldest story of a also came from b, where it is the newest
    store.upsert_story(
        b,
        StoryIn(
            title="Story 1-4",
            text="text of story 1 4 harbour",
            guid="retention-guid-1-4",
            published=NOW - dt.timedelta(days=4),
        ),
    )
    b_ids = [_add(store, b, n, days_old=10 + n) for n in range(3)]
    report = prune(store, per_source=2, now=NOW)
    left = _ids(store)
    assert set(a_ids[:2]) <= left and saved_old in left
    assert a_ids[4] in left  # among the newest two of source b
    assert not {a_ids[2], a_ids[3]} & left
    assert b_ids[0] in left and not {b_ids[1], b_ids[2]} & left
    assert report.by_count == 4
    _consistent(store)


@pytest.mark.parametrize("seed", range(6))
def test_random_desks_never_lose_a_kept_story(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    sources = [store.add_source(f"https://ret.example/{i}").id for i in range(3)]
    kept: set[int] = set()
    for n in range(60):
        flags = {k: rng.random() < 0.15 for k in ("saved", "tagged", "note")}
        story_id = _add(store, rng.choice(sources), n, days_old=rng.uniform(0, 100), **flags)
        if any(flags.values()):
            kept.add(story_id)
    days, per_source = rng.choice([0, 10, 50]), rng.choice([0, 3, 8])
    prune(store, days=days, per_source=per_source or 0, now=NOW)
    left = _ids(store)
    assert kept <= left
    cutoff = (NOW - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for story_id in left - kept:
        published = store.story(story_id).published
        assert not days or published >= cutoff
    if per_source:
        for source_id in sources:
            rows = store._query(
                "SELECT ss.story_id FROM story_sources ss WHERE ss.source_id = ?", (source_id,)
            )
            unkept = [int(r[0]) for r in rows if int(r[0]) not in kept]
            assert len(unkept) <= per_source
    _consistent(store)


def test_maintain_vacuums_a_mostly_empty_file(tmp_path: Path) -> None:
    with Store.open(tmp_path / "v.db") as store:
        source = store.add_source("https://ret.example/big").id
        store.upsert_stories(
            source,
            [
                StoryIn(
                    title=f"S{n}",
                    text="padding " * 400,
                    guid=f"vacuum-guid-{n:05}",
                    published=NOW - dt.timedelta(days=400),
                )
                for n in range(400)
            ],
        )
        before = (tmp_path / "v.db").stat().st_size + (tmp_path / "v.db-wal").stat().st_size
        report = apply_retention(store, days=30)
        assert report.removed == 400
        assert store.counts()["total"] == 0  # the caller's connection sees the prune
        assert not maintain(store)  # already vacuumed by apply_retention
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert (tmp_path / "v.db").stat().st_size < before / 4


def test_retention_settings_are_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[retention]\ndays = 90\nper_source = 500\n")
    assert load_config(path).retention == RetentionConfig(days=90, per_source=500)
    assert not load_config(tmp_path / "missing.toml").retention.active
    path.write_text("[retention]\nweeks = 3\n")
    with pytest.raises(ConfigError, match=r"retention\.weeks: unknown setting"):
        load_config(path)
    path.write_text("[retention]\ndays = -1\n")
    with pytest.raises(ConfigError, match=r"retention\.days: must be greater than zero"):
        load_config(path)


# -- newsdesk fetch applies it ------------------------------------------------------------------


def _feed(items: int) -> bytes:
    entries = "".join(
        f"<item><title>Item {i}</title><link>https://ret.example/i/{i}</link>"
        f"<guid>https://ret.example/i/{i}</guid>"
        f"<pubDate>{(NOW - dt.timedelta(days=i * 20)).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
        f"</pubDate><description>Body {i}</description></item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>R</title>'
        f"<link>https://ret.example/</link>{entries}</channel></rss>"
    ).encode()


@pytest.fixture
def feed_url(server: LoopbackServer) -> str:
    server.feed("/feed.xml", _feed(6))
    return server.url("/feed.xml")


def test_fetch_applies_retention(tmp_path: Path, feed_url: str) -> None:
    db, config = tmp_path / "f.db", tmp_path / "config.toml"
    config.write_text("[retention]\nper_source = 2\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSDESK_CONFIG": str(config)}

    def newsdesk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui", "--db", str(db), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    with Store.open(db) as store:
        source = store.add_source(feed_url).id
        saved = _add(store, source, 99, days_old=900, saved=True)
    result = newsdesk("fetch")
    assert result.returncode == 0, result.stderr
    assert "retention: removed 4 stories" in result.stdout
    with Store.open(db) as store:
        titles = {s.title for s in store.list_stories()}
        assert titles == {"Item 0", "Item 1", store.story(saved).title}
