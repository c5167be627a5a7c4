"""The story store (SQLite by default; PostgreSQL with ``newsdesk[postgres]``; never imports Textual)."""

from tui.store.database import default_db_path
from tui.store.errors import (
    NotFoundError,
    SchemaTooNewError,
    SourceNotFound,
    StoreConflict,
    StoreError,
    StoreLocked,
    StoreReadOnly,
    StoreUnavailable,
    StoryNotFound,
)
from tui.store.models import (
    ActorCount,
    Source,
    SourceStatus,
    Story,
    StoryFilter,
    StoryIn,
    TriageState,
    UpcomingDate,
    utc_iso,
)
from tui.store.protocol import StoreProtocol
from tui.store.schema import SCHEMA_VERSION
from tui.store.store import Store, content_hash, fts_query

__all__ = [
    "SCHEMA_VERSION",
    "ActorCount",
    "NotFoundError",
    "SchemaTooNewError",
    "Source",
    "SourceNotFound",
    "SourceStatus",
    "Store",
    "StoreConflict",
    "StoreError",
    "StoreLocked",
    "StoreProtocol",
    "StoreReadOnly",
    "StoreUnavailable",
    "Story",
    "StoryFilter",
    "StoryIn",
    "StoryNotFound",
    "TriageState",
    "UpcomingDate",
    "content_hash",
    "default_db_path",
    "fts_query",
    "utc_iso",
]
