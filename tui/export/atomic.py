"""Writing export files safely: atomically over regular files, as a stream elsewhere.

A reader (a calendar app polling the .ics, a script tailing the Markdown) must
never see half a file, so a regular file is written to a temporary file in the
same directory and renamed over the target with ``os.replace`` (atomic on POSIX
and Windows when both are on one filesystem, which the same directory ensures).

Renaming over anything else would be wrong: a FIFO (``-o >(gzip)``), a
terminal or a device node (``/dev/stdout``, ``/dev/null``) would be *replaced*
by a regular file (as root, ``/dev/full`` once became one). Those are written
as a stream instead; a FIFO is opened without blocking, so one that nobody
reads is refused at once instead of hanging the command. A directory is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from tui.sources.clean import clean_line


class ExportError(Exception):
    """A problem the user can fix (existing file, unwritable path); ``str()`` is one line."""


class ExistsError(ExportError):
    """The target exists and replacing it was not allowed."""


def _shown(path: Path) -> str:
    """A path as it may be printed: a hostile file name must not drive the terminal."""
    return clean_line(str(path))


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def write_output(path: Path, data: str | bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` and return the path written.

    A regular file (or a new one) is written atomically; replacing an existing
    one needs ``force`` (else ``ExistsError``). A FIFO, terminal or device is
    written as a stream (no ``force`` needed: nothing is replaced). A directory,
    a missing parent directory or a failed write raises ``ExportError`` (one
    line naming the path and the reason). Text is written as UTF-8 with ``\\n``
    line ends on every platform.
    """
    path = Path(path).expanduser()
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        st: os.stat_result | None = os.stat(path)  # follows a symlink to what it names
    except (FileNotFoundError, NotADirectoryError):  # the parent check below says which
        st = None
    except OSError as exc:
        raise ExportError(f"cannot write {_shown(path)}: {_reason(exc)}") from exc
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise ExportError(f"cannot write {_shown(path)}: it is a directory")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_stream(path, payload)
        return path
    if path.is_symlink():
        # Replace the file the link points to, not the link (which may live elsewhere).
        path = path.resolve()
    if st is not None and not force:
        raise ExistsError(f"{_shown(path)} already exists (use --force to replace it)")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(
            f"cannot write {_shown(path)}: directory {_shown(directory)} does not exist"
        )
    _replace_atomically(path, payload, st)
    return path


def _write_stream(path: Path, payload: bytes) -> None:
    """Write to a FIFO, terminal or device in place; never wait for a reader that is not there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO with no reader: writing would hang
            raise ExportError(f"cannot write {_shown(path)}: nothing is reading the pipe") from exc
        raise ExportError(f"cannot write {_shown(path)}: {_reason(exc)}") from exc
    try:
        os.set_blocking(fd, True)  # the reader is there: let it take its time
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise ExportError(f"cannot write {_shown(path)}: {_reason(exc)}") from exc
    finally:
        os.close(fd)


def _replace_atomically(path: Path, payload: bytes, old: os.stat_result | None) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ExportError(f"cannot write {_shown(path)}: {_reason(exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            # Keep the permissions of the file being replaced (mkstemp creates 0600).
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, old.st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise ExportError(f"cannot write {_shown(path)}: {_reason(exc)}") from exc
