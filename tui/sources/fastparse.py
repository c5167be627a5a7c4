"""A guarded fast path for plain, well-formed RSS 2.0 / RSS 1.0 / Atom 1.0 feeds.

feedparser is the reference: it copes with every broken feed on the web, but it
is pure Python and parsing was about 80 % of a refresh's CPU. ``fastfeedparser``
(lxml with a compiled core) reads the same documents 25–40× faster, but with
its own conventions (invented ids, ISO dates, no RSS ``<language>``, heuristics
for broken markup). So the fast path is taken only where the two are known to
agree, and everything else goes to feedparser:

* the guards below (charset, encoding, well-formedness, document kind, markup
  feedparser reads differently) send a document to feedparser before the fast
  parser sees it;
* what the fast parser leaves out or reads differently is taken from the
  document or redone here the way feedparser does it (language, ids, dates,
  media descriptions, title markup, feedparser's text fix-ups);
* a test (``tests/unit/sources/test_fast_parse.py``) parses every corpus feed and
  every fixture both ways and requires identical stories, or a fallback.

``fast_parse`` returns ``None`` whenever the document must go to feedparser.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import xml.parsers.expat
from typing import Any

import fastfeedparser
import fastfeedparser.main
from feedparser.datetimes import _parse_date as _feedparser_date
from feedparser.html import _cp1252 as _CP1252
from feedparser.urls import _urljoin as _feedparser_urljoin

from tui.sources.clean import clean_line
from tui.sources.feeds import (
    PLAIN_ABSOLUTE_RE,
    ParsedFeed,
    _story,
    absolute_link,
    language_code,
)
from tui.sources.html_text import html_to_text
from tui.store import StoryIn
from tui.timeparse import parse_iso

_ATOM_NS = "http://www.w3.org/2005/Atom"
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RSS10_NS = "http://purl.org/rss/1.0/"
_DECLARED_RE = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_CHARSET_RE = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
# Markup feedparser reads its own way, not worth imitating: DOCTYPEs with
# declarations (entities) or Netscape's (RSS 0.91), base64 or escaped-mode content.
_UNSAFE_RE = re.compile(
    rb"<!DOCTYPE[^>\[]*(?:\[|netscape)|mode\s*=\s*[\"']\s*(?:base64|escaped)", re.I
)
# Typed text constructs: whether a title or summary is HTML depends on the type.
_TYPED_RE = re.compile(
    rb"<(?:atom:)?(title|summary|description|subtitle|content)(?=[\s>/])([^>]*)>"
)
# Markup written as child elements of a text construct (not escaped, not CDATA):
# feedparser rebuilds it as HTML, the fast parser keeps only the leading text.
_NESTED_RE = re.compile(
    rb"<(?:atom:)?(?:title|description|summary|content(?::encoded)?)(?:\s[^>]*)?>[^<]*<(?![/!])"
)
_RSS_ITEM_RE = re.compile(rb"<item[\s>/]")
_ATOM_ENTRY_RE = re.compile(rb"<(?:[\w-]+:)?entry[\s>/]")
_RDF_ABOUT_RE = re.compile(rb"<item\s[^>]*rdf:about")
_MEDIA_DESCRIPTION_RE = re.compile(rb"<[\w-]+:description[\s>/]")
_TYPE_ATTR_RE = re.compile(rb"""\btype\s*=\s*["']([^"']*)["']""")
_LANGUAGE_RE = re.compile(
    rb"<(?:dc:)?language>\s*(?:<!\[CDATA\[)?\s*([^<\]]{0,40}?)\s*(?:\]\]>)?\s*</(?:dc:)?language>"
)
_XML_LANG = "http://www.w3.org/XML/1998/namespace lang"
_GUID_RE = re.compile(rb"<guid\b")
_ENTRY_ID_RE = re.compile(rb"<id\b|<(?:[\w-]+:)?id>")
_DATE_ELEMENT_RE = re.compile(
    rb"<(?:[\w-]+:)?(?:pubDate|published|updated|issued|modified|created|date)\b"
)
_MEDIA_NS = b"http://search.yahoo.com/mrss/"
_RFC822_RE = re.compile(
    r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d\d?) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"(\d{4}) (\d\d):(\d\d):(\d\d) (GMT|UTC|UT|Z|[+-]\d{4})$"
)
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_ISO_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$")
_UTF8 = ("utf-8", "utf8")


class _Head:
    """The first two element names of a document (``uri local`` with namespaces)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.version = ""
        self.lang = ""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if not self.names:
            self.version = attrs.get("version", "")
            self.lang = attrs.get(_XML_LANG, "")
        self.names.append(name)


