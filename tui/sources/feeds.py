"""Feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed) as bytes → stories.

``parse_feed`` is the one place feed text enters newsdesk, so it is where text
is cleaned (once): titles and authors become one clean line, HTML content
becomes plain text with paragraphs, links become absolute http(s) URLs.

feedparser is only ever given bytes, never a URL, so it cannot fetch anything
itself. Its HTML sanitiser and relative-URI rewriting are switched off: we
turn content into plain text anyway (dropping scripts and styles), and both
passes cost more than the parse itself on large feeds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import feedparser.api

from tui.sources.clean import clean_line, clean_text, clip_title
from tui.sources.encoding import BinaryContentError, decode_bytes
from tui.sources.html_text import html_to_text
from tui.sources.jsonfeed import JSONFeedError, RawJSONFeed, looks_like_json, parse_json_feed
from tui.store import StoryIn

TITLE_FROM_TEXT_CHARS = 100
_HTML_START_RE = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_LANG_RE = re.compile(r"^[a-zA-Z]{2,3}\b")
_CHARSET_RE = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)


# feedparser asks xml.sax for a parser from this list first (see expat_buffered).
_XML_DRIVER = "tui.sources.expat_buffered"
_drivers = getattr(feedparser.api, "PREFERRED_XML_PARSERS", None)
if isinstance(_drivers, list) and _XML_DRIVER not in _drivers:
    _drivers.insert(0, _XML_DRIVER)


# feedparser's dicts map legacy key names on every lookup; the keys read per entry
# here are not legacy names, so the plain dict lookup is the same and cheaper.
_get = dict.get


class NotAFeedError(ValueError):
    """The body is not a feed: an HTML page, an empty body or garbage."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What one feed document holds, already cleaned."""

    title: str
    link: str
    language: str
    format: str
    stories: list[StoryIn] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def language_code(value: str) -> str:
    """ISO 639-1 code of a declared language (``es-MX``, ``es_ES``, ``ES``, ``spa`` →
    ``es``); empty if it names no known language (the analysis then detects it)."""
    from tui.language_codes import iso639_1

    return iso639_1(value)


# An absolute http(s) URL that clean_line, urljoin and urlsplit all leave as it is:
# lowercase scheme, a plain host (no brackets, no userinfo), no whitespace or
# controls, no ";" (urljoin's params) and no "#"; a query only when it is not empty.
# Most feed links are like this, and the two parses of the general path cost more
# than the rest of the entry.
PLAIN_ABSOLUTE_RE = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~!$&'()*+,=:@%/-]*)?"
    r"(?:\?[A-Za-z0-9._~!$&'()*+,=:@%/?-]+)?"
)


def absolute_link(link: str, base: str) -> str:
    """``link`` made absolute against ``base``; only http(s) links survive."""
    if PLAIN_ABSOLUTE_RE.fullmatch(link):
        return link
    return resolve_link(link, base)


def resolve_link(link: str, base: str) -> str:
    """``absolute_link`` the long way: clean, join, check the scheme (any link)."""
    link = clean_line(link)
    if not link:
        return ""
    joined = urljoin(base, link) if base else link
    return joined if urlsplit(joined).scheme in ("http", "https") else ""


def maybe_gunzip(data: bytes, limit: int) -> bytes:
    """Undo gzip compression that reached us without a Content-Encoding header.

    Decompresses at most ``limit`` bytes, so a gzip bomb is refused, not expanded.
    """
    if data[:2] != b"\x1f\x8b":
        return data
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        return data
    if len(out) > limit:
        raise NotAFeedError(f"compressed body expands past {limit} bytes")
    return out


