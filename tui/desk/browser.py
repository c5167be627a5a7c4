"""Opening a story's link: the configured browser, else ``$BROWSER``, else the platform's.

A terminal desk cannot see whether a browser appeared, so each attempt is
checked the only ways it can be: the command exists, and it did not exit with an
error within a moment. When nothing works the caller gets every reason, to say
clearly that no browser opened (``webbrowser`` alone fails silently).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import webbrowser
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

SETTLE_SECONDS = 1.0
"""How long a launched browser command may take to fail before it counts as opened."""


@dataclass(frozen=True, slots=True)
class LinkOpened:
    """What happened: ``ok`` and how (``firefox``), or every reason it failed."""

    ok: bool
    how: str = ""
    problems: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """One line for the user."""
        if self.ok:
            return f"Opened the link with {self.how}."
        reasons = "; ".join(self.problems) or "no browser found"
        return (
            f'No browser opened the link ({reasons}). Set browser = "firefox %s" in the '
            "config or $BROWSER; y copies the link."
        )


def command_for(template: str, url: str) -> list[str]:
    """The argv of a browser command: ``%s`` becomes the URL, else the URL is appended."""
    parts = shlex.split(template)
    if any("%s" in part for part in parts):
        return [part.replace("%s", url) for part in parts]
    return [*parts, url]


def run_command(argv: Sequence[str]) -> str | None:
    """Start ``argv`` detached from the terminal; ``None`` when it is running or exited cleanly."""
    if not argv:
        return "empty command"
    if shutil.which(argv[0]) is None:
        return f"{argv[0]}: not found"
    try:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the desk's terminal and signals stay the desk's
        )
    except OSError as exc:
        return f"{argv[0]}: {exc.strerror or exc}"
    try:
        code = process.wait(timeout=SETTLE_SECONDS)
    except subprocess.TimeoutExpired:
        return None  # still running: a browser window, or a remote call in progress
    return None if code == 0 else f"{argv[0]} exited with status {code}"


def platform_browser(url: str) -> str | None:
    """Python's idea of the platform browser, skipping terminal browsers (they need the tty)."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "no platform browser"
    if type(browser) is webbrowser.GenericBrowser:  # lynx, w3m … would fight the desk
        return "only a terminal browser is installed"
    try:
        opened = browser.open(url)
    except Exception as exc:  # a broken browser entry must not break the desk
        return f"platform browser: {exc}"
    return None if opened else "the platform browser refused"


def open_link(
    url: str,
    configured: str = "",
    env: Mapping[str, str] | None = None,
    *,
    run: Callable[[Sequence[str]], str | None] = run_command,
    platform: Callable[[str], str | None] = platform_browser,
) -> LinkOpened:
    """Try the config's ``browser``, else each ``$BROWSER`` entry, else the platform default."""
    env = os.environ if env is None else env
    if configured.strip():
        attempts = [("the config's browser", configured)]
    else:
        attempts = [
            ("$BROWSER", entry)
            for entry in env.get("BROWSER", "").split(os.pathsep)
            if entry.strip()
        ]
    problems: list[str] = []
    for origin, template in attempts:
        try:
            argv = command_for(template, url)
        except ValueError as exc:
            problems.append(f"{origin}: {exc}")
            continue
        problem = run(argv)
        if problem is None:
            return LinkOpened(True, argv[0])
        problems.append(problem)
    if attempts and configured.strip():
        return LinkOpened(False, problems=tuple(problems))
    problem = platform(url)
    if problem is None:
        return LinkOpened(True, "the system browser")
    problems.append(problem)
    return LinkOpened(False, problems=tuple(problems))
