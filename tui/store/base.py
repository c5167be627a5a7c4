"""What every part of the store shares: the connection seam, SQL dialect and small helpers.

The store is assembled from one mixin per area (``sources``, ``ingest``,
``queries``, ``triage``, ``analysis_cache``) on top of a backend's connection
class (``connection.SqliteConnection``; ``postgres.PgConnection``). The mixins
write portable SQL against ``DbConn`` and take the few things that differ
between SQLite and PostgreSQL (full-text search, per-user triage state, string
aggregation) from the backend's ``Dialect``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tui.store.errors import StoryNotFound

_WS_RE = re.compile(r"\s+")

CHUNK = 500  # ids per ``IN (...)``: under SQLite's historic 999-variable limit


class DbCursor(Protocol):
    """The part of a DB-API cursor the store uses."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class DbConn(Protocol):
    """The part of a DB-API connection the store uses (``?`` placeholders on both backends)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> DbCursor: ...

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> DbCursor: ...


@dataclass(frozen=True, slots=True)
class Dialect:
    """SQL that differs between backends; everything else is shared."""

    name: str
    #: aggregate of a story's or source's tag names, joined by U+001F
    tag_names: str
    #: ORDER BY suffix that sorts tag names case-insensitively
    nocase: str
    #: FROM-clause addition giving ``us`` (per-user triage state), or ""
    state_join: str
    read: str
    saved: str
    archived: str


def _utc_now() -> str:
    """Now as the store writes times (``models.utc_iso``, without importing the models here)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def chunked(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    """Ids in slices small enough for one ``IN (...)`` each."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def marks(n: int) -> str:
    """``?, ?, ?`` for ``n`` parameters (``NULL`` when none, which matches nothing)."""
    return ",".join("?" * n) or "NULL"


def normalise_tag(name: str) -> str:
    """Tags are single-spaced and trimmed; case is kept but compared case-insensitively."""
    return _WS_RE.sub(" ", name).strip()


class StoreBase:
    """Connection plumbing every backend provides, and helpers every area shares."""

    sql: Dialect
    #: Opened read-only (a SQLite file or folder we may not write): every write raises.
    read_only: bool = False
    #: The desk's clock, when set (``--today``, the config's ``today``, the desk
    #: app's clock): what "upcoming" is counted from instead of the real day.
    clock: Callable[[], dt.date] | None = None
    #: Who is at the desk: signs tags and notes (``[store] user``, else the login name).
    user: str = ""

    def today(self) -> dt.date:
        """The desk's today: the clock set on the desk, else the real date.

        Every upcoming question (sidebar count, list markers, agenda, exports)
        asks this, so a desk reviewed "as of" another day agrees with itself.
        """
        return self.clock() if self.clock is not None else dt.date.today()

    # -- provided by the backend's connection class -------------------------------------

    def transaction(self) -> contextlib.AbstractContextManager[DbConn]:
        """One write transaction (all or nothing)."""
        raise NotImplementedError

    @contextlib.contextmanager
    def fail_fast(self) -> Iterator[None]:
        """In this thread, a write that would wait for another writer fails at once
        (so the desk's write queue can retry it); backends without a busy wait ignore it."""
        yield

    def _reading(self) -> contextlib.AbstractContextManager[DbConn]:
        """A connection for a read of several statements (one snapshot where the backend can)."""
        raise NotImplementedError

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows of one read (each row indexable by position and by column name)."""
        raise NotImplementedError

    # -- shared helpers --------------------------------------------------------------------

    @staticmethod
    def _check_ids(conn: DbConn, ids: Sequence[int]) -> None:
        for story_id in ids:
            if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                raise StoryNotFound(f"no story with id {story_id}")

    @staticmethod
    def _invalidate_analysis(conn: DbConn, story_id: int) -> None:
        """The story's text changed: its cached analysis and derived indexes are stale."""
        conn.execute("DELETE FROM analysis WHERE story_id = ?", (story_id,))
        conn.execute("DELETE FROM story_actors WHERE story_id = ?", (story_id,))
        conn.execute("DELETE FROM story_dates WHERE story_id = ?", (story_id,))

    @staticmethod
    def _tag_ids(conn: DbConn, names: Iterable[str]) -> list[int]:
        ids = []
        for raw in names:
            name = normalise_tag(raw)
            if not name:
                continue
            conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT DO NOTHING", (name,))
            row = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
            ids.append(int(row[0]))
        return ids

    @classmethod
    def _tag_source(cls, conn: DbConn, source_id: int, tags: Iterable[str]) -> None:
        """Give a source these tags (its new stories inherit them)."""
        conn.executemany(
            "INSERT INTO source_tags (source_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(source_id, tag_id) for tag_id in cls._tag_ids(conn, tags)],
        )

    def _tag_stories(self, conn: DbConn, story_ids: Sequence[int], tag_ids: Sequence[int]) -> None:
        """Tag stories, signed by this desk's user and now (a tag already there keeps its
        signature)."""
        when = _utc_now()
        conn.executemany(
            "INSERT INTO story_tags (story_id, tag_id, tagged_by, tagged_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [(s, t, self.user, when) for s in story_ids for t in tag_ids],
        )

    def _tags_of(self, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        out: dict[int, list[str]] = {}
        for chunk in chunked(ids):
            rows = self._query(
                "SELECT st.story_id, t.name FROM story_tags st JOIN tags t ON t.id = st.tag_id "
                f"WHERE st.story_id IN ({marks(len(chunk))}) ORDER BY t.name{self.sql.nocase}",
                chunk,
            )
            for r in rows:
                out.setdefault(int(r[0]), []).append(str(r[1]))
        return {k: tuple(v) for k, v in out.items()}

    _SOURCE_FIELDS = frozenset(
        "url title etag last_modified last_fetch last_success last_error failures retry_after".split()
    )

    def _set_source_fields(self, conn: DbConn, source_id: int, fields: dict[str, Any]) -> None:
        unknown = set(fields) - self._SOURCE_FIELDS
        if unknown:
            raise ValueError(f"unknown source fields: {sorted(unknown)}")
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            conn.execute(
                f"UPDATE sources SET {assignments} WHERE id = ?", (*fields.values(), source_id)
            )