def _well_formed_head(data: bytes) -> _Head | None:
    """The document's head if expat (namespace-aware, as feedparser's strict parser) accepts
    the whole document, else ``None`` (feedparser would fall back to its loose parser)."""
    head = _Head()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        head.start(name, attrs)
        if len(head.names) >= 2:
            parser.StartElementHandler = None

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return None
    return head


def _format(head: _Head) -> str:
    """feedparser's ``version`` for the kinds the fast path takes; "" for the rest."""
    root = head.names[0] if head.names else ""
    if root == "rss" and head.version.strip() == "2.0":
        return "rss20"
    if root == f"{_ATOM_NS} feed":
        return "atom10"
    if root == f"{_RDF_NS} RDF" and len(head.names) > 1 and head.names[1].startswith(_RSS10_NS):
        return "rss10"
    return ""  # RSS 0.9x, Atom 0.3, RSS without a version...: feedparser


def _typed_html(data: bytes) -> dict[bytes, bool | None]:
    """Per text construct, whether it is HTML by its ``type`` attribute.

    ``None`` where a document mixes typed and untyped, or HTML and text, titles:
    the fast parser does not say which entry had which, so such a document falls back.
    """
    seen: dict[bytes, set[bytes]] = {}
    for match in _TYPED_RE.finditer(data):
        attr = _TYPE_ATTR_RE.search(match.group(2))
        seen.setdefault(match.group(1), set()).add(attr.group(1).strip() if attr else b"")
    out: dict[bytes, bool | None] = {}
    for name, kinds in seen.items():
        if kinds <= {b"", b"text", b"text/plain", b"plain"}:
            out[name] = False
        elif kinds <= {b"html", b"text/html"}:
            out[name] = True
        else:
            out[name] = None
    return out


def _fix_text(value: str) -> str:
    """feedparser's fix for text that was UTF-8 read as Latin-1, and its CP1252 mapping."""
    if value.isascii():  # both are no-ops on ASCII (most text): skip the copies
        return value
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("iso-8859-1").decode("utf-8")
    return value.translate(_CP1252)


def _fix_link(value: str) -> str:
    """feedparser's link clean-up (``&amp;`` and stray entity-looking runs)."""
    if "&" not in value and PLAIN_ABSOLUTE_RE.fullmatch(value):  # nothing here would change it
        return value
    value = _feedparser_urljoin("", _fix_text(value.strip()))
    value = value.replace("&amp;", "&")
    return _ENTITYISH_RE.sub(r"&\g<1>", value)


_ENTITYISH_RE = re.compile("&([A-Za-z0-9_]+);")


