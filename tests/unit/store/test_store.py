"""The store: schema, dedup, triage writes, filters, FTS and the analysis cache.

Every test runs on both backends (``store`` is a SQLite file, then a PostgreSQL
database) except those about the SQLite file itself, which take ``sqlite_store``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.store import (
    SCHEMA_VERSION,
    NotFoundError,
    SchemaTooNewError,
    Store,
    Story,
    StoryFilter,
    StoryIn,
    fts_query,
)


def _search(store: Store, text: str) -> list[Story]:
    """Full-text search as the desk pages it (newest first), archived stories included."""
    return store.list_stories(StoryFilter(query=text, include_archived=True))


@pytest.fixture
def store(any_store: Store) -> Store:
    """The store under test, on each backend in turn."""
    return any_store


@pytest.fixture
def sqlite_store(db_path: Path) -> Iterator[Store]:
    """SQLite only: tests about the file (WAL, pragmas, user_version)."""
    with Store.open(db_path) as opened:
        yield opened


def _story(n: int, **kw: object) -> StoryIn:
    base: dict[str, object] = {
        "title": f"Story {n}",
        "text": f"Body of story number {n}.",
        "guid": f"guid-{n}",
        "published": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n),
    }
    base.update(kw)
    return StoryIn(**base)  # type: ignore[arg-type]


def test_new_file_uses_wal_foreign_keys_and_latest_schema(
    sqlite_store: Store, db_path: Path
) -> None:
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    fk = sqlite_store._conn.execute("PRAGMA foreign_keys").fetchone()[0]
    assert fk == 1


def test_upsert_reports_new_updated_unchanged_and_keeps_triage(store: Store) -> None:
    src = store.add_source("https://example.org/feed", title="Example")
    [(sid, status)] = store.upsert_stories(src.id, [_story(1)])
    assert status == "new"
    store.add_tags([sid], ["Mexico"])
    store.set_read([sid])
    store.set_note(sid, "follow up")
    assert store.upsert_stories(src.id, [_story(1)]) == [(sid, "unchanged")]
    assert store.upsert_stories(src.id, [_story(1, text="Edited body.")]) == [(sid, "updated")]
    story = store.story(sid)
    assert story.text == "Edited body."
    assert story.tags == ("Mexico",)
    assert story.read and story.note == "follow up"


def test_same_story_from_two_feeds_is_one_story_listing_both(store: Store) -> None:
    a = store.add_source("https://a.example/feed", title="A")
    b = store.add_source("https://b.example/feed", title="B")
    [(first, _)] = store.upsert_stories(a.id, [_story(1, guid="a-1", url="")])
    [(second, status)] = store.upsert_stories(b.id, [_story(1, guid="b-9", url="")])
    assert (second, status) == (first, "unchanged")
    assert store.story_source_labels(first) == ["A", "B"]
    assert store.count_stories() == 1
    assert store.count_stories(StoryFilter(source_id=b.id)) == 1


def test_tags_are_case_insensitively_unique(store: Store) -> None:
    [(sid, _)] = store.upsert_stories(None, [_story(1)])
    store.add_tags([sid], ["Security", "security", " SECURITY "])
    assert store.tags() == [("Security", 1)]
    assert store.count_stories(StoryFilter(tags=("SECURITY",))) == 1
    store.remove_tags([sid], ["sECURITY"])
    assert store.tags() == []


def test_triage_on_unknown_story_raises_and_writes_nothing(store: Store) -> None:
    [(sid, _)] = store.upsert_stories(None, [_story(1)])
    with pytest.raises(NotFoundError):
        store.set_saved([sid, 999])
    assert not store.story(sid).saved


def test_restore_triage_undoes_tags_flags_and_note(store: Store) -> None:
    [(sid, _)] = store.upsert_stories(None, [_story(1)])
    store.add_tags([sid], ["keep"])
    before = store.triage_state([sid])
    store.add_tags([sid], ["new"])
    store.set_saved([sid])
    store.set_archived([sid])
    store.set_note(sid, "changed")
    store.restore_triage(before)
    story = store.story(sid)
    assert (story.saved, story.archived, story.note, story.tags) == (False, False, "", ("keep",))
    assert [name for name, _ in store.tags()] == ["keep"]


def test_keyset_paging_walks_every_story_once_newest_first(store: Store) -> None:
    store.upsert_stories(None, [_story(n) for n in range(25)])
    seen: list[int] = []
    after = None
    while True:
        page = store.list_stories(limit=10, after=after)
        if not page:
            break
        seen.extend(s.id for s in page)
        after = (page[-1].published, page[-1].id)
    assert len(seen) == len(set(seen)) == 25
    published = [store.story(i).published for i in seen]
    assert published == sorted(published, reverse=True)


def test_filters_unread_saved_language_and_search(store: Store) -> None:
    ids = [
        i
        for i, _ in store.upsert_stories(
            None,
            [
                _story(1, title="Reunión de seguridad", language="es"),
                _story(2, title="Security meeting", language="en"),
                _story(3, title="Weather", language="en"),
            ],
        )
    ]
    store.set_read([ids[0]])
    store.set_archived([ids[1]])
    store.set_saved([ids[2]])
    assert store.count_stories(StoryFilter(unread=True)) == 1
    assert store.count_stories(StoryFilter(saved=True)) == 1
    assert store.count_stories(StoryFilter(language="en")) == 2
    assert [s.id for s in _search(store, "reunion")] == [ids[0]]  # diacritics folded
    assert [s.id for s in _search(store, "secur")] != []  # prefix while typing
    assert store.counts() == {"total": 3, "unread": 1, "saved": 1}


def test_fts_query_neutralises_syntax() -> None:
    assert fts_query('NEAR(" OR x') == '"NEAR" "OR" "x"*'
    assert fts_query("  ") is None


def test_analysis_cache_is_keyed_by_version_and_indexes_actors_and_dates(store: Store) -> None:
    [(sid, _)] = store.upsert_stories(None, [_story(1)])
    data = {
        "language": "es",
        "actors": [{"name": "Marco Rubio", "kind": "person"}] * 2,
        "dates": [
            {"value": "2999-02", "granularity": "month", "sentence": 0, "upcoming": True},
            {"value": "PRESENT_REF", "granularity": "ref", "sentence": 0, "upcoming": False},
        ],
        "commitments": [],
    }
    store.save_analysis(sid, "v1", data)
    assert store.cached_analysis(sid, "v1") == data
    assert store.cached_analysis(sid, "v2") is None
    assert store.stories_without_analysis("v2") == [sid]
    assert store.actors() == [("Marco Rubio", "person", 1)]
    assert store.count_stories(StoryFilter(actor="marco rubio")) == 1
    assert store.count_stories(StoryFilter(upcoming=True)) == 1
    assert [r.value for r in store.upcoming_dates()] == ["2999-02"]


def test_refuses_a_database_from_a_newer_newsdesk(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError):
        Store.open(db_path)


def test_per_source_counts_follow_every_change(store: Store) -> None:
    """The trigger-kept counters agree with a full recount after mixed operations."""
    a = store.add_source("https://a.example/feed", title="A")
    b = store.add_source("https://b.example/feed", title="B")
    ids = [i for i, _ in store.upsert_stories(a.id, [_story(n) for n in range(10)])]
    store.upsert_stories(b.id, [_story(n, guid=f"b{n}") for n in range(5, 15)])  # 5 shared
    store.set_read(ids[:3])
    store.set_archived(ids[2:5])
    store.set_read(ids[:1], False)
    store.restore_triage(store.triage_state(ids))

    def recount() -> dict[int, int]:
        q = store.sql  # read/archived are columns in SQLite, per-user rows in PostgreSQL
        rows = store._query(
            "SELECT ss.source_id, count(*) FROM story_sources ss JOIN stories s "
            f"ON s.id = ss.story_id{q.state_join} WHERE {q.read} = 0 AND {q.archived} = 0 "
            "GROUP BY ss.source_id"
        )
        return {int(r[0]): int(r[1]) for r in rows}

    assert store.unread_by_source() == recount() == {a.id: 6, b.id: 10}
    assert store.source_totals() == {a.id: 10, b.id: 10}
    with store.transaction() as conn:
        conn.execute("DELETE FROM stories WHERE id = ?", (ids[9],))
    assert store.unread_by_source() == recount()
    assert store.source_totals() == {a.id: 9, b.id: 9}


def test_short_guids_only_match_within_their_feed(store: Store) -> None:
    a = store.add_source("https://a.example/feed")
    b = store.add_source("https://b.example/feed")
    [(first, _)] = store.upsert_stories(a.id, [_story(1, guid="1", title="Alpha")])
    [(second, status)] = store.upsert_stories(b.id, [_story(2, guid="1", title="Beta")])
    assert status == "new" and second != first
    [(again, status)] = store.upsert_stories(a.id, [_story(1, guid="1", title="Alpha v2")])
    assert (again, status) == (first, "updated")


def test_an_edited_story_drops_its_stale_analysis(store: Store) -> None:
    [(sid, _)] = store.upsert_stories(None, [_story(1)])
    store.save_analysis(sid, "v1", {"language": "en", "actors": [], "dates": [], "commitments": []})
    store.upsert_stories(None, [_story(1)])
    assert store.cached_analysis(sid, "v1") is not None  # unchanged: cache kept
    store.upsert_stories(None, [_story(1, text="A new body.")])
    assert store.cached_analysis(sid, "v1") is None


def test_reverse_paging_reads_from_the_oldest_end(store: Store) -> None:
    store.upsert_stories(None, [_story(n) for n in range(7)])
    newest_first = [s.id for s in store.list_stories(limit=10)]
    oldest_first = [s.id for s in store.list_stories(limit=10, reverse=True)]
    assert oldest_first == newest_first[::-1]
    last = store.list_stories(limit=3, reverse=True)[-1]
    after = store.list_stories(limit=10, reverse=True, after=(last.published, last.id))
    assert [s.id for s in after] == oldest_first[3:]


def test_actor_counts_follow_analyses_and_deletions(store: Store) -> None:
    ids = [i for i, _ in store.upsert_stories(None, [_story(n) for n in range(3)])]

    def analysis(*names: str) -> dict[str, object]:
        actors = [{"name": n, "kind": "person"} for n in names]
        return {"language": "en", "actors": actors, "dates": [], "commitments": []}

    store.save_analysis(ids[0], "v", analysis("Marco Rubio", "Marco Rubio", "Ebrard"))
    store.save_analysis(ids[1], "v", analysis("Marco Rubio"))
    store.save_analysis(ids[2], "v", analysis("Ebrard", "Sheinbaum"))
    assert store.actors() == [
        ("Ebrard", "person", 2), ("Marco Rubio", "person", 2), ("Sheinbaum", "person", 1),
    ]  # fmt: skip
    store.save_analysis(ids[2], "v2", analysis("Sheinbaum"))  # re-analysis replaces
    with store.transaction() as conn:
        conn.execute("DELETE FROM stories WHERE id = ?", (ids[1],))
    recount = store._query(
        "SELECT name, kind, count(*) FROM story_actors GROUP BY name, kind ORDER BY 3 DESC, 1"
    )
    assert store.actors() == [(r[0], r[1], r[2]) for r in recount] == [
        ("Ebrard", "person", 1), ("Marco Rubio", "person", 1), ("Sheinbaum", "person", 1),
    ]  # fmt: skip


def test_restore_triage_skips_stories_deleted_meanwhile(store: Store) -> None:
    ids = [i for i, _ in store.upsert_stories(None, [_story(n) for n in range(2)])]
    before = store.triage_state(ids)
    store.set_saved(ids)
    with store.transaction() as conn:
        conn.execute("DELETE FROM stories WHERE id = ?", (ids[0],))
    store.restore_triage(before)
    assert not store.story(ids[1]).saved
    assert store.count_stories() == 1


def test_a_read_in_another_thread_does_not_wait_for_an_open_write(store: Store) -> None:
    """Each thread has its own connection: WAL lets the UI read while a refresh writes."""
    import threading
    import time

    store.upsert_stories(None, [_story(1)])
    in_write = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with store.transaction() as conn:
            conn.execute("UPDATE stories SET title = 'changing'")
            in_write.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert in_write.wait(10)
        started = time.monotonic()
        assert [s.title for s in store.list_stories()] == ["Story 1"]  # the committed state
        assert time.monotonic() - started < 1.0
    finally:
        release.set()
        thread.join()
    assert store.story(store.list_stories()[0].id).title == "changing"


def test_driver_errors_arrive_as_store_errors(store: Store) -> None:
    """Screens catch ``StoreError`` subclasses and never import sqlite3."""
    from tui.store import SourceNotFound, StoreConflict, StoreError, StoryNotFound

    with pytest.raises(StoryNotFound):
        store.story(12345)
    with pytest.raises(SourceNotFound):
        store.source(12345)
    [(sid, _)] = store.upsert_stories(None, [_story(1)])
    with pytest.raises(StoreConflict), store.transaction() as conn:
        conn.execute("INSERT INTO story_tags (story_id, tag_id) VALUES (?, 999)", (sid,))
    store.close()
    with pytest.raises(StoreError):
        store.counts()


def test_tagging_a_stored_feed_again_tags_the_stories_it_already_has(store: Store) -> None:
    """``newsdesk add -t TAG`` on a feed already subscribed: its stories get TAG too."""
    src = store.add_source("https://example.org/feed.xml")
    [(sid, _)] = store.upsert_stories(src.id, [_story(1)])
    store.add_source("https://example.org/feed.xml", tags=["border"])
    assert store.story(sid).tags == ("border",)
    assert [s.label for s in store.sources()] and store.tags() == [("border", 1)]


def test_feeds_status_savepoints_texts_and_settings(store: Store) -> None:
    """The rest of the interface, so that both backends are held to all of it."""
    from tui.store import SourceStatus

    store.ensure_feeds([("https://a.example/feed", "A", ["world"], {"full_text": True})])
    store.ensure_feeds([("https://a.example/feed", "", ["news"], {"lang": "es"})])
    [source] = store.sources()
    assert (source.title, source.tags) == ("A", ("news", "world"))
    assert source.options == {"full_text": True, "lang": "es"}
    store.update_source(source.id, SourceStatus(etag='"v1"', failures=2, last_error="timeout"))
    store.update_sources([(source.id, SourceStatus(failures=0, clear=("last_error",)))])
    got = store.source(source.id)
    assert (got.etag, got.failures, got.last_error) == ('"v1"', 0, None)
    results = store.ingest_many(
        [
            (
                source.id,
                [_story(1), _story(2)],
                ("world",),
                {"last_success": "2026-01-01T00:00:00Z"},
            ),
            (999, [_story(3)], (), None),  # no such source: this feed alone is rolled back
        ]
    )
    assert [r for r, _ in results[0]] == [s.id for s in store.list_stories(reverse=True)]  # type: ignore[union-attr]
    assert isinstance(results[1], Exception)
    assert store.count_stories() == 2
    assert store.count_stories(StoryFilter(tags=("world",))) == 2
    assert store.source(source.id).last_success == "2026-01-01T00:00:00Z"
    first = store.list_stories(reverse=True)[0].id
    store.save_analysis(
        first, "v", {"language": "en", "actors": [], "dates": [], "commitments": []}
    )
    store.set_story_text(first, "The whole article.")
    assert store.story(first).text == "The whole article."
    assert store.cached_analyses([first], "v") == {}  # the longer text is analysed afresh
    assert store.source_labels([first]) == {first: ["A"]}
    assert store.meta("offered") is None
    store.set_meta("offered", "yes")
    store.set_meta("offered", "loaded")
    assert store.meta("offered") == "loaded"
    store.remove_source(source.id)
    assert store.sources() == [] and store.count_stories() == 2


def test_each_backend_offers_the_whole_store_interface(store: Store) -> None:
    from tui.store import StoreProtocol

    assert isinstance(store, StoreProtocol)
    assert store.backend in {"sqlite", "postgresql"}


# -- full-text index written once per transaction (schema v3) ---------------------------------


def _fts_consistent(store: Store) -> None:
    """FTS5's own check that the index matches the stories table (raises if not).

    PostgreSQL's tsvector is a generated column, consistent by construction: there
    the searches that follow are the check.
    """
    if store.backend != "sqlite":
        return
    store._conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('integrity-check')")


def test_stories_added_in_one_transaction_are_indexed_at_commit(store: Store) -> None:
    source = store.add_source("https://fts.example/feed")
    # two entries with one guid: the second updates the row the first inserted,
    # inside the same transaction, before it was ever indexed
    store.ingest(
        source.id,
        [
            StoryIn(title="Harbour talks", text="first draft", guid="same-guid-0001"),
            StoryIn(title="Harbour talks resumed", text="final wording", guid="same-guid-0001"),
            StoryIn(title="Lighthouse", text="keepers strike", guid="other-guid-0002"),
        ],
    )
    _fts_consistent(store)
    assert [s.title for s in _search(store, "final")] == ["Harbour talks resumed"]
    assert _search(store, "draft") == []
    assert [s.title for s in _search(store, "keepers")] == ["Lighthouse"]
    # an edit in a later transaction goes through the update trigger
    store.ingest(
        source.id, [StoryIn(title="Lighthouse", text="keepers return", guid="other-guid-0002")]
    )
    _fts_consistent(store)
    assert [s.title for s in _search(store, "return")] == ["Lighthouse"]
    assert _search(store, "strike") == []


def test_a_feed_rolled_back_in_a_batch_leaves_no_index_entries(store: Store) -> None:
    good = store.add_source("https://fts.example/good")
    outcomes = store.ingest_many(
        [
            (good.id, [StoryIn(title="Kept", text="quay")], (), None),
            (good.id, [StoryIn(title="Lost", text="wharf")], (), {"no_such_field": 1}),
        ]
    )
    assert isinstance(outcomes[1], Exception)
    _fts_consistent(store)
    assert [s.title for s in _search(store, "quay")] == ["Kept"]
    assert _search(store, "wharf") == []


def test_trigger_kept_counts_equal_counting_the_rows(sqlite_store: Store) -> None:
    """SQLite's story_counts triggers (PostgreSQL's per-user counters have their own test)."""
    store = sqlite_store
    source = store.add_source("https://counts.example/feed")
    ids = [
        i
        for i, _ in store.upsert_stories(
            source.id,
            [StoryIn(title=f"S{n}", text=f"body {n}", guid=f"count-guid-{n:04}") for n in range(6)],
        )
    ]
    store.set_read(ids[:2])
    store.set_archived(ids[1:3])
    store.set_saved(ids[2:5])
    store.set_saved(ids[4:5], False)
    store.set_read(ids[:1], False)
    store._conn.execute("DELETE FROM stories WHERE id = ?", (ids[5],))

    def counted(where: str) -> int:
        return int(store._conn.execute(f"SELECT count(*) FROM stories WHERE {where}").fetchone()[0])

    expected = {
        "total": counted("1"),
        "unread": counted("read = 0 AND archived = 0"),
        "saved": counted("saved = 1"),
    }
    assert store.counts() == expected == {"total": 5, "unread": 3, "saved": 2}
    assert store.count_stories(StoryFilter(unread=True)) == 3
    assert store.count_stories(StoryFilter(saved=True)) == 2
    assert store.count_stories() == 5
    # a filter the counts do not cover is still counted row by row
    assert store.count_stories(StoryFilter(unread=True, saved=True)) == counted(
        "read = 0 AND archived = 0 AND saved = 1"
    )


# -- search pages at scale (search_paging) ------------------------------------------------------


@pytest.mark.parametrize(("few", "batch"), [(5, 3), (10_000, 3), (5, 1000)])
def test_search_pages_equal_the_plain_query(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, few: int, batch: int
) -> None:
    """FTS5 search paging (SQLite only) gives the plain query's rows in its order."""
    store = sqlite_store
    import random

    from tui.store import search_paging

    monkeypatch.setattr(search_paging, "FEW", few)
    monkeypatch.setattr(search_paging, "MIN_BATCH", batch)
    rng = random.Random(7)
    sources = [store.add_source(f"https://page.example/{i}").id for i in range(2)]
    words = ["harbour", "harbourmaster", "lighthouse", "quay", "tide"]
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for n in range(150):
        chosen = [w for w in words if rng.random() < (0.9 if w == "tide" else 0.2)]
        story_id, _ = store.upsert_story(
            rng.choice(sources),
            StoryIn(
                title=f"Story {n}",
                text=" ".join(chosen) + f" filler {n}",
                guid=f"page-guid-{n:04}",
                # dates unrelated to insertion order, with ties
                published=base + dt.timedelta(hours=rng.randrange(60)),
            ),
        )
        if rng.random() < 0.5:
            store.set_read([story_id])

    def plain(flt: StoryFilter, reverse: bool) -> list[int]:
        where, params = store._where(flt)
        order = "ASC" if reverse else "DESC"
        rows = store._query(
            f"SELECT s.id FROM stories s{where} ORDER BY s.published {order}, s.id {order}",
            params,
        )
        return [int(r[0]) for r in rows]

    for query in ("tide", "harbour", "harbo", "lighthouse quay", "nothing"):
        for flt in (
            StoryFilter(query=query),
            StoryFilter(query=query, unread=True),
            StoryFilter(query=query, source_id=sources[1]),
        ):
            for reverse in (False, True):
                expected = plain(flt, reverse)
                got: list[int] = []
                after = None
                while True:
                    page = store.list_stories(flt, limit=7, after=after, reverse=reverse)
                    got.extend(s.id for s in page)
                    if len(page) < 7:
                        break
                    after = (page[-1].published, page[-1].id)
                assert got == expected, (query, flt, reverse)
            assert store.count_stories(flt) == len(plain(flt, False))


