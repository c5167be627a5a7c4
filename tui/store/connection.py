"""SQLite connections and transactions: one connection per thread, one writer at a time.

WAL lets readers run beside a writer, but only on *different* connections: with
one shared connection a refresh's write transaction would make every UI read
wait behind it. So each thread gets its own connection (opened on first use,
closed when the thread ends or the store closes), and in-process writers queue
on a lock instead of spinning in SQLite's busy handler. ``:memory:`` databases
exist per connection, so they keep one shared connection behind the same lock.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tui.store.base import DbConn, Dialect, StoreBase
from tui.store.database import configure, connect_read_only
from tui.store.errors import (
    StoreConflict,
    StoreError,
    StoreLocked,
    StoreReadOnly,
    StoreUnavailable,
)
from tui.store.users import default_user

SQLITE = Dialect(
    name="sqlite",
    tag_names="group_concat(t.name, char(31))",
    nocase=" COLLATE NOCASE",
    state_join="",
    read="s.read",
    saved="s.saved",
    archived="s.archived",
)


def translate(exc: sqlite3.Error) -> StoreError:
    """The store's exception for a driver error (the message stays one line)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, sqlite3.IntegrityError):
        return StoreConflict(text)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreLocked(f"the database is busy (another writer): {text}")
    if "readonly" in lowered or "read-only" in lowered:
        return StoreReadOnly(f"the database cannot be written: {text}")
    if isinstance(exc, sqlite3.OperationalError) and "unable to open" in lowered:
        return StoreUnavailable(text)
    return StoreError(text)


