"""Small persistent settings of a desk (e.g. whether the sample desk was offered)."""

from __future__ import annotations

from tui.store.base import StoreBase


class MetaMixin(StoreBase):
    """Key/value settings kept in the database itself."""

    def meta(self, key: str) -> str | None:
        """A small persistent setting."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Store a small persistent setting."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
