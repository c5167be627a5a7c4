"""Where a desk lives: a SQLite path or a ``postgresql://`` URL, and saying so without secrets.

A password may be in the URL (``postgresql://ann:secret@host/desk``), in
``PGPASSWORD`` or in ``.pgpass``; only the first can leak into text we produce,
so every line that names a database or repeats a driver's message goes through
``redact``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

_SCHEMES = ("postgresql://", "postgres://")
_KV_PASSWORD_RE = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)", re.IGNORECASE)
_URL_PASSWORD_RE = re.compile(r"(postgres(?:ql)?://[^:/@\s]*:)([^@\s]*)(@)", re.IGNORECASE)


def is_postgres_url(target: object) -> bool:
    """Whether a ``--db`` value names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.strip().lower().startswith(_SCHEMES)


def url_password(url: str) -> str | None:
    """The password written in a URL or ``key=value`` string, if any."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is not None and parts.password:
        return unquote(parts.password)
    match = _KV_PASSWORD_RE.search(url)
    return match.group(2).strip("'") if match else None


def redact_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (query options kept)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact(url)
    if parts.password is None:
        return redact(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    netloc = f"{user}:***@{host}"
    return redact(urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)))


def redact(text: str, *secrets: str | None) -> str:
    """``text`` with any URL password, ``password=...`` option and given secret removed."""
    text = _URL_PASSWORD_RE.sub(r"\1***\3", text)
    text = _KV_PASSWORD_RE.sub(r"\1***", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
