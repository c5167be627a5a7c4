"""OPML subscription lists: import from other readers, export for them.

Folders (outlines without ``xmlUrl`` that hold feeds) and the ``category``
attribute both become tags on the source, so a feed filed under
"News/Mexico" is tagged ``News`` and ``Mexico``. Export writes each feed once,
inside a folder named after its first tag, with every tag in ``category``:
other readers see folders, and importing the file back gives the same tags.

Real exports are often not well-formed (a raw ``<`` in an attribute), so the
parse recovers where it can, with entities and network access disabled.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from tui.sources.clean import clean_line
from tui.store import Store


class OPMLError(ValueError):
    """A file that is not OPML."""


@dataclass(frozen=True, slots=True)
class OPMLFeed:
    """One subscription in an OPML file."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()


@dataclass(slots=True)
class OPMLReport:
    """What an OPML import did."""

    added: int = 0
    existing: int = 0
    feeds: list[OPMLFeed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per outline that gave no feed, saying which and why (never silent)."""


def _tags_of_category(value: str) -> list[str]:
    tags: list[str] = []
    for part in value.split(","):
        tags.extend(clean_line(seg) for seg in part.split("/") if clean_line(seg))
    return tags


def _attr(node: Any, name: str) -> str:
    for key, value in node.attrib.items():
        if str(key).lower() == name.lower():
            return clean_line(str(value))
    return ""


def _is_folder(node: Any) -> bool:
    """In a recovered (broken) file, a node whose xmlUrl was lost looks like a folder.

    Tell them apart by what feed outlines carry: a type, description or site URL.
    """
    kind = _attr(node, "type").lower()
    if kind in ("rss", "atom", "link", "feed") or _attr(node, "htmlUrl"):
        return False
    return not any(str(key).lower() == "description" for key in node.attrib)


def parse_opml(data: bytes) -> list[OPMLFeed]:
    """Every feed outline (with an http(s) ``xmlUrl``), with folder and category tags."""
    return read_opml(data)[0]


def read_opml(data: bytes) -> tuple[list[OPMLFeed], list[str]]:
    """The feeds of an OPML file, and a line for every outline skipped (which, and why)."""
    if b"<opml" not in data[:65536].lower():
        raise OPMLError("not an OPML file (no <opml> element)")
    # huge_tree: libxml2 otherwise stops at 256 levels and the file read as empty
    # (0 feeds, no error). Entities stay unresolved and the file's size is bounded
    # by the caller, so the lifted limits cannot be used to blow up memory.
    strict = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, huge_tree=True
    )
    try:
        root = etree.fromstring(data, strict)
        well_formed = True
        body = next((c for c in root if isinstance(c.tag, str) and c.tag.lower() == "body"), None)
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in str(exc):  # the HTML parser would read nothing: say so
            raise OPMLError("outlines are nested too deeply (more than 2048 levels)") from exc
        # Not well-formed: the HTML parser is the most forgiving one we have. It
        # lower-cases names (attributes are matched case-insensitively) and
        # moves <body> about, so the outlines' container is found from them.
        well_formed = False
        try:
            root = etree.fromstring(data, etree.HTMLParser(no_network=True, remove_comments=True))
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise OPMLError(f"not an OPML file: {exc}") from exc
        first = None if root is None else root.find(".//outline")
        body = None if first is None else first.getparent()
    if body is None:
        raise OPMLError("not an OPML file (no <body>)")
    feeds: list[OPMLFeed] = []
    skipped: list[str] = []
    seen: set[str] = set()
    visited = 0

    # Depth first, in document order, with an explicit stack: a file nested
    # thousands of levels deep must not hit Python's recursion limit.
    stack: list[tuple[Any, tuple[str, ...]]] = [(body, ())]
    while stack:
        node, folders = stack.pop()
        children: list[tuple[Any, tuple[str, ...]]] = []
        for child in node:
            if not isinstance(child.tag, str) or child.tag.lower() != "outline":
                continue
            visited += 1
            url = _attr(child, "xmlUrl")
            title = _attr(child, "title") or _attr(child, "text")
            if url:
                title = "" if title == url else title
                name = title or url
                if urlsplit(url).scheme not in ("http", "https"):
                    skipped.append(f"{name}: not an http(s) feed address ({url})")
                elif url in seen:
                    skipped.append(f"{name}: listed twice ({url})")
                else:
                    seen.add(url)
                    own = _own_tags(child)
                    tags = [*folders, *(own if own is not None else _tags_of_category(
                        _attr(child, "category")))]  # fmt: skip
                    unique = tuple(dict.fromkeys(t for t in tags if t))
                    feeds.append(OPMLFeed(url=url, title=title, tags=unique))
                children.append((child, folders))
            elif (well_formed and len(child) > 0) or _is_folder(child):
                deeper = title and len(folders) < MAX_FOLDER_TAGS
                children.append((child, (*folders, title) if deeper else folders))
            elif well_formed:
                skipped.append(f"{title or '(untitled outline)'}: no feed address (xmlUrl)")
            else:  # a feed outline whose xmlUrl was lost to broken markup
                skipped.append(
                    f"{title or '(untitled outline)'}: its feed address was lost in broken "
                    "markup (an unescaped < or & in an attribute?)"
                )
                children.append((child, folders))
        stack.extend(reversed(children))
    written = data.lower().count(b"<outline")
    if not well_formed and written > visited:
        skipped.append(
            f"{written - visited} outline(s) could not be read at all: the file is not "
            "well-formed XML"
        )
    return feeds, skipped


MAX_FOLDER_TAGS = 16
"""Folders deeper than this add no more tags (a feed 300 folders deep is not 300 tags)."""

TAGS_ATTRIBUTE = "newsdeskTags"
"""Our own outline attribute: the exact tags as a JSON list. ``category`` splits
on ``,`` and ``/`` (the OPML spec's separators), so a tag holding either would
not survive a round trip through it alone."""


def _own_tags(node: Any) -> list[str] | None:
    """The exact tags newsdesk wrote in ``newsdeskTags``, if present and well-formed."""
    raw = _attr(node, TAGS_ATTRIBUTE)
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        return None
    return [clean_line(t) for t in value[:100] if clean_line(t)]


def import_opml(store: Store, data: bytes, tags: tuple[str, ...] = ()) -> OPMLReport:
    """Subscribe to every feed in the file; existing sources gain the file's tags."""
    feeds, skipped = read_opml(data)
    report = OPMLReport(skipped=skipped)
    for feed in feeds:
        existing = store.source_by_url(feed.url)
        title = feed.title if existing is None or not existing.title else ""
        store.add_source(feed.url, kind="feed", title=title, tags=(*feed.tags, *tags))
        if existing is None:
            report.added += 1
        else:
            report.existing += 1
        report.feeds.append(feed)
    return report


def export_opml(store: Store, title: str = "newsdesk subscriptions") -> str:
    """Every feed source as OPML 2.0, grouped in folders by first tag."""
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(
        dt.datetime.now(dt.UTC), usegmt=True
    )
    body = ET.SubElement(opml, "body")
    folders: dict[str, ET.Element] = {}
    for source in store.sources():
        if source.kind != "feed":
            continue
        attrs = {"type": "rss", "text": source.label, "xmlUrl": source.url}
        if source.title:
            attrs["title"] = source.title
        if source.tags:
            plain = [t for t in source.tags if "," not in t and "/" not in t]
            if plain:  # what other readers understand
                attrs["category"] = ",".join(plain)
            if len(plain) < len(source.tags):  # the exact tags, for newsdesk
                attrs[TAGS_ATTRIBUTE] = json.dumps(list(source.tags), ensure_ascii=False)
            first = source.tags[0]
            if first not in folders:
                folders[first] = ET.SubElement(body, "outline", text=first, title=first)
            ET.SubElement(folders[first], "outline", attrs)
        else:
            ET.SubElement(body, "outline", attrs)
    ET.indent(opml)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(opml, encoding="unicode") + "\n"
