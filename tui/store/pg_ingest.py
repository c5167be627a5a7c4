"""Batched ingest for PostgreSQL: one feed in a handful of round trips, not three per story.

The SQLite store upserts story by story (each lookup is a local index probe,
nearly free). Against a server every statement is a round trip, which made a
200-feed refresh twice as slow as on SQLite. Here a feed is written in three
steps whatever its length:

1. one query fetches every stored story that any entry of the batch could be
   (by guid, link, content hash or uid) and this source's links by guid;
2. the same-story rule (``identity``: the order of ``IngestMixin._find_existing``)
   runs in memory over those rows, entry by entry, with the entries decided
   before it visible to the ones after it, exactly as the one-by-one upsert
   sees its own earlier inserts;
3. the outcome is written with a few set-based statements: one multi-row
   INSERT (``unnest`` of arrays; the ``tsvector`` is a generated column of the
   same statement), the edits, and one upsert of the source links.

``plan_batch`` is pure (no SQL) so the rule can be tested on its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.store.identity import globally_unique, may_replace_content
from tui.store.ingest import content_hash
from tui.store.models import StoryIn, UpsertStatus, utc_iso

PENDING = 1 << 62  # ids of stories this batch inserts, until the server gives them real ones


@dataclass(slots=True)
class Known:
    """A story as the dedup rule sees it: stored, or about to be inserted by this batch."""

    id: int
    uid: str
    source_id: int | None
    guid: str | None
    url: str
    content_hash: str


@dataclass(slots=True)
class NewStory:
    """The values of one INSERT row (edited in place when a later entry updates it)."""

    uid: str
    source_id: int | None
    guid: str | None
    url: str
    title: str
    author: str
    published: str
    fetched: str
    language: str
    text: str
    content_hash: str


@dataclass(slots=True)
class Plan:
    """What one batch writes: results use ``PENDING + n`` for the n-th new story."""

    results: list[tuple[int, UpsertStatus]] = field(default_factory=list)
    inserts: list[NewStory] = field(default_factory=list)
    #: (id, title, text, url, author, language, content_hash, fetched, published or None)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    #: story id -> this source's guid for it (the last entry's, as sequential upserts leave it)
    links: dict[int, str | None] = field(default_factory=dict)


def _uid(source_id: int | None, key: str) -> str:
    return hashlib.sha256(f"{source_id}\x1f{key}".encode()).hexdigest()[:20]


class _Index:
    """Known stories by each key the rule looks up, kept current as the batch is decided."""

    def __init__(self, rows: Iterable[Known], links: Iterable[tuple[str, int]]) -> None:
        self.rows: dict[int, Known] = {}
        self.guid: dict[str, set[int]] = {}
        self.url: dict[str, set[int]] = {}
        self.hash: dict[str, set[int]] = {}
        self.uid: dict[str, int] = {}
        self.link: dict[str, set[int]] = {}
        self.link_of: dict[int, str | None] = {}
        for row in rows:
            self.add(row)
        for guid, story_id in links:
            self.relink(story_id, guid)

    def add(self, row: Known) -> None:
        self.rows[row.id] = row
        if row.guid:
            self.guid.setdefault(row.guid, set()).add(row.id)
        if row.url:
            self.url.setdefault(row.url, set()).add(row.id)
        self.hash.setdefault(row.content_hash, set()).add(row.id)
        self.uid.setdefault(row.uid, row.id)

    def rehash(self, row: Known, chash: str, url: str) -> None:
        self.hash[row.content_hash].discard(row.id)
        row.content_hash = chash
        self.hash.setdefault(chash, set()).add(row.id)
        if url and url != row.url:
            if row.url:
                self.url[row.url].discard(row.id)
            row.url = url
            self.url.setdefault(url, set()).add(row.id)

    def relink(self, story_id: int, guid: str | None) -> None:
        old = self.link_of.get(story_id)
        if old:
            self.link[old].discard(story_id)
        self.link_of[story_id] = guid
        if guid:
            self.link.setdefault(guid, set()).add(story_id)

    def find(self, source_id: int | None, story: StoryIn, chash: str) -> Known | None:
        """The first match in ``_find_existing``'s order (lowest id within one lookup)."""
        candidates: list[set[int] | list[int]] = []
        if story.guid:
            if source_id is not None:
                candidates.append(self.link.get(story.guid, set()))
            else:
                candidates.append(
                    [i for i in self.guid.get(story.guid, ()) if self.rows[i].source_id is None]
                )
            if globally_unique(story.guid):
                candidates.append(self.guid.get(story.guid, set()))
        if story.url:
            candidates.append(self.url.get(story.url, set()))
        candidates.append(self.hash.get(chash, set()))
        for ids in candidates:
            if ids:
                return self.rows[min(ids)]
        return None


