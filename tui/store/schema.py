"""The versioned SQLite schema and its forward migrations.

``PRAGMA user_version`` holds the schema version. Each migration moves the file
one version forward inside a single transaction, so an interrupted upgrade
leaves the previous version intact. Migrations are never edited once released:
a change to the schema is a new entry at the end of ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from tui.store.errors import SchemaTooNewError

V1 = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'file')),
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    last_fetch TEXT,
    last_success TEXT,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    retry_after TEXT,
    options TEXT NOT NULL DEFAULT '{}',
    created TEXT NOT NULL
);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    guid TEXT,
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL,
    fetched TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    saved INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stories_published ON stories (published DESC, id DESC);
CREATE INDEX stories_source ON stories (source_id, published DESC, id DESC);
CREATE INDEX stories_read ON stories (read, published DESC, id DESC);
CREATE INDEX stories_saved ON stories (published DESC, id DESC) WHERE saved = 1;
CREATE INDEX stories_guid ON stories (guid);
CREATE INDEX stories_url ON stories (url);
CREATE INDEX stories_hash ON stories (content_hash);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE story_tags (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX story_tags_tag ON story_tags (tag_id, story_id);
CREATE TABLE source_tags (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, tag_id)
) WITHOUT ROWID;

CREATE TABLE analysis (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    data TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (story_id, version)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE stories_fts USING fts5(
    title, text, content='stories', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, text ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO stories_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
"""

# v2: triage needs "archived" (hidden from Unread), a story can arrive from several
# sources (deduplicated), and the desk filters by actor and upcoming date without
# decoding cached JSON: both are derived from the analysis and indexed.
V2 = """
ALTER TABLE stories ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
DROP INDEX stories_read;
CREATE INDEX stories_state ON stories (read, archived, published DESC, id DESC);

CREATE TABLE story_sources (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    guid TEXT,
    PRIMARY KEY (story_id, source_id)
) WITHOUT ROWID;
CREATE INDEX story_sources_guid ON story_sources (source_id, guid);

-- Per-source totals and unread counts, kept by triggers so that the sources
-- pane costs O(sources), not O(stories), however big the desk grows.
CREATE TABLE source_stats (
    source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    total INTEGER NOT NULL DEFAULT 0,
    unread INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER story_sources_insert AFTER INSERT ON story_sources BEGIN
    INSERT INTO source_stats (source_id, total, unread)
    VALUES (new.source_id, 1,
            (SELECT read = 0 AND archived = 0 FROM stories WHERE id = new.story_id))
    ON CONFLICT (source_id) DO UPDATE SET
        total = total + 1, unread = unread + excluded.unread;
END;
CREATE TRIGGER story_sources_delete AFTER DELETE ON story_sources BEGIN
    UPDATE source_stats SET
        total = total - 1,
        unread = unread - COALESCE(
            (SELECT read = 0 AND archived = 0 FROM stories WHERE id = old.story_id), 0)
    WHERE source_id = old.source_id;
END;
-- Unlink before the story row goes, so the trigger above still sees its state.
CREATE TRIGGER stories_delete_links BEFORE DELETE ON stories BEGIN
    DELETE FROM story_sources WHERE story_id = old.id;
END;
CREATE TRIGGER stories_unread_change AFTER UPDATE OF read, archived ON stories
WHEN (old.read = 0 AND old.archived = 0) != (new.read = 0 AND new.archived = 0) BEGIN
    UPDATE source_stats
    SET unread = unread + (CASE WHEN new.read = 0 AND new.archived = 0 THEN 1 ELSE -1 END)
    WHERE source_id IN (SELECT source_id FROM story_sources WHERE story_id = new.id);
END;
INSERT INTO story_sources (story_id, source_id, guid)
    SELECT id, source_id, guid FROM stories WHERE source_id IS NOT NULL;

CREATE TABLE story_actors (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    name TEXT NOT NULL COLLATE NOCASE,
    kind TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (story_id, name, kind)
) WITHOUT ROWID;
CREATE INDEX story_actors_name ON story_actors (name, story_id);

-- Stories per actor, kept by triggers: the desk lists the top actors at start
-- and after every analysis, which must not regroup every mention of 100k stories.
CREATE TABLE actor_stats (
    name TEXT NOT NULL COLLATE NOCASE,
    kind TEXT NOT NULL,
    stories INTEGER NOT NULL,
    PRIMARY KEY (name, kind)
) WITHOUT ROWID;
CREATE INDEX actor_stats_top ON actor_stats (stories DESC, name);
CREATE TRIGGER story_actors_insert AFTER INSERT ON story_actors BEGIN
    INSERT INTO actor_stats (name, kind, stories) VALUES (new.name, new.kind, 1)
    ON CONFLICT (name, kind) DO UPDATE SET stories = stories + 1;
END;
CREATE TRIGGER story_actors_delete AFTER DELETE ON story_actors BEGIN
    UPDATE actor_stats SET stories = stories - 1 WHERE name = old.name AND kind = old.kind;
    DELETE FROM actor_stats WHERE name = old.name AND kind = old.kind AND stories <= 0;
END;

-- The desk filters by language.
CREATE INDEX stories_language ON stories (language, published DESC, id DESC);

CREATE TABLE story_dates (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    value TEXT NOT NULL,
    granularity TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    event TEXT NOT NULL DEFAULT '',
    upcoming INTEGER NOT NULL,
    ends TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (story_id, seq)
) WITHOUT ROWID;
CREATE INDEX story_dates_value ON story_dates (value, story_id);
CREATE INDEX story_dates_ends ON story_dates (ends, story_id) WHERE upcoming = 1;

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""

# v3: desk-wide counts kept by triggers (below), and the full-text index of new stories is written once per transaction
# (``Store.transaction`` indexes every row added since it began, in one
# INSERT ... SELECT: a third of the cost of a trigger firing per row). Updates
# and deletes still go through triggers, but only for rows already indexed: a row
# added and changed within one transaction is indexed with its final text at commit.
V3 = """
DROP TRIGGER stories_fts_insert;
DROP TRIGGER stories_fts_delete;
DROP TRIGGER stories_fts_update;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories
WHEN EXISTS (SELECT 1 FROM stories_fts_docsize WHERE id = old.id) BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, text ON stories
WHEN EXISTS (SELECT 1 FROM stories_fts_docsize WHERE id = old.id) BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO stories_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- Desk-wide counts (all, unread, saved), kept by triggers: the header, the views
-- and the store poll read them on the UI thread, where three COUNT(*)s over a
-- million stories would take a quarter of a second.
CREATE TABLE story_counts (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    total INTEGER NOT NULL,
    unread INTEGER NOT NULL,
    saved INTEGER NOT NULL
);
INSERT INTO story_counts (id, total, unread, saved)
    SELECT 1, count(*), COALESCE(sum(read = 0 AND archived = 0), 0), COALESCE(sum(saved = 1), 0)
    FROM stories;
