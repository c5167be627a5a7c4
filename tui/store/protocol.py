"""The store's interface: what the desk, the CLI, fetching and export may call.

Every backend (SQLite ``Store``; PostgreSQL ``PgStore``) offers exactly this,
so callers that type against ``StoreProtocol`` work on either. Each write is
one transaction; errors are ``tui.store.errors.StoreError`` subclasses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from tui.store.models import (
    ActorCount,
    Source,
    SourceStatus,
    Story,
    StoryFilter,
    StoryIn,
    TriageState,
    UpcomingDate,
    UpsertStatus,
)

StatusLike = SourceStatus | Mapping[str, Any] | None


@runtime_checkable
class StoreProtocol(Protocol):
    """One desk's database, whichever backend holds it."""

    path: Path | None

    @property
    def backend(self) -> str: ...

    def close(self) -> None: ...

    def transaction(self) -> contextlib.AbstractContextManager[Any]: ...

    # sources
    def add_source(
        self,
        url: str,
        *,
        kind: str = ...,
        title: str = ...,
        tags: Iterable[str] = ...,
        options: dict[str, object] | None = ...,
    ) -> Source: ...

    def ensure_feeds(
        self, feeds: Iterable[tuple[str, str, Sequence[str], dict[str, object]]]
    ) -> None: ...

    def remove_source(self, source_id: int) -> None: ...

    def sources(self) -> list[Source]: ...

    def source(self, source_id: int) -> Source: ...

    def source_by_url(self, url: str) -> Source | None: ...

    def update_source(
        self, source_id: int, status: SourceStatus | None = ..., **fields: Any
    ) -> None: ...

    def update_sources(
        self, updates: Iterable[tuple[int, SourceStatus | Mapping[str, Any]]]
    ) -> None: ...

    # ingest
    def ingest(
        self,
        source_id: int,
        stories: Iterable[StoryIn],
        *,
        tags: Iterable[str] = ...,
        status: StatusLike = ...,
    ) -> list[tuple[int, UpsertStatus]]: ...

    def ingest_many(
        self,
        feeds: Sequence[tuple[int, Iterable[StoryIn], Iterable[str], StatusLike]],
    ) -> list[list[tuple[int, UpsertStatus]] | Exception]: ...

    def upsert_stories(
        self, source_id: int | None, stories: Iterable[StoryIn]
    ) -> list[tuple[int, UpsertStatus]]: ...

    def upsert_story(self, source_id: int | None, story: StoryIn) -> tuple[int, UpsertStatus]: ...

    def set_story_text(self, story_id: int, text: str) -> None: ...

    # queries
    def list_stories(
        self,
        flt: StoryFilter | None = ...,
        *,
        limit: int = ...,
        offset: int = ...,
        after: tuple[str, int] | None = ...,
        with_text: bool = ...,
        reverse: bool = ...,
    ) -> list[Story]: ...

    def count_stories(self, flt: StoryFilter | None = ...) -> int: ...

    def story(self, story_id: int) -> Story: ...

    def story_source_labels(self, story_id: int) -> list[str]: ...

    def source_labels(self, ids: Sequence[int]) -> dict[int, list[str]]: ...

    def today(self) -> dt.date: ...

    def newest_published(self) -> str: ...

    def counts(self) -> dict[str, int]: ...

    def unread_by_source(self) -> dict[int, int]: ...

    def source_totals(self) -> dict[int, int]: ...

    # triage
    def set_read(self, ids: Sequence[int], read: bool = ...) -> None: ...

    def set_saved(self, ids: Sequence[int], saved: bool = ...) -> None: ...

    def set_archived(self, ids: Sequence[int], archived: bool = ...) -> None: ...

    def set_note(self, story_id: int, note: str) -> None: ...

    def add_tags(self, ids: Sequence[int], names: Iterable[str]) -> None: ...

    def remove_tags(self, ids: Sequence[int], names: Iterable[str]) -> None: ...

    def tags(self) -> list[tuple[str, int]]: ...

    def triage_state(self, ids: Sequence[int]) -> list[TriageState]: ...

    def restore_triage(self, states: Iterable[TriageState]) -> None: ...

    # analysis cache and indexes
    def cached_analysis(self, story_id: int, version: str) -> dict[str, Any] | None: ...

    def cached_analyses(self, ids: Sequence[int], version: str) -> dict[int, dict[str, Any]]: ...

    def stories_without_analysis(self, version: str, *, limit: int = ...) -> list[int]: ...

    def save_analysis(self, story_id: int, version: str, data: Mapping[str, Any]) -> None: ...

    def actors(self, *, limit: int = ...) -> list[ActorCount]: ...

    def upcoming_dates(
        self, *, start: str | None = ..., end: str | None = ...
    ) -> list[UpcomingDate]: ...

    # a shared desk (no-ops on SQLite)
    def claim_sources(self, ids: Sequence[int]) -> contextlib.AbstractContextManager[set[int]]: ...

    def subscribe(self, callback: Callable[[str, str], None]) -> None: ...

    def story_credits(self, story_id: int) -> list[tuple[str, str, str, str]]: ...

    # settings
    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...
