"""Where ``n`` and ``p`` go: the next unread story from the cursor, wrapping at the ends.

``n`` starts at the cursor itself, so on a fresh desk the unread story under the
cursor is the first one opened, not skipped; at the last unread story it wraps to
the top of the view and says so, rather than claiming there is nothing left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tui.store import Story


class UnreadRows(Protocol):
    """The part of ``StoryPager`` navigation needs (a fake list in unit tests)."""

    count: int

    def get(self, index: int) -> Story | None: ...

    def next_unread(self, index: int) -> int | None: ...

    def previous_unread(self, index: int) -> int | None: ...


@dataclass(frozen=True, slots=True)
class UnreadStep:
    """Where to go, and whether the search went round the end of the list to find it."""

    index: int
    wrapped: bool


def next_unread(rows: UnreadRows, cursor: int) -> UnreadStep | None:
    """The first unread row at or after ``cursor``, else the first from the top."""
    here = rows.get(cursor)
    if here is not None and not here.read and not here.archived:
        return UnreadStep(cursor, False)
    index = rows.next_unread(cursor)
    if index is not None and index > cursor:
        return UnreadStep(index, False)
    first = rows.next_unread(-1)  # no row -1: the first unread row of the whole list
    if first is None or first == cursor:
        return None
    return UnreadStep(first, first < cursor)


def previous_unread(rows: UnreadRows, cursor: int) -> UnreadStep | None:
    """The nearest unread row before ``cursor``, else the last one from the bottom."""
    index = rows.previous_unread(cursor)
    if index is not None and index < cursor:
        return UnreadStep(index, False)
    last = rows.previous_unread(rows.count)  # past the end: the oldest unread row
    if last is None or last == cursor:
        return None
    return UnreadStep(last, last > cursor)


def wrap_message(step: UnreadStep, forward: bool) -> str:
    """The note shown when the search went round the end."""
    if forward:
        return "No unread stories below: wrapped to the top."
    return "No unread stories above: wrapped to the bottom."
