"""Keeping the database bounded: old stories go, the ones the user kept stay.

``[retention]`` in the config sets how long stories are kept: ``days`` (by
publication date) and/or ``per_source`` (the newest N of each source). A story
is never removed when it is saved, tagged or has a note, whatever the settings
say: that guard is part of the ``DELETE`` itself, so a story the user saves
while a prune runs is safe too. A story that arrived from several sources stays
while it is among the newest N of any of them.

Deletes go in small transactions, so a desk sharing the file never waits long
for the write lock; ``maintain`` then runs ``PRAGMA optimize`` and, when a
large share of the file is free pages, ``VACUUM`` (callers run both off the UI
thread).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from dataclasses import dataclass

from tui.store.errors import StoreError
from tui.store.models import utc_iso
from tui.store.store import Store

CHUNK = 2000
VACUUM_FREE_SHARE = 0.25

_KEPT_BY_USER = "saved = 0 AND note = '' AND NOT EXISTS (SELECT 1 FROM story_tags st WHERE st.story_id = stories.id)"


@dataclass(frozen=True, slots=True)
class RetentionReport:
    """What a prune removed."""

    removed: int = 0
    by_age: int = 0
    by_count: int = 0


def prune(
    store: Store, *, days: int = 0, per_source: int = 0, now: dt.datetime | None = None
) -> RetentionReport:
    """Remove stories older than ``days`` or past the newest ``per_source`` of their sources.

    ``0`` switches a rule off. Saved, tagged and noted stories are never removed.
    """
    by_age = _prune_by_age(store, days, now) if days > 0 else 0
    by_count = _prune_by_count(store, per_source) if per_source > 0 else 0
    return RetentionReport(by_age + by_count, by_age, by_count)


def _delete(store: Store, ids: list[int]) -> int:
    removed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with store.transaction() as conn:
            cur = conn.executemany(
                f"DELETE FROM stories WHERE id = ? AND {_KEPT_BY_USER}", [(i,) for i in chunk]
            )
            removed += max(cur.rowcount, 0)
    return removed


def _prune_by_age(store: Store, days: int, now: dt.datetime | None) -> int:
    cutoff = utc_iso((now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days))
    rows = store._query(
        f"SELECT id FROM stories WHERE published < ? AND {_KEPT_BY_USER}", (cutoff,)
    )
    return _delete(store, [int(r[0]) for r in rows])


def _prune_by_count(store: Store, keep: int) -> int:
    """Per source, the stories past its newest ``keep`` (by the source's story links)."""
    sources = [int(r[0]) for r in store._query("SELECT DISTINCT source_id FROM story_sources")]
    doomed: list[int] = []
    for source_id in sources:
        rows = store._query(
            "SELECT s.id, s.published, (SELECT count(*) FROM story_sources o "
            "WHERE o.story_id = s.id) AS links FROM story_sources ss JOIN stories s "
            "ON s.id = ss.story_id WHERE ss.source_id = ? "
            "ORDER BY s.published DESC, s.id DESC LIMIT -1 OFFSET ?",
            (source_id, keep),
        )
        for row in rows:
            if row["links"] > 1 and _newest_elsewhere(store, int(row["id"]), source_id, keep):
                continue
            doomed.append(int(row["id"]))
    return _delete(store, sorted(set(doomed)))


def _newest_elsewhere(store: Store, story_id: int, source_id: int, keep: int) -> bool:
    """Whether a story is among the newest ``keep`` of another of its sources."""
    rows = store._query(
        "SELECT ss.source_id, (SELECT count(*) FROM story_sources o JOIN stories n "
        "ON n.id = o.story_id WHERE o.source_id = ss.source_id AND "
        "(n.published, n.id) > (s.published, s.id)) AS newer FROM story_sources ss "
        "JOIN stories s ON s.id = ss.story_id WHERE ss.story_id = ? AND ss.source_id != ?",
        (story_id, source_id),
    )
    return any(int(r["newer"]) < keep for r in rows)


def maintain(store: Store) -> bool:
    """``PRAGMA optimize``, and ``VACUUM`` when a quarter of the file is free; True if vacuumed.

    Slow on a big file (seconds): callers run it in a background thread or at
    the end of ``newsdesk fetch``.
    """
    with store._reading() as conn:
        conn.execute("PRAGMA optimize")
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
        if pages and free / pages >= VACUUM_FREE_SHARE:
            conn.execute("VACUUM")
            return True
    return False


def apply_retention(store: Store, *, days: int = 0, per_source: int = 0) -> RetentionReport:
    """``prune`` then ``maintain``, on a connection of their own when the store is a file.

    The desk's UI thread reads through ``store``'s connection (one lock): a
    VACUUM holding it would freeze the desk; on a second connection the desk
    keeps reading (WAL) and its writes wait at most one delete chunk.
    """
    sqlite = store.backend == "sqlite"
    own = Store.open(store.path) if sqlite and store.path is not None else store
    try:
        report = prune(own, days=days, per_source=per_source)
        if sqlite:  # PostgreSQL's autovacuum does this on a shared desk
            with contextlib.suppress(StoreError, sqlite3.OperationalError):  # best effort
                maintain(own)
    finally:
        if own is not store:
            own.close()
    return report
