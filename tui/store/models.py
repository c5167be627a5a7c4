"""Plain data passed in and out of the store (no SQL, no Textual)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

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