def lookup_keys(
    source_id: int | None, stories: Sequence[StoryIn], now: str
) -> tuple[list[tuple[StoryIn, str, str, str]], dict[str, list[str]]]:
    """Each entry with its content hash, published time and uid; and the keys to look up."""
    entries = []
    keys: dict[str, list[str]] = {"guid": [], "url": [], "hash": [], "uid": []}
    for story in stories:
        chash = content_hash(story.title, story.text)
        published = utc_iso(story.published) if story.published else now
        uid = _uid(source_id, story.guid or story.url or chash)
        entries.append((story, chash, published, uid))
        if story.guid:
            keys["guid"].append(story.guid)
        if story.url:
            keys["url"].append(story.url)
        keys["hash"].append(chash)
        keys["uid"].append(uid)
    return entries, {k: sorted(set(v)) for k, v in keys.items()}


def plan_batch(
    source_id: int | None,
    entries: Sequence[tuple[StoryIn, str, str, str]],
    rows: Iterable[Known],
    links: Iterable[tuple[str, int]],
    now: str,
) -> Plan:
    """Decide every entry of a batch as sequential ``Store._upsert`` calls would."""
    index = _Index(rows, links)
    plan = Plan()
    for story, chash, published, uid in entries:
        found = index.find(source_id, story, chash)
        status: UpsertStatus
        if found is None:
            if uid in index.uid:  # the one-by-one INSERT would hit ON CONFLICT (uid)
                story_id, status = index.uid[uid], "unchanged"
            else:
                story_id, status = PENDING + len(plan.inserts), "new"
                plan.inserts.append(
                    NewStory(
                        uid, source_id, story.guid or None, story.url, story.title,
                        story.author, published, now, story.language, story.text, chash,
                    )
                )  # fmt: skip
                index.add(Known(story_id, uid, source_id, story.guid or None, story.url, chash))
        else:
            story_id = found.id
            if found.content_hash == chash or not may_replace_content(found.source_id, source_id):
                status = "unchanged"
            else:
                status = "updated"
                index.rehash(found, chash, story.url)
                if story_id >= PENDING:
                    _edit_insert(plan.inserts[story_id - PENDING], story, chash, now)
                else:
                    plan.updates.append(
                        (
                            story_id, story.title, story.text, story.url, story.author,
                            story.language, chash, now, published if story.published else None,
                        )
                    )  # fmt: skip
        if source_id is not None:
            index.relink(story_id, story.guid or None)
            plan.links.pop(story_id, None)  # keep the order of the last write
            plan.links[story_id] = story.guid or None
        plan.results.append((story_id, status))
    return plan


def _edit_insert(row: NewStory, story: StoryIn, chash: str, now: str) -> None:
    """A later entry of the same batch updates a story the batch inserts (as UPDATE would)."""
    row.title, row.text, row.content_hash, row.fetched = story.title, story.text, chash, now
    row.url = story.url or row.url
    row.author = story.author or row.author
    row.language = story.language or row.language
    if story.published:
        row.published = utc_iso(story.published)


