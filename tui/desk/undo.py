"""The desk's undo stack: each triage action and the state of its stories before it.

Plain data: ``DeskService`` pushes an entry after every triage write it made
(or kept for retrying) and pops one for ``u``. Bounded, so a long session does
not keep every state it ever saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.store import TriageState

UNDO_DEPTH = 100


@dataclass(frozen=True, slots=True)
class UndoEntry:
    """A triage action and the state of its stories before it."""

    label: str
    states: tuple[TriageState, ...]


class UndoStack:
    """The last ``depth`` triage actions, newest last."""

    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self.depth = depth
        self._entries: list[UndoEntry] = []

    def push(self, entry: UndoEntry) -> None:
        """Remember an action; the oldest falls off past ``depth``."""
        self._entries.append(entry)
        del self._entries[: -self.depth]

    def pop(self) -> UndoEntry | None:
        """The newest action, forgotten here (``None`` when there is nothing to undo)."""
        return self._entries.pop() if self._entries else None

    @property
    def entries(self) -> list[UndoEntry]:
        """A copy, oldest first."""
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
