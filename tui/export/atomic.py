"""Writing export files atomically, refusing to replace a file unless told to.

A reader (a calendar app polling the .ics, a script tailing the Markdown) must
never see half a file, so the output goes to a temporary file in the same
directory and is renamed over the target with ``os.replace`` (atomic on POSIX
and Windows when both are on one filesystem, which the same directory ensures).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class ExportError(Exception):
    """A problem the user can fix (existing file, unwritable path); ``str()`` is one line."""


class ExistsError(ExportError):
    """The target exists and replacing it was not allowed."""


def write_output(path: Path, data: str | bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically and return the resolved path.

    Raises ``ExistsError`` when ``path`` exists and ``force`` is false, and
    ``ExportError`` (one line naming the path and the reason) when it cannot be
    written. Text is written as UTF-8 with ``\\n`` line ends on every platform.
    """
    path = Path(path).expanduser()
    if path.is_symlink():
        # Replace the file the link points to, not the link (which may live elsewhere).
        path = path.resolve()
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a directory")
    if path.exists() and not force:
        raise ExistsError(f"{path} already exists (use --force to replace it)")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"cannot write {path}: directory {directory} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            # Keep the permissions of the file being replaced (mkstemp creates 0600).
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
