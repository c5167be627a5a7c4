"""Subscribing to a URL: a feed directly, or the feed a web page advertises.

``subscribe`` fetches the URL once. A feed is added as a source and its
stories stored from that same response (no second request). An HTML page is
searched for ``<link rel="alternate">`` feeds; the chosen one is fetched and
added, and the caller is told which it was and what else was on offer.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tui.config import Config, RefreshConfig
from tui.sources.discovery import FeedLink, choose_feed, discover_feeds
from tui.sources.encoding import BinaryContentError, decode_bytes
from tui.sources.feeds import NotAFeedError, ParsedFeed, parse_feed
from tui.sources.fetch import (
    Fetched,
    FetchError,
    SourceResult,
    fetch_url,
    ingest,
    make_client,
    settings_of,
)
from tui.store import Source, Store


class SubscribeError(ValueError):
    """The URL gives no feed; ``str()`` is one line for the user."""


@dataclass(slots=True)
class Subscription:
    """The outcome of ``subscribe``."""

    source: Source
    existed: bool
    chosen: FeedLink | None = None
    candidates: list[FeedLink] = field(default_factory=list)
    result: SourceResult | None = None
    feed_format: str = ""


def normalise_url(url: str) -> str:
    """Add ``https://`` to a bare host name; refuse anything but http(s)."""
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SubscribeError(f"not an http(s) URL: {url}")
    return url


def _parse(fetched: Fetched, max_bytes: int) -> ParsedFeed:
    return parse_feed(fetched.body, fetched.url, fetched.content_type, max_bytes=max_bytes)


async def subscribe(
    store: Store,
    url: str,
    config: Config | RefreshConfig | None = None,
    *,
    tags: tuple[str, ...] = (),
    title: str = "",
    full_text: bool = False,
) -> Subscription:
    """Subscribe to ``url`` (a feed or a page linking to one) and fetch its stories.

    Raises ``SubscribeError`` (one line) when the URL cannot be fetched or
    neither is nor links to a feed.
    """
    settings, _feeds = settings_of(config)
    url = normalise_url(url)
    existing = store.source_by_url(url)
    options: dict[str, object] = {"full_text": True} if full_text else {}
    if existing is not None:
        source = store.add_source(url, kind="feed", title=title, tags=tags, options=options)
        return Subscription(source=source, existed=True)
    async with make_client(settings) as client:
        try:
            fetched = await fetch_url(client, url, settings)
        except FetchError as exc:
            raise SubscribeError(f"{url}: {exc}") from exc
        chosen: FeedLink | None = None
        candidates: list[FeedLink] = []
        try:
            parsed = await asyncio.to_thread(_parse, fetched, settings.max_bytes)
        except NotAFeedError as exc:
            try:
                page = decode_bytes(fetched.body[:1_000_000])
            except BinaryContentError:
                page = ""
            candidates = discover_feeds(page, fetched.url) if "HTML" in str(exc) else []
            chosen = choose_feed(candidates)
            if chosen is None:
                hint = " and links to no feed" if "HTML" in str(exc) else ""
                raise SubscribeError(f"{url}: {exc}{hint}") from exc
            existing = store.source_by_url(chosen.url)
            if existing is not None:
                source = store.add_source(
                    chosen.url, kind="feed", title=title, tags=tags, options=options
                )
                return Subscription(source, True, chosen, candidates)
            try:
                fetched = await fetch_url(client, chosen.url, settings)
                parsed = await asyncio.to_thread(_parse, fetched, settings.max_bytes)
            except (FetchError, NotAFeedError) as exc2:
                raise SubscribeError(f"{chosen.url} (linked from {url}): {exc2}") from exc2
        feed_url = fetched.moved_to or (chosen.url if chosen else url)
        source = store.add_source(
            feed_url,
            kind="feed",
            title=title or parsed.title or (chosen.title if chosen else ""),
            tags=tags,
            options=options,
        )
        # Store the stories from this response through the normal refresh path:
        # same dedup, tags and status bookkeeping as every later fetch.
        result = await ingest(store, source, fetched, config, client=client, full_text=full_text)
    return Subscription(
        source=store.source(source.id),
        existed=False,
        chosen=chosen,
        candidates=candidates,
        result=result,
        feed_format=parsed.format,
    )
