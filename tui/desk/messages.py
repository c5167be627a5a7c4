"""Error text in plain words for toasts and the errors view.

Fetch errors are recorded as the libraries word them (``cannot connect: [Errno
111] Connection refused``). A user reads ``the server refused the connection``;
the recorded text stays in the store (and in ``newsdesk fetch``) for debugging.
"""

from __future__ import annotations

import re

_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), words)
    for pattern, words in (
        (r"connection refused", "the server refused the connection (is it down?)"),
        (
            r"name or service not known|nodename nor servname|getaddrinfo failed|"
            r"temporary failure in name resolution|no address associated",
            "the host name was not found (check the address, or the network)",
        ),
        (r"network is unreachable|no route to host", "the network is unreachable"),
        (r"certificate verify failed|ssl", "the site's secure connection (TLS) failed"),
        (r"connection reset|remote ?protocol ?error|server disconnected", "the server hung up"),
    )
)
_ERRNO = re.compile(r"\[Errno -?\d+\]\s*")
_EXCEPTION_PREFIX = re.compile(r"^[A-Z][A-Za-z]+(?:Error|Exception): ")


def plain_error(message: str) -> str:
    """``message`` in plain words: known network failures reworded, errno tags dropped."""
    for pattern, words in _PLAIN:
        if pattern.search(message):
            return words
    text = _ERRNO.sub("", message)
    return _EXCEPTION_PREFIX.sub("", text).strip() or message
