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


STEADY_ROUNDS = 40


async def steady_screen(pilot: Any) -> None:
    """Wait until the screen paints the same twice in a row (for snapshots).

    Workers done is not yet a finished screen: a panel that gained or lost a
    scrollbar re-wraps and lays out again, and on a loaded machine a snapshot
    taken between those frames catches a scrollbar an eighth of a cell off.
    """
    await settle(pilot)
    await pilot.wait_for_scheduled_animations()
    before = pilot.app.export_screenshot()
    for _ in range(STEADY_ROUNDS):
        await pilot.pause(0.05)
        now = pilot.app.export_screenshot()
        if now == before:
            return
        before = now
