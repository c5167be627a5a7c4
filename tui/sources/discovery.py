"""Find feeds advertised by a web page (``<link rel="alternate" type="...rss+xml">``).

``newsdesk add`` accepts a site's home page as well as a feed URL; when the
body turns out to be HTML, the page's alternate links name its feeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from tui.sources.clean import clean_line

FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/feed+json": "JSON Feed",
    "application/json": "JSON Feed",
    "application/rdf+xml": "RSS",
    "text/xml": "RSS",
    "application/xml": "RSS",
}


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One feed a page links to."""

    url: str
    title: str
    kind: str


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.links: list[tuple[str, str, str]] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and values.get("href") and not self.base:
            self.base = values["href"]
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            kind = FEED_TYPES.get(values.get("type", "").lower().split(";")[0].strip())
            if "alternate" in rels and kind and values.get("href"):
                self.links.append((values["href"], values.get("title", ""), kind))
        elif tag == "body":
            self.done = True  # feed links live in <head>; stop before the page body


def discover_feeds(html: str, page_url: str) -> list[FeedLink]:
    """Feeds the page advertises, in document order, URLs made absolute, duplicates dropped."""
    collector = _LinkCollector()
    collector.feed(html[:1_000_000])
    base = urljoin(page_url, collector.base) if collector.base else page_url
    found: list[FeedLink] = []
    seen: set[str] = set()
    for href, title, kind in collector.links:
        url = urljoin(base, href.strip())
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        found.append(FeedLink(url=url, title=clean_line(title), kind=kind))
    return found


_COMMENT_WORDS = ("comment", "coment", "kommentar", "commentaire")


def _is_comments(link: FeedLink) -> bool:
    text = f"{link.title} {link.url}".lower()
    return any(word in text for word in _COMMENT_WORDS)


def choose_feed(links: list[FeedLink]) -> FeedLink | None:
    """The feed to subscribe to: the first RSS/Atom link (pages list their main feed first).

    Comment feeds (titles mentioning comments) are passed over when another exists.
    """
    if not links:
        return None
    main = [link for link in links if not _is_comments(link)] or links
    for link in main:
        if link.kind in ("RSS", "Atom"):
            return link
    return main[0]
