"""``newsdesk db copy FROM TO``: a whole desk from one database to another, verified.

Stories, sources, tags, notes, analyses and their indexes, settings, and the
triage state. SQLite keeps one person's read/saved/archived on the story;
PostgreSQL keeps it per user: copying between the two moves the state of one
user (``user``), copying PostgreSQL to PostgreSQL moves everyone's. The
destination is written in one transaction and the row counts are compared
before it commits, so a copy is complete or absent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tui.store.base import DbConn, chunked, marks
from tui.store.errors import StoreError
from tui.store.store import Store

BATCH = 2000
_STATE = ("read", "saved", "archived")
_WHOLE = ("sources", "tags", "source_tags", "meta")
_PER_STORY = ("story_sources", "story_tags", "analysis", "story_actors", "story_dates")


@dataclass(frozen=True, slots=True)
class CopyReport:
    """Rows copied per table (equal in both databases: the copy checks it)."""

    counts: dict[str, int]

    def summary(self) -> str:
        return ", ".join(f"{n} {table}" for table, n in self.counts.items())


def _columns(store: Store, table: str) -> list[str]:
    if store.backend == "sqlite":
        return [str(r[1]) for r in store._query(f"PRAGMA table_info({table})")]
    rows = store._query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY ordinal_position",
        (table,),
    )
    return [str(r[0]) for r in rows]


def _count(store: Store, table: str) -> int:
    return int(store._query(f"SELECT count(*) FROM {table}")[0][0])


def _insert(conn: DbConn, table: str, columns: Sequence[str], rows: Sequence[Any]) -> None:
    if rows:
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks(len(columns))})",
            [tuple(r) for r in rows],
        )


def copy_desk(
    src: Store, dst: Store, *, progress: Callable[[int, int], None] | None = None
) -> CopyReport:
    """Copy everything in ``src`` into the empty ``dst``; raise ``StoreError`` if counts differ."""
    if dst.count_stories() or dst.sources():
        raise StoreError("the destination desk is not empty; copy into a new database")
    src_pg, dst_pg = src.backend != "sqlite", dst.backend != "sqlite"
    total = src.count_stories()
    expected = {t: _count(src, t) for t in ("stories", *_WHOLE, *_PER_STORY)}
    flagged = int(
        src._query(
            f"SELECT count(*) FROM stories s{src.sql.state_join} WHERE "
            f"{src.sql.read} != 0 OR {src.sql.saved} != 0 OR {src.sql.archived} != 0"
        )[0][0]
    )
    if src_pg and dst_pg:
        expected["story_state"] = _count(src, "story_state")
    with dst.transaction() as conn:
        for table in _WHOLE:
            cols = [c for c in _columns(src, table) if c in set(_columns(dst, table))]
            _insert(conn, table, cols, src._query(f"SELECT {', '.join(cols)} FROM {table}"))
        dst_story_cols = set(_columns(dst, "stories"))
        story_cols = [c for c in _columns(src, "stories") if c in dst_story_cols]
        if src_pg and not dst_pg:  # the copying user's state onto SQLite's story columns
            story_cols += list(_STATE)
        select = ", ".join(
            f"{getattr(src.sql, c)} AS {c}" if c in _STATE else f"s.{c}" for c in story_cols
        )
        if not src_pg and dst_pg:
            insert_cols = [c for c in story_cols if c not in _STATE]
            user = str(getattr(dst, "user", ""))
            select += ", s.read, s.saved, s.archived"
        else:
            insert_cols = story_cols
        child_cols = {
            t: [c for c in _columns(src, t) if c in set(_columns(dst, t))] for t in _PER_STORY
        }
        if src_pg and dst_pg:
            child_cols["story_state"] = _columns(src, "story_state")
        last, done = -1, 0
        while True:
            rows = src._query(
                f"SELECT {select} FROM stories s{src.sql.state_join} WHERE s.id > ? "
                "ORDER BY s.id LIMIT ?",
                (last, BATCH),
            )
            if not rows:
                break
            _insert(conn, "stories", insert_cols, [tuple(r)[: len(insert_cols)] for r in rows])
            if not src_pg and dst_pg:
                n = len(insert_cols)
                _insert(
                    conn,
                    "story_state",
                    ["story_id", "user_name", *_STATE],
                    [
                        (r["id"], user, *tuple(r)[n : n + 3])
                        for r in rows
                        if any(tuple(r)[n : n + 3])
                    ],
                )
            ids = [int(r["id"]) for r in rows]
            for table, cols in child_cols.items():
                for chunk in chunked(ids):
                    _insert(
                        conn,
                        table,
                        cols,
                        src._query(
                            f"SELECT {', '.join(cols)} FROM {table} "
                            f"WHERE story_id IN ({marks(len(chunk))})",
                            chunk,
                        ),
                    )
            last, done = ids[-1], done + len(ids)
            if progress is not None:
                progress(done, total)
        if dst_pg:
            conn.execute("UPDATE desk_stats SET stories = (SELECT count(*) FROM stories)")
            for table in ("sources", "stories", "tags"):
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(max(id), 0) + 1 FROM {table}), false)"
                )
        found = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in expected}
        state: str | None = None
        if not dst_pg:
            state = "SELECT count(*) FROM stories WHERE read != 0 OR saved != 0 OR archived != 0"
        elif not src_pg:
            state = "SELECT count(*) FROM story_state WHERE user_name = current_setting('newsdesk.user')"
        if state is not None:
            expected["triage state"] = flagged
            found["triage state"] = int(conn.execute(state).fetchone()[0])
        wrong = {t: (expected[t], found[t]) for t in expected if expected[t] != found[t]}
        if wrong:
            detail = "; ".join(f"{t}: {a} in source, {b} copied" for t, (a, b) in wrong.items())
            raise StoreError(f"copy incomplete, nothing written: {detail}")
    return CopyReport(found)
