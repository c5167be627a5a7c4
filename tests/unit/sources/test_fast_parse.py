"""The fast parse path gives exactly feedparser's stories, or hands the feed to feedparser.

The invariant is checked on every feed of the shared corpus (real and broken)
and every fixture: whenever ``fast_parse`` returns a feed, each story (title,
link, guid, date, text, author, language) and the feed's own fields equal what
``parse_feed(..., fast=False)`` (feedparser) gives for the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest

from tests.support.paths import CORPUS, FEED_FIXTURES
from tui.sources.fastparse import explain, fast_parse
from tui.sources.feeds import NotAFeedError, ParsedFeed, maybe_gunzip, parse_feed

CORPUS_FEEDS = CORPUS / "feeds"
DOCUMENTS = sorted(
    [*CORPUS_FEEDS.glob("real/*"), *CORPUS_FEEDS.glob("broken/*"), *FEED_FIXTURES.iterdir()],
    key=lambda p: (p.parent.name, p.name),
)
STORY_FIELDS = ("title", "url", "guid", "published", "text", "author", "language")


def _same_as_feedparser(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed | None:
    """The fast result after asserting it equals feedparser's; ``None`` if it fell back."""
    fast = fast_parse(data, url, content_type)
    if fast is None:
        return None
    reference = parse_feed(data, url, content_type, fast=False)
    assert (fast.title, fast.link, fast.language, fast.format) == (
        reference.title,
        reference.link,
        reference.language,
        reference.format,
    )
    assert fast.warnings == reference.warnings
    assert len(fast.stories) == len(reference.stories)
    for mine, theirs in zip(fast.stories, reference.stories, strict=True):
        for name in STORY_FIELDS:
            assert getattr(mine, name) == getattr(theirs, name), (name, theirs.title)
    return fast


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_path_equals_feedparser_or_falls_back(path: Path) -> None:
    data = maybe_gunzip(path.read_bytes(), 50 * 1024 * 1024)
    try:
        parse_feed(data, "https://example.org/feed", fast=False)
    except NotAFeedError:
        assert fast_parse(data, "https://example.org/feed") is None
        return
    _same_as_feedparser(data, "https://example.org/feed")
    _same_as_feedparser(data)


@pytest.mark.skipif(not (CORPUS_FEEDS / "real").is_dir(), reason="shared corpus not available")
def test_most_real_feeds_take_the_fast_path() -> None:
    real = sorted((CORPUS_FEEDS / "real").iterdir())
    fast = [p for p in real if fast_parse(p.read_bytes()) is not None]
    assert len(fast) >= 0.6 * len(real), [(p.name, explain(p.read_bytes())[1]) for p in real]


def _rss(
    items: str, *, head: str = '<?xml version="1.0" encoding="UTF-8"?>', channel: str = ""
) -> bytes:
    return (
        f'{head}<rss version="2.0"><channel><title>T</title><link>https://ex.org/</link>'
        f"{channel}{items}</channel></rss>"
    ).encode()


ITEM = (
    "<item><title>Talks &amp; more</title><link>https://ex.org/1</link>"
    "<guid>https://ex.org/g/1</guid><pubDate>Tue, 06 Jan 2026 10:00:00 +0100</pubDate>"
    "<description>&lt;p&gt;Body &lt;b&gt;one&lt;/b&gt;&lt;/p&gt;</description>"
    "<author>ana@ex.org (Ana)</author></item>"
)


def test_a_plain_rss_feed_takes_the_fast_path_with_feedparsers_answer() -> None:
    fast = _same_as_feedparser(_rss(ITEM * 1, channel="<language>es-MX</language>"))
    assert fast is not None
    story = fast.stories[0]
    assert story.language == "es"  # RSS <language>, which the fast parser does not read
    assert story.published == dt.datetime(2026, 1, 6, 9, 0, tzinfo=dt.UTC)
    assert story.text == "Body one"


