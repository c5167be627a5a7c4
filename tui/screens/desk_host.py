"""What the desk screen needs from the app that runs it, as a typed protocol.

The screen is given its host (``NewsDeskApp``) and its ``DeskService`` when it
is made, instead of finding settings on ``self.app`` with ``getattr``: the
config, the desk's day, the analysis scheduler, the sample desk, and where a
database error is reported.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from tui.config import Config
from tui.store import Store, StoreLocked, StoreUnavailable


class DeskHost(Protocol):
    """The app as the desk screen sees it."""

    config: Config
    store: Store
    """The desk's store (the service's), for worker threads and the dialogs' workers."""
    background_analysis: bool
    """Whether stories are analysed in the background (off in tests and benchmarks)."""

    def today(self) -> dt.date:
        """The desk's day (what "upcoming" counts from)."""
        ...

    def schedule_analysis(self) -> None:
        """Analyse stories without an analysis, in the background (new stories arrived)."""
        ...

    def load_samples(self) -> None:
        """Load the bundled sample desk (in a worker)."""
        ...

    def report_store_error(self, error: StoreUnavailable | StoreLocked) -> None:
        """Say that the database is away or busy (at most every few seconds)."""
        ...