def _date(value: str | None) -> dt.datetime | None:
    """A date as feedparser reads it (struct_time, so whole seconds, UTC)."""
    if not value:
        return None
    value = value.strip()
    match = _ISO_RE.match(value)
    if match is not None:  # the common case, without feedparser's handler chain
        moment = parse_iso(value)
        if moment is not None:
            return moment.astimezone(dt.UTC).replace(microsecond=0)
    match = _RFC822_RE.match(value)
    if match is not None:
        day, month, year, hour, minute, second, zone = match.groups()
        offset = 0 if zone[0] not in "+-" else int(zone[1:3]) * 60 + int(zone[3:])
        try:
            moment = dt.datetime(
                int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second),
                tzinfo=dt.UTC,
            )  # fmt: skip
        except ValueError:
            moment = None
        if moment is not None:
            return moment - dt.timedelta(minutes=offset if zone[0] == "+" else -offset)
    parsed = _feedparser_date(value)
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = parsed[:6]
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _raw_date(value: str) -> str | None:
    """Stands in for the fast parser's date reader: dates are read here, as feedparser does."""
    return value.strip() or None


# The fast parser's own date reader is more lenient than feedparser's (and takes
# dates from guids): it hands the raw text on instead, read by ``_date``.
fastfeedparser.main._parse_date = _raw_date


