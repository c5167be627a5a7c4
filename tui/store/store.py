"""The story store: every read and write of newsdesk's SQLite file goes through here.

Each public write method is exactly one transaction, so a crash or ``kill -9``
between two key presses loses nothing that was acknowledged. Methods are safe to
call from worker threads: one connection, guarded by a lock (SQLite serialises
writers anyway; WAL lets other processes read meanwhile).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tui.store.database import connect, connect_read_only, is_read_only_error
from tui.store.identity import globally_unique as _globally_unique
from tui.store.identity import may_replace_content
from tui.store.models import (
    Source,
    Story,
    StoryFilter,
    StoryIn,
    TriageState,
    UpsertStatus,
    utc_iso,
)
from tui.timex import bounds

_WS_RE = re.compile(r"\s+")
_FTS_TERM_RE = re.compile(r"\w+", re.UNICODE)

_STORY_COLUMNS = (
    "s.id, s.uid, s.source_id, s.guid, s.url, s.title, s.author, s.published, s.fetched, "
    "s.language, s.read, s.saved, s.archived, s.note, "
    "COALESCE(NULLIF(src.title, ''), src.url, '') AS source_label"
)


class NotFoundError(LookupError):
    """A story or source id that is not in the store."""


def content_hash(title: str, text: str) -> str:
    """Hash of the normalised title and text: equal for the same story from two feeds."""
    # split/join is the same as collapsing r"\s+" and stripping (both use
    # str.isspace), at a fifth of the cost.
    norm = " ".join(f"{title}\n{text}".casefold().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


def fts_query(text: str) -> str | None:
    """Turn what a user typed into a safe FTS5 query: every word, the last as a prefix."""
    terms = _FTS_TERM_RE.findall(text)
    if not terms:
        return None
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def normalise_tag(name: str) -> str:
    """Tags are single-spaced and trimmed; case is kept but compared case-insensitively."""
    return _WS_RE.sub(" ", name).strip()


class Store:
    """The newsdesk database."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False
    ) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self._fail_fast = threading.local()
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (create, migrate) the database file at ``path``.

        A file (or folder) that cannot be written is opened read-only instead
        (``read_only`` is then true and every write raises); ``list``, ``show``
        and ``export`` still work.
        """
        try:
            return cls(connect(path), None if str(path) == ":memory:" else Path(path))
        except sqlite3.OperationalError as exc:
            if str(path) == ":memory:" or not is_read_only_error(exc):
                raise
            try:
                conn = connect_read_only(path)
            except sqlite3.Error:
                raise exc from None
            return cls(conn, Path(path), read_only=True)

    @contextlib.contextmanager
    def fail_fast(self) -> Iterator[None]:
        """In this thread, a write that would wait for another writer's lock fails at once.

        The desk's write queue retries such writes itself, outside the store's
        lock, so the UI thread's reads never wait behind a 10 s busy wait.
        """
        self._fail_fast.on = True
        try:
            yield
        finally:
            self._fail_fast.on = False

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock, contextlib.suppress(sqlite3.ProgrammingError):
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``BEGIN IMMEDIATE`` takes the write lock up front."""
        with self._lock:
            if getattr(self._fail_fast, "on", False):
                self._conn.execute("PRAGMA busy_timeout = 0")
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                finally:
                    self._conn.execute("PRAGMA busy_timeout = 10000")
            else:
                self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                # SQLite may already have rolled back (disk full, I/O error): a second
                # ROLLBACK would replace the real error with "no transaction is active".
                if self._conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # -- sources ----------------------------------------------------------------

    def add_source(
        self,
        url: str,
        *,
        kind: str = "feed",
        title: str = "",
        tags: Iterable[str] = (),
        options: dict[str, object] | None = None,
    ) -> Source:
        """Add a source, or update title/tags/options of the one with this URL or path."""
        with self.transaction() as conn:
            row = conn.execute("SELECT id, title FROM sources WHERE url = ?", (url,)).fetchone()
            if row is None:
                cur = conn.execute(
                    "INSERT INTO sources (kind, url, title, options, created) VALUES (?, ?, ?, ?, ?)",
                    (kind, url, title, json.dumps(options or {}), utc_iso()),
                )
                source_id = int(cur.lastrowid or 0)
            else:
                source_id = int(row["id"])
                conn.execute(
                    "UPDATE sources SET title = ?, options = json_patch(options, ?) WHERE id = ?",
                    (title or row["title"], json.dumps(options or {}), source_id),
                )
            self._tag_source(conn, source_id, tags)
        return self.source(source_id)

    def ensure_feeds(
        self, feeds: Iterable[tuple[str, str, Sequence[str], dict[str, object]]]
    ) -> None:
        """Subscribe to (url, title, tags, options) feeds from the config, in one transaction.

        Existing sources keep their fetch state; the config's title, tags and
        options are applied on top.
        """
        with self.transaction() as conn:
            for url, title, tags, options in feeds:
                conn.execute(
                    "INSERT INTO sources (kind, url, title, options, created) "
                    "VALUES ('feed', ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                    "title = COALESCE(NULLIF(excluded.title, ''), title), "
                    "options = json_patch(options, excluded.options)",
                    (url, title, json.dumps(options), utc_iso()),
                )
                row = conn.execute("SELECT id FROM sources WHERE url = ?", (url,)).fetchone()
                self._tag_source(conn, int(row[0]), tags)

    def remove_source(self, source_id: int) -> None:
        """Forget a source; its stories stay (with no source) unless only it had them."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))

    def sources(self) -> list[Source]:
        """Every source, by title."""
        rows = self._query(
            "SELECT s.*, (SELECT group_concat(t.name, char(31)) FROM source_tags st "
            "JOIN tags t ON t.id = st.tag_id WHERE st.source_id = s.id) AS tag_names "
            "FROM sources s ORDER BY lower(COALESCE(NULLIF(s.title, ''), s.url))"
        )
        return [self._source(r) for r in rows]

    def source(self, source_id: int) -> Source:
        """One source by id."""
        rows = self._query(
            "SELECT s.*, (SELECT group_concat(t.name, char(31)) FROM source_tags st "
            "JOIN tags t ON t.id = st.tag_id WHERE st.source_id = s.id) AS tag_names "
            "FROM sources s WHERE s.id = ?",
            (source_id,),
        )
        if not rows:
            raise NotFoundError(f"no source with id {source_id}")
        return self._source(rows[0])

    def source_by_url(self, url: str) -> Source | None:
        """The source with this URL or path, if any."""
        rows = self._query("SELECT id FROM sources WHERE url = ?", (url,))
        return self.source(int(rows[0]["id"])) if rows else None

    def update_source(self, source_id: int, **fields: Any) -> None:
        """Set fetch-status columns (etag, last_error, failures, url, title, ...)."""
        self.update_sources([(source_id, fields)])

    _SOURCE_FIELDS = frozenset(
        "url title etag last_modified last_fetch last_success last_error failures retry_after".split()
    )

    def _set_source_fields(
        self, conn: sqlite3.Connection, source_id: int, fields: dict[str, Any]
    ) -> None:
        unknown = set(fields) - self._SOURCE_FIELDS
        if unknown:
            raise ValueError(f"unknown source fields: {sorted(unknown)}")
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            conn.execute(
                f"UPDATE sources SET {assignments} WHERE id = ?", (*fields.values(), source_id)
            )

    def update_sources(self, updates: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """``update_source`` for many sources in one transaction (a refresh's 304s and errors).

        With ``synchronous = FULL`` every commit is an fsync; two hundred
        separate status updates would cost more than the refresh itself.
        """
        updates = [(i, f) for i, f in updates if f]
        if not updates:
            return
        with self.transaction() as conn:
            for source_id, fields in updates:
                self._set_source_fields(conn, source_id, fields)

    def ingest(
        self,
        source_id: int,
        stories: Iterable[StoryIn],
        *,
        tags: Iterable[str] = (),
        status: dict[str, Any] | None = None,
    ) -> list[tuple[int, UpsertStatus]]:
        """One fetched feed in one transaction: ``upsert_stories``, the source's ``tags``
        on its *new* stories, and the source's fetch ``status`` (``update_source`` fields).
        """
        with self.transaction() as conn:
            return self._ingest(conn, source_id, stories, tags, status, utc_iso())

    def ingest_many(
        self,
        feeds: Sequence[tuple[int, Iterable[StoryIn], Iterable[str], dict[str, Any] | None]],
    ) -> list[list[tuple[int, UpsertStatus]] | Exception]:
        """``ingest`` for several fetched feeds, (source_id, stories, tags, status) each,
        in one transaction: one commit (one fsync, one full-text index flush) for all.

        Each feed is still all or nothing: one that fails is rolled back to its
        savepoint and its exception returned in its place; the others are kept.
        """
        out: list[list[tuple[int, UpsertStatus]] | Exception] = []
        now = utc_iso()
        with self.transaction() as conn:
            for source_id, stories, tags, status in feeds:
                conn.execute("SAVEPOINT feed")
                try:
                    out.append(self._ingest(conn, source_id, stories, tags, status, now))
                except Exception as exc:  # reported for this feed alone
                    if not conn.in_transaction:  # SQLite dropped it all (disk full): say so
                        raise
                    conn.execute("ROLLBACK TO feed")
                    out.append(exc)
                conn.execute("RELEASE feed")
        return out

    def _ingest(
        self,
        conn: sqlite3.Connection,
        source_id: int,
        stories: Iterable[StoryIn],
        tags: Iterable[str],
        status: dict[str, Any] | None,
        now: str,
    ) -> list[tuple[int, UpsertStatus]]:
        results = [self._upsert(conn, source_id, story, now) for story in stories]
        new_ids = [story_id for story_id, state in results if state == "new"]
        tag_ids = self._tag_ids(conn, tags) if new_ids else []
        conn.executemany(
            "INSERT OR IGNORE INTO story_tags (story_id, tag_id) VALUES (?, ?)",
            [(s, t) for s in new_ids for t in tag_ids],
        )
        self._set_source_fields(conn, source_id, dict(status or {}))
        return results

    @staticmethod
    def _source(row: sqlite3.Row) -> Source:
        tags = (
            tuple(sorted(row["tag_names"].split("\x1f"), key=str.casefold))
            if row["tag_names"]
            else ()
        )
        return Source(
            id=row["id"],
            kind=row["kind"],
            url=row["url"],
            title=row["title"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            last_fetch=row["last_fetch"],
            last_success=row["last_success"],
            last_error=row["last_error"],
            failures=row["failures"],
            retry_after=row["retry_after"],
            options=json.loads(row["options"] or "{}"),
            tags=tags,
        )

    # -- stories: ingest -----------------------------------------------------------

    def upsert_stories(
        self, source_id: int | None, stories: Iterable[StoryIn]
    ) -> list[tuple[int, UpsertStatus]]:
        """Store a batch from one source in one transaction; report new/updated/unchanged.

        A story is the same story when it has the same guid (or link) in this
        source, or the same guid, link or normalised title+text from any source
        (``identity.same_story``): then the source is listed beside it, and if
        the source is the one that first brought it, it is updated in place
        (keeping tags, note and read state). Another source never rewrites it
        (``identity.may_replace_content``).
        """
        results: list[tuple[int, UpsertStatus]] = []
        now = utc_iso()
        with self.transaction() as conn:
            for story in stories:
                results.append(self._upsert(conn, source_id, story, now))
        return results

    def upsert_story(self, source_id: int | None, story: StoryIn) -> tuple[int, UpsertStatus]:
        """``upsert_stories`` for a single story."""
        return self.upsert_stories(source_id, [story])[0]

    def _find_existing(
        self, conn: sqlite3.Connection, source_id: int | None, story: StoryIn, chash: str
    ) -> sqlite3.Row | None:
        lookups: list[tuple[str, tuple[Any, ...]]] = []
        if story.guid:
            if source_id is not None:
                lookups.append(
                    (
                        "SELECT s.id, s.content_hash, s.source_id FROM story_sources ss JOIN stories s "
                        "ON s.id = ss.story_id WHERE ss.source_id = ? AND ss.guid = ?",
                        (source_id, story.guid),
                    )
                )
            else:
                lookups.append(
                    (
                        "SELECT id, content_hash, source_id FROM stories WHERE guid = ? AND source_id IS NULL",
                        (story.guid,),
                    )
                )
            if _globally_unique(story.guid):
                lookups.append(
                    (
                        "SELECT id, content_hash, source_id FROM stories WHERE guid = ?",
                        (story.guid,),
                    )
                )
        if story.url:
            lookups.append(
                ("SELECT id, content_hash, source_id FROM stories WHERE url = ?", (story.url,))
            )
        lookups.append(
            ("SELECT id, content_hash, source_id FROM stories WHERE content_hash = ?", (chash,))
        )
        for sql, params in lookups:
            row = conn.execute(sql + " LIMIT 1", params).fetchone()
            if row is not None:
                return row  # type: ignore[no-any-return]
        return None

    def _upsert(
        self, conn: sqlite3.Connection, source_id: int | None, story: StoryIn, now: str
    ) -> tuple[int, UpsertStatus]:
        chash = content_hash(story.title, story.text)
        published = utc_iso(story.published) if story.published else now
        existing = self._find_existing(conn, source_id, story, chash)
        status: UpsertStatus
        if existing is None:
            key = story.guid or story.url or chash
            uid = hashlib.sha256(f"{source_id}\x1f{key}".encode()).hexdigest()[:20]
            cur = conn.execute(
                "INSERT INTO stories (uid, source_id, guid, url, title, author, published, "
                "fetched, language, text, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (uid) DO NOTHING",
                (
                    uid, source_id, story.guid or None, story.url, story.title, story.author,
                    published, now, story.language, story.text, chash,
                ),
            )  # fmt: skip
            if cur.rowcount == 0:  # same key seen earlier under another lookup path
                row = conn.execute("SELECT id FROM stories WHERE uid = ?", (uid,)).fetchone()
                story_id, status = int(row["id"]), "unchanged"
            else:
                story_id, status = int(cur.lastrowid or 0), "new"
        else:
            story_id = int(existing["id"])
            if existing["content_hash"] == chash or not may_replace_content(
                existing["source_id"], source_id
            ):  # another source's story: linked below, its content never rewritten
                status = "unchanged"
            else:
                status = "updated"
                conn.execute(
                    "UPDATE stories SET title = ?, text = ?, url = COALESCE(NULLIF(?, ''), url), "
                    "author = COALESCE(NULLIF(?, ''), author), language = "
                    "COALESCE(NULLIF(?, ''), language), content_hash = ?, fetched = ? WHERE id = ?",
                    (story.title, story.text, story.url, story.author, story.language, chash, now,
                     story_id),
                )  # fmt: skip
                if story.published:
                    conn.execute(
                        "UPDATE stories SET published = ? WHERE id = ?", (published, story_id)
                    )
                # The text changed: its cached analysis and derived indexes are stale.
                conn.execute("DELETE FROM analysis WHERE story_id = ?", (story_id,))
                conn.execute("DELETE FROM story_actors WHERE story_id = ?", (story_id,))
                conn.execute("DELETE FROM story_dates WHERE story_id = ?", (story_id,))
        if source_id is not None:
            conn.execute(
                "INSERT INTO story_sources (story_id, source_id, guid) VALUES (?, ?, ?) "
                "ON CONFLICT DO UPDATE SET guid = excluded.guid",
                (story_id, source_id, story.guid or None),
            )
        return story_id, status

    def set_story_text(self, story_id: int, text: str) -> None:
        """Replace a story's text with a fuller one (the article behind a feed summary).

        The content hash is left as the feed entry's, so the next refresh of the
        same summary counts as unchanged instead of reverting to the summary; an
        edited entry still updates the story as usual.
        """
        with self.transaction() as conn:
            cur = conn.execute("UPDATE stories SET text = ? WHERE id = ?", (text, story_id))
            if cur.rowcount == 0:
                raise NotFoundError(f"no story with id {story_id}")
            conn.execute("DELETE FROM analysis WHERE story_id = ?", (story_id,))
            conn.execute("DELETE FROM story_actors WHERE story_id = ?", (story_id,))
            conn.execute("DELETE FROM story_dates WHERE story_id = ?", (story_id,))

    # -- stories: read -------------------------------------------------------------

    def _where(self, flt: StoryFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if flt.ids is not None:
            clauses.append(f"s.id IN ({','.join('?' * len(flt.ids)) or 'NULL'})")
            params.extend(flt.ids)
        if flt.source_id is not None:
            clauses.append("s.id IN (SELECT story_id FROM story_sources WHERE source_id = ?)")
            params.append(flt.source_id)
        if flt.tags:
            marks = ",".join("?" * len(flt.tags))
            if flt.all_tags:
                clauses.append(
                    f"(SELECT count(DISTINCT t.id) FROM story_tags st JOIN tags t ON t.id = st.tag_id "
                    f"WHERE st.story_id = s.id AND t.name IN ({marks})) = ?"
                )
                params.extend(flt.tags)
                params.append(len({t.casefold() for t in flt.tags}))
            else:
                clauses.append(
                    f"s.id IN (SELECT st.story_id FROM story_tags st JOIN tags t ON t.id = st.tag_id "
                    f"WHERE t.name IN ({marks}))"
                )
                params.extend(flt.tags)
        if flt.actor:
            clauses.append("s.id IN (SELECT story_id FROM story_actors WHERE name = ?)")
            params.append(flt.actor)
        if flt.language:
            clauses.append("s.language = ?")
            params.append(flt.language)
        if flt.unread:
            clauses.append("s.read = 0 AND s.archived = 0")
        elif not flt.include_archived:
            clauses.append("s.archived = 0")
        if flt.saved:
            clauses.append("s.saved = 1")
        if flt.upcoming:
            clauses.append(
                "s.id IN (SELECT story_id FROM story_dates WHERE upcoming = 1 AND ends >= ?)"
            )
            params.append(dt.date.today().isoformat())
        if flt.query:
            match = fts_query(flt.query)
            if match is None:
                clauses.append("0")
            else:
                clauses.append("s.id IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)")
                params.append(match)
        if flt.since:
            clauses.append("s.published >= ?")
            params.append(flt.since)
        if flt.until:
            clauses.append("s.published < ?")
            params.append(flt.until)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def list_stories(
        self,
        flt: StoryFilter | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
        after: tuple[str, int] | None = None,
        with_text: bool = False,
        reverse: bool = False,
    ) -> list[Story]:
        """A page of stories, newest first (oldest first with ``reverse``).

        ``after`` is the (published, id) of the last row of the previous page:
        keyset paging costs O(page) however deep the user scrolls. ``reverse``
        lets a list reach its far end cheaply (the last page is the first page
        of the reversed order).
        """
        where, params = self._where(flt or StoryFilter())
        if after is not None:
            op = ">" if reverse else "<"
            where += (" AND " if where else " WHERE ") + f"(s.published, s.id) {op} (?, ?)"
            params.extend(after)
        order = "ASC" if reverse else "DESC"
        text_col = ", s.text" if with_text else ", '' AS text"
        sql = (
            f"SELECT {_STORY_COLUMNS}{text_col} FROM stories s "
            f"LEFT JOIN sources src ON src.id = s.source_id{where} "
            f"ORDER BY s.published {order}, s.id {order} LIMIT ? OFFSET ?"
        )
        rows = self._query(sql, [*params, limit, offset])
        return self._stories(rows)

    def count_stories(self, flt: StoryFilter | None = None) -> int:
        """How many stories match (uses the same indexes as ``list_stories``)."""
        where, params = self._where(flt or StoryFilter())
        return int(self._query(f"SELECT count(*) FROM stories s{where}", params)[0][0])

    def story(self, story_id: int) -> Story:
        """One story with its text."""
        rows = self._query(
            f"SELECT {_STORY_COLUMNS}, s.text FROM stories s "
            "LEFT JOIN sources src ON src.id = s.source_id WHERE s.id = ?",
            (story_id,),
        )
        if not rows:
            raise NotFoundError(f"no story with id {story_id}")
        return self._stories(rows)[0]

    def story_source_labels(self, story_id: int) -> list[str]:
        """Every source a (deduplicated) story arrived from."""
        rows = self._query(
            "SELECT COALESCE(NULLIF(src.title, ''), src.url) FROM story_sources ss "
            "JOIN sources src ON src.id = ss.source_id WHERE ss.story_id = ? ORDER BY src.id",
            (story_id,),
        )
        return [r[0] for r in rows]

    def source_labels(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """``story_source_labels`` for many stories at once."""
        out: dict[int, list[str]] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            rows = self._query(
                "SELECT ss.story_id, COALESCE(NULLIF(src.title, ''), src.url) FROM story_sources ss "
                f"JOIN sources src ON src.id = ss.source_id WHERE ss.story_id IN "
                f"({','.join('?' * len(chunk))}) ORDER BY ss.story_id, src.id",
                chunk,
            )
            for r in rows:
                out.setdefault(int(r[0]), []).append(r[1])
        return out

    def search(self, text: str, *, limit: int = 50) -> list[Story]:
        """Full-text search over titles and text, best match first."""
        match = fts_query(text)
        if match is None:
            return []
        rows = self._query(
            f"SELECT {_STORY_COLUMNS}, '' AS text FROM stories_fts f "
            "JOIN stories s ON s.id = f.rowid LEFT JOIN sources src ON src.id = s.source_id "
            "WHERE stories_fts MATCH ? ORDER BY bm25(stories_fts, 5.0, 1.0) LIMIT ?",
            (match, limit),
        )
        return self._stories(rows)

    def _stories(self, rows: list[sqlite3.Row]) -> list[Story]:
        tags = self._tags_of([int(r["id"]) for r in rows])
        return [
            Story(
                id=r["id"],
                uid=r["uid"],
                source_id=r["source_id"],
                source=r["source_label"],
                guid=r["guid"] or "",
                url=r["url"],
                title=r["title"],
                author=r["author"],
                published=r["published"],
                fetched=r["fetched"],
                language=r["language"],
                text=r["text"],
                read=bool(r["read"]),
                saved=bool(r["saved"]),
                archived=bool(r["archived"]),
                note=r["note"],
                tags=tags.get(int(r["id"]), ()),
            )
            for r in rows
        ]

    def _tags_of(self, ids: list[int]) -> dict[int, tuple[str, ...]]:
        if not ids:
            return {}
        out: dict[int, list[str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self._query(
                f"SELECT st.story_id, t.name FROM story_tags st JOIN tags t ON t.id = st.tag_id "
                f"WHERE st.story_id IN ({','.join('?' * len(chunk))}) ORDER BY t.name COLLATE NOCASE",
                chunk,
            )
            for r in rows:
                out.setdefault(int(r[0]), []).append(r[1])
        return {k: tuple(v) for k, v in out.items()}

    # -- triage ---------------------------------------------------------------------

    def _check_ids(self, conn: sqlite3.Connection, ids: Sequence[int]) -> None:
        for story_id in ids:
            if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                raise NotFoundError(f"no story with id {story_id}")

    def _set_flag(self, column: str, ids: Sequence[int], value: bool) -> None:
        with self.transaction() as conn:
            self._check_ids(conn, ids)
            conn.executemany(
                f"UPDATE stories SET {column} = ? WHERE id = ?", [(int(value), i) for i in ids]
            )

    def set_read(self, ids: Sequence[int], read: bool = True) -> None:
        """Mark stories read or unread."""
        self._set_flag("read", ids, read)

    def set_saved(self, ids: Sequence[int], saved: bool = True) -> None:
        """Save or unsave stories."""
        self._set_flag("saved", ids, saved)

    def set_archived(self, ids: Sequence[int], archived: bool = True) -> None:
        """Archive stories (hidden from Unread) or bring them back."""
        self._set_flag("archived", ids, archived)

    def set_note(self, story_id: int, note: str) -> None:
        """Replace the free-text note of a story."""
        with self.transaction() as conn:
            self._check_ids(conn, [story_id])
            conn.execute("UPDATE stories SET note = ? WHERE id = ?", (note, story_id))

    @classmethod
    def _tag_source(cls, conn: sqlite3.Connection, source_id: int, tags: Iterable[str]) -> None:
        """Give a source these tags (its new stories inherit them)."""
        conn.executemany(
            "INSERT OR IGNORE INTO source_tags (source_id, tag_id) VALUES (?, ?)",
            [(source_id, tag_id) for tag_id in cls._tag_ids(conn, tags)],
        )

    @staticmethod
    def _tag_ids(conn: sqlite3.Connection, names: Iterable[str]) -> list[int]:
        ids = []
        for raw in names:
            name = normalise_tag(raw)
            if not name:
                continue
            conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
            row = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
            ids.append(int(row[0]))
        return ids

    def add_tags(self, ids: Sequence[int], names: Iterable[str]) -> None:
        """Tag stories (names are case-insensitively unique; new names are created)."""
        with self.transaction() as conn:
            self._check_ids(conn, ids)
            tag_ids = self._tag_ids(conn, names)
            conn.executemany(
                "INSERT OR IGNORE INTO story_tags (story_id, tag_id) VALUES (?, ?)",
                [(s, t) for s in ids for t in tag_ids],
            )

    def remove_tags(self, ids: Sequence[int], names: Iterable[str]) -> None:
        """Untag stories; tags used by nothing any more are dropped."""
        with self.transaction() as conn:
            self._check_ids(conn, ids)
            for raw in names:
                conn.executemany(
                    "DELETE FROM story_tags WHERE story_id = ? AND tag_id = "
                    "(SELECT id FROM tags WHERE name = ?)",
                    [(s, normalise_tag(raw)) for s in ids],
                )
            self._drop_unused_tags(conn)

    @staticmethod
    def _drop_unused_tags(conn: sqlite3.Connection) -> None:
        conn.execute(
            "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM story_tags) "
            "AND id NOT IN (SELECT tag_id FROM source_tags)"
        )

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with the number of stories carrying it, by name."""
        rows = self._query(
            "SELECT t.name, count(st.story_id) FROM tags t LEFT JOIN story_tags st "
            "ON st.tag_id = t.id GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
        )
        return [(r[0], int(r[1])) for r in rows]

    def triage_state(self, ids: Sequence[int]) -> list[TriageState]:
        """The user-owned state of stories, for undo."""
        tags = self._tags_of(list(ids))
        out = []
        for story_id in ids:
            rows = self._query(
                "SELECT read, saved, archived, note FROM stories WHERE id = ?", (story_id,)
            )
            if not rows:
                raise NotFoundError(f"no story with id {story_id}")
            r = rows[0]
            out.append(
                TriageState(
                    story_id, bool(r[0]), bool(r[1]), bool(r[2]), r[3], tags.get(story_id, ())
                )
            )
        return out

    def restore_triage(self, states: Iterable[TriageState]) -> None:
        """Put stories back exactly as ``triage_state`` saw them (one transaction)."""
        with self.transaction() as conn:
            for st in states:
                exists = conn.execute("SELECT 1 FROM stories WHERE id = ?", (st.story_id,))
                if exists.fetchone() is None:  # deleted meanwhile (another desk, a prune)
                    continue
                conn.execute(
                    "UPDATE stories SET read = ?, saved = ?, archived = ?, note = ? WHERE id = ?",
                    (int(st.read), int(st.saved), int(st.archived), st.note, st.story_id),
                )
                conn.execute("DELETE FROM story_tags WHERE story_id = ?", (st.story_id,))
                for tag_id in self._tag_ids(conn, st.tags):
                    conn.execute(
                        "INSERT OR IGNORE INTO story_tags (story_id, tag_id) VALUES (?, ?)",
                        (st.story_id, tag_id),
                    )
            self._drop_unused_tags(conn)

    # -- counts ----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Desk-wide counts for the header: total, unread, saved."""
        row = self._query(
            "SELECT count(*), "
            "(SELECT count(*) FROM stories WHERE read = 0 AND archived = 0), "
            "(SELECT count(*) FROM stories WHERE saved = 1) FROM stories"
        )[0]
        return {"total": int(row[0]), "unread": int(row[1]), "saved": int(row[2])}

    def unread_by_source(self) -> dict[int, int]:
        """Unread stories per source id."""
        rows = self._query("SELECT source_id, unread FROM source_stats WHERE unread > 0")
        return {int(r[0]): int(r[1]) for r in rows}

    def source_totals(self) -> dict[int, int]:
        """Stories per source id (kept by triggers, so O(sources))."""
        rows = self._query("SELECT source_id, total FROM source_stats")
        return {int(r[0]): int(r[1]) for r in rows}

    # -- analysis cache ----------------------------------------------------------------

    def cached_analysis(self, story_id: int, version: str) -> dict[str, Any] | None:
        """The cached analysis of a story for this analyser version, if any."""
        rows = self._query(
            "SELECT data FROM analysis WHERE story_id = ? AND version = ?", (story_id, version)
        )
        return json.loads(rows[0][0]) if rows else None

    def cached_analyses(self, ids: Sequence[int], version: str) -> dict[int, dict[str, Any]]:
        """Cached analyses of many stories at once (exports read thousands)."""
        out: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            rows = self._query(
                f"SELECT story_id, data FROM analysis WHERE version = ? "
                f"AND story_id IN ({','.join('?' * len(chunk))})",
                [version, *chunk],
            )
            out.update((int(r[0]), json.loads(r[1])) for r in rows)
        return out

    def stories_without_analysis(self, version: str, *, limit: int = 100) -> list[int]:
        """Ids of (newest) stories with no analysis for this version, for background work."""
        rows = self._query(
            "SELECT s.id FROM stories s WHERE NOT EXISTS (SELECT 1 FROM analysis a "
            "WHERE a.story_id = s.id AND a.version = ?) ORDER BY s.published DESC, s.id DESC "
            "LIMIT ?",
            (version, limit),
        )
        return [int(r[0]) for r in rows]

    def save_analysis(self, story_id: int, version: str, data: dict[str, Any]) -> None:
        """Cache an analysis (``Analysis.to_dict()``) and index its actors and dates."""
        actors: dict[tuple[str, str], int] = {}
        for actor in data.get("actors", []):
            key = (str(actor["name"]), str(actor["kind"]))
            actors[key] = actors.get(key, 0) + 1
        dates = []
        for seq, date in enumerate(data.get("dates", [])):
            span = bounds(str(date["value"]))
            dates.append(
                (
                    story_id, seq, date["value"], date["granularity"], date["sentence"],
                    date.get("event", ""), int(bool(date["upcoming"])),
                    span[1].isoformat() if span else "",
                )
            )  # fmt: skip
        with self.transaction() as conn:
            conn.execute("DELETE FROM analysis WHERE story_id = ?", (story_id,))
            conn.execute(
                "INSERT INTO analysis (story_id, version, data, created) VALUES (?, ?, ?, ?)",
                (story_id, version, json.dumps(data, ensure_ascii=False), utc_iso()),
            )
            conn.execute("DELETE FROM story_actors WHERE story_id = ?", (story_id,))
            conn.executemany(
                "INSERT INTO story_actors (story_id, name, kind, mentions) VALUES (?, ?, ?, ?)",
                [(story_id, name, kind, n) for (name, kind), n in actors.items()],
            )
            conn.execute("DELETE FROM story_dates WHERE story_id = ?", (story_id,))
            conn.executemany(
                "INSERT INTO story_dates (story_id, seq, value, granularity, sentence, event, "
                "upcoming, ends) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                dates,
            )

    def actors(self, *, limit: int = 200) -> list[tuple[str, str, int]]:
        """Actors across the desk with the number of stories naming them, most first."""
        rows = self._query(
            "SELECT name, kind, stories FROM actor_stats ORDER BY stories DESC, name LIMIT ?",
            (limit,),
        )
        return [(r[0], r[1], int(r[2])) for r in rows]

    def upcoming_dates(
        self, *, start: str | None = None, end: str | None = None
    ) -> list[sqlite3.Row]:
        """Upcoming date mentions across stories, soonest first (for the agenda)."""
        clauses = ["d.upcoming = 1", "d.ends != ''"]
        params: list[Any] = []
        if start:
            clauses.append("d.ends >= ?")
            params.append(start)
        if end:
            clauses.append("d.value <= ?")
            params.append(end)
        return self._query(
            "SELECT d.*, s.title, s.url, s.uid FROM story_dates d JOIN stories s "
            f"ON s.id = d.story_id WHERE {' AND '.join(clauses)} ORDER BY d.value, d.story_id",
            params,
        )

    # -- meta ----------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A small persistent setting (e.g. whether the sample desk was offered)."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Store a small persistent setting."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
