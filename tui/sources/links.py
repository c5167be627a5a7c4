"""Which links newsdesk opens or exports: http(s) only.

A ``url:`` in an imported file's front matter (or a stored URL from an older
version) can say ``javascript:``, ``file://``, ``data:`` or a custom scheme
that a browser or calendar app would act on. Everything that opens a link or
writes one into an export passes it through ``web_link`` first; local files
are shown by their own path instead (``local_path``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from tui.sources.clean import clean_line

WEB_SCHEMES = frozenset({"http", "https"})


def web_link(url: str) -> str:
    """``url`` if it is an http(s) URL with a host (cleaned of controls), else ``""``."""
    url = clean_line(url or "")
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return ""
    return url


def local_path(guid: str) -> str:
    """The path of a story imported from a local file (its guid), cleaned; else ``""``."""
    if not guid or "://" in guid or not Path(guid).is_absolute():
        return ""
    return clean_line(str(Path(guid)))
