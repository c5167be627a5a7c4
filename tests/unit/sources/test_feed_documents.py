"""Feed documents → stories: every format, normalisation, hostile text, the shared corpus."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest

from tests.support.paths import CORPUS, FEED_FIXTURES
from tui.sources.discovery import choose_feed, discover_feeds
from tui.sources.feeds import NotAFeedError, parse_feed
from tui.store import Store, StoryFilter

REAL = CORPUS / "feeds" / "real"
BROKEN = CORPUS / "feeds" / "broken"


def parse(name: str, url: str = "https://base.example.org/feed") -> object:
    return parse_feed((FEED_FIXTURES / name).read_bytes(), url)


@pytest.mark.parametrize(
    ("name", "fmt", "count", "language"),
    [
        ("rss091.xml", "rss091u", 1, "en"),
        ("rss10.rdf", "rss10", 2, "de"),
        ("rss20.xml", "rss20", 3, "es"),
        ("atom03.xml", "atom03", 1, ""),
        ("atom10.xml", "atom10", 2, "en"),
        ("feed.json", "json1.1", 2, "pt"),
    ],
)
def test_every_format_parses(name: str, fmt: str, count: int, language: str) -> None:
    feed = parse_feed((FEED_FIXTURES / name).read_bytes(), "https://base.example.org/feed")
    assert (feed.format, len(feed.stories), feed.language, feed.warnings) == (
        fmt, count, language, [],
    )  # fmt: skip
    for story in feed.stories:
        assert story.title
        assert story.url.startswith("https://")
        assert all(s.language == language for s in feed.stories)


def test_rss_entry_is_normalised() -> None:
    feed = parse_feed((FEED_FIXTURES / "rss20.xml").read_bytes(), "https://news.example.org/rss")
    first, second, third = feed.stories
    assert first.title == "Rubio y De la Fuente acuerdan grupo de seguridad"
    assert first.url == "https://news.example.org/2026/01/08/rubio-de-la-fuente"  # made absolute
    assert first.guid == "mesa-1"
    assert first.author == "Redacción"
    assert first.published == dt.datetime(2026, 1, 8, 16, 0, tzinfo=dt.UTC)  # -0600 → UTC
    # content:encoded wins over the description; scripts and styles are gone
    assert first.text == (
        "El secretario Rubio habló con el canciller De la Fuente.\n\nAcordaron reunirse en febrero."
    )
    assert second.title == "Second item with escaped markup"
    assert second.text == "Only a summary, first paragraph.\n\nSecond paragraph."
    assert second.published is None  # the store falls back to first-seen
    # no title: the text stands in; no pubDate: the updated date
    assert third.title == "An entry without a title still shows its text."
    assert third.published == dt.datetime(2026, 1, 10, 8, 30, tzinfo=dt.UTC)


def test_atom_entry_prefers_published_and_reads_html_titles() -> None:
    feed = parse_feed((FEED_FIXTURES / "atom10.xml").read_bytes(), "https://atom.example.org/feed")
    talks, plain = feed.stories
    assert talks.title == "Talks resume"
    assert talks.author == "A. Writer"
    assert talks.text == "Delegations met in Washington.\n\nThey will meet again."
    assert plain.published == dt.datetime(2026, 1, 7, 8, 0, tzinfo=dt.UTC)


def test_json_feed_fields() -> None:
    feed = parse_feed(
        (FEED_FIXTURES / "feed.json").read_bytes(), "https://json.example.org/feed.json"
    )
    first, second = feed.stories
    assert feed.title == "JSON Desk"
    assert (first.author, first.guid, first.text) == (
        "Ana, Bruno", "j1", "Parágrafo um.\n\nParágrafo dois.",
    )  # fmt: skip
    assert first.published == dt.datetime(2026, 1, 8, 13, 0, tzinfo=dt.UTC)
    assert second.url == "https://json.example.org/2"
    assert second.published == dt.datetime(2026, 1, 9, 10, 0, tzinfo=dt.UTC)


def test_json_that_is_not_a_feed_is_refused() -> None:
    with pytest.raises(NotAFeedError, match="not a feed"):
        parse_feed(b'{"hello": "world"}', "https://x.example.org/")
    with pytest.raises(NotAFeedError, match="invalid JSON"):
        parse_feed(b"{not json", "https://x.example.org/")


@pytest.mark.parametrize("name", ["latin1.xml", "latin1_undeclared.xml"])
def test_latin1_spanish_reads_correctly(name: str) -> None:
    feed = parse_feed((FEED_FIXTURES / name).read_bytes(), "https://latin.example.org/rss")
    [story] = feed.stories
    assert feed.title == "Año político"
    assert story.title == "Reunión en México: señales de acuerdo"
    assert "pidió cooperación y está" in story.text


def test_malformed_feed_with_entries_is_kept_with_a_warning() -> None:
    feed = parse_feed((FEED_FIXTURES / "broken.xml").read_bytes(), "https://broken.example.org/rss")
    assert [s.title for s in feed.stories][:1] == ["Kept & still readable"]
    assert len(feed.warnings) == 1
    assert feed.warnings[0].startswith("malformed feed (")
    assert "entries kept" in feed.warnings[0]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty response"),
        (b"   \n\t ", "empty response"),
        ((FEED_FIXTURES / "page_without_feed.html").read_bytes(), "HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a feed"),
        (b"lorem ipsum dolor sit amet", "not a feed"),
    ],
)
def test_not_a_feed(body: bytes, reason: str) -> None:
    with pytest.raises(NotAFeedError, match=reason):
        parse_feed(body, "https://x.example.org/feed")


def test_terminal_escapes_and_controls_are_removed_once() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
        b"<title>Evil \x1b[31mred\x1b[0m title\x1b]0;pwned\x07</title>"
        b"<description>&lt;p&gt;line\x1b[2J one&lt;/p&gt;&lt;p&gt;[bold]not markup[/bold]&lt;/p&gt;"
        b"</description><link>javascript:alert(1)</link></item></channel></rss>"
    )
    [story] = parse_feed(body, "https://x.example.org/feed").stories
    assert story.title == "Evil red title"
    assert story.text == "line one\n\n[bold]not markup[/bold]"  # kept as data, never as markup
    assert story.url == ""  # only http(s) links survive


def test_gzip_body_without_content_encoding_is_undone() -> None:
    import gzip

    data = gzip.compress((FEED_FIXTURES / "rss20.xml").read_bytes())
    assert len(parse_feed(data, "https://news.example.org/rss").stories) == 3
    with pytest.raises(NotAFeedError, match="expands past"):
        parse_feed(gzip.compress(b" " * 10_000), "https://x.example.org/", max_bytes=1000)


def test_discovery_names_feeds_in_order_and_skips_comment_feeds() -> None:
    page = (FEED_FIXTURES / "page_with_feed.html").read_text(encoding="utf-8")
    links = discover_feeds(page, "https://news.example.org/section/")
    assert [(link.url, link.kind) for link in links] == [
        ("https://news.example.org/comments.xml", "RSS"),
        ("https://news.example.org/feed.xml", "RSS"),
        ("https://news.example.org/atom.xml", "Atom"),
    ]
    chosen = choose_feed(links)
    assert chosen is not None and chosen.title == "Portada"
    assert discover_feeds("<html><head></head><body></body></html>", "https://x.org/") == []
    assert choose_feed([]) is None


def test_edited_entry_updates_story_and_keeps_triage(store: Store) -> None:
    source = store.add_source("https://news.example.org/rss", title="Mesa")
    original = (FEED_FIXTURES / "rss20.xml").read_bytes()
    first = parse_feed(original, source.url).stories
    ids = [i for i, status in store.upsert_stories(source.id, first) if status == "new"]
    assert len(ids) == 3
    store.add_tags([ids[0]], ["mx"])
    store.set_note(ids[0], "follow up")
    store.set_read([ids[0]])
    edited = original.replace(b"Acordaron reunirse en febrero.", b"Acordaron reunirse en marzo.")
    results = store.upsert_stories(source.id, parse_feed(edited, source.url).stories)
    assert [status for _, status in results] == ["updated", "unchanged", "unchanged"]
    story = store.story(ids[0])
    assert "marzo" in story.text and "febrero" not in story.text
    assert (story.tags, story.note, story.read) == (("mx",), "follow up", True)


def test_same_story_from_two_feeds_is_one_story_listing_both(store: Store) -> None:
    a = store.add_source("https://a.example.org/rss", title="Feed A")
    b = store.add_source("https://b.example.org/atom", title="Feed B")
    rss = parse_feed((FEED_FIXTURES / "rss20.xml").read_bytes(), a.url).stories[1]
    # Same link, different guid and wording in another feed.
    body = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>B</title>'
        b"<entry><title>Second item (copy)</title><id>urn:b:1</id>"
        b'<link href="https://news.example.org/2026/01/09/second"/><summary>Copy.</summary>'
        b"</entry></feed>"
    )
    atom = parse_feed(body, b.url).stories[0]
    [(first_id, first_status)] = store.upsert_stories(a.id, [rss])
    [(second_id, _status)] = store.upsert_stories(b.id, [atom])
    assert first_status == "new"
    assert second_id == first_id
    assert sorted(store.story_source_labels(first_id)) == ["Feed A", "Feed B"]
    # Same normalised title and text with neither guid nor link in common: still one story.
    [(rubio_id, _)] = store.upsert_stories(
        a.id, [parse_feed((FEED_FIXTURES / "rss20.xml").read_bytes(), a.url).stories[0]]
    )
    twin = parse_feed(
        b'<rss version="2.0"><channel><title>C</title><item><title>  RUBIO y De la Fuente '
        b"acuerdan   grupo de seguridad</title><description>El secretario Rubio habl\xc3\xb3 "
        b"con el canciller De la Fuente.&lt;p&gt;Acordaron reunirse en febrero."
        b"</description></item></channel></rss>",
        "https://c.example.org/rss",
    ).stories[0]
    c = store.add_source("https://c.example.org/rss", title="Feed C")
    [(twin_id, status)] = store.upsert_stories(c.id, [twin])
    assert (twin_id, status) == (rubio_id, "unchanged")
    assert sorted(store.story_source_labels(rubio_id)) == ["Feed A", "Feed C"]


def test_feeds_stored_together_are_each_all_or_nothing(store: Store) -> None:
    """A refresh writes the feeds parsed meanwhile in one transaction (``ingest_many``):
    one that fails leaves no trace, the others are kept with their status."""
    a = store.add_source("https://a.example.org/rss", title="Feed A")
    b = store.add_source("https://b.example.org/rss", title="Feed B")
    stories = parse_feed((FEED_FIXTURES / "rss20.xml").read_bytes(), a.url).stories
    other = parse_feed(
        b'<rss version="2.0"><channel><title>B</title><item><title>Only in B</title>'
        b"<guid>urn:b:only</guid><description>Text.</description></item></channel></rss>",
        b.url,
    ).stories
    outcomes = store.ingest_many(
        [
            (a.id, stories, ("mx",), {"etag": '"a1"'}),
            (b.id, other, (), {"no_such_column": 1}),  # fails after its stories were written
        ]
    )
    assert not isinstance(outcomes[0], Exception)
    assert [status for _, status in outcomes[0]] == ["new", "new", "new"]
    assert isinstance(outcomes[1], ValueError)
    assert store.source(a.id).etag == '"a1"'
    assert store.count_stories() == 3
    assert all(s.source_id == a.id and s.tags == ("mx",) for s in store.list_stories())
    assert (
        store.list_stories(StoryFilter(query="Only in B")) == []
    )  # its full-text rows went with it


# -- the shared corpus ---------------------------------------------------------------------

real_feeds = sorted(REAL.iterdir()) if REAL.is_dir() else []
broken_feeds = sorted(BROKEN.iterdir()) if BROKEN.is_dir() else []


@pytest.mark.skipif(not real_feeds, reason="shared corpus not available")
@pytest.mark.parametrize("path", real_feeds, ids=lambda p: p.name)
def test_every_real_feed_parses_like_feedparser(path: Path) -> None:
    data = path.read_bytes()
    expected = len(feedparser.parse(data).entries)
    feed = parse_feed(data, "https://feeds.example.org/" + path.name)
    assert len(feed.stories) == expected > 0
    assert all(story.title or story.text for story in feed.stories)
    assert all(
        not story.url or story.url.startswith(("http://", "https://")) for story in feed.stories
    )
    assert all(s.published is None or s.published.tzinfo is not None for s in feed.stories)


# Broken samples that parse to something useful with no complaint, and why that is right.
_HANDLED_SILENTLY = {
    "neverwinter_relative_urls.xml",  # relative links, made absolute
    "lucasdelirium_mismatched_html_tags.xml",  # raw HTML inside description: read as text
    "feedparser-sanitize_pathological_css_touchnokia_ru.xml",  # slow-CSS trap: no sanitiser runs
    "boe_es_cp1252_declared_utf8_fffd.xml",  # replacement characters are in the bytes themselves
    "nshipster_gzipped_body.xml.gz",  # gzip without Content-Encoding, undone
}


@pytest.mark.skipif(not broken_feeds, reason="shared corpus not available")
@pytest.mark.parametrize("path", broken_feeds, ids=lambda p: p.name)
def test_broken_feeds_give_an_error_or_a_warning(path: Path) -> None:
    started = time.perf_counter()
    try:
        feed = parse_feed(path.read_bytes(), "https://feeds.example.org/" + path.name)
    except NotAFeedError as exc:
        assert str(exc)  # one readable line
        assert "\n" not in str(exc)
        return
    assert time.perf_counter() - started < 5  # no pathological backtracking
    assert all(story.title or story.text for story in feed.stories)
    if path.name in _HANDLED_SILENTLY:
        assert feed.stories
        assert all(s.url.startswith(("http://", "https://")) for s in feed.stories if s.url)
    else:
        assert feed.warnings, f"{path.name} parsed with no warning"


def _feedparser_both_ways(data: bytes) -> tuple[object, object]:
    """feedparser's result with our buffered expat driver and with the stdlib one."""
    import feedparser.api

    drivers = feedparser.api.PREFERRED_XML_PARSERS
    saved = list(drivers)
    try:
        buffered = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        drivers[:] = [d for d in drivers if d != "tui.sources.expat_buffered"]
        plain = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    finally:
        drivers[:] = saved
    return (
        (buffered.feed, buffered.entries, buffered.bozo, buffered.get("version")),
        (plain.feed, plain.entries, plain.bozo, plain.get("version")),
    )