def test_entries_without_guid_get_no_invented_id() -> None:
    item = "<item><title>A</title><link>https://ex.org/a</link><description>x</description></item>"
    fast = _same_as_feedparser(_rss(item * 2))
    assert fast is not None
    assert [s.guid for s in fast.stories] == ["", ""]


def test_iso_dates_and_atom_are_read_as_feedparser_reads_them() -> None:
    atom = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>A</title><id>urn:a</id><updated>2026-01-06T10:00:00Z</updated>"
        b'<entry><title>One</title><id>urn:a:1</id><link href="https://ex.org/1"/>'
        b"<updated>2026-01-06T10:00:00.123+02:00</updated>"
        b"<summary>Plain &lt;text&gt;</summary><author><name>Bo</name></author></entry></feed>"
    )
    fast = _same_as_feedparser(atom)
    assert fast is not None
    assert fast.stories[0].published == dt.datetime(2026, 1, 6, 8, 0, tzinfo=dt.UTC)
    assert fast.stories[0].guid == "urn:a:1"


def test_youtube_media_group_description_is_the_body() -> None:
    atom = (
        b'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        b'xmlns:media="http://search.yahoo.com/mrss/"><title>Chan</title><id>yt:c</id>'
        b'<entry><id>yt:video:1</id><title>Video</title><link rel="alternate" '
        b'href="https://www.youtube.com/watch?v=1"/><published>2026-01-06T10:00:00+00:00</published>'
        b'<media:group><media:title>Video</media:title><media:content url="https://yt/v/1" '
        b'type="application/x-shockwave-flash"/><media:description>What the video '
        b"says.</media:description></media:group></entry></feed>"
    )
    fast = _same_as_feedparser(atom)
    assert fast is not None
    assert fast.stories[0].text == "What the video says."
    # without media:content the fast parser does not see the description: feedparser reads it
    bare = atom.replace(b'<media:content url="https://yt/v/1" ', b"<!-- ").replace(
        b'type="application/x-shockwave-flash"/>', b"-->"
    )
    assert fast_parse(bare) is None
    assert parse_feed(bare).stories[0].text == "What the video says."


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (_rss(ITEM), "application/rss+xml; charset=iso-8859-1", "HTTP header"),
        (b"\xef\xbb\xbf" + _rss(ITEM), "", "byte order mark"),
        (_rss(ITEM, head='<?xml version="1.0" encoding="ISO-8859-1"?>'), "", "declared"),
        (_rss(ITEM).replace(b"Talks", b"Tal\xe9s"), "", "UTF-8"),
        (_rss(ITEM).replace(b"</channel>", b""), "", "well-formed"),
        (_rss(ITEM).replace(b"&amp;", b"&hellip;"), "", "well-formed"),
        (
            b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>Old</title>'
            b"<link>https://ex.org/</link></channel><item><title>A</title>"
            b"<link>https://ex.org/a</link></item></rdf:RDF>",
            "",
            "RSS 2.0",
        ),
        (_rss(""), "", "no entries"),
        (_rss(ITEM + ITEM.replace("<guid>https://ex.org/g/1</guid>", "")), "", "ids"),
        (_rss(ITEM.replace("&lt;p&gt;Body", "<p>Body</p>")), "", "child elements"),
    ],
    ids=[
        "charset header",
        "bom",
        "latin-1 declared",
        "invalid utf-8",
        "not well-formed",
        "undeclared entity",
        "rss 0.90",
        "no entries",
        "guid on some items",
        "markup as elements",
    ],
)
def test_guards_send_the_feed_to_feedparser(data: bytes, content_type: str, reason: str) -> None:
    parsed, why = explain(data, "", content_type)
    assert parsed is None
    assert reason in why
    # and parse_feed still reads it (through feedparser) or refuses it as before
    with contextlib.suppress(NotAFeedError):
        parse_feed(data, "", content_type)


def test_a_utf8_charset_header_keeps_the_fast_path() -> None:
    assert fast_parse(_rss(ITEM), "", "application/rss+xml; charset=UTF-8") is not None
