"""Writes from the desk that never block it, never crash it and are never lost.

A key press (save, tag, note, mark read) is one store write. Another process
may hold the write lock for many seconds (a big ``newsdesk fetch``), or the
file may be read-only. A write that waited in SQLite's busy handler froze the
UI for up to 10 s, and one that failed printed a traceback and was lost.

``WriteQueue`` tries a write at once without waiting (``Store.fail_fast``); if
the database is busy or read-only the write is kept, in order, and retried
from a background thread with growing pauses, and the desk is told (once per
trouble, and again when everything is saved). Writes that fail for another
reason (the story was deleted meanwhile) are handed back with their error.

No Textual here: callbacks are plain functions, called on the thread that
ran the write; the desk hops to its UI thread itself.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from tui.store.errors import StoreLocked, StoreReadOnly, StoreUnavailable
from tui.store.store import Store

Event = Literal["saved", "failed"]


@dataclass(slots=True)
class PendingWrite:
    """One action waiting to be written: what the user did, and how to write it."""

    label: str
    write: Callable[[], None]
    on_done: Callable[[PendingWrite, Exception | None], None] | None = None
    attempts: int = 0
    error: str = ""
    exception: Exception | None = None
    done: threading.Event = field(default_factory=threading.Event)


def retryable(exc: BaseException) -> bool:
    """A write that may succeed later: the lock is busy, the file is read-only for now,
    or a shared desk's server is away."""
    if isinstance(exc, StoreLocked | StoreReadOnly | StoreUnavailable):
        return True
    if not isinstance(exc, sqlite3.OperationalError):  # the driver's own, if one escapes
        return False
    text = str(exc).lower()
    return "locked" in text or "busy" in text or "readonly" in text or "read-only" in text


def describe(exc: BaseException) -> str:
    """One line for the user."""
    text = str(exc).lower()
    if isinstance(exc, StoreReadOnly) or "readonly" in text or "read-only" in text:
        return "the database is read-only"
    if isinstance(exc, StoreLocked) or "locked" in text or "busy" in text:
        return "the database is busy (another newsdesk is writing)"
    if isinstance(exc, StoreUnavailable):
        return f"the database is unavailable: {exc}"
    return f"{type(exc).__name__}: {exc}"


class WriteQueue:
    """Ordered, retried writes to one store (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        *,
        on_event: Callable[[Event, PendingWrite, int], None] | None = None,
        delays: Sequence[float] = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0),
    ) -> None:
        self.store = store
        self.on_event = on_event
        self.delays = tuple(delays)
        self._items: deque[PendingWrite] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None

    @property
    def pending(self) -> list[PendingWrite]:
        """Writes not done yet, oldest first."""
        with self._lock:
            return list(self._items)

    def submit(
        self,
        label: str,
        write: Callable[[], None],
        on_done: Callable[[PendingWrite, Exception | None], None] | None = None,
    ) -> PendingWrite:
        """Write now if nothing is waiting and the lock is free; else keep it for the thread.

        Returns the item: ``item.done`` is set when it was written right here
        (``item.exception`` holds an error retrying cannot fix). Otherwise it is
        kept, and ``on_done(item, error)`` runs on the queue's thread once it
        is written or has failed for good; ``on_event`` says when the queue
        keeps failing ("failed") and when it is empty again ("saved").
        """
        item = PendingWrite(label, write, on_done)
        with self._lock:
            waiting = bool(self._items)
            if waiting or self._closed:
                self._items.append(item)
        if not waiting and not self._closed:
            if self._attempt(item, report=False):
                return item
            with self._lock:
                self._items.appendleft(item)  # nothing was ahead of it
        self._start()
        return item

    def retry_now(self) -> None:
        """Try the kept writes again without waiting for the next pause to end."""
        self._wake.set()

    def close(self, timeout: float = 2.0) -> list[PendingWrite]:
        """Stop the thread after one last try of what is kept; return what could not be written."""
        with self._lock:
            self._closed = True
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        left = self.pending
        for item in left:  # one last quick try, in order
            if not self._attempt(item, report=False):
                break
            with self._lock:
                self._items.popleft()
        return self.pending

    # -- internals -------------------------------------------------------------------------------

    def _attempt(self, item: PendingWrite, *, report: bool = True) -> bool:
        """True when written (or failed for good); False when to be kept.

        ``report``: call ``on_done`` (only on the queue's own thread).
        """
        item.attempts += 1
        try:
            with self.store.fail_fast():
                item.write()
        except Exception as exc:
            if retryable(exc):
                item.error = describe(exc)
                return False
            item.error = describe(exc)
            self._finish(item, exc, report)
            return True
        item.error = ""
        self._finish(item, None, report)
        return True

    def _finish(self, item: PendingWrite, error: Exception | None, report: bool) -> None:
        item.exception = error
        item.done.set()
        if report and item.on_done is not None:
            item.on_done(item, error)

    def _notify(self, event: Event, item: PendingWrite) -> None:
        if self.on_event is not None:
            self.on_event(event, item, len(self.pending))

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(
                target=self._run, name="newsdesk-write-queue", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        failures = 0
        while True:
            with self._lock:
                if not self._items or self._closed:
                    self._thread = None
                    return
                item = self._items[0]
            delay = self.delays[min(failures, len(self.delays) - 1)]
            self._wake.wait(delay)
            self._wake.clear()
            with self._lock:
                if self._closed:
                    self._thread = None
                    return
            if self._attempt(item):
                with self._lock:
                    self._items.popleft()
                    left = len(self._items)
                failures = 0
                if not left:
                    self._notify("saved", item)
                continue
            failures += 1
            if failures == len(self.delays):  # retried for ~9 s: tell the user, keep going
                self._notify("failed", item)
