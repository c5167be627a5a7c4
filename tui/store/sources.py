"""Sources: subscribing, listing, and their fetch status."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tui.store.base import StoreBase
from tui.store.errors import SourceNotFound
from tui.store.models import Source, SourceStatus, status_columns, utc_iso


def merge_options(old: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """RFC 7396 merge patch, as SQLite's ``json_patch``: ``None`` removes a key."""
    out = dict(old)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_options(out[key], value)
        else:
            out[key] = value
    return out


class SourcesMixin(StoreBase):
    """Feeds and local paths, with their fetch status."""

    def _source_sql(self, where: str) -> str:
        return (
            f"SELECT s.*, (SELECT {self.sql.tag_names} FROM source_tags st "
            "JOIN tags t ON t.id = st.tag_id WHERE st.source_id = s.id) AS tag_names "
            f"FROM sources s {where}"
        )

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
            source_id = self._put_source(conn, kind, url, title, options or {})
            self._tag_source(conn, source_id, tags)
            # ``add -t TAG`` on a feed already stored: its stories get the tag too,
            # as they would have had the feed been tagged when they arrived.
            stored = [int(r[0]) for r in conn.execute(
                "SELECT id FROM stories WHERE source_id = ?", (source_id,)
            ).fetchall()]  # fmt: skip
            if stored:
                self._tag_stories(conn, stored, self._tag_ids(conn, tags))
        return self.source(source_id)

    def _put_source(
        self, conn: Any, kind: str, url: str, title: str, options: Mapping[str, Any]
    ) -> int:
        row = conn.execute(
            "SELECT id, title, options FROM sources WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            inserted = conn.execute(
                "INSERT INTO sources (kind, url, title, options, created) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (kind, url, title, json.dumps(dict(options)), utc_iso()),
            ).fetchall()
            return int(inserted[0][0])
        merged = merge_options(json.loads(row["options"] or "{}"), options)
        conn.execute(
            "UPDATE sources SET title = ?, options = ? WHERE id = ?",
            (title or row["title"], json.dumps(merged), int(row["id"])),
        )
        return int(row["id"])

    def ensure_feeds(
        self, feeds: Iterable[tuple[str, str, Sequence[str], dict[str, object]]]
    ) -> None:
        """Subscribe to (url, title, tags, options) feeds from the config, in one transaction.

        Existing sources keep their fetch state; the config's title, tags and
        options are applied on top.
        """
        with self.transaction() as conn:
            for url, title, tags, options in feeds:
                source_id = self._put_source(conn, "feed", url, title, options)
                self._tag_source(conn, source_id, tags)

    def remove_source(self, source_id: int) -> None:
        """Forget a source; its stories stay (with no source) unless only it had them."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))

    def sources(self) -> list[Source]:
        """Every source, by title."""
        rows = self._query(self._source_sql("ORDER BY lower(COALESCE(NULLIF(s.title, ''), s.url))"))
        return [self._source(r) for r in rows]

    def source(self, source_id: int) -> Source:
        """One source by id."""
        rows = self._query(self._source_sql("WHERE s.id = ?"), (source_id,))
        if not rows:
            raise SourceNotFound(f"no source with id {source_id}")
        return self._source(rows[0])

    def source_by_url(self, url: str) -> Source | None:
        """The source with this URL or path, if any."""
        rows = self._query("SELECT id FROM sources WHERE url = ?", (url,))
        return self.source(int(rows[0]["id"])) if rows else None

    def update_source(
        self, source_id: int, status: SourceStatus | None = None, **fields: Any
    ) -> None:
        """Set fetch-status columns (a ``SourceStatus``, or etag=..., last_error=..., ...)."""
        self.update_sources([(source_id, {**status_columns(status), **fields})])

    def update_sources(
        self, updates: Iterable[tuple[int, SourceStatus | Mapping[str, Any]]]
    ) -> None:
        """``update_source`` for many sources in one transaction (a refresh's 304s and errors).

        With ``synchronous = FULL`` every commit is an fsync; two hundred
        separate status updates would cost more than the refresh itself.
        """
        columns = [(i, status_columns(f)) for i, f in updates]
        columns = [(i, c) for i, c in columns if c]
        if not columns:
            return
        with self.transaction() as conn:
            for source_id, fields in columns:
                self._set_source_fields(conn, source_id, fields)

    @staticmethod
    def _source(row: Any) -> Source:
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
