"""Who is at the desk: the user name that signs tags and notes on a shared desk."""

from __future__ import annotations

import getpass
import os


def default_user() -> str:
    """``$NEWSDESK_USER``, else the login name (``[store] user`` in the config wins over both)."""
    env = os.environ.get("NEWSDESK_USER", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "editor"
