"""JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1), which feedparser does not read.

Only the fields newsdesk stores are taken; everything else in the document is
ignored. Returned values are raw (HTML or text, unclean): ``feeds.py`` does the
normalisation shared with RSS and Atom so that both paths clean text once.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from tui.timeparse import parse_utc


class JSONFeedError(ValueError):
    """JSON that is not a JSON Feed (or not JSON at all)."""


@dataclass(frozen=True, slots=True)
class RawItem:
    """One JSON Feed item, before cleaning."""

    id: str = ""
    url: str = ""
    title: str = ""
    html: str = ""
    text: str = ""
    summary: str = ""
    author: str = ""
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    language: str = ""


@dataclass(frozen=True, slots=True)
class RawJSONFeed:
    """A JSON Feed document's feed-level fields and items."""

    title: str = ""
    home_page_url: str = ""
    feed_url: str = ""
    language: str = ""
    version: str = ""
    items: list[RawItem] = field(default_factory=list)


def looks_like_json(data: bytes) -> bool:
    """True when the body starts (after a BOM and whitespace) with ``{``."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _date(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return parse_utc(value.strip())


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _author(obj: dict[str, Any]) -> str:
    authors = obj.get("authors")
    if isinstance(authors, list):
        names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
        return ", ".join(n for n in names if n)
    author = obj.get("author")  # JSON Feed 1.0
    return _str(author.get("name")) if isinstance(author, dict) else ""


def parse_json_feed(text: str) -> RawJSONFeed:
    """Parse a JSON Feed document; ``JSONFeedError`` if it is not one."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONFeedError(f"invalid JSON (line {exc.lineno}): {exc.msg}") from exc
    if not isinstance(doc, dict):
        raise JSONFeedError("JSON document is not a JSON Feed object")
    version = _str(doc.get("version"))
    items = doc.get("items")
    if "jsonfeed.org" not in version and not isinstance(items, list):
        raise JSONFeedError("JSON document is not a JSON Feed (no version, no items)")
    raw_items: list[RawItem] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        raw_items.append(
            RawItem(
                id=str(item.get("id") or ""),
                url=_str(item.get("url")) or _str(item.get("external_url")),
                title=_str(item.get("title")),
                html=_str(item.get("content_html")),
                text=_str(item.get("content_text")),
                summary=_str(item.get("summary")),
                author=_author(item),
                published=_date(item.get("date_published")),
                updated=_date(item.get("date_modified")),
                language=_str(item.get("language")),
            )
        )
    return RawJSONFeed(
        title=_str(doc.get("title")),
        home_page_url=_str(doc.get("home_page_url")),
        feed_url=_str(doc.get("feed_url")),
        language=_str(doc.get("language")),
        version=version,
        items=raw_items,
    )
