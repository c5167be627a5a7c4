"""The PostgreSQL backend: one shared desk for a newsroom (``newsdesk[postgres]``).

Same mixins, same SQL as the SQLite store (``?`` placeholders are rewritten
for psycopg); what differs is here: a connection pool instead of per-thread
files, triage state per user (``story_state``; the user is a session setting
the SQL reads with ``current_setting``), full-text search on a ``tsvector`` of
unaccented title and text, LISTEN/NOTIFY for live desks, advisory locks so a
feed is fetched by one process at a time, and error lines that never carry the
password. A server that goes away raises ``StoreUnavailable``; the pool
reconnects by itself when it is back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg_pool import ConnectionPool

from tui.store.base import DbConn, Dialect
from tui.store.errors import (
    StoreConflict,
    StoreError,
    StoreLocked,
    StoreReadOnly,
    StoreUnavailable,
)
from tui.store.ingest import IngestStatus
from tui.store.models import StoryIn, UpsertStatus, status_columns, utc_iso
from tui.store.pg_ingest import upsert_batch, write_feeds
from tui.store.pg_schema import CHANNEL, migrate
from tui.store.queries import fts_terms
from tui.store.store import Store
from tui.store.urls import redact, redact_url, url_password

# The pool logs failed reconnects at WARNING; with no handler Python would print
# them on stderr, over the desk's screen. Callers see StoreUnavailable instead.
logging.getLogger("psycopg").addHandler(logging.NullHandler())

_USER_SQL = "current_setting('newsdesk.user')"
FAILING_WAIT = 0.5  # seconds to wait for a connection while the server is away
FETCH_LOCK = 0x6665  # advisory lock namespace for "fetching source <id>"

POSTGRES = Dialect(
    name="postgresql",
    tag_names="string_agg(t.name::text, chr(31))",
    nocase="",  # tags.name is CITEXT
    state_join=(" LEFT JOIN story_state us ON us.story_id = s.id AND us.user_name = " + _USER_SQL),
    read="COALESCE(us.read, 0)",
    saved="COALESCE(us.saved, 0)",
    archived="COALESCE(us.archived, 0)",
)


@lru_cache(maxsize=512)
def pg_sql(sql: str) -> str:
    """The store's ``?`` placeholders as psycopg's ``%s`` (literal ``%`` escaped)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _clean(params: Any) -> Any:
    # PostgreSQL text cannot hold NUL; SQLite could, so a feed with one must not fail here.
    if isinstance(params, dict):
        return params
    return [p.replace("\x00", "") if isinstance(p, str) else p for p in params]


class KeyRow(tuple[Any, ...]):
    """A row readable by position and by column name, like ``sqlite3.Row``."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> KeyRow:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """Column names, in order."""
        return list(self._index)


def key_rows(cursor: Any) -> Callable[[Sequence[Any]], KeyRow]:
    """psycopg row factory making ``KeyRow``s."""
    index = {col.name: i for i, col in enumerate(cursor.description or ())}
    return lambda values: KeyRow(values, index)


def _raw(conn: DbConn) -> psycopg.Connection[Any]:
    """The psycopg connection behind a transaction's ``DbConn``."""
    assert isinstance(conn, _PgConn)
    return conn.raw


class _PgConn:
    """A psycopg connection speaking the store's ``DbConn`` (``?`` placeholders)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.raw = conn

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.raw.execute(pg_sql(sql), _clean(parameters))

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Any:
        cur = self.raw.cursor()
        rows = [_clean(p) for p in seq_of_parameters]
        if rows:
            cur.executemany(pg_sql(sql), rows)
        return cur


def describe_error(exc: BaseException, *secrets: str | None) -> str:
    """One line for a driver error, with no password in it."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return redact(text, *secrets)


def translate(exc: psycopg.Error, *secrets: str | None) -> StoreError:
    """The store's exception for a psycopg error."""
    from psycopg import errors as e

    line = describe_error(exc, *secrets)
    if isinstance(exc, e.IntegrityError):
        return StoreConflict(line)
    if isinstance(exc, e.ReadOnlySqlTransaction | e.InsufficientPrivilege):
        return StoreReadOnly(f"the database cannot be written: {line}")
    if isinstance(exc, e.LockNotAvailable | e.DeadlockDetected | e.QueryCanceled):
        return StoreLocked(f"the database is busy: {line}")
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return StoreUnavailable(f"cannot reach the database: {line}")
    return StoreError(line)