CREATE TRIGGER story_counts_insert AFTER INSERT ON stories BEGIN
    UPDATE story_counts SET total = total + 1,
        unread = unread + (new.read = 0 AND new.archived = 0), saved = saved + (new.saved = 1)
    WHERE id = 1;
END;
CREATE TRIGGER story_counts_delete AFTER DELETE ON stories BEGIN
    UPDATE story_counts SET total = total - 1,
        unread = unread - (old.read = 0 AND old.archived = 0), saved = saved - (old.saved = 1)
    WHERE id = 1;
END;
CREATE TRIGGER story_counts_update AFTER UPDATE OF read, archived, saved ON stories BEGIN
    UPDATE story_counts SET
        unread = unread - (old.read = 0 AND old.archived = 0) + (new.read = 0 AND new.archived = 0),
        saved = saved - (old.saved = 1) + (new.saved = 1)
    WHERE id = 1;
END;
"""

# v4: tags and notes are signed on SQLite too (who and when), as on a shared desk, so the
# desk shows "#tag by ann" on either backend and ``db copy`` carries the names both ways.
# Tags and notes from before are unsigned ('').
V4 = """
ALTER TABLE story_tags ADD COLUMN tagged_by TEXT NOT NULL DEFAULT '';
ALTER TABLE story_tags ADD COLUMN tagged_at TEXT NOT NULL DEFAULT '';
ALTER TABLE stories ADD COLUMN note_by TEXT NOT NULL DEFAULT '';
ALTER TABLE stories ADD COLUMN note_at TEXT NOT NULL DEFAULT '';
"""

Migration = Callable[[sqlite3.Connection], None]


def _script(sql: str) -> Migration:
    def run(conn: sqlite3.Connection) -> None:
        for statement in _statements(sql):
            conn.execute(statement)

    return run


def _statements(sql: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole.

    ``executescript`` would commit the open transaction; running statements one
    by one keeps each migration atomic.
    """
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


MIGRATIONS: list[Migration] = [_script(V1), _script(V2), _script(V3), _script(V4)]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to ``SCHEMA_VERSION``; return the version it had."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"database schema v{found} is newer than this newsdesk (v{SCHEMA_VERSION}); upgrade newsdesk"
        )
    for version in range(found, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if current > version:
                conn.execute("ROLLBACK")
                continue
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # else SQLite already rolled back (disk full)
                conn.execute("ROLLBACK")
            raise
    return found
