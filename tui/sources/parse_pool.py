"""Worker processes for parsing feeds, so a big refresh uses more than one core.

feedparser is pure Python: with the GIL, threads cannot share out the seconds
of CPU that parsing 200 feeds takes. The pool is created on first need and
kept for the life of the program (the desk refreshes again and again).
"forkserver" because the desk has threads; the fork server imports the
parser once, so workers start warm.

Inside the desk, Textual replaces ``sys.stderr`` with a print capture whose
``fileno()`` is -1, and multiprocessing's resource tracker passes
``sys.stderr.fileno()`` to the helper process it spawns: ``ValueError: bad
value(s) in fds_to_keep``. So the helpers are started with the real stderr in
place (``start_helpers``, which the desk also calls before Textual starts).
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import resource_tracker

from tui.sources.feeds import language_code

POOL_MIN_SOURCES = 12


class ParserPool:
    """A process pool plus a future that completes once its workers are up."""

    def __init__(self, workers: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            context.set_forkserver_preload(["tui.sources.feeds", "tui.sources.fastparse"])
        with _stderr_with_fileno():
            resource_tracker.ensure_running()
            self.executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=watch_parent,
                initargs=(os.getpid(),),
            )
            # Submitting starts every worker (and the fork server) now, still inside ``with``.
            warm_ups = [self.executor.submit(language_code, "en") for _ in range(workers)]
        self.warm: concurrent.futures.Future[str] = warm_ups[-1]

    @property
    def ready(self) -> bool:
        """The workers have started and imported the parser."""
        return self.warm.done()


def watch_parent(pid: int, interval: float = 0.5) -> None:
    """In a worker: exit as soon as process ``pid`` (the program that made the pool) is gone.

    A ``kill -9`` of ``newsdesk fetch`` gives the pool no chance to stop its
    workers, and they would wait for ever for work: each holds the write end of
    its own task queue, so it never sees end of file, and their inherited
    descriptor keeps the resource tracker alive too. The worker's parent is
    the fork server, not the program, so ``getppid`` cannot tell; a daemon
    thread checks the program's pid instead (a zombie counts as gone).
    """

    def watch() -> None:
        while process_alive(pid):
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="newsdesk-parent-watch", daemon=True).start()


def process_alive(pid: int) -> bool:
    """Whether ``pid`` runs (not gone, not a zombie waiting to be reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (pid reused): not ours any more
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (macOS): kill(0) is all we can know
    return state not in (b"Z", b"X")


_pool: ParserPool | None = None
_pool_lock = threading.Lock()
_stderr_lock = threading.Lock()


def _has_fileno(stream: object) -> bool:
    try:
        return int(stream.fileno()) >= 0  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


@contextlib.contextmanager
def _stderr_with_fileno() -> Iterator[None]:
    """``sys.stderr`` is a real file while multiprocessing spawns its helper processes.

    Textual's print capture answers ``fileno()`` with -1; the resource tracker
    hands that number to ``fork_exec``, which refuses it. The real stderr (or
    /dev/null when there is none) stands in for the few milliseconds of the spawn.
    """
    with _stderr_lock:
        if _has_fileno(sys.stderr):
            yield
            return
        saved = sys.stderr
        stand_in = sys.__stderr__ if _has_fileno(sys.__stderr__) else None
        devnull = None
        if stand_in is None:
            devnull = stand_in = open(os.devnull, "w")  # noqa: SIM115 - closed below
        sys.stderr = stand_in
        try:
            yield
        finally:
            sys.stderr = saved
            if devnull is not None:
                devnull.close()


def start_helpers() -> None:
    """Start multiprocessing's resource tracker now, while stderr is still a real file.

    The desk calls this before Textual takes over stdio, so a refresh inside the
    desk never has to spawn it. Cheap: one small process, and only on machines
    where a pool can be used at all.
    """
    if (os.cpu_count() or 1) < 2:
        return
    with _stderr_with_fileno():
        resource_tracker.ensure_running()


def parser_pool(sources: int) -> ParserPool | None:
    """The shared pool, when a refresh of ``sources`` feeds is worth it on this machine."""
    global _pool
    cpus = os.cpu_count() or 1
    if sources < POOL_MIN_SOURCES or cpus < 2:
        return None
    with _pool_lock:
        if _pool is None:
            _pool = ParserPool(min(cpus, 4))
            atexit.register(drop_pool)
        return _pool


def drop_pool() -> None:
    """Shut the pool down (at exit, or when a worker died: the next refresh makes a new one)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.executor.shutdown(wait=False, cancel_futures=True)
