"""Ingest and deduplication: stories in from sources, each the same story once."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from tui.store.base import DbConn, StoreBase
from tui.store.errors import StoryNotFound
from tui.store.identity import globally_unique, may_replace_content
from tui.store.ingest_batch import upsert_feed
from tui.store.models import SourceStatus, StoryIn, UpsertStatus, status_columns, utc_iso

if TYPE_CHECKING:
    from tui.store.connection import SqliteConnection

IngestStatus = SourceStatus | Mapping[str, Any] | None


def content_hash(title: str, text: str) -> str:
    """Hash of the normalised title and text: equal for the same story from two feeds."""
    # split/join is the same as collapsing r"\s+" and stripping (both use
    # str.isspace), at a fifth of the cost.
    norm = " ".join(f"{title}\n{text}".casefold().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


class IngestMixin(StoreBase):
    """Writing fetched stories: upserts, per-feed ingest, fuller texts."""

    def ingest(
        self,
        source_id: int,
        stories: Iterable[StoryIn],
        *,
        tags: Iterable[str] = (),
        status: IngestStatus = None,
    ) -> list[tuple[int, UpsertStatus]]:
        """One fetched feed in one transaction: ``upsert_stories``, the source's ``tags``
        on its *new* stories, and the source's fetch ``status`` (``update_source`` fields).
        """
        with self._feed_transaction() as conn:
            return self._ingest(conn, source_id, stories, tags, status, utc_iso())

    def ingest_many(
        self,
        feeds: Sequence[tuple[int, Iterable[StoryIn], Iterable[str], IngestStatus]],
    ) -> list[list[tuple[int, UpsertStatus]] | Exception]:
        """``ingest`` for several fetched feeds, (source_id, stories, tags, status) each,
        in one transaction: one commit (one fsync, one full-text index flush) for all.

        Each feed is still all or nothing: one that fails is rolled back to its
        savepoint and its exception returned in its place; the others are kept.
        """
        out: list[list[tuple[int, UpsertStatus]] | Exception] = []
        now = utc_iso()
        with self._feed_transaction() as conn:
            for source_id, stories, tags, status in feeds:
                conn.execute("SAVEPOINT feed")
                try:
                    out.append(self._ingest(conn, source_id, stories, tags, status, now))
                except Exception as exc:  # reported for this feed alone
                    if not getattr(conn, "in_transaction", True):
                        raise  # SQLite dropped it all (disk full): say so, not "no savepoint"
                    conn.execute("ROLLBACK TO SAVEPOINT feed")
                    out.append(exc)
                conn.execute("RELEASE SAVEPOINT feed")
        return out

    def _feed_transaction(self) -> contextlib.AbstractContextManager[DbConn]:
        """The transaction fetched feeds are stored in: on SQLite a ``bulk`` one (statement
        journals in memory, see ``SqliteConnection.transaction``)."""
        if self.sql.name == "sqlite":
            return cast("SqliteConnection", self).bulk_transaction()
        return self.transaction()

    def _ingest(
        self,
        conn: DbConn,
        source_id: int,
        stories: Iterable[StoryIn],
        tags: Iterable[str],
        status: IngestStatus,
        now: str,
    ) -> list[tuple[int, UpsertStatus]]:
        results = self._upsert_feed(conn, source_id, list(stories), now)
        new_ids = [story_id for story_id, state in results if state == "new"]
        self._stories_added(conn, len(new_ids))
        tag_ids = self._tag_ids(conn, tags) if new_ids else []
        self._tag_stories(conn, new_ids, tag_ids)
        self._set_source_fields(conn, source_id, status_columns(status))
        return results

    def _upsert_feed(
        self, conn: DbConn, source_id: int | None, stories: list[StoryIn], now: str
    ) -> list[tuple[int, UpsertStatus]]:
        """One feed's stories, each as ``_upsert`` stores it (a backend may override
        this with its own batch: PostgreSQL does, ``pg_ingest``).

        On SQLite a feed whose entries are independent of each other is stored in
        a few statements for all of them (``ingest_batch``); anything else one
        story at a time.
        """
        if source_id is not None and len(stories) > 1 and self.sql.name == "sqlite":
            hashes = [content_hash(story.title, story.text) for story in stories]
            done = upsert_feed(conn, source_id, stories, hashes, now, self._invalidate_analysis)
            if done is not None:
                return done
        return [self._upsert(conn, source_id, story, now) for story in stories]

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
        now = utc_iso()
        with self.transaction() as conn:
            results = self._upsert_feed(conn, source_id, list(stories), now)
            self._stories_added(conn, sum(1 for _, state in results if state == "new"))
        return results

    def _stories_added(self, conn: DbConn, count: int) -> None:
        """Once per batch, after ``count`` new stories: a backend's per-batch bookkeeping.

        SQLite needs none; PostgreSQL bumps its desk-wide total and tells the other
        desks, once per feed rather than once per story (per-statement triggers made a
        refresh six times slower there).
        """

    def upsert_story(self, source_id: int | None, story: StoryIn) -> tuple[int, UpsertStatus]:
        """``upsert_stories`` for a single story."""
        return self.upsert_stories(source_id, [story])[0]

    def _find_existing(
        self, conn: DbConn, source_id: int | None, story: StoryIn, chash: str
    ) -> Any | None:
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
                        "SELECT id, content_hash, source_id FROM stories "
                        "WHERE guid = ? AND source_id IS NULL",
                        (story.guid,),
                    )
                )
            if globally_unique(story.guid):
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
        return self._first_match(conn, lookups)

    def _first_match(self, conn: DbConn, lookups: list[tuple[str, tuple[Any, ...]]]) -> Any | None:
        """The first row any lookup finds, in their order (each selects id, content_hash,
        source_id).

        One query after the other, stopping at a match: cheap on a local file. A
        server backend may run them as one statement to save round trips.
        """
        for sql, params in lookups:
            row = conn.execute(sql + " LIMIT 1", params).fetchone()
            if row is not None:
                return row
        return None

    def _upsert(
        self, conn: DbConn, source_id: int | None, story: StoryIn, now: str
    ) -> tuple[int, UpsertStatus]:
        chash = content_hash(story.title, story.text)
        published = utc_iso(story.published) if story.published else now
        existing = self._find_existing(conn, source_id, story, chash)
        status: UpsertStatus
        if existing is None:
            key = story.guid or story.url or chash
            uid = hashlib.sha256(f"{source_id}\x1f{key}".encode()).hexdigest()[:20]
            inserted = conn.execute(
                "INSERT INTO stories (uid, source_id, guid, url, title, author, published, "
                "fetched, language, text, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (uid) DO NOTHING RETURNING id",
                (
                    uid, source_id, story.guid or None, story.url, story.title, story.author,
                    published, now, story.language, story.text, chash,
                ),
            ).fetchall()  # fmt: skip
            if not inserted:  # same key seen earlier under another lookup path
                row = conn.execute("SELECT id FROM stories WHERE uid = ?", (uid,)).fetchone()
                story_id, status = int(row["id"]), "unchanged"
            else:
                story_id, status = int(inserted[0][0]), "new"
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
                self._invalidate_analysis(conn, story_id)
        if source_id is not None:
            conn.execute(
                "INSERT INTO story_sources (story_id, source_id, guid) VALUES (?, ?, ?) "
                "ON CONFLICT (story_id, source_id) DO UPDATE SET guid = excluded.guid",
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
                raise StoryNotFound(f"no story with id {story_id}")
            self._invalidate_analysis(conn, story_id)
