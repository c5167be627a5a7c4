"""Main text of web pages (trafilatura): full articles for summary-only feeds, and HTML files.

Many feeds carry a sentence or two; the article itself is one link away.
``extract_article`` turns a page into a title and plain text with paragraphs;
``fetch_full_text`` does it for one stored story (what the desk's key calls).
When extraction fails the story keeps its summary: a short text is better
than none, and never worse than what the feed gave.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.sources.clean import clean_line, clean_text
from tui.sources.feeds import language_code

if TYPE_CHECKING:
    from tui.config import Config, RefreshConfig
    from tui.store import Store

FULL_TEXT_MIN_CHARS = 1000
"""Stories whose text is shorter than this are worth fetching the full article for."""


@dataclass(frozen=True, slots=True)
class Article:
    """What trafilatura found in a page."""

    title: str
    text: str
    author: str = ""
    published: dt.datetime | None = None
    language: str = ""


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """Outcome of fetching one story's article: ``ok`` or a one-line ``error``."""

    story_id: int
    ok: bool
    chars: int = 0
    error: str = ""


def needs_full_text(text: str) -> bool:
    """True when a story's text is short enough to be a summary."""
    return len(text) < FULL_TEXT_MIN_CHARS


def _date(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(hour=12, tzinfo=dt.UTC)
    return parsed


def extract_article(html: str, url: str = "") -> Article | None:
    """The main text (paragraphs separated by blank lines) and metadata, or None.

    CPU-bound (tens of milliseconds per page): async callers run it in a thread.
    """
    import trafilatura  # 0.2 s to import: only when an article is actually wanted

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
        )
    except Exception:  # trafilatura raises many kinds on hostile markup
        return None
    if doc is None or isinstance(doc, dict):
        return None
    raw = str(getattr(doc, "text", "") or "")
    text = clean_text("\n\n".join(line for line in raw.splitlines() if line.strip()))
    if not text:
        return None
    return Article(
        title=clean_line(str(getattr(doc, "title", "") or "")),
        text=text,
        author=clean_line(str(getattr(doc, "author", "") or "")),
        published=_date(getattr(doc, "date", None)),
        language=language_code(str(getattr(doc, "language", "") or "")),
    )


def fetch_full_text(
    store: Store, story_id: int, config: Config | RefreshConfig | None = None
) -> FullTextResult:
    """Fetch the linked article of one stored story and keep its text (sync; for workers).

    ``store`` is a ``tui.store.Store``; ``config`` a ``Config`` or ``RefreshConfig``
    (timeouts, body cap, User-Agent) or None for defaults. Blocks for the
    network round trip: call it from a worker thread, never the UI thread.
    On failure the story keeps its current text and the result carries the error.
    """
    from tui.sources.fetch import fetch_story_full_text  # fetch imports this module

    return asyncio.run(fetch_story_full_text(store, story_id, config))
