"""HTML to plain text that keeps paragraphs and drops scripts and styles.

Feed entries and Markdown files arrive as HTML fragments; the desk and the
analysis want plain text whose blank lines mark paragraphs. The stdlib parser is
enough here and tolerates the broken markup feeds are full of.
"""

from __future__ import annotations

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


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or page, paragraphs separated by blank lines."""
    if "<" not in html and "&" not in html:
        return clean_text(html)
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts)
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return clean_text("\n\n".join(p for p in paragraphs if p))
