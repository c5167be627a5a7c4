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

from tui.store.schema import migrate
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
    configure(conn, path)
    migrate(conn)
    return conn


def env_db_url() -> str | None:
    """``$NEWSDESK_DB`` when it names a PostgreSQL database."""
    env = os.environ.get(ENV_DB, "").strip()
    return env if is_postgres_url(env) else None
