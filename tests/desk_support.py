"""Helpers shared by the desk's Pilot tests (imported by them; holds no tests)."""

from __future__ import annotations

from typing import Any


async def settle(pilot: Any) -> None:
    """Let workers finish and the screen catch up before asserting on the store."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
