"""Printing for the CLI: Rich consoles that never interpret feed text as markup.

Errors and warnings name paths, URLs and feed titles that come from outside; a
file named with ``ESC ] 0 ;`` or OSC 52 would otherwise set the terminal title or
write the clipboard when its name is printed, so every message is cleaned here.
"""

from __future__ import annotations

import os
import sys

from rich.console import Console

from tui.sources.clean import clean_line

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """One line on stderr, prefixed so scripts can grep it."""
    text = clean_line(str(message))
    sys.stderr.write(f"newsdesk: error: {text}\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    """A one-line warning on stderr: something was skipped, the command went on."""
    text = clean_line(str(message))
    sys.stderr.write(f"newsdesk: warning: {text}\n")
    sys.stderr.flush()


def confirm(message: str) -> None:
    """Say on stdout that a write was done; if stdout fails, warn but keep exit status 0.

    The change is already committed: exit status 1 would tell a script that
    the command failed when only its confirmation was lost (``> /dev/full``, a
    closed pipe). Output that failed is dropped, so the exit-time flush of
    stdout cannot fail again either.
    """
    try:
        sys.stdout.write(clean_line(message) + "\n")
        sys.stdout.flush()
    except OSError as exc:
        warn(f"done, but could not write to stdout: {exc.strerror or exc}")
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # stdout without a file descriptor (captured)
            pass
