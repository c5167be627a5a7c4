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
    """What a batch of feeds writes: ids ``PENDING + n`` stand for the n-th new story."""

    #: per feed, (story id, status) per entry in order
    results: list[list[tuple[int, UpsertStatus]]] = field(default_factory=list)
    inserts: list[NewStory] = field(default_factory=list)
    #: (id, title, text, url, author, language, content_hash, fetched, published or None)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    #: (story id, source id) -> the source's guid for it (the last entry's, as one-by-one
    #: upserts leave it)
    links: dict[tuple[int, int], str | None] = field(default_factory=dict)


def _uid(source_id: int | None, key: str) -> str:
    return hashlib.sha256(f"{source_id}\x1f{key}".encode()).hexdigest()[:20]


class _Index:
    """Known stories by each key the rule looks up, kept current as the batch is decided."""

    def __init__(self, rows: Iterable[Known], links: Iterable[tuple[int, str, int]]) -> None:
        self.rows: dict[int, Known] = {}
        self.guid: dict[str, set[int]] = {}
        self.url: dict[str, set[int]] = {}
        self.hash: dict[str, set[int]] = {}
        self.uid: dict[str, int] = {}
        self.link: dict[tuple[int, str], set[int]] = {}
        self.link_of: dict[tuple[int, int], str | None] = {}
        for row in rows:
            self.add(row)
        for source_id, guid, story_id in links:
            self.relink(story_id, source_id, guid)

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

    def relink(self, story_id: int, source_id: int, guid: str | None) -> None:
        old = self.link_of.get((story_id, source_id))
        if old:
            self.link[(source_id, old)].discard(story_id)
        self.link_of[(story_id, source_id)] = guid
        if guid:
            self.link.setdefault((source_id, guid), set()).add(story_id)

    def find(self, source_id: int | None, story: StoryIn, chash: str) -> Known | None:
        """The first match in ``_find_existing``'s order (lowest id within one lookup)."""
        candidates: list[set[int] | list[int]] = []
        if story.guid:
            if source_id is not None:
                candidates.append(self.link.get((source_id, story.guid), set()))
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


Entry = tuple[StoryIn, str, str, str]  # the entry, its content hash, published, uid


def lookup_keys(
    feeds: Sequence[tuple[int | None, Sequence[StoryIn]]], now: str
) -> tuple[list[list[Entry]], dict[str, list[Any]]]:
    """Each feed's entries with hash, published time and uid; and the keys to look up."""
    out = []
    keys: dict[str, set[Any]] = {"guid": set(), "url": set(), "hash": set(), "uid": set()}
    link_keys: set[tuple[int, str]] = set()
    for source_id, stories in feeds:
        entries = []
        for story in stories:
            chash = content_hash(story.title, story.text)
            published = utc_iso(story.published) if story.published else now
            uid = _uid(source_id, story.guid or story.url or chash)
            entries.append((story, chash, published, uid))
            if story.guid:
                keys["guid"].add(story.guid)
                if source_id is not None:
                    link_keys.add((source_id, story.guid))
            if story.url:
                keys["url"].add(story.url)
            keys["hash"].add(chash)
            keys["uid"].add(uid)
        out.append(entries)
    found: dict[str, list[Any]] = {k: sorted(v) for k, v in keys.items()}
    pairs = sorted(link_keys)
    found["link_source"] = [p[0] for p in pairs]
    found["link_guid"] = [p[1] for p in pairs]
    return out, found


def plan_batch(
    feeds: Sequence[tuple[int | None, Sequence[Entry]]],
    rows: Iterable[Known],
    links: Iterable[tuple[int, str, int]],
    now: str,
) -> Plan:
    """Decide every entry of every feed, in order, as one-by-one ``Store._upsert`` calls
    would: each sees the stories the entries before it inserted or edited."""
    index = _Index(rows, links)
    plan = Plan()
    for source_id, entries in feeds:
        results: list[tuple[int, UpsertStatus]] = []
        for story, chash, published, uid in entries:
            story_id, status = _decide(plan, index, source_id, story, chash, published, uid, now)
            if source_id is not None:
                index.relink(story_id, source_id, story.guid or None)
                plan.links.pop((story_id, source_id), None)
                plan.links[(story_id, source_id)] = story.guid or None
            results.append((story_id, status))
        plan.results.append(results)
    return plan


