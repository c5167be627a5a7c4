"""The desk's views (All, Unread, Saved, Upcoming, a source, a tag, an actor, a filter)
and the words that tell the user which one is active.

A view is a named ``StoryFilter``; the side panel lists them and the filter dialog
makes new ones. ``describe`` is what the list's status line shows, so the user
always sees which filter the list and every key apply to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tui.store import StoryFilter


@dataclass(frozen=True, slots=True)
class DeskView:
    """A named selection of stories."""

    key: str
    label: str
    filter: StoryFilter


ALL = DeskView("view:all", "All", StoryFilter())

VIEWS = (
    ALL,
    DeskView("view:unread", "Unread", StoryFilter(unread=True)),
    DeskView("view:saved", "Saved", StoryFilter(saved=True)),
    DeskView("view:upcoming", "Upcoming", StoryFilter(upcoming=True)),
)


def filter_parts(flt: StoryFilter, source_labels: Mapping[int, str]) -> list[str]:
    """Each condition of ``flt`` in a few words (``source Reuters``, ``#border``, ``unread``)."""
    parts: list[str] = []
    if flt.source_id is not None:
        parts.append("source " + source_labels.get(flt.source_id, f"#{flt.source_id}"))
    if flt.tags:
        joiner = " and " if flt.all_tags else " or "
        parts.append(joiner.join("#" + tag for tag in flt.tags))
    if flt.actor:
        parts.append("actor " + flt.actor)
    if flt.language:
        parts.append("language " + flt.language)
    for flag, word in ((flt.unread, "unread"), (flt.saved, "saved"), (flt.upcoming, "upcoming")):
        if flag:
            parts.append(word)
    if not flt.include_archived:
        parts.append("no archived")
    return parts


def describe(view: DeskView, source_labels: Mapping[int, str] | None = None) -> str:
    """What the list shows: the view's name, and for a filter what it keeps.

    Views from the side panel are their own description (``Unread``, ``#border``);
    a filter made with ``f`` says every condition, so no active filter is invisible.
    """
    if view.key != "filter":
        if view.filter.language:
            return f"{view.label} · language {view.filter.language}"
        return view.label
    parts = filter_parts(view.filter, source_labels or {})
    return "Filter: " + (" · ".join(parts) if parts else "none")


def is_filtered(view: DeskView) -> bool:
    """Whether ``view`` narrows the desk (anything but All)."""
    return view.filter != StoryFilter()