class PgConnection:
    """The PostgreSQL backend's plumbing: pool, transactions, reads, notifications, locks."""

    sql = POSTGRES
    read_only = False

    @contextlib.contextmanager
    def fail_fast(self) -> Iterator[None]:
        """A server has no busy wait to cut short: writes queue on row locks, briefly."""
        yield

    def __init__(self, url: str, user: str, *, pool_size: int = 8, timeout: float = 5.0) -> None:
        self.path: Path | None = None
        self.url = url
        self.user = user
        password = url_password(url)
        self._secrets = (password, quote(password, safe="")) if password else ()
        self._timeout = timeout
        self._failing = False  # the last call could not reach the server
        self._callbacks: list[Callable[[str, str], None]] = []
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        self.changes = 0  # notifications seen (tests and the desk's poll use it)
        # Server processes of our own pool: their changes are not news to this desk.
        self._own_pids: set[int] = set()
        try:
            with psycopg.connect(
                url, autocommit=True, connect_timeout=max(1, int(timeout))
            ) as conn:
                migrate(conn)
        except psycopg.Error as exc:
            raise translate(exc, *self._secrets) from None
        self._pool: ConnectionPool[Any] = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={
                "autocommit": True,
                "row_factory": key_rows,
                "connect_timeout": max(1, int(timeout)),
            },
            configure=self._configure,
            check=ConnectionPool.check_connection,
            timeout=timeout,
            reconnect_timeout=10 * 365 * 86400.0,  # keep trying: the server will be back
            open=False,
            name="newsdesk",
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
        except psycopg.Error as exc:
            self._pool.close()
            raise translate(exc, *self._secrets) from None

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute("SELECT set_config('newsdesk.user', %s, false)", (self.user,))
        self._own_pids.add(conn.info.backend_pid)

    @property
    def backend(self) -> str:
        return "postgresql"

    @property
    def display_url(self) -> str:
        """The URL as it may be shown: no password."""
        return redact_url(self.url)

    def close(self) -> None:
        """Stop listening and close the pool (idempotent)."""
        self._stop.set()
        if self._listener is not None:
            self._listener.join(timeout=3)
            self._listener = None
        with contextlib.suppress(Exception):
            self._pool.close(timeout=2)

    def _wait(self) -> float:
        """How long to wait for a pooled connection: briefly while the server is known to be
        away (the pool keeps reconnecting in the background), so a desk does not freeze."""
        return FAILING_WAIT if self._failing else self._timeout

    def _failed(self, exc: psycopg.Error) -> StoreError:
        error = translate(exc, *self._secrets)
        self._failing = isinstance(error, StoreUnavailable)
        return error

    @contextlib.contextmanager
    def transaction(self) -> Iterator[DbConn]:
        """One transaction on one pooled connection (committed when the block ends)."""
        try:
            with self._pool.connection(timeout=self._wait()) as conn, conn.transaction():
                yield _PgConn(conn)
        except psycopg.Error as exc:
            raise self._failed(exc) from None
        self._failing = False

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            with self._pool.connection(timeout=self._wait()) as conn:
                rows: list[Any] = conn.execute(pg_sql(sql), _clean(params)).fetchall()
        except psycopg.Error as exc:
            raise self._failed(exc) from None
        self._failing = False
        return rows

    # -- live desks ---------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[str, str], None]) -> None:
        """Call ``callback(kind, user)`` (on a background thread) whenever another store
        (another desk, the team fetcher) changes something: ``stories``, ``tags``, ``note``,
        ``state``, ``sources``; and ``reconnected`` after the server came back (changes
        may have been missed meanwhile).
        """
        self._callbacks.append(callback)
        if self._listener is None:
            self._listener = threading.Thread(
                target=self._listen, name="newsdesk-listen", daemon=True
            )
            self._listener.start()

    def _dispatch(self, kind: str, user: str) -> None:
        self.changes += 1
        for callback in list(self._callbacks):
            with contextlib.suppress(Exception):  # a closed desk must not stop the others
                callback(kind, user)

    def _listen(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    if not first:
                        self._dispatch("reconnected", "")
                    first = False
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.25):
                            kind, pid, user = [*note.payload.split(" ", 2), "", ""][:3]
                            if pid.isdigit() and int(pid) in self._own_pids:
                                continue
                            self._dispatch(kind, user)
            except psycopg.Error:
                self._stop.wait(1.0)

    # -- one fetch per feed ---------------------------------------------------------------------

    @contextlib.contextmanager
    def claim_sources(self, ids: Sequence[int]) -> Iterator[set[int]]:
        """The ids of these sources no other process is fetching, held until the block ends.

        Session advisory locks on one connection: a fetcher killed mid-refresh
        loses its session, and with it the locks, so nothing stays claimed.
        """
        try:
            with self._pool.connection() as conn:
                # one round trip each way, however many sources (one per source was
                # 400 round trips for a 200-feed refresh)
                claimed = {
                    int(r[0])
                    for r in conn.execute(
                        "SELECT i FROM unnest(%s::bigint[]) AS i "
                        "WHERE pg_try_advisory_lock(%s::int, i::int)",
                        (sorted(set(ids)), FETCH_LOCK),
                    ).fetchall()
                }
                try:
                    yield claimed
                finally:
                    with contextlib.suppress(psycopg.Error):
                        conn.execute(
                            "SELECT pg_advisory_unlock(%s::int, i::int) "
                            "FROM unnest(%s::bigint[]) AS i",
                            (FETCH_LOCK, sorted(claimed)),
                        )
        except psycopg.Error as exc:
            raise translate(exc, *self._secrets) from None


