"""Which stories a key acts on: the marked ones, else the story the user sees.

The list cursor is not always the story on screen: a search or a refresh can
move the cursor to row 1 while the opened story stays in the reader. Keys that
act on "this story" (``y``, ``o``, ``R``, ``F``, ``N``, and triage without marks)
must then follow the open story, not the row that moved under it. The rule:

- marked stories, when there are marks and the key acts on several (triage);
- else the open story, while the reader has focus or the user has not moved the
  cursor away from it since opening it (reloads and searches do not count);
- else the story under the cursor.

The desk screen reports cursor moves the user made and stories it opened; this
class answers, and says in words what it chose so the screen can show it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

TargetKind = Literal["marked", "open", "cursor", "none"]


@dataclass(frozen=True, slots=True)
class Target:
    """The story ids a key acts on, and why those."""

    ids: tuple[int, ...]
    kind: TargetKind

    def __bool__(self) -> bool:
        return bool(self.ids)

    @property
    def phrase(self) -> str:
        """``the open story``, ``3 marked stories``: for the status line and messages."""
        if self.kind == "marked":
            count = len(self.ids)
            return f"{count} marked {'story' if count == 1 else 'stories'}"
        if self.kind == "open":
            return "the open story"
        if self.kind == "cursor":
            return "the story under the cursor"
        return "no story"


NO_TARGET = Target((), "none")


class TargetTracker:
    """Remembers the open story and whether the user moved the cursor off it since."""

    def __init__(self) -> None:
        self.open_id: int | None = None
        self._follow_open = False

    def opened(self, story_id: int) -> None:
        """The reader now shows ``story_id`` (the cursor is on it)."""
        self.open_id = story_id
        self._follow_open = True

    def closed(self) -> None:
        """The reader shows no story (it was deleted, or the desk emptied)."""
        self.open_id = None
        self._follow_open = False

    def cursor_moved_by_user(self, story_id: int | None) -> None:
        """The user moved the cursor (keys, mouse): keys follow it unless it is on the open story."""
        self._follow_open = story_id is not None and story_id == self.open_id

    def story(self, cursor_id: int | None, *, reader_focused: bool = False) -> Target:
        """The one story a single-story key (``y``, ``o``, ``F``, ``R``, ``N``) acts on."""
        if self.open_id is not None and (reader_focused or self._follow_open):
            return Target((self.open_id,), "open")
        if cursor_id is not None:
            kind: TargetKind = "open" if cursor_id == self.open_id else "cursor"
            return Target((cursor_id,), kind)
        if self.open_id is not None:
            return Target((self.open_id,), "open")
        return NO_TARGET

    def stories(
        self, marked: Collection[int], cursor_id: int | None, *, reader_focused: bool = False
    ) -> Target:
        """What a triage key (``m``, ``s``, ``t``, ``x`` …) acts on: the marks, else ``story``."""
        if marked:
            return Target(tuple(sorted(marked)), "marked")
        return self.story(cursor_id, reader_focused=reader_focused)

    def off_cursor(self, cursor_id: int | None, *, reader_focused: bool = False) -> bool:
        """Keys act on the open story although the cursor is on another row: show it."""
        target = self.story(cursor_id, reader_focused=reader_focused)
        return target.kind == "open" and target.ids != (cursor_id,)
