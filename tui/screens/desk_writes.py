"""What the desk says about its writes: kept for later, saved at last, read-only.

A mixin for ``DeskScreen`` (kept apart so the screen's own module stays about
keys and layout). The writes themselves go through ``DeskService.write`` in
worker threads (``tui.store.write_queue`` keeps and retries a write the
database refused for now); this class turns their outcomes into notifications
on the UI thread and repaints what a write kept for later changed once it ran.
"""

from __future__ import annotations

from tui.desk.service import WriteOutcome
from tui.screens.desk_base import DeskBase
from tui.store.write_queue import Event, PendingWrite, WriteQueue


class SafeWrites(DeskBase):
    """Notifications about kept writes, and the hooks the service calls from its threads."""

    @property
    def writes(self) -> WriteQueue:
        """The queue of this desk's writes."""
        return self.service.writes

    def watch_writes(self) -> None:
        """Have the service's write queue report here (its callbacks run on its thread)."""
        self.service.on_write_event = self._write_event
        self.service.on_kept_done = self._kept_write_done

    def announce_read_only(self) -> None:
        """Say once, at start, that nothing typed here can be saved for now."""
        if getattr(self.service.store, "read_only", False):
            self.notify(
                "This database is read-only: you can read and export; changes you make are "
                "kept while the desk runs and retried, but not saved.",
                title="Read-only",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def say_kept(self, outcome: WriteOutcome | None) -> None:
        """A write the database refused for now is kept and retried: say so."""
        if outcome is None or not outcome.kept:
            return
        kept = outcome.waiting
        self.notify(
            f"Not saved yet ({outcome.error}): “{outcome.label}” is kept and will be written as "
            f"soon as possible ({kept} change{'s' if kept != 1 else ''} waiting).",
            severity="warning",
            markup=False,
        )

    def _kept_write_done(
        self, item: PendingWrite, error: Exception | None, ids: list[int], reload: bool
    ) -> None:
        self.app.call_from_thread(self._kept_write_shown, item, error, ids, reload)

    def _kept_write_shown(
        self, item: PendingWrite, error: Exception | None, ids: list[int], reload: bool
    ) -> None:
        if error is not None:
            self.notify(
                f"Could not save “{item.label}”: {item.error}", severity="error", markup=False
            )
        self.after_change(ids, reload=True if error is not None else reload)

    def _write_event(self, event: Event, item: PendingWrite, pending: int) -> None:
        if event == "saved":
            message, severity = "All kept changes are saved now.", "information"
        else:
            message = (
                f"Still cannot save ({item.error}); {pending} change"
                f"{'s are' if pending != 1 else ' is'} kept and retried."
            )
            severity = "warning"
        self.app.call_from_thread(self.notify, message, severity=severity, markup=False)

    def close_writes(self) -> list[PendingWrite]:
        """At exit: one last try; what is left is returned (and reported by the caller)."""
        return self.service.close_writes()
