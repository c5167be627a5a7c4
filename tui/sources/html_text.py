"""HTML to plain text that keeps paragraphs and drops scripts and styles.

Feed entries and Markdown files arrive as HTML fragments; the desk and the
analysis want plain text whose blank lines mark paragraphs. The stdlib parser is
enough here and tolerates the broken markup feeds are full of.

Most feed HTML is plain, well-formed markup (``<p>``, ``<a href="...">``,
``<br/>``), and the stdlib parser's pure-Python scanning costs more than
feedparser's parse of the whole entry. Such fragments are tokenised by one
regular expression instead, feeding the same handlers, so the text is the
same; anything else (comments, scripts, CDATA, a stray ``<``, quotes holding
``<`` or ``>``) goes to ``HTMLParser``.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from tui.sources.clean import clean_text

_BLOCK = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SKIP = frozenset("script style noscript template iframe object embed svg head title".split())


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")
            if tag == "li":
                self.parts.append("• ")
            if tag == "pre":
                self.pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            self.parts.append(data)
        else:
            # Collapse runs of whitespace but keep one at either end, so that
            # "Talks <em>resume</em>" stays two words.
            core = " ".join(data.split())
            if not core:
                self.parts.append(" ")
                return
            lead = " " if data[:1].isspace() else ""
            trail = " " if data[-1:].isspace() else ""
            self.parts.append(lead + core + trail)


# A start or end tag simple enough that HTMLParser would read exactly this span
# as one tag: a plain name, attributes whose values hold no < or >, and an
# unquoted value followed by a space or the end of the tag.
_SIMPLE_TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][-a-zA-Z0-9:_.]*)"
    r"((?:[ \t\n\r\f]+[-a-zA-Z0-9_:.@]+(?:[ \t\n\r\f]*=[ \t\n\r\f]*"
    r"(?:\"[^\"<>]*\"|'[^'<>]*'|[-!#$%&()*+,.0-9:;?@A-Z\[\\\]^_a-z{|}~]+(?=[ \t\n\r\f>])))?)*)"
    r"[ \t\n\r\f]*(/?)>"
)
# HTMLParser reads the content of these as raw text up to their end tag.
_RAW_TEXT = frozenset(("script", "style"))


def _fast_parts(html: str) -> list[str] | None:
    """The collector's parts for simple markup, or ``None`` when HTMLParser must decide."""
    collector = _TextCollector.__new__(_TextCollector)
    collector.parts = []
    collector.skip_depth = collector.pre_depth = 0
    pos = 0
    for match in _SIMPLE_TAG_RE.finditer(html):
        start = match.start()
        if start > pos:
            text = html[pos:start]
            if "<" in text:
                return None
            collector.handle_data(unescape(text) if "&" in text else text)
        closing, name, attrs, slash = match.groups()
        tag = name.lower()
        if tag in _RAW_TEXT:
            return None
        if closing:
            if attrs or slash:
                return None
            collector.handle_endtag(tag)
        elif slash:
            collector.handle_startendtag(tag, [])
        else:
            collector.handle_starttag(tag, [])
        pos = match.end()
    if pos < len(html):
        text = html[pos:]
        if "<" in text:
            return None
        collector.handle_data(unescape(text) if "&" in text else text)
    return collector.parts


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or page, paragraphs separated by blank lines."""
    if "<" not in html and "&" not in html:
        return clean_text(html)
    parts = _fast_parts(html)
    if parts is None:
        collector = _TextCollector()
        collector.feed(html)
        collector.close()
        parts = collector.parts
    text = "".join(parts)
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return clean_text("\n\n".join(p for p in paragraphs if p))
