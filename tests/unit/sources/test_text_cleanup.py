"""Text clean-up and HTML → text: the fast paths give exactly what the careful paths give.

``clean_text`` skips steps that have nothing to do and ``html_to_text`` reads
simple markup with one regular expression instead of ``HTMLParser``; both are
checked here against expected text and against ``HTMLParser`` itself.
"""

from __future__ import annotations

import itertools
import random

import pytest

from tui.sources.clean import clean_line, clean_text
from tui.sources.html_text import _fast_parts, _TextCollector, html_to_text


def _parser_parts(html: str) -> list[str]:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return collector.parts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain words", "plain words"),
        ("  runs   of\tspaces  ", "runs of spaces"),
        ("nbsp\u00a0and\u2003em space", "nbsp and em space"),
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("para one  \n \n\n\n  para two", "para one\n\npara two"),
        ("red \x1b[31mtext\x1b[0m and \x07bell", "red text and bell"),
        ("title\x1b]0;owned\x07 here", "title here"),
        ("zero\u200bwidth \u202eoverride", "zerowidth override"),
        ("cafe\u0301", "café"),
        ("a \x00 b", "a b"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_line_folds_lines() -> None:
    assert clean_line(" one\n\ntwo\tthree ") == "one two three"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
        ('<P CLASS="x">Talks <em>resume</em></P>', "Talks resume"),
        ("<ul><li>a</li><li>b</li></ul>", "• a\n\n• b"),
        ("line<br/>break<br />here", "line break here"),
        ('<a href="https://x.test/?a=1&amp;b=2">link</a> text', "link text"),
        ("<img src=pic.png alt=''/>caption", "caption"),
        ("<div>text<script>if (a<b) {x()}</script></div>", "text"),
        ("<style>p {}</style><p>kept</p>", "kept"),
        ("<!-- note --><p>after comment</p>", "after comment"),
        ("a < b and c > d", "a < b and c > d"),
        ('<a title="x>y">odd</a>', "odd"),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_simple_markup_takes_the_fast_path() -> None:
    html = '<p class="lead">Officials <a href="https://x.test/a" rel=nofollow>met</a>.</p><br/>'
    parts = _fast_parts(html)
    assert parts is not None
    assert parts == _parser_parts(html)


@pytest.mark.parametrize(
    "html",
    [
        "<script>x</script>",
        "<!-- c -->",
        "a < b",
        '<a title="<b>">x</a>',
        "<a href=x/>y",
        "</p class=x>",
        "<![CDATA[z]]>",
        "<p\u2003x=1>text",
    ],
)
def test_markup_the_fast_path_cannot_vouch_for_goes_to_htmlparser(html: str) -> None:
    assert _fast_parts(html) is None


def test_fast_path_matches_htmlparser_on_random_markup() -> None:
    atoms = [
        "a", " ", "\n", "\t", "&amp;", "&lt;", "&", "&#x41;", "<p>", "</p>", '<P class="x">',
        "<br>", "<br/>", "<br />", "<li>", "</li>", "<pre>", "</pre>", "<em>", "</em>",
        '<a href="x>y">', "<a href='q'>", "<a href=x/>", "<a href=x>", "</a>", "<noscript>",
        "</noscript>", "<div/>", "</div foo>", "< p>", "<", ">", "<o:p>", "</o:p>",
        '<img src="i.png" alt="">', "<h1>", "</h1>", "<td>", "<input disabled>",
        '<a b = "c" d>', "</P >", "<tr/>", "<a\thref=x>", "<q x==1>", "\u00a0", "\x1b[31m",
    ]  # fmt: skip
    rng = random.Random(7)
    checked = 0
    for _ in range(20_000):
        html = "".join(rng.choice(atoms) for _ in range(rng.randint(1, 10)))
        parts = _fast_parts(html)
        if parts is not None:
            assert parts == _parser_parts(html), html
            checked += 1
    assert checked > 1_000  # the comparison really ran on many fragments


def test_clean_text_agrees_with_its_step_by_step_definition() -> None:
    """Every step of the original definition applied in full, against the fast one."""
    import re
    import unicodedata

    from tui.sources import clean

    def reference(text: str) -> str:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = clean._ESCAPES_RE.sub("", text)
        text = clean._CONTROLS_RE.sub("", text)
        text = unicodedata.normalize("NFC", text)
        text = re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", text)
        text = "\n".join(line.strip() for line in text.split("\n"))
        text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
        return text.strip()

    atoms = ["a", " ", "  ", "\t", "\n", "\r", "\x1b[1m", "\x9b2J", "\x00", "\x85", "\u00a0",
             "\u2028", "\u1680", "\u200b", "é", "e\u0301", "\x1c"]  # fmt: skip
    for combo in itertools.product(atoms, repeat=3):
        text = "".join(combo)
        assert clean_text(text) == reference(text), repr(text)