def _title_from_text(text: str) -> str:
    first = text.split("\n", 1)[0]
    if len(first) <= TITLE_FROM_TEXT_CHARS:
        return first
    cut = first[:TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def _story(
    *,
    title: str,
    title_is_html: bool,
    body: str,
    body_is_html: bool,
    link: str,
    guid: str,
    author: str,
    published: dt.datetime | None,
    language: str,
) -> StoryIn:
    text = html_to_text(body) if body_is_html else clean_text(body)
    title = clean_line(html_to_text(title) if title_is_html else title)
    if not title:
        title = _title_from_text(text) or link
    return StoryIn(
        title=clip_title(title),
        text=text,
        url=link,
        guid=clean_line(guid)[:2000],
        author=clean_line(author),
        published=published,
        language=language,
    )


def _struct_time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _is_html(detail: Any, value: str) -> bool:
    kind = str(_get(detail, "type", "")) if isinstance(detail, dict) else ""
    if "html" in kind:
        return True
    return kind == "" and "<" in value


def _entry_body(entry: Any) -> tuple[str, bool]:
    """Longest content block, else the summary; and whether it is HTML."""
    best, best_html = "", False
    for block in _get(entry, "content") or []:
        value = str(_get(block, "value") or "")
        if len(value) > len(best):
            best, best_html = value, _is_html(block, value)
    summary = str(_get(entry, "summary") or "")
    if len(summary) > len(best) and not best:
        best, best_html = summary, _is_html(_get(entry, "summary_detail"), summary)
    if not best:
        media = _get(entry, "media_description") or ""
        best, best_html = str(media), False
    return best, best_html


def _entry_link(entry: Any, base: str) -> str:
    link = str(_get(entry, "link") or "")
    if not link:
        for candidate in _get(entry, "links") or []:
            if _get(candidate, "rel", "alternate") == "alternate" and _get(candidate, "href"):
                link = str(candidate["href"])
                break
    if not link:
        guid = str(_get(entry, "id") or "")
        if _get(entry, "guidislink") or guid.startswith(("http://", "https://")):
            link = guid
    return absolute_link(link, base)


def _describe(exc: object) -> str:
    name = type(exc).__name__
    message = " ".join(str(exc).split())
    if name == "CharacterEncodingOverride":
        return "declared encoding was wrong; read with another"
    if name == "NonXMLContentType":
        return "served with a non-XML content type"
    return message or name


def _parse_json(data: bytes, url: str) -> ParsedFeed:
    try:
        doc: RawJSONFeed = parse_json_feed(decode_bytes(data, "utf-8"))
    except (JSONFeedError, BinaryContentError) as exc:
        raise NotAFeedError(f"not a feed: {exc}") from exc
    base = url or doc.feed_url
    feed_lang = language_code(doc.language)
    stories = [
        _story(
            title=item.title,
            title_is_html=False,
            body=item.html or item.text or item.summary,
            body_is_html=bool(item.html),
            link=absolute_link(item.url, base),
            guid=item.id,
            author=item.author,
            published=item.published or item.updated,
            language=language_code(item.language) or feed_lang,
        )
        for item in doc.items
    ]
    version = doc.version.rstrip("/").rsplit("/", 1)[-1] or "1"
    return ParsedFeed(
        title=clean_line(doc.title),
        link=absolute_link(doc.home_page_url, base),
        language=feed_lang,
        format=f"json{version}",
        stories=stories,
    )


def _not_a_feed_reason(data: bytes) -> str:
    if not data.strip():
        return "empty response, not a feed"
    if _HTML_START_RE.match(data[:4096]):
        return "an HTML page, not a feed"
    return "not a feed (no RSS, Atom or JSON Feed document found)"


def parse_feed(
    data: bytes,
    url: str = "",
    content_type: str = "",
    *,
    max_bytes: int = 50 * 1024 * 1024,
    fast: bool = True,
) -> ParsedFeed:
    """Parse a feed body. ``url`` resolves relative links; ``content_type`` helps decoding.

    Raises ``NotAFeedError`` for HTML pages, empty bodies and garbage. A feed
    that is malformed but still yields entries is returned with a warning.
    Plain well-formed feeds take the guarded fast path (``fastparse``), which
    gives the same stories; ``fast=False`` always uses feedparser (the reference).
    """
    data = maybe_gunzip(data, max_bytes)
    if not data.strip():
        raise NotAFeedError("empty response, not a feed")
    if "json" in content_type.lower() or looks_like_json(data):
        return _parse_json(data, url)
    if fast:
        from tui.sources.fastparse import fast_parse  # imports feeds: not at the top

        quick = fast_parse(data, url, content_type)
        if quick is not None:
            return quick
    # Servers label feeds text/html, text/plain, octet-stream...: the body decides
    # what it is. Only a charset from an XML content type is passed on.
    # No content-location either: with a base URI feedparser joins URLs on every
    # element (a quarter of its time); entry links are made absolute below.
    headers = {"content-type": "application/xml"}
    charset = _CHARSET_RE.search(content_type)
    if charset and "xml" in content_type.lower():
        headers["content-type"] = f"application/xml; charset={charset.group(1)}"
    doc = feedparser.parse(
        data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    feed = doc.get("feed", {})
    if not doc.entries and not doc.get("version"):
        raise NotAFeedError(_not_a_feed_reason(data))
    warnings: list[str] = []
    if doc.get("bozo") and not doc.entries and _HTML_START_RE.match(data[:4096]):
        raise NotAFeedError("an HTML page, not a feed")
    base = url or str(feed.get("link") or "")
    feed_lang = language_code(str(feed.get("language") or ""))
    stories: list[StoryIn] = []
    empty = 0
    for entry in doc.entries:
        title = str(_get(entry, "title") or "")
        body, body_html = _entry_body(entry)
        story = _story(
            title=title,
            title_is_html=_is_html(_get(entry, "title_detail"), title),
            body=body,
            body_is_html=body_html,
            link=_entry_link(entry, base),
            guid=str(_get(entry, "id") or ""),
            author=str(_get(entry, "author") or ""),
            # dict.get skips feedparser's deprecated published→updated key aliasing
            published=_struct_time(_get(entry, "published_parsed"))
            or _struct_time(_get(entry, "updated_parsed")),
            language=language_code(str(_get(entry, "language") or "")) or feed_lang,
        )
        if story.title or story.text:
            stories.append(story)
        else:
            empty += 1
    if doc.get("bozo"):
        problem = _describe(doc.get("bozo_exception"))
        kept = f"{len(stories)} entries kept" if stories else "no entries found"
        warnings.append(f"malformed feed ({problem}); {kept}")
    elif not doc.entries:
        warnings.append("the feed has no entries")
    if empty:
        warnings.append(f"{empty} empty entries (no title, text or link) skipped")
    title = str(feed.get("title") or "")
    return ParsedFeed(
        title=clean_line(html_to_text(title) if "<" in title else title),
        link=absolute_link(str(feed.get("link") or ""), url),
        language=feed_lang,
        format=str(doc.get("version") or "unknown"),
        stories=stories,
        warnings=warnings,
    )
