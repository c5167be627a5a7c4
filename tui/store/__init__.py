"""The SQLite store (stdlib ``sqlite3``; never imports Textual)."""

from tui.store.database import default_db_path
from tui.store.models import Source, Story, StoryFilter, StoryIn, TriageState, utc_iso
from tui.store.schema import SCHEMA_VERSION, SchemaTooNewError
from tui.store.store import NotFoundError, Store, content_hash, fts_query

__all__ = [
    "SCHEMA_VERSION",
    "NotFoundError",
    "SchemaTooNewError",
    "Source",
    "Store",
    "Story",
    "StoryFilter",
    "StoryIn",
    "TriageState",
    "content_hash",
    "default_db_path",
    "fts_query",
    "utc_iso",
]
