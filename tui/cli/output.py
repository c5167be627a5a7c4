"""Printing for the CLI: Rich consoles that never interpret feed text as markup.

Errors and warnings name paths, URLs and feed titles that come from outside; a
file named with ``ESC ] 0 ;`` or OSC 52 would otherwise set the terminal title or
write the clipboard when its name is printed, so every message is cleaned here.
"""

from __future__ import annotations

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
