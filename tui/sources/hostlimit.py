"""Per-host concurrency that adapts: start wide, back off when the host says so.

A fixed ``per_host = 2`` made 500 feeds on one host take minutes, and one
stalled feed held half of its host's slots. A host now starts at its full
width (``per_host``, default 6, which stays a hard cap: politeness); a 429/503
halves the width and a slow answer narrows it, never below one; quick answers
widen it again by about one per round. (Additive increase, multiplicative
decrease, as TCP does for the same reason.)

Pure asyncio, no I/O: the refresh engine reports each outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class HostLimit:
    """Slots for one host whose number (``width``) moves with the host's answers."""

    def __init__(self, start: int, maximum: int, slow_seconds: float) -> None:
        self.maximum = max(1, maximum)
        self.limit = float(min(max(1, start), self.maximum))
        self.slow_seconds = slow_seconds
        self.active = 0
        self._waiters: list[asyncio.Future[None]] = []

    @property
    def width(self) -> int:
        """How many requests to this host may run at once now."""
        return max(1, int(self.limit))

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[HostLimit]:
        """Hold one of the host's slots (waiting for one if all are taken)."""
        await self._acquire()
        try:
            yield self
        finally:
            self.active -= 1
            self._wake()

    async def _acquire(self) -> None:
        while self.active >= self.width:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake()  # woken but leaving: pass the free slot on
                raise
            finally:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
        self.active += 1

    def _wake(self) -> None:
        free = self.width - self.active
        for waiter in list(self._waiters):
            if free <= 0:
                break
            if not waiter.done():
                waiter.set_result(None)
                free -= 1

    def answered(self, seconds: float) -> None:
        """A response came in ``seconds``: widen a little if quick, narrow if slow."""
        if seconds > self.slow_seconds:
            self.limit = max(1.0, self.limit * 0.75)
        else:
            self.limit = min(float(self.maximum), self.limit + 1.0 / self.limit)
            self._wake()

    def overloaded(self) -> None:
        """429 Too Many Requests or 503 Unavailable: halve the width."""
        self.limit = max(1.0, self.limit / 2)
