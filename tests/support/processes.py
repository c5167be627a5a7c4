"""``newsdesk`` as a user runs it, and what a user's terminal and process table see.

Real processes (``cli``) or the entry point in this process (``run_main``), a check
that output is safe for a terminal, and the process tree below a pid. Everything
bounded in time. (The loopback HTTP server lives in ``tests.support.http_server``.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO
from tui.cli import main


def cli(
    *args: str,
    db: Path,
    config: Path | None = None,
    stdin: str | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """``newsdesk`` as a real process (exit status, stdout and stderr as a user sees them)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if config is not None:
        env["NEWSDESK_CONFIG"] = str(config)
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=timeout,
    )


def run_main(capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``newsdesk`` in this process (cheaper than a process): exit status, stdout, stderr."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capfd.readouterr()
    return code, out, err


CONTROL_BYTES = frozenset(
    chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
)


def terminal_safe(text: str) -> bool:
    """No ESC, no C0/C1 control (U+009B included), no zero-width joiner in ``text``."""
    return not any(ch in CONTROL_BYTES or ch in "\u200b\u200d\u2060\u202e" for ch in text)


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc; empty where there is none)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(b")", 1)[1].split()
        if fields[0] in (b"Z", b"X"):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def alive(pids: set[int]) -> set[int]:
    """The ones of ``pids`` still running (zombies count as gone)."""
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in (b"Z", b"X"):
            out.add(pid)
    return out