def clean(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL (SQLite could): a feed with one must not fail.

    Only what is sent is cleaned: hashes and uids are made from the entry as
    fetched, as on SQLite, so a desk copied between backends dedups the same."""
    return value.replace("\x00", "") if value else value


CANDIDATES_SQL = (
    "SELECT id, uid, source_id, guid, url, content_hash, NULL AS link_guid FROM stories "
    "WHERE guid = ANY(%(guid)s) OR url = ANY(%(url)s) OR content_hash = ANY(%(hash)s) "
    "OR uid = ANY(%(uid)s) "
    "UNION ALL SELECT s.id, s.uid, s.source_id, s.guid, s.url, s.content_hash, ss.guid "
    "FROM story_sources ss JOIN stories s ON s.id = ss.story_id "
    "WHERE ss.source_id = %(source)s AND ss.guid = ANY(%(guid)s)"
)

INSERT_SQL = (
    "INSERT INTO stories (uid, source_id, guid, url, title, author, published, fetched, "
    "language, text, content_hash) "
    "SELECT * FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::text[], %s::text[], "
    "%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
    "ON CONFLICT (uid) DO NOTHING RETURNING id, uid"
)

UPDATE_SQL = (
    "UPDATE stories SET title = %s, text = %s, url = COALESCE(NULLIF(%s, ''), url), "
    "author = COALESCE(NULLIF(%s, ''), author), language = COALESCE(NULLIF(%s, ''), language), "
    "content_hash = %s, fetched = %s, published = COALESCE(%s, published) WHERE id = %s"
)

LINKS_SQL = (
    "INSERT INTO story_sources AS ss (story_id, source_id, guid) "
    "SELECT l.story_id, %s, l.guid FROM unnest(%s::bigint[], %s::text[]) AS l(story_id, guid) "
    "ON CONFLICT (story_id, source_id) DO UPDATE SET guid = excluded.guid "
    "WHERE ss.guid IS DISTINCT FROM excluded.guid"
)


def upsert_batch(
    raw: Any, source_id: int | None, stories: Iterable[StoryIn], now: str
) -> list[tuple[int, UpsertStatus]]:
    """Write one batch of entries from one source on psycopg connection ``raw`` (inside
    the caller's transaction); report new/updated/unchanged per entry, in order."""
    batch = list(stories)
    if not batch:
        return []
    entries, keys = lookup_keys(source_id, batch, now)
    params = {k: [clean(v) for v in values] for k, values in keys.items()}
    found = raw.execute(CANDIDATES_SQL, {**params, "source": source_id}).fetchall()
    rows = [Known(r[0], r[1], r[2], r[3], r[4], r[5]) for r in found]
    links = [(r[6], r[0]) for r in found if r[6] is not None]
    plan = plan_batch(source_id, entries, rows, links, now)

    real: dict[int, int] = {}
    if plan.inserts:
        columns = [
            [clean(v) if isinstance(v, str) else v for v in column]
            for column in zip(*map(_insert_values, plan.inserts), strict=True)
        ]
        ids = {uid: i for i, uid in raw.execute(INSERT_SQL, columns).fetchall()}
        lost = [row.uid for row in plan.inserts if row.uid not in ids]
        if lost:  # inserted by someone else since the lookup: theirs is the story
            ids.update(
                {
                    uid: i
                    for i, uid in raw.execute(
                        "SELECT id, uid FROM stories WHERE uid = ANY(%s)", (lost,)
                    ).fetchall()
                }
            )
        real = {PENDING + n: ids[row.uid] for n, row in enumerate(plan.inserts)}
        lost_ids = {ids[uid] for uid in lost}
        plan.results = [
            (real.get(i, i), "unchanged" if real.get(i) in lost_ids else status)
            for i, status in plan.results
        ]
    if plan.updates:
        cur = raw.cursor()
        cur.executemany(
            UPDATE_SQL,
            [[clean(v) if isinstance(v, str) else v for v in (*u[1:], u[0])] for u in plan.updates],
        )
        edited = sorted({u[0] for u in plan.updates})
        for table in ("analysis", "story_actors", "story_dates"):
            raw.execute(f"DELETE FROM {table} WHERE story_id = ANY(%s)", (edited,))
    if plan.links:
        story_ids = [real.get(i, i) for i in plan.links]
        guids = [clean(g) for g in plan.links.values()]
        raw.execute(LINKS_SQL, (source_id, story_ids, guids))
    return plan.results


def _insert_values(row: NewStory) -> tuple[Any, ...]:
    return (
        row.uid, row.source_id, row.guid, row.url, row.title, row.author, row.published,
        row.fetched, row.language, row.text, row.content_hash,
    )  # fmt: skip
