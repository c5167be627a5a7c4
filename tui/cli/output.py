"""Printing for the CLI: Rich consoles that never interpret feed text as markup."""

from __future__ import annotations

import sys

from rich.console import Console

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """One line on stderr, prefixed so scripts can grep it."""
    text = " ".join(str(message).split())
    sys.stderr.write(f"newsdesk: error: {text}\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    """A one-line warning on stderr: something was skipped, the command went on."""
    text = " ".join(str(message).split())
    sys.stderr.write(f"newsdesk: warning: {text}\n")
    sys.stderr.flush()
