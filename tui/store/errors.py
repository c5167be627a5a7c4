"""What can go wrong in the store, as one hierarchy, whatever the backend.

Screens and commands catch these instead of ``sqlite3`` or ``psycopg`` errors,
so neither driver leaks past the store and a second backend raises the same
things for the same situations.
"""

from __future__ import annotations


class StoreError(Exception):
    """Anything the store cannot do; the message is one line fit to show a user."""


class NotFoundError(StoreError, LookupError):
    """A story or source id that is not in the store."""


class StoryNotFound(NotFoundError):
    """No story with this id (deleted by another desk or a prune, or never there)."""


class SourceNotFound(NotFoundError):
    """No source with this id or URL."""


class StoreLocked(StoreError):
    """Another writer held the database for longer than the busy timeout."""


class StoreReadOnly(StoreError):
    """The database cannot be written (file permissions, a read-only server)."""


class StoreConflict(StoreError):
    """A write broke a constraint, typically because another desk deleted the row meanwhile."""


class StoreUnavailable(StoreError):
    """The database server cannot be reached or refused us (the message has no password)."""


class SchemaTooNewError(StoreError, RuntimeError):
    """The database was written by a newer newsdesk; opening it could lose data."""
