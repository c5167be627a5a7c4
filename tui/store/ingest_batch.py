"""One feed's stories stored in a handful of statements instead of five per story (SQLite).

Storing a story one at a time costs four index lookups and two inserts, each a
round trip through the driver; for a 50-item feed that is ~300 statements, and
the writer was most of a refresh's CPU after parsing. Here the lookups for the
whole feed run as one query per kind (``IN (SELECT value FROM json_each(?))``),
new stories and their links go in with one statement each (see
``_INSERT_STORIES``) and links of stored stories are only written where they
change.

The result must be exactly what the one-at-a-time ``IngestMixin._upsert``
gives. That holds when the entries cannot see each other's writes: no two
entries share a guid, link, content hash or uid, and no two match the same
stored story. Then each entry's lookups find the same row before or after the
others are written, and new stories get the same ids (the next free ones, in
feed order). A feed where that is not so (duplicates inside the feed, two
entries claiming one story) returns ``None`` and takes the one-at-a-time path.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from tui.store.base import DbConn
from tui.store.identity import globally_unique, may_replace_content
from tui.store.models import StoryIn, UpsertStatus, utc_iso

Match = tuple[int, str, int | None]  # a stored story: id, content_hash, owner source
_IN = "IN (SELECT value FROM json_each(?))"


def _first_rows(conn: DbConn, sql: str, params: tuple[Any, ...]) -> dict[str, Match]:
    """Key → the lowest-id story the lookup finds for it (``LIMIT 1`` on the same index)."""
    found: dict[str, Match] = {}
    for key, story_id, chash, owner in conn.execute(sql, params).fetchall():
        known = found.get(key)
        if known is None or story_id < known[0]:
            found[key] = (int(story_id), str(chash), owner)
    return found


def _distinct(values: list[str]) -> bool:
    present = [v for v in values if v]
    return len(set(present)) == len(present)


def upsert_feed(
    conn: DbConn,
    source_id: int,
    stories: Sequence[StoryIn],
    hashes: Sequence[str],
    now: str,
    invalidate: Callable[[DbConn, int], None],
) -> list[tuple[int, UpsertStatus]] | None:
    """Store ``stories`` of ``source_id`` as ``_upsert`` would one by one; ``None`` when the
    entries depend on each other (then nothing was written: use the one-by-one path).

    ``hashes`` are the stories' ``content_hash`` values, in order.
    """
    guids = [s.guid for s in stories]
    urls = [s.url for s in stories]
    keys = [s.guid or s.url or h for s, h in zip(stories, hashes, strict=True)]
    uids = [hashlib.sha256(f"{source_id}\x1f{k}".encode()).hexdigest()[:20] for k in keys]
    if not (_distinct(guids) and _distinct(urls) and _distinct(list(hashes)) and _distinct(uids)):
        return None
    present = [g for g in guids if g]
    by_source_guid = (
        _first_rows(
            conn,
            "SELECT ss.guid, s.id, s.content_hash, s.source_id FROM story_sources ss "
            f"JOIN stories s ON s.id = ss.story_id WHERE ss.source_id = ? AND ss.guid {_IN}",
            (source_id, json.dumps(present)),
        )
        if present
        else {}
    )
    unique = [g for g in present if globally_unique(g)]
    by_guid = (
        _first_rows(
            conn,
            f"SELECT guid, id, content_hash, source_id FROM stories WHERE guid {_IN}",
            (json.dumps(unique),),
        )
        if unique
        else {}
    )
    linked = [u for u in urls if u]
    by_url = (
        _first_rows(
            conn,
            f"SELECT url, id, content_hash, source_id FROM stories WHERE url {_IN}",
            (json.dumps(linked),),
        )
        if linked
        else {}
    )
    by_hash = _first_rows(
        conn,
        f"SELECT content_hash, id, content_hash, source_id FROM stories WHERE content_hash {_IN}",
        (json.dumps(list(hashes)),),
    )
    matches: list[Match | None] = []
    for story, chash in zip(stories, hashes, strict=True):
        match = None
        if story.guid:
            match = by_source_guid.get(story.guid)
            if match is None and globally_unique(story.guid):
                match = by_guid.get(story.guid)
        if match is None and story.url:
            match = by_url.get(story.url)
        if match is None:
            match = by_hash.get(chash)
        matches.append(match)
    unmatched = [uid for uid, m in zip(uids, matches, strict=True) if m is None]
    taken = {
        str(uid): int(story_id)
        for uid, story_id in conn.execute(
            f"SELECT uid, id FROM stories WHERE uid {_IN}", (json.dumps(unmatched),)
        ).fetchall()
    }
    claimed = [m[0] for m in matches if m is not None] + list(taken.values())
    if len(set(claimed)) != len(claimed):  # two entries would be the same stored story
        return None

    conn.execute("SAVEPOINT feed_batch")
    try:
        results = _write(conn, source_id, stories, hashes, uids, matches, taken, now, invalidate)
    except sqlite3.IntegrityError:  # something the lookups did not foresee: one by one instead
        conn.execute("ROLLBACK TO SAVEPOINT feed_batch")
        conn.execute("RELEASE SAVEPOINT feed_batch")
        return None
    conn.execute("RELEASE SAVEPOINT feed_batch")
    return results


def _write(
    conn: DbConn,
    source_id: int,
    stories: Sequence[StoryIn],
    hashes: Sequence[str],
    uids: list[str],
    matches: list[Match | None],
    taken: dict[str, int],
    now: str,
    invalidate: Callable[[DbConn, int], None],
) -> list[tuple[int, UpsertStatus]]:
    next_id = int(conn.execute("SELECT COALESCE(max(id), 0) FROM stories").fetchone()[0])
    results: list[tuple[int, UpsertStatus]] = []
    inserts: list[tuple[Any, ...]] = []
    links: list[tuple[int, int, str | None]] = []
    existing: list[tuple[int, str | None]] = []
    for story, chash, uid, match in zip(stories, hashes, uids, matches, strict=True):
        guid = story.guid or None
        if match is None and uid in taken:  # same key seen earlier under another lookup path
            story_id = taken[uid]
            results.append((story_id, "unchanged"))
            existing.append((story_id, guid))
            continue
        if match is None:
            next_id += 1
            published = utc_iso(story.published) if story.published else now
            inserts.append(
                (
                    next_id, uid, source_id, guid, story.url, story.title, story.author,
                    published, now, story.language, story.text, chash,
                )
            )  # fmt: skip
            links.append((next_id, source_id, guid))
            results.append((next_id, "new"))
            continue
        story_id, stored_hash, owner = match
        existing.append((story_id, guid))
        if stored_hash == chash or not may_replace_content(owner, source_id):
            results.append((story_id, "unchanged"))
            continue
        results.append((story_id, "updated"))
        conn.execute(
            "UPDATE stories SET title = ?, text = ?, url = COALESCE(NULLIF(?, ''), url), "
            "author = COALESCE(NULLIF(?, ''), author), language = "
            "COALESCE(NULLIF(?, ''), language), content_hash = ?, fetched = ? WHERE id = ?",
            (story.title, story.text, story.url, story.author, story.language, chash, now,
             story_id),
        )  # fmt: skip
        if story.published:
            conn.execute(
                "UPDATE stories SET published = ? WHERE id = ?",
                (utc_iso(story.published), story_id),
            )
        invalidate(conn, story_id)
    if inserts:
        conn.execute(_INSERT_STORIES, (json.dumps(inserts, ensure_ascii=False),))
    if existing:  # relink only where the link is missing or names another guid
        have = {
            int(story_id): guid
            for story_id, guid in conn.execute(
                f"SELECT story_id, guid FROM story_sources WHERE source_id = ? AND story_id {_IN}",
                (source_id, json.dumps([story_id for story_id, _guid in existing])),
            ).fetchall()
        }
        links.extend(
            (story_id, source_id, guid)
            for story_id, guid in existing
            if story_id not in have or have[story_id] != guid
        )
    if links:
        conn.execute(_LINK_STORIES, (json.dumps(links, ensure_ascii=False),))
    return results


# Rows go in as one JSON array per statement, not one ``executemany`` row at a
# time: the driver lets go of the GIL around every row it steps, and taking it
# back waits behind whatever else the process runs (the event loop, parsing), up
# to a switch interval each time; one statement per feed hands over once.
# (``ensure_ascii=False``: text goes in as it is, and a string the driver could
# not bind fails here the same way.)
_INSERT_STORIES = (
    "INSERT INTO stories (id, uid, source_id, guid, url, title, author, published, "
    "fetched, language, text, content_hash) SELECT "
    + ", ".join(f"json_extract(value, '$[{i}]')" for i in range(12))
    + " FROM json_each(?) ORDER BY key"
)
_LINK_STORIES = (
    "INSERT INTO story_sources (story_id, source_id, guid) SELECT "
    "json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') "
    "FROM json_each(?) WHERE true ORDER BY key "
    "ON CONFLICT (story_id, source_id) DO UPDATE SET guid = excluded.guid"
)