class _Held:
    """A thread's connection; closing it when the thread's locals are dropped."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __del__(self) -> None:
        self.close()


class SqliteConnection(StoreBase):
    """The SQLite backend's plumbing: open, close, transactions, reads."""

    sql = SQLITE

    def __init__(
        self, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False
    ) -> None:
        self.path = path
        self.user = default_user()  # ``Store.open(..., user=)`` sets the configured one
        #: Opened read-only (a file or folder we may not write): every write raises.
        self.read_only = read_only
        self._fail_fast = threading.local()
        self._first = _Held(conn)  # migrated by ``connect``; kept for the store's life
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._local.held = self._first
        # Weak: a finished thread's connection closes as soon as its locals go.
        self._all: weakref.WeakSet[_Held] = weakref.WeakSet()
        self._closed = False

    @property
    def backend(self) -> str:
        """``sqlite`` (or ``postgresql``): for messages and backend-specific tests."""
        return "sqlite"

    @property
    def shared_connection(self) -> bool:
        """True for ``:memory:``: one connection, every access under the lock."""
        return self.path is None

    @property
    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        if self.shared_connection:
            return self._first.conn
        held: _Held | None = getattr(self._local, "held", None)
        if held is None:
            if self._closed:
                raise StoreError("the store is closed")
            assert self.path is not None
            try:
                if self.read_only:  # every thread reads the way the store was opened
                    conn = connect_read_only(self.path)
                else:
                    conn = configure(
                        sqlite3.connect(
                            str(self.path),
                            timeout=10.0,
                            isolation_level=None,
                            check_same_thread=False,
                        ),
                        self.path,
                    )
            except sqlite3.Error as exc:
                raise translate(exc) from exc
            held = _Held(conn)
            self._local.held = held
            with self._write_lock:
                self._all.add(held)
        return held.conn

    def close(self) -> None:
        """Close every connection (idempotent)."""
        with self._write_lock:
            self._closed = True
            for held in [self._first, *self._all]:
                held.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def claim_sources(self, ids: Sequence[int]) -> Iterator[set[int]]:
        """Every source is ours to fetch: SQLite writers queue anyway (see ``PgStore``)."""
        yield set(ids)

    def subscribe(self, callback: Callable[[str, str], None]) -> None:
        """No server to notify a SQLite desk: desks on one file poll (``DeskScreen.poll_store``)."""

    def story_credits(self, story_id: int) -> list[tuple[str, str, str, str]]:
        """(what, name, who, when) for each tag and the note of a story, as on a shared desk
        (a file copied to PostgreSQL keeps them; tags set before schema v4 have no name)."""
        rows = self._query(
            "SELECT 'tag', t.name, st.tagged_by, st.tagged_at FROM story_tags st "
            "JOIN tags t ON t.id = st.tag_id WHERE st.story_id = ? "
            "UNION ALL SELECT 'note', '', note_by, note_at FROM stories "
            "WHERE id = ? AND note != '' ORDER BY 1 DESC, 2 COLLATE NOCASE",
            (story_id, story_id),
        )
        return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]

    @contextlib.contextmanager
    def fail_fast(self) -> Iterator[None]:
        """In this thread, a write that would wait for another writer's lock fails at once.

        The desk's write queue retries such writes itself, so the UI thread never
        waits behind a 10 s busy wait.
        """
        self._fail_fast.on = True
        try:
            yield
        finally:
            self._fail_fast.on = False

    def transaction(self) -> contextlib.AbstractContextManager[DbConn]:
        """One write transaction; ``BEGIN IMMEDIATE`` takes the write lock up front."""
        return self._transaction_on(bulk=False)

    def bulk_transaction(self) -> contextlib.AbstractContextManager[DbConn]:
        """``transaction`` for many small statements that each write a row and fire triggers
        (see ``_transaction_on``)."""
        return self._transaction_on(bulk=True)

    @contextlib.contextmanager
    def _transaction_on(self, *, bulk: bool) -> Iterator[DbConn]:
        """``bulk``: many small statements that each write a row and fire triggers
        (a feed's stories). SQLite opens a statement journal for every such
        statement (a trigger or a foreign key may abort it halfway), in a
        temporary file by default; for the transaction it is kept in memory
        instead, which took a fifth off storing a 10,000-story refresh. Only
        here: a statement that rewrites much of a big desk (marking everything
        read) keeps its journal on disk.
        """
        with self._write_lock:
            conn = self._conn
            if bulk:
                self._set_temp_store(conn, "MEMORY")
            try:
                with self._transaction(conn) as tx:
                    yield tx
            finally:
                if bulk:
                    self._set_temp_store(conn, "DEFAULT")

    @staticmethod
    def _set_temp_store(conn: sqlite3.Connection, where: str) -> None:
        with contextlib.suppress(sqlite3.Error):  # only ever a speed-up
            conn.execute(f"PRAGMA temp_store = {where}")

    @contextlib.contextmanager
    def _transaction(self, conn: sqlite3.Connection) -> Iterator[DbConn]:
        try:
            if getattr(self._fail_fast, "on", False):
                conn.execute("PRAGMA busy_timeout = 0")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                finally:
                    conn.execute("PRAGMA busy_timeout = 10000")
            else:
                conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        try:
            last_id = self._last_story_id(conn)
            yield conn
            self._index_new_stories(conn, last_id)
            conn.execute("COMMIT")
        except BaseException as exc:
            # SQLite may already have rolled back (disk full, I/O error): a second
            # ROLLBACK would replace the real error with "no transaction is active".
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise translate(exc) from exc
            raise

    @staticmethod
    def _last_story_id(conn: DbConn) -> int:
        """The highest story id (one step down the rowid b-tree, not a scan)."""
        return int(conn.execute("SELECT COALESCE(max(id), 0) FROM stories").fetchone()[0])

    @staticmethod
    def _index_new_stories(conn: DbConn, last_id: int) -> None:
        """Add the stories inserted in this transaction to the full-text index, in one statement.

        New rows always get ids above the highest id at ``BEGIN IMMEDIATE`` (no
        AUTOINCREMENT gaps matter: nothing else writes meanwhile). Schema v3
        dropped the per-row insert trigger this replaces.
        """
        conn.execute(
            "INSERT INTO stories_fts (rowid, title, text) "
            "SELECT id, title, text FROM stories WHERE id > ?",
            (last_id,),
        )

    @contextlib.contextmanager
    def _reading(self) -> Iterator[DbConn]:
        """This thread's connection for a read of several statements."""
        try:
            if self.shared_connection:
                with self._write_lock:
                    yield self._conn
            else:
                yield self._conn
        except sqlite3.Error as exc:
            raise translate(exc) from exc

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            if self.shared_connection:
                with self._write_lock:
                    return self._conn.execute(sql, params).fetchall()
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc) from exc
