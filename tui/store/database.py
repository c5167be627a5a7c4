"""Opening the SQLite file: location, pragmas, migrations.

One file, WAL journal (readers never block the writer, so two desks and a
headless ``newsdesk fetch`` can share it), foreign keys on, and a busy timeout
so that a second writer waits instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import platformdirs

from tui.store.schema import SCHEMA_VERSION, migrate
from tui.store.urls import is_postgres_url

APP_NAME = "newsdesk"
ENV_DB = "NEWSDESK_DB"


def default_db_path() -> Path:
    """``$NEWSDESK_DB`` if set, else ``newsdesk.db`` in the platform data dir."""
    env = os.environ.get(ENV_DB)
    if env and not is_postgres_url(env):
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "newsdesk.db"


def configure(conn: sqlite3.Connection, path: Path | str) -> sqlite3.Connection:
    """The pragmas every connection to a desk file needs (the journal mode is per file)."""
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 10000")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal" and str(path) != ":memory:":
        raise sqlite3.OperationalError(f"cannot use WAL journal on {path} (got {mode})")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path``."""
    if str(path) != ":memory:":
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None, check_same_thread=False)
    try:
        configure(conn, path)
        migrate(conn)
    except BaseException:
        conn.close()  # else the file stays open until garbage collection
        raise
    return conn


def env_db_url() -> str | None:
    """``$NEWSDESK_DB`` when it names a PostgreSQL database."""
    env = os.environ.get(ENV_DB, "").strip()
    return env if is_postgres_url(env) else None


def is_read_only_error(exc: sqlite3.Error) -> bool:
    """Whether opening failed because the file or its folder cannot be written."""
    text = str(exc).lower()
    return any(
        part in text
        for part in ("readonly", "read-only", "unable to open database file", "disk i/o error")
    )


def connect_read_only(path: Path | str) -> sqlite3.Connection:
    """Open an existing database for reading only (a read-only file or folder).

    A WAL database needs its ``-shm`` file; in a folder we may not write, SQLite
    cannot create it, so the file is opened ``immutable`` (no locks, no WAL
    index) when a plain read-only open fails. Nothing is migrated: a file that
    needs an upgrade cannot be used read-only.
    """
    target = Path(path).expanduser().resolve()
    if not target.is_file():
        raise sqlite3.OperationalError(f"cannot open {target}: no such database file")
    last: sqlite3.Error | None = None
    for query in ("mode=ro", "immutable=1"):
        uri = f"{target.as_uri()}?{query}"
        conn = sqlite3.connect(
            uri, uri=True, timeout=1.0, isolation_level=None, check_same_thread=False
        )
        try:
            conn.row_factory = sqlite3.Row
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute("SELECT count(*) FROM sources").fetchone()
        except sqlite3.Error as exc:
            conn.close()
            last = exc
            continue
        if version != SCHEMA_VERSION:
            conn.close()
            raise sqlite3.OperationalError(
                f"{target} is read-only and has schema v{version}; newsdesk needs "
                f"v{SCHEMA_VERSION} (open it once where it can be written)"
            )
        conn.execute("PRAGMA query_only = ON")
        return conn
    assert last is not None
    raise last
