"""The story store: every read and write of newsdesk's SQLite file goes through here.

Each public write method is exactly one transaction, so a crash or ``kill -9``
between two key presses loses nothing that was acknowledged. Methods are safe to
call from worker threads: each thread has its own connection (see
``connection``), and in-process writers take turns.

The class is assembled from one mixin per area; ``protocol.StoreProtocol`` is
the interface every backend offers.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.store.analysis_cache import AnalysisCacheMixin
from tui.store.base import normalise_tag
from tui.store.connection import SqliteConnection
from tui.store.database import connect, connect_read_only, is_read_only_error
from tui.store.errors import NotFoundError
from tui.store.ingest import IngestMixin, content_hash
from tui.store.meta import MetaMixin
from tui.store.queries import QueriesMixin, fts_query
from tui.store.sources import SourcesMixin
from tui.store.triage import TriageMixin

__all__ = ["NotFoundError", "Store", "content_hash", "fts_query", "normalise_tag"]


class Store(
    SqliteConnection,
    SourcesMixin,
    IngestMixin,
    QueriesMixin,
    TriageMixin,
    AnalysisCacheMixin,
    MetaMixin,
):
    """The newsdesk database (SQLite backend)."""

    @classmethod
    def open(cls, path: Path | str, *, user: str = "") -> Store:
        """Open (create, migrate) the database file at ``path``.

        A file (or folder) that cannot be written is opened read-only instead
        (``read_only`` is then true and every write raises); ``list``, ``show``
        and ``export`` still work.
        """
        store = cls._open(path)
        if user:
            store.user = user
        return store

    @classmethod
    def _open(cls, path: Path | str) -> Store:
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

    def __enter__(self) -> Store:
        return self