def _decide(
    plan: Plan,
    index: _Index,
    source_id: int | None,
    story: StoryIn,
    chash: str,
    published: str,
    uid: str,
    now: str,
) -> tuple[int, UpsertStatus]:
    found = index.find(source_id, story, chash)
    if found is None:
        if uid in index.uid:  # the one-by-one INSERT would hit ON CONFLICT (uid)
            return index.uid[uid], "unchanged"
        story_id = PENDING + len(plan.inserts)
        plan.inserts.append(
            NewStory(
                uid, source_id, story.guid or None, story.url, story.title, story.author,
                published, now, story.language, story.text, chash,
            )
        )  # fmt: skip
        index.add(Known(story_id, uid, source_id, story.guid or None, story.url, chash))
        return story_id, "new"
    if found.content_hash == chash or not may_replace_content(found.source_id, source_id):
        return found.id, "unchanged"  # another source's story: linked, never rewritten
    index.rehash(found, chash, story.url)
    if found.id >= PENDING:
        _edit_insert(plan.inserts[found.id - PENDING], story, chash, now)
    else:
        plan.updates.append(
            (
                found.id, story.title, story.text, story.url, story.author, story.language,
                chash, now, published if story.published else None,
            )
        )  # fmt: skip
    return found.id, "updated"


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
    "SELECT id, uid, source_id, guid, url, content_hash, NULL, NULL FROM stories "
    "WHERE guid = ANY(%(guid)s) OR url = ANY(%(url)s) OR content_hash = ANY(%(hash)s) "
    "OR uid = ANY(%(uid)s) "
    "UNION ALL SELECT s.id, s.uid, s.source_id, s.guid, s.url, s.content_hash, ss.source_id, "
    "ss.guid FROM unnest(%(link_source)s::bigint[], %(link_guid)s::text[]) AS k(source_id, guid) "
    "JOIN story_sources ss ON ss.source_id = k.source_id AND ss.guid = k.guid "
    "JOIN stories s ON s.id = ss.story_id"
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
    "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) "
    "ON CONFLICT (story_id, source_id) DO UPDATE SET guid = excluded.guid "
    "WHERE ss.guid IS DISTINCT FROM excluded.guid"
)


def _cleaned(values: Iterable[Any]) -> list[Any]:
    return [clean(v) if isinstance(v, str) else v for v in values]


def write_feeds(
    raw: Any, feeds: Sequence[tuple[int | None, Iterable[StoryIn]]], now: str
) -> list[list[tuple[int, UpsertStatus]]]:
    """Write entries from several sources, (source_id, entries) each, on psycopg connection
    ``raw`` inside the caller's transaction, in a fixed number of statements; report
    new/updated/unchanged per entry, per feed, in order."""
    batches = [(source_id, list(stories)) for source_id, stories in feeds]
    entries, keys = lookup_keys(batches, now)
    if not any(entries):
        return [[] for _ in batches]
    params = {k: _cleaned(v) for k, v in keys.items()}
    # Index probes, even when the planner's statistics are stale (a desk's first
    # refresh fills an empty table faster than autovacuum analyses it).
    raw.execute("SELECT set_config('enable_seqscan', 'off', true)")
    found = raw.execute(CANDIDATES_SQL, params).fetchall()
    raw.execute("SELECT set_config('enable_seqscan', 'on', true)")
    rows = [Known(r[0], r[1], r[2], r[3], r[4], r[5]) for r in found]
    links = [(r[6], r[7], r[0]) for r in found if r[6] is not None]
    plan = plan_batch(
        [(source_id, e) for (source_id, _), e in zip(batches, entries, strict=True)],
        rows,
        links,
        now,
    )
    real: dict[int, int] = {}
    lost_ids: set[int] = set()
    if plan.inserts:
        columns = [_cleaned(c) for c in zip(*map(_insert_values, plan.inserts), strict=True)]
        ids = {uid: i for i, uid in raw.execute(INSERT_SQL, columns).fetchall()}
        lost = [row.uid for row in plan.inserts if row.uid not in ids]
        if lost:  # inserted by another process since the lookup: theirs is the story
            taken = raw.execute("SELECT id, uid FROM stories WHERE uid = ANY(%s)", (lost,))
            ids.update({uid: i for i, uid in taken.fetchall()})
            lost_ids = {ids[uid] for uid in lost}
        real = {PENDING + n: ids[row.uid] for n, row in enumerate(plan.inserts)}
    if plan.updates:
        # sorted by id (stable: one story's edits keep their order): one lock order
        edits = sorted(plan.updates, key=lambda u: int(u[0]))
        raw.cursor().executemany(UPDATE_SQL, [_cleaned((*u[1:], u[0])) for u in edits])
        edited = sorted({int(u[0]) for u in edits})
        for table in ("analysis", "story_actors", "story_dates"):
            raw.execute(f"DELETE FROM {table} WHERE story_id = ANY(%s)", (edited,))
    if plan.links:
        pairs = sorted(plan.links.items(), key=lambda kv: (real.get(kv[0][0], kv[0][0]), kv[0][1]))
        raw.execute(
            LINKS_SQL,
            (
                [real.get(story_id, story_id) for (story_id, _), _ in pairs],
                [source_id for (_, source_id), _ in pairs],
                [clean(guid) for _, guid in pairs],
            ),
        )
    return [
        [
            (real.get(i, i), "unchanged" if real.get(i) in lost_ids else status)
            for i, status in results
        ]
        for results in plan.results
    ]


def upsert_batch(
    raw: Any, source_id: int | None, stories: Iterable[StoryIn], now: str
) -> list[tuple[int, UpsertStatus]]:
    """``write_feeds`` for one source."""
    return write_feeds(raw, [(source_id, stories)], now)[0]


def _insert_values(row: NewStory) -> tuple[Any, ...]:
    return (
        row.uid, row.source_id, row.guid, row.url, row.title, row.author, row.published,
        row.fetched, row.language, row.text, row.content_hash,
    )  # fmt: skip
