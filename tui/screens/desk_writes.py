"""The desk's writes through ``WriteQueue``: never blocking, never crashing, never lost.

A mixin for ``DeskScreen`` (kept apart so the screen's own module stays about
keys and layout). Every triage write goes through ``safe_write``: written at
once when the database is free (as before), else kept and retried in the
background while the desk says so; a read-only desk says so when it opens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from tui.store import Store
from tui.store.write_queue import Event, PendingWrite, WriteQueue


class SafeWrites(Screen[None]):
    """``safe_write`` and the notifications about kept writes."""

    store: Store
    _writes: WriteQueue | None = None

    if TYPE_CHECKING:

        def after_triage(self, ids: list[int], *, reload: bool = False) -> None: ...

    @property
    def writes(self) -> WriteQueue:
        """The queue of this desk's writes (made on first use)."""
        if self._writes is None:
            self._writes = WriteQueue(self.store, on_event=self._write_event)
        return self._writes

    def announce_read_only(self) -> None:
        """Say once, at start, that nothing typed here can be saved for now."""
        if getattr(self.store, "read_only", False):
            self.notify(
                "This database is read-only: you can read and export; changes you make are "
                "kept while the desk runs and retried, but not saved.",
                title="Read-only",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def safe_write(
        self, label: str, ids: list[int], write: Callable[[], None], *, reload: bool = False
    ) -> PendingWrite:
        """Write now if the database is free; else keep the write and retry it in the background.

        Returns the item: ``item.done`` when written here (``item.exception``
        holds a failure retrying cannot fix, such as a story deleted meanwhile).
        """
        item = self.writes.submit(
            label,
            write,
            on_done=lambda done, error: self.app.call_from_thread(
                self._kept_write_done, done, error, ids, reload
            ),
        )
        if not item.done.is_set():
            kept = len(self.writes.pending)
            self.notify(
                f"Not saved yet ({item.error}): “{label}” is kept and will be written as soon "
                f"as possible ({kept} change{'s' if kept != 1 else ''} waiting).",
                severity="warning",
                markup=False,
            )
        return item

    def _kept_write_done(
        self, item: PendingWrite, error: Exception | None, ids: list[int], reload: bool
    ) -> None:
        if error is not None:
            self.notify(
                f"Could not save “{item.label}”: {item.error}", severity="error", markup=False
            )
        self.after_triage(ids, reload=True if error is not None else reload)

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
        return self.writes.close() if self._writes is not None else []
