"""First come, first served for the desk's writes, whichever thread runs them.

Each triage key starts its own worker thread; two quick keys (``m`` then ``u``)
must still reach the store in the order they were pressed. The UI thread takes
a ticket when the key is pressed; the worker waits for its ticket's turn.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

TURN_TIMEOUT = 30.0
"""A turn whose worker never ran (the desk closing) stops blocking the next after this."""


class Sequencer:
    """Tickets handed out in order; ``turn(ticket)`` waits until all earlier ones ended."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._issued = 0
        self._serving = 0

    def ticket(self) -> int:
        """The next ticket (take it on the thread that saw the key press)."""
        with self._cond:
            ticket = self._issued
            self._issued += 1
            return ticket

    @contextlib.contextmanager
    def turn(self, ticket: int, timeout: float = TURN_TIMEOUT) -> Iterator[None]:
        """Run the block after every earlier ticket's block (or after ``timeout``)."""
        with self._cond:
            self._cond.wait_for(lambda: self._serving >= ticket, timeout)
        try:
            yield
        finally:
            with self._cond:
                self._serving = max(self._serving, ticket + 1)
                self._cond.notify_all()
