"""Triage keys (m, s, x, t, T, N, space) and undo (u) of the desk.

A mixin of ``DeskScreen``. Keys act on the marked stories, else on the story the
user sees (``tui.desk.targets``). Each key takes a ticket on the UI thread (so
writes keep the order of the keys) and runs ``DeskService`` in a worker, which
writes in one transaction, remembers the previous state for undo and reads back
what changed; ``TriageDone`` / ``UndoDone`` repaint it here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work

from tui.desk.service import Toggle
from tui.screens.desk_messages import (
    CountsReady,
    StoriesReady,
    StoryLoaded,
    TagsReady,
    TriageDone,
    UndoDone,
)
from tui.screens.dialogs import NoteDialog
from tui.screens.tagging import TagDialog, UntagDialog
from tui.widgets.story_list import plain

if TYPE_CHECKING:
    pass
from tui.screens.desk_base import DeskBase


class TriageActions(DeskBase):
    """Triage and undo for ``DeskScreen``."""

    def _targets(self) -> list[int]:
        ids = list(self.target_stories().ids)
        if not ids:
            self.notify("No story selected.", severity="warning")
        return ids

    def _shown_id(self) -> int | None:
        shown = self.story_view.story
        return shown.id if shown is not None else None

    def triage(
        self, label: str, ids: list[int], write: Callable[[], None], *, reload: bool = False
    ) -> None:
        """Write (in a worker, in key order), remember for undo, repaint (``TriageDone``)."""
        self._triage_worker(label, ids, write, reload, self.service.ticket(), self._shown_id())

    @work(thread=True, group="triage", exit_on_error=False)
    def _triage_worker(
        self,
        label: str,
        ids: list[int],
        write: Callable[[], None],
        reload: bool,
        ticket: int,
        shown_id: int | None,
    ) -> None:
        self._post(
            f"Saving “{label}”",
            lambda: TriageDone(
                self.service.triage(
                    label, ids, write, reload=reload, ticket=ticket, shown_id=shown_id
                )
            ),
        )

    def _toggle(self, flag: Toggle) -> None:
        ids = self._targets()
        if ids:
            self._toggle_worker(flag, ids, self.service.ticket(), self._shown_id())

    @work(thread=True, group="triage", exit_on_error=False)
    def _toggle_worker(
        self, flag: Toggle, ids: list[int], ticket: int, shown_id: int | None
    ) -> None:
        self._post(
            "Saving",
            lambda: TriageDone(self.service.toggle(flag, ids, ticket=ticket, shown_id=shown_id)),
        )

    def on_triage_done(self, message: TriageDone) -> None:
        result = message.result
        ids = list(result.ids)
        if result.status == "failed" and result.write is not None:
            self.notify(
                f"Could not save “{result.label}”: {result.write.error}",
                severity="error",
                markup=False,
            )
        elif result.status == "missing":  # deleted by another process while shown
            self.notify("That story is no longer in the desk.", severity="warning")
            self.story_list.marked.difference_update(ids)
        else:
            self.say_kept(result.write)
        if result.rows is not None:
            self.window.replace_stories(result.rows)
            self.story_list.refresh()
        if result.snapshot is not None:
            self.on_counts_ready(CountsReady(result.snapshot))
        if result.reload:
            self.reload()
        if result.shown is not None:
            self.on_story_loaded(StoryLoaded(result.shown.story.id, result.shown, open_it=False))
        elif result.shown_gone:
            self.close_story()
        if result.label in ("archived", "unarchived"):
            self.story_list.marked.difference_update(ids)
            count = len(ids)
            self.notify(
                f"{count} {'story' if count == 1 else 'stories'} {result.label} (u undoes)."
            )

    def action_toggle_read(self) -> None:
        self._toggle("read")

    def action_toggle_saved(self) -> None:
        self._toggle("saved")

    def action_archive(self) -> None:
        self._toggle("archived")

    def action_tag(self) -> None:
        ids = self._targets()
        if not ids:
            return
        store = self.store

        def done(names: list[str] | None) -> None:
            if names:
                self.triage("tagged " + ", ".join(names), ids, lambda: store.add_tags(ids, names))

        dialog = TagDialog(list(self.snapshot.tags), len(ids))
        self.app.push_screen(dialog, done)
        self._tag_dialog = dialog
        self._read_tags()  # another desk or process may have added tags since

    @work(thread=True, exclusive=True, group="read-tags", exit_on_error=False)
    def _read_tags(self) -> None:
        self._post("Reading tags", lambda: TagsReady(self.service.tags()))

    def on_tags_ready(self, message: TagsReady) -> None:
        if self._tag_dialog is not None and self._tag_dialog.is_attached:
            self._tag_dialog.update_names(list(message.tags))

    def action_untag(self) -> None:
        ids = self._targets()
        if ids:
            self._read_stories(ids, "untag")

    @work(thread=True, group="read-stories", exit_on_error=False)
    def _read_stories(self, ids: list[int], purpose: str) -> None:
        self._post("Reading stories", lambda: StoriesReady(self.service.stories(ids, purpose), ids))

    def on_stories_ready(self, message: StoriesReady) -> None:
        ids = message.ids
        tags = sorted({t for s in message.read.stories for t in s.tags}, key=str.casefold)
        if not tags:
            self.notify("No tags to remove.")
            return
        store = self.store

        def done(name: str | None) -> None:
            if name:
                self.triage(f"untagged {name}", ids, lambda: store.remove_tags(ids, [name]))

        self.app.push_screen(UntagDialog(tags), done)

    def action_note(self) -> None:
        story = self.target_story()
        if story is None:
            return
        store = self.store

        def done(note: str | None) -> None:
            if note is not None:
                self.triage("note", [story.id], lambda: store.set_note(story.id, note))

        self.app.push_screen(NoteDialog(plain(story.title), story.note), done)

    def action_undo(self) -> None:
        self._undo_worker(self.service.ticket())

    @work(thread=True, group="triage", exit_on_error=False)
    def _undo_worker(self, ticket: int) -> None:
        self._post("Undo", lambda: UndoDone(self.service.undo_last(ticket=ticket)))

    def on_undo_done(self, message: UndoDone) -> None:
        result = message.result
        if result.entry is None:
            self.notify("Nothing to undo.")
            return
        self.say_kept(result.write)
        if result.some_missing:
            self.notify("Some stories are no longer in the desk.", severity="warning")
        self.after_change(result.ids, reload=True)
        if result.restored:
            self.notify(f"Undone: {result.entry.label}.", markup=False)

    def action_toggle_mark(self) -> None:
        self.story_list.toggle_mark()
        self._update_status()
