"""Running the real ``newsdesk`` process in a pseudo-terminal (a private tmux server).

Pilot runs the app inside pytest's process, with pytest's stdio: it cannot see what
only happens in a real terminal (Textual swapping stdio, the real size, real keys).
These helpers start ``python -m tui`` in a tmux pane of a given size, type keys,
and read the screen back as text with ``capture-pane``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

TMUX = shutil.which("tmux")


class TerminalDesk:
    """One tmux server with one session running a command; keys in, screen text out."""

    def __init__(self, socket: str, env: Mapping[str, str]) -> None:
        self.socket = socket
        self.env = dict(env)

    def tmux(self, *args: str, check: bool = True) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-L", self.socket, "-f", os.devnull, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self, command: list[str], width: int, height: int) -> None:
        self.tmux("new-session", "-d", "-s", "desk", "-x", str(width), "-y", str(height),
                  " ".join(_quote(part) for part in command))  # fmt: skip
        self.tmux("set-option", "-t", "desk", "remain-on-exit", "on")

    def keys(self, *keys: str) -> None:
        """Press keys (tmux names: ``Escape``, ``Enter``, ``C-p``, or literal characters)."""
        for key in keys:
            self.tmux("send-keys", "-t", "desk", key)
            # A lone Escape followed at once by a key reads as alt+key: let it stand alone.
            time.sleep(0.6 if key == "Escape" else 0.15)

    def type(self, text: str) -> None:
        """Type literal text."""
        self.tmux("send-keys", "-t", "desk", "-l", text)

    def screen(self) -> str:
        """The pane as text, one line per row."""
        return self.tmux("capture-pane", "-p", "-t", "desk")

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", "desk", "-x", str(width), "-y", str(height))

    def wait_for(self, found: Callable[[str], bool], what: str, timeout: float = 60.0) -> str:
        """Poll the screen until ``found(screen)``; fail with the last screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if found(screen):
                return screen
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def exited(self) -> bool:
        """The desk process has ended (the pane is dead)."""
        return self.tmux("display-message", "-p", "-t", "desk", "#{pane_dead}").strip() == "1"


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\\''") + "'"


@contextmanager
def terminal_desk(
    db_path: Path, config_path: Path, *, width: int = 120, height: int = 40
) -> Iterator[TerminalDesk]:
    """``newsdesk`` on ``db_path`` and ``config_path`` in a fresh tmux pane."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TMUX", "NEWSDESK_", "PYTEST", "COV_"))
    }
    env.update(
        NEWSDESK_DB=str(db_path),
        NEWSDESK_CONFIG=str(config_path),
        TERM="xterm-256color",
        COLORTERM="",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        BROWSER="",
    )
    desk = TerminalDesk(f"newsdesk-test-{uuid.uuid4().hex[:12]}", env)
    try:
        desk.start([sys.executable, "-m", "tui"], width, height)
        yield desk
    finally:
        desk.tmux("kill-server", check=False)