def _ineligible(data: bytes, content_type: str) -> str:
    """Why the bytes must go to feedparser ("" if they need not)."""
    charset = _CHARSET_RE.search(content_type)
    if charset and "xml" in content_type.lower() and charset.group(1).lower() not in _UTF8:
        return "the HTTP header names a charset other than UTF-8"
    if data.startswith((b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe")):
        return "byte order mark"
    declared = _DECLARED_RE.match(data)
    if declared and declared.group(1).decode("ascii", "replace").lower() not in _UTF8:
        return "declared encoding is not UTF-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "not valid UTF-8"
    # (the substring tests first: a regex scan of the whole body costs more than the parse)
    if (b"DOCTYPE" in data or b"doctype" in data or b"mode" in data) and _UNSAFE_RE.search(
        data
    ) is not None:
        return "DOCTYPE with declarations, or encoded content"
    if _NESTED_RE.search(data) is not None:
        return "markup as child elements of a title or text"
    return ""


def fast_parse(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed | None:
    """The feed as ``feeds.parse_feed`` would return it, or ``None`` to use feedparser."""
    return explain(data, url, content_type)[0]


def explain(data: bytes, url: str = "", content_type: str = "") -> tuple[ParsedFeed | None, str]:
    """``fast_parse`` with the reason a document went to feedparser ("" when it did not)."""
    reason = _ineligible(data, content_type)
    if reason:
        return None, reason
    head = _well_formed_head(data)
    if head is None:
        return None, "not well-formed XML"
    version = _format(head)
    if not version:
        return None, "not RSS 2.0, RSS 1.0 or Atom 1.0"
    typed = _typed_html(data)
    if None in typed.values():
        return None, "mixed text and HTML titles or summaries"
    languages = set(_LANGUAGE_RE.findall(data))
    if len(languages) > 1 or data.count(b"xml:lang") > (1 if head.lang else 0):
        return None, "languages per entry"
    try:
        doc = fastfeedparser.parse(data, include_tags=False, include_enclosures=False)
    except Exception:  # any failure of the fast parser: feedparser decides
        return None, "fast parser failed"
    entries = doc.get("entries") or []
    if not entries:
        return None, "no entries"
    found = _ATOM_ENTRY_RE if version == "atom10" else _RSS_ITEM_RE
    if len(found.findall(data)) != len(entries):
        return None, "the fast parser found another number of entries"
    # The fast parser invents an id from the link when an entry has none: only
    # documents where every entry carries its own id, or none does, are read here.
    if version == "atom10":
        ids, own_ids = len(_ENTRY_ID_RE.findall(data)), True
        if ids < len(entries):
            return None, "ids on some entries only"
    else:
        ids = len((_RDF_ABOUT_RE if version == "rss10" else _GUID_RE).findall(data))
        own_ids = ids == len(entries)
        if ids not in (0, len(entries)):
            return None, "ids on some entries only"
    language = languages.pop().decode("utf-8") if languages else head.lang
    media = _MEDIA_NS in data and _MEDIA_DESCRIPTION_RE.search(data) is not None
    parsed = _build(doc, url, version, typed, own_ids, language, media, b"xml:base" in data)
    return parsed, "" if parsed is not None else "entry the fast path cannot read"


def _build(
    doc: Any,
    url: str,
    version: str,
    typed: dict[bytes, bool | None],
    own_ids: bool,
    language: str,
    has_media: bool,
    has_base: bool,
) -> ParsedFeed | None:
    feed = doc.get("feed") or {}
    feed_lang = language_code(_fix_text(language))
    feed_link = _fix_link(str(feed.get("link") or ""))
    if has_base and feed_link and not feed_link.startswith(("http://", "https://")):
        return None  # feedparser resolves it against xml:base
    base = url or feed_link
    title_html = bool(typed.get(b"title"))
    summary_html = version != "atom10" or bool(typed.get(b"summary"))
    content_html = version != "atom10" or bool(typed.get(b"content"))
    stories: list[StoryIn] = []
    empty = 0
    for entry in doc["entries"]:
        if version != "atom10" and entry.get("links"):
            return None  # atom:link in an RSS item: feedparser takes its own pick
        story = _entry_story(
            entry,
            base,
            feed_lang,
            version,
            (title_html, summary_html, content_html),
            own_ids,
            has_media,
            has_base,
        )
        if story is None:
            return None
        if story.title or story.text:
            stories.append(story)
        else:
            empty += 1
    warnings = [f"{empty} empty entries (no title, text or link) skipped"] if empty else []
    title = _fix_text(str(feed.get("title") or ""))
    return ParsedFeed(
        title=clean_line(html_to_text(title) if "<" in title else title),
        link=absolute_link(feed_link, url),
        language=feed_lang,
        format=version,
        stories=stories,
        warnings=warnings,
    )


def _entry_story(
    entry: Any,
    base: str,
    feed_lang: str,
    version: str,
    html: tuple[bool, bool, bool],
    own_ids: bool,
    has_media: bool,
    has_base: bool,
) -> StoryIn | None:
    title_html, summary_html, content_html = html
    title = _fix_text(str(entry.get("title") or ""))
    if version != "atom10" and not title_html and title:
        title_html = _looks_like_html(title)
    content = entry.get("content") or []
    body = _fix_text(str(content[0].get("value") or "")).strip() if content else ""
    body_html = content_html
    if not body:
        summary = _fix_text(str(entry.get("description") or "")).strip()
        if summary and has_media:
            return None  # feedparser reads media:description as the summary too
        body, body_html = summary, summary_html
    if not body and has_media:  # YouTube: the video's description is the text
        described = {str(m.get("description") or "") for m in entry.get("media_content") or []}
        described.discard("")
        if len(described) > 1:
            return None
        if not described:
            return None  # a description outside media:content, which the fast parser skips
        body, body_html = _fix_text(described.pop()), True
    guid = _fix_text(str(entry.get("id") or "")).strip() if own_ids else ""
    link = _fix_link(str(entry.get("link") or ""))
    if not link and guid.startswith(("http://", "https://")):
        link = guid
    if has_base and not (link.startswith(("http://", "https://")) or not link):
        return None  # feedparser resolves it against xml:base
    raw_published = entry.get("published")
    if raw_published and raw_published == entry.get("id"):  # the fast parser's guid-as-date
        raw_published = None
    published = _date(raw_published) or _date(entry.get("updated"))
    return _story(
        title=title,
        title_is_html=title_html,
        body=body,
        body_is_html=body_html,
        link=absolute_link(link, base),
        guid=guid,
        author=_fix_text(str(entry.get("author") or "")),
        published=published,
        language=feed_lang,
    )


def _looks_like_html(value: str) -> bool:
    """feedparser's guess whether RSS text that claims to be plain is HTML."""
    if "<" not in value and "&" not in value:  # needs a close tag or an entity
        return False
    from feedparser.mixin import _FeedParserMixin

    return bool(_FeedParserMixin.looks_like_html(value))