def test_feedparser_reads_text_in_whole_runs_with_the_same_result() -> None:
    import xml.sax

    import feedparser.api

    from tui.sources.expat_buffered import BufferedExpatParser

    assert isinstance(
        xml.sax.make_parser(feedparser.api.PREFERRED_XML_PARSERS), BufferedExpatParser
    )
    paths = sorted(FEED_FIXTURES.iterdir()) + (real_feeds + broken_feeds)
    for path in paths:
        buffered, plain = _feedparser_both_ways(path.read_bytes())
        assert buffered == plain, path.name


def _outcome(resolve: Callable[[str, str], str], link: str, base: str) -> str:
    try:
        return resolve(link, base)
    except ValueError as exc:  # urllib refuses some hosts ("[" without a valid IPv6)
        return f"ValueError: {exc}"


def test_plain_absolute_links_skip_the_url_parses_and_come_out_the_same() -> None:
    """``absolute_link``'s shortcut (``PLAIN_ABSOLUTE_RE``) only takes links that cleaning,
    joining and feedparser's link fix-up would all leave as they are."""
    import random

    from feedparser.urls import _urljoin

    from tui.sources.feeds import PLAIN_ABSOLUTE_RE, absolute_link, resolve_link

    rng = random.Random(17)
    plain_chars = "aZ09.-_~!$&'()*+,=:@%/?"
    any_chars = plain_chars + ";#[] \t\u00e9"
    bases = ["", "http://127.0.0.1:8000/feed.xml", "https://x.example/a/b?c", "http://x.example"]
    taken = 0
    for _ in range(20000):
        chars = rng.choice([plain_chars, any_chars])
        link = (
            rng.choice(["http://", "https://", "HTTP://", "//", ""])
            + rng.choice(["x.example", "a-b.c", "1.2.3.4", "[::1]", "u@h", ""])
            + rng.choice(["", ":80", ":"])
            + rng.choice(["/", "/", "?", ""])
            + "".join(rng.choice(chars) for _ in range(rng.randrange(12)))
        )
        plain = PLAIN_ABSOLUTE_RE.fullmatch(link) is not None
        taken += plain
        for base in bases:
            assert _outcome(absolute_link, link, base) == _outcome(resolve_link, link, base)
        if plain and "&" not in link:
            assert _urljoin("", link) == link
    assert taken > 1000  # the shortcut was exercised, not only the long way
