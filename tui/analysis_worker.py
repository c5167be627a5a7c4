"""Background analysis in a process of its own, so the desk's UI thread keeps the GIL.

Analysing a story is tens of milliseconds of pure Python; in a thread of the
desk's process it shares the GIL with the event loop, and a cursor move that
lands in the middle waits its turn (p95 ~35 ms while a backlog is analysed, at
a million stories). A single worker process (``forkserver``: the desk has
threads) opens the same database file, writes the analyses itself, and the
desk reads them from the store as before. A desk on ``:memory:`` (tests), or a
worker that died, analyses in the thread as it always did.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

from tui.store import Store

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()
_stores: dict[str, Store] = {}


def analyse_pending_at(path: str, limit: int) -> int:
    """``analyse_pending`` on this process's own connection to the file at ``path``."""
    from tui.story_analysis import analyse_pending

    store = _stores.get(path)
    if store is None:
        store = _stores[path] = Store.open(path)
    return analyse_pending(store, limit=limit)


def analysis_pool() -> ProcessPoolExecutor:
    """The one background-analysis worker (started on first use, stopped at exit)."""
    global _pool
    with _lock:
        if _pool is None:
            methods = multiprocessing.get_all_start_methods()
            method = "forkserver" if "forkserver" in methods else "spawn"
            context = multiprocessing.get_context(method)
            _start_resource_tracker()
            _pool = ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=_lower_priority
            )
            atexit.register(drop_analysis_pool)
        return _pool


def _lower_priority() -> None:
    """Background work yields the CPU to the desk (on a busy machine the UI comes first)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(10)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with the real stderr.

    It hands ``sys.stderr.fileno()`` to its process; inside the desk Textual has
    replaced ``sys.stderr`` with a capture that has no usable descriptor.
    """
    from multiprocessing import resource_tracker

    saved = sys.stderr
    sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = saved


def drop_analysis_pool() -> None:
    """Stop the worker (at exit, or after it died: the next call starts a new one)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
