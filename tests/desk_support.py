"""Helpers shared by the desk's Pilot tests (imported by them; holds no tests)."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.worker import WorkerCancelled, WorkerFailed

SETTLE_ROUNDS = 50


async def settle(pilot: Any) -> None:
    """Let workers finish and the screen catch up before asserting on the store.

    The desk calls the store only in thread workers, whose answers (Messages)
    often start the next worker (a list read, then its counts; an undo, then the
    reload): so wait, apply, and wait again until no worker is left running.
    """
    app = pilot.app
    for _ in range(SETTLE_ROUNDS):
        await pilot.pause()
        # A newer read replaced one (exclusive groups), or one failed: wait for the rest.
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(not w.is_finished for w in app.workers if w.group != "background-analysis"):
            return
