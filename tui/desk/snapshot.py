"""What the desk's header, left pane and status line show, read in one go.

``CountsSnapshot`` is read by a worker thread (``DeskService.snapshot``) and
painted by the screen: the screen never asks the store for a count itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.store import ActorCount, Source


@dataclass(frozen=True, slots=True)
class CountsSnapshot:
    """Desk-wide counts, sources with their unread counts, tags and the actor list."""

    counts: dict[str, int]
    """``total``, ``unread``, ``saved`` (the header) and ``upcoming`` (the left pane)."""
    sources: tuple[Source, ...] = ()
    unread_by_source: dict[int, int] = field(default_factory=dict)
    tags: tuple[tuple[str, int], ...] = ()
    actors: tuple[ActorCount, ...] = ()
    stories: int = 0
    """Stories on the desk by the default filter (archived left out): 0 means an empty desk."""

    @property
    def header_counts(self) -> dict[str, int]:
        """What the header shows (the store's counts, without ``upcoming``)."""
        return {k: v for k, v in self.counts.items() if k != "upcoming"}

    @property
    def source_labels(self) -> dict[int, str]:
        """Source id → label, for describing a filter."""
        return {source.id: source.label for source in self.sources}

    def source(self, source_id: int) -> Source | None:
        """The source with this id as last read, or ``None``."""
        return next((s for s in self.sources if s.id == source_id), None)


EMPTY_SNAPSHOT = CountsSnapshot(counts={})