def test_search_spells_out_a_prefix_as_the_index_terms(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    """The last typed word (a prefix) becomes an OR of the index's terms when they are few,
    which FTS5 reads lazily; the rows and counts stay those of the prefix query."""
    from tui.store import search_paging
    from tui.store.search_paging import match_expression

    store = sqlite_store
    source = store.add_source("https://spell.example/feed").id
    texts = [
        "harbour tide",
        "Harbourmaster at the quay",
        "harbours closed, tide high",
        "harbor in American spelling",
        "Hafen in Bremen",
        "HARBOUR_LIGHT and café",
        "quay only",
    ]
    for n, text in enumerate(texts):
        store.upsert_story(
            source,
            StoryIn(
                title=f"Story {n}",
                text=text,
                guid=f"spell-{n}",
                published=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n),
            ),
        )
    conn = store._conn
    assert match_expression(conn, "Harbour") == '("harbour" OR "harbourmaster" OR "harbours")'
    assert match_expression(conn, "tide harbours") == '"tide" AND "harbours"'
    assert match_expression(conn, "quay") == '"quay"'
    assert match_expression(conn, "  ") is None
    # words the tokenizer folds in ways not copied here keep FTS5's own prefix query
    assert match_expression(conn, "café") == fts_query("café")
    assert match_expression(conn, "harbour_light") == fts_query("harbour_light")

    def plain_ids(text: str) -> list[int]:
        rows = store._query(
            "SELECT s.id FROM stories s WHERE s.id IN (SELECT rowid FROM stories_fts "
            "WHERE stories_fts MATCH ?) ORDER BY s.published DESC, s.id DESC",
            (fts_query(text),),
        )
        return [int(r[0]) for r in rows]

    def check(text: str) -> None:
        expected = plain_ids(text)
        flt = StoryFilter(query=text)
        assert [s.id for s in store.list_stories(flt, limit=50)] == expected, text
        assert store.count_stories(flt) == len(expected), text

    for text in ("harbour", "harb", "h", "tide harbo", "café", "bremen", "nothing"):
        check(text)
    assert len(plain_ids("harb")) == 5  # harbour, harbourmaster, harbours, harbor, HARBOUR_LIGHT

    # more longer terms than are spelled out: the prefix query, same rows
    monkeypatch.setattr(search_paging, "EXPAND_MAX", 1)
    assert match_expression(conn, "harbour") == fts_query("harbour")
    check("harbour")

    # a read-only store (query_only: no temporary table) keeps the prefix query
    from tui.store.database import connect_read_only

    monkeypatch.setattr(search_paging, "EXPAND_MAX", 8)
    with Store(connect_read_only(db_path), db_path, read_only=True) as read_only:
        assert match_expression(read_only._conn, "harbours") == fts_query("harbours")
        found = read_only.list_stories(StoryFilter(query="harbours"), limit=10)
        assert [s.title for s in found] == ["Story 2"]
        assert read_only.count_stories(StoryFilter(query="harbour")) == 4
