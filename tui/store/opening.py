"""Opening a desk by what the user typed: a SQLite path or a ``postgresql://`` URL."""

from __future__ import annotations

from pathlib import Path

from tui.store.errors import StoreError
from tui.store.store import Store
from tui.store.urls import is_postgres_url


def open_store(target: str | Path, *, user: str = "") -> Store:
    """The SQLite store at a path, or the PostgreSQL store at a URL (as ``user``)."""
    if is_postgres_url(target):
        try:
            from tui.store.postgres import PgStore
        except ImportError as exc:  # the optional extra is not installed
            raise StoreError(
                "a postgresql:// database needs the PostgreSQL extra: "
                "pip install 'newsdesk[postgres]'"
            ) from exc
        return PgStore.open(str(target), user=user)
    return Store.open(Path(target), user=user)


def describe_target(target: str | Path) -> str:
    """The desk's location as it may be printed (no password)."""
    from tui.store.urls import redact_url

    return redact_url(str(target)) if is_postgres_url(target) else str(target)
