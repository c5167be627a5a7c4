"""Which stories an export covers, shared by ``newsdesk export`` and the desk's dialog.

A ``Selection`` is the user's choice in words (tags, saved, dates, query); it turns
into the store's ``StoryFilter`` and into the one-line description printed at the
top of the document, so the reader knows what the export left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from tui.store import Store, Story, StoryFilter

GroupBy = Literal["none", "tag", "source", "date"]
GROUP_BY: tuple[GroupBy, ...] = ("none", "tag", "source", "date")
PAGE = 10000


def parse_day(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` date (an ISO date-time is cut to its day); ``ValueError`` otherwise."""
    raw = text.strip()
    try:
        return dt.date.fromisoformat(raw[:10]) if len(raw) >= 10 else dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


@dataclass(frozen=True, slots=True)
class Selection:
    """The stories to export: every criterion given must hold (tags: any, or all)."""

    tags: tuple[str, ...] = ()
    all_tags: bool = False
    saved: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    query: str | None = None

    def to_filter(self) -> StoryFilter:
        """The store filter; ``until`` is inclusive (stories published that day count)."""
        until = (self.until + dt.timedelta(days=1)).isoformat() if self.until else None
        return StoryFilter(
            tags=self.tags,
            all_tags=self.all_tags,
            saved=self.saved,
            since=self.since.isoformat() if self.since else None,
            until=until,
            query=self.query or None,
        )

    def describe(self) -> str:
        """One plain-text line: what was selected ("all stories" when nothing)."""
        parts: list[str] = []
        if self.tags:
            joiner = " and " if self.all_tags else " or "
            label = "tags" if len(self.tags) > 1 else "tag"
            parts.append(f"{label} {joiner.join(self.tags)}")
        if self.saved:
            parts.append("saved")
        if self.since and self.until:
            parts.append(f"published {self.since.isoformat()} to {self.until.isoformat()}")
        elif self.since:
            parts.append(f"published since {self.since.isoformat()}")
        elif self.until:
            parts.append(f"published until {self.until.isoformat()}")
        if self.query:
            parts.append(f"matching “{self.query}”")
        return "stories with " + "; ".join(parts) if parts else "all stories"

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of the selection (dates as ISO strings)."""
        return {
            "tags": list(self.tags),
            "all_tags": self.all_tags,
            "saved": self.saved,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "query": self.query,
        }


def iter_pages(
    store: Store, flt: StoryFilter, *, with_text: bool = True, page: int = PAGE
) -> Iterator[list[Story]]:
    """Pages of the stories matching ``flt``, newest first, by keyset (O(page) memory)."""
    after: tuple[str, int] | None = None
    while True:
        batch = store.list_stories(flt, limit=page, after=after, with_text=with_text)
        if batch:
            yield batch
        if len(batch) < page:
            return
        last = batch[-1]
        after = (last.published, last.id)


def iter_stories(
    store: Store, flt: StoryFilter, *, with_text: bool = True, page: int = PAGE
) -> Iterator[Story]:
    """Every story matching ``flt``, newest first (see ``iter_pages``)."""
    for batch in iter_pages(store, flt, with_text=with_text, page=page):
        yield from batch