class PgStore(PgConnection, Store):
    """The newsdesk database on PostgreSQL, shared by a team.

    It is a ``Store`` (every area mixin is shared; callers typed against
    ``Store`` take it as is) whose plumbing and per-user triage come first in
    the method order.
    """

    @classmethod
    def open(cls, path: Any, *, user: str = "") -> PgStore:
        """Connect to (create the schema of, migrate) the database at URL ``path``."""
        from tui.store.users import default_user

        return cls(str(path), user or default_user())

    def __enter__(self) -> PgStore:
        return self

    # -- full-text search: tsvector of unaccented text, prefix on the last word -------------------

    @staticmethod
    def _tsquery(text: str) -> str | None:
        terms = fts_terms(text)
        if not terms:
            return None
        quoted = [f"'{t}'" for t in terms]
        quoted[-1] += ":*"
        return " & ".join(quoted)

    def _text_match(self, text: str) -> tuple[str, list[Any]]:
        query = self._tsquery(text)
        if query is None:
            return "1 = 0", []
        return "s.fts @@ to_tsquery('simple', newsdesk_unaccent(?))", [query]

    # -- ingest: a feed in a few round trips (``pg_ingest``), not three per story ---------------

    def ingest_many(
        self,
        feeds: Sequence[tuple[int, Iterable[StoryIn], Iterable[str], IngestStatus]],
    ) -> list[list[tuple[int, UpsertStatus]] | Exception]:
        """``Store.ingest_many``, all feeds in one pass of a few statements (``pg_ingest``).

        Should any feed fail, the pass is rolled back and the feeds are written one
        by one (savepoints), so a bad feed is reported alone, as on SQLite.
        """
        batch = [(sid, list(stories), tuple(tags), status) for sid, stories, tags, status in feeds]
        now = utc_iso()
        try:
            with self.transaction() as conn:
                return list(self._ingest_all(conn, batch, now))
        except (StoreUnavailable, StoreLocked):
            raise
        except Exception:  # retried feed by feed: each error is reported with its feed
            return super().ingest_many(batch)

    def _ingest_all(
        self,
        conn: DbConn,
        feeds: Sequence[tuple[int, list[StoryIn], tuple[str, ...], IngestStatus]],
        now: str,
    ) -> list[list[tuple[int, UpsertStatus]]]:
        fields = [status_columns(status) for *_, status in feeds]
        for columns in fields:  # an unknown field fails before anything is written
            if set(columns) - self._SOURCE_FIELDS:
                raise ValueError(f"unknown source fields: {sorted(set(columns))}")
        results = write_feeds(_raw(conn), [(sid, stories) for sid, stories, *_ in feeds], now)
        news = [[i for i, state in result if state == "new"] for result in results]
        self._stories_added(conn, sum(map(len, news)))
        tag_ids: dict[tuple[str, ...], list[int]] = {}
        pairs: list[tuple[int, int]] = []
        for (_, _, tags, _), new_ids in zip(feeds, news, strict=True):
            if tags and new_ids:
                if tags not in tag_ids:
                    tag_ids[tags] = self._tag_ids(conn, tags)
                pairs.extend((s, t) for s in new_ids for t in tag_ids[tags])
        conn.executemany(
            "INSERT INTO story_tags (story_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            sorted(set(pairs)),
        )
        by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for (source_id, *_), columns in zip(feeds, fields, strict=True):
            if columns:
                by_columns.setdefault(tuple(columns), []).append((*columns.values(), source_id))
        for names, rows in by_columns.items():
            assignments = ", ".join(f"{name} = ?" for name in names)
            conn.executemany(f"UPDATE sources SET {assignments} WHERE id = ?", rows)
        return results

    def _upsert_feed(
        self, conn: DbConn, source_id: int | None, stories: list[StoryIn], now: str
    ) -> list[tuple[int, UpsertStatus]]:
        """One feed's stories in a few round trips (``pg_ingest``), not three per story;
        ``ingest`` and ``upsert_stories`` (the store's shared code) call it."""
        return upsert_batch(_raw(conn), source_id, stories, now)

    def _stories_added(self, conn: DbConn, count: int) -> None:
        if count:
            conn.execute(
                "WITH bump AS (UPDATE desk_stats SET stories = stories + ?) "
                f"SELECT pg_notify('{CHANNEL}', 'stories ' || pg_backend_pid() || ' ' || "
                f"{_USER_SQL})",
                (count,),
            )

    # -- per-user triage state --------------------------------------------------------------------

    def _write_flags(self, conn: DbConn, ids: Sequence[int], **flags: bool) -> None:
        names = list(flags)
        values = [int(v) for v in flags.values()]
        updates = ", ".join(f"{n} = excluded.{n}" for n in names)
        conn.executemany(
            f"INSERT INTO story_state (story_id, user_name, {', '.join(names)}) "
            f"VALUES (?, {_USER_SQL}, {', '.join('?' * len(names))}) "
            f"ON CONFLICT (story_id, user_name) DO UPDATE SET {updates}, changed = excluded.changed",
            [(i, *values) for i in sorted(set(ids))],  # one lock order: no deadlocks between desks
        )

    def counts(self) -> dict[str, int]:
        """Desk-wide counts for the header: total, and this user's unread and saved (O(1))."""
        row = self._query(
            "SELECT d.stories, COALESCE(u.done, 0), COALESCE(u.saved, 0) FROM desk_stats d "
            f"LEFT JOIN user_stats u ON u.user_name = {_USER_SQL}"
        )[0]
        total = int(row[0] or 0)
        return {"total": total, "unread": total - int(row[1]), "saved": int(row[2])}

    def unread_by_source(self) -> dict[int, int]:
        """This user's unread stories per source id (O(sources), kept by triggers)."""
        rows = self._query(
            "SELECT st.source_id, st.total - COALESCE(x.done, 0) FROM source_stats st "
            "LEFT JOIN source_user_stats x ON x.source_id = st.source_id "
            f"AND x.user_name = {_USER_SQL} WHERE st.total - COALESCE(x.done, 0) > 0"
        )
        return {int(r[0]): int(r[1]) for r in rows}

    # -- who did what ------------------------------------------------------------------------------

    def story_credits(self, story_id: int) -> list[tuple[str, str, str, str]]:
        """(what, name, who, when) for each tag and the note of a story: shared work, signed."""
        rows = self._query(
            "SELECT 'tag', t.name::text, st.tagged_by, st.tagged_at FROM story_tags st "
            "JOIN tags t ON t.id = st.tag_id WHERE st.story_id = ? "
            "UNION ALL SELECT 'note', '', note_by, note_at FROM stories "
            "WHERE id = ? AND note != '' ORDER BY 1 DESC, 2",
            (story_id, story_id),
        )
        return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]
