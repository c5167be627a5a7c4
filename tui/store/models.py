"""Plain data passed in and out of the store (no SQL, no Textual)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal, NamedTuple

UpsertStatus = Literal["new", "updated", "unchanged"]


def utc_iso(moment: dt.datetime | None = None) -> str:
    """A UTC timestamp in the one format the store sorts by: ``2026-01-08T10:00:00Z``."""
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class StoryIn:
    """A story as a source delivers it, before it has an id."""

    title: str
    text: str
    url: str = ""
    guid: str = ""
    author: str = ""
    published: dt.datetime | None = None
    language: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    """A stored story with its triage state."""

    id: int
    uid: str
    source_id: int | None
    source: str
    guid: str
    url: str
    title: str
    author: str
    published: str
    fetched: str
    language: str
    text: str
    read: bool
    saved: bool
    archived: bool
    note: str
    tags: tuple[str, ...] = ()

    def to_dict(self, *, with_text: bool = False) -> dict[str, object]:
        """The JSON shape of ``newsdesk list/show --json``."""
        data: dict[str, object] = {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "language": self.language,
            "tags": list(self.tags),
            "saved": self.saved,
            "read": self.read,
            "archived": self.archived,
            "note": self.note,
        }
        if with_text:
            data.update(author=self.author, text=self.text)
        return data


@dataclass(frozen=True, slots=True)
class Source:
    """A feed or a local path, with its fetch status."""

    id: int
    kind: Literal["feed", "file"]
    url: str
    title: str
    etag: str | None
    last_modified: str | None
    last_fetch: str | None
    last_success: str | None
    last_error: str | None
    failures: int
    retry_after: str | None
    options: dict[str, object]
    tags: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """What to show for the source: its title, else its URL or path."""
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Which stories a list, count or export wants. Empty means all."""

    source_id: int | None = None
    tags: tuple[str, ...] = ()
    all_tags: bool = False
    actor: str | None = None
    language: str | None = None
    unread: bool = False
    saved: bool = False
    upcoming: bool = False
    include_archived: bool = True
    query: str | None = None
    since: str | None = None
    until: str | None = None
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class TriageState:
    """The user-owned state of one story, captured so that undo can restore it."""

    story_id: int
    read: bool
    saved: bool
    archived: bool
    note: str
    tags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A source's fetch status after one fetch: only the fields that are set (not ``None``)
    are written; ``clear`` names fields to reset to NULL (e.g. ``last_error`` after a success).
    """

    url: str | None = None
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    failures: int | None = None
    retry_after: str | None = None
    clear: tuple[str, ...] = ()

    def columns(self) -> dict[str, Any]:
        """The column values to write."""
        out: dict[str, Any] = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "clear" and getattr(self, f.name) is not None
        }
        out.update(dict.fromkeys(self.clear))
        return out


def status_columns(status: SourceStatus | Mapping[str, Any] | None) -> dict[str, Any]:
    """Columns of a typed status, or of the plain mapping older callers pass."""
    if status is None:
        return {}
    if isinstance(status, SourceStatus):
        return status.columns()
    return dict(status)


class ActorCount(NamedTuple):
    """An actor and how many stories name it (a tuple, so it compares like one)."""

    name: str
    kind: str
    stories: int


@dataclass(frozen=True, slots=True)
class UpcomingDate:
    """One upcoming date mention of a story, for the agenda."""

    story_id: int
    seq: int
    value: str
    granularity: str
    sentence: int
    event: str
    ends: str
    title: str
    url: str
    uid: str
