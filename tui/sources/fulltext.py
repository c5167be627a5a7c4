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
import re
from dataclasses import dataclass

from tui.config import Config, RefreshConfig
from tui.sources.clean import clean_line, clean_text
from tui.sources.download import (
    PAGE_ACCEPT,
    Fetched,
    FetchError,
    fetch_url,
    make_client,
    settings_of,
)
from tui.sources.encoding import BinaryContentError, decode_bytes
from tui.sources.feeds import language_code
from tui.store import Store
from tui.timeparse import parse_utc

_CHARSET_RE = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
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
    # Article metadata gives bare days: noon UTC keeps the calendar day.
    return parse_utc(value, naive_hour=12)


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


def keep_article(store: Store, story_id: int, fetched: Fetched) -> FullTextResult:
    """Extract the article from a fetched page and keep it if it says more than the story.

    Blocking (trafilatura, SQLite): async callers run it in a thread.
    """
    charset = _CHARSET_RE.search(fetched.content_type)
    try:
        html = decode_bytes(fetched.body, charset.group(1) if charset else None)
    except BinaryContentError:
        return FullTextResult(story_id, ok=False, error="the linked page is not text")
    article = extract_article(html, fetched.url)
    if article is None:
        return FullTextResult(story_id, ok=False, error="no article text found in the page")
    current = store.story(story_id).text
    if len(article.text) <= len(current):
        return FullTextResult(story_id, ok=False, error="the page had no more text than the feed")
    store.set_story_text(story_id, article.text)
    return FullTextResult(story_id, ok=True, chars=len(article.text))


async def fetch_story_full_text(
    store: Store, story_id: int, config: Config | RefreshConfig | None = None
) -> FullTextResult:
    """Fetch and keep the full article of one story (async form of ``fetch_full_text``)."""
    settings, _feeds = settings_of(config)
    story = await asyncio.to_thread(store.story, story_id)
    if not story.url:
        return FullTextResult(story_id, ok=False, error="the story has no link to fetch")
    async with make_client(settings) as client:
        try:
            fetched = await fetch_url(client, story.url, settings, accept=PAGE_ACCEPT)
        except FetchError as exc:
            return FullTextResult(story_id, ok=False, error=str(exc))
    return await asyncio.to_thread(keep_article, store, story_id, fetched)


def fetch_full_text(
    store: Store, story_id: int, config: Config | RefreshConfig | None = None
) -> FullTextResult:
    """Fetch the linked article of one stored story and keep its text (sync; for workers).

    ``store`` is the desk's ``Store``; ``config`` a ``Config`` or ``RefreshConfig``
    (timeouts, body cap) or None for defaults. Blocks for the network round
    trip: call it from a worker thread, never the UI thread. On failure the
    story keeps its current text and the result carries a one-line error.
    """
    return asyncio.run(fetch_story_full_text(store, story_id, config))
