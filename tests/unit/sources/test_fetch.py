"""The fetch engine against a real HTTP server on 127.0.0.1 (no mocked transport)."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest

from tests.support.http_server import NO_LENGTH, STALL, LoopbackServer, Reply
from tests.support.paths import CORPUS, FEED_FIXTURES, REPO
from tui.config import RefreshConfig
from tui.sources.fetch import USER_AGENT, SourceResult, refresh, refresh_sync
from tui.sources.fulltext import fetch_full_text
from tui.sources.opml import export_opml, import_opml
from tui.sources.subscribe import SubscribeError, subscribe
from tui.store import Store, StoryFilter

RSS = (FEED_FIXTURES / "rss20.xml").read_bytes()
FAST = RefreshConfig(
    concurrency=8,
    per_host=8,
    connect_timeout=2.0,
    read_timeout=0.5,
    total_timeout=3.0,
    max_bytes=100_000,
)


def run(
    store: Store, urls: list[str], config: RefreshConfig = FAST, **kw: object
) -> list[SourceResult]:
    sources = [store.source_by_url(u) or store.add_source(u) for u in urls]
    return refresh_sync(store, sources, config, **kw)  # type: ignore[arg-type]


# -- status codes ---------------------------------------------------------------------------


def test_200_then_304_costs_no_parse(store: Store, server: LoopbackServer) -> None:
    server.static("/feed", RSS, etag='"v1"', last_modified="Thu, 08 Jan 2026 10:00:00 GMT")
    [first] = run(store, [server.url("/feed")])
    assert (first.status, first.new, first.parsed) == ("ok", 3, True)
    source = store.source(first.source_id)
    assert (source.etag, source.last_modified, source.failures) == (
        '"v1"', "Thu, 08 Jan 2026 10:00:00 GMT", 0,
    )  # fmt: skip
    assert source.title == "Mesa de Seguridad"  # taken from the feed when unset
    [second] = run(store, [server.url("/feed")])
    assert (second.status, second.new, second.parsed) == ("not_modified", 0, False)
    conditional = server.hits("/feed")[1].headers
    assert conditional["if-none-match"] == '"v1"'
    assert conditional["if-modified-since"] == "Thu, 08 Jan 2026 10:00:00 GMT"
    assert store.source(first.source_id).last_success is not None


def test_last_modified_alone_gives_304(store: Store, server: LoopbackServer) -> None:
    server.static("/lm", RSS, last_modified="Thu, 08 Jan 2026 10:00:00 GMT")
    run(store, [server.url("/lm")])
    [second] = run(store, [server.url("/lm")])
    assert second.status == "not_modified"


def test_user_agent_and_encodings_are_sent(store: Store, server: LoopbackServer) -> None:
    server.static("/feed", RSS)
    run(store, [server.url("/feed")])
    headers = server.hits("/feed")[0].headers
    assert headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("newsdesk/")
    assert "gzip" in headers["accept-encoding"] and "deflate" in headers["accept-encoding"]


@pytest.mark.parametrize("code", [301, 308])
def test_permanent_redirect_updates_the_stored_url(
    store: Store, server: LoopbackServer, code: int
) -> None:
    server.reply("/old", code, {"Location": "/new"})
    server.static("/new", RSS)
    [result] = run(store, [server.url("/old")])
    assert (result.status, result.new, result.moved_to) == ("ok", 3, server.url("/new"))
    assert store.source(result.source_id).url == server.url("/new")
    assert store.source_by_url(server.url("/old")) is None


def test_temporary_redirect_keeps_the_url(store: Store, server: LoopbackServer) -> None:
    server.reply("/tmp", 302, {"Location": "/new"})
    server.static("/new", RSS)
    [result] = run(store, [server.url("/tmp")])
    assert (result.status, result.moved_to) == ("ok", None)
    assert store.source(result.source_id).url == server.url("/tmp")


def test_redirect_loop_and_too_many_redirects(store: Store, server: LoopbackServer) -> None:
    server.reply("/a", 301, {"Location": "/b"})
    server.reply("/b", 302, {"Location": "/a"})
    for i in range(7):
        server.reply(f"/r{i}", 302, {"Location": f"/r{i + 1}"})
    server.static("/r7", RSS)
    loop, chain = run(store, [server.url("/a"), server.url("/r0")])
    assert loop.status == "error" and loop.error.startswith("redirect loop")
    assert chain.status == "error" and "too many redirects" in chain.error
    assert len(server.hits("/r6")) == 0  # gave up after 5 hops
    assert store.source(loop.source_id).url == server.url("/a")


@pytest.mark.parametrize(
    ("code", "words"),
    [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"), (500, "HTTP 500 Internal Server Error")],
)
def test_http_errors_are_recorded_per_source(
    store: Store, server: LoopbackServer, code: int, words: str
) -> None:
    server.reply("/bad", code, {"Content-Type": "text/html"}, b"<h1>nope</h1>")
    [first] = run(store, [server.url("/bad")])
    [second] = run(store, [server.url("/bad")])
    assert first.status == second.status == "error"
    assert first.error.startswith(words)
    source = store.source(first.source_id)
    assert (source.failures, source.last_error) == (2, second.error)
    assert "\n" not in source.last_error
    assert source.last_success is None
    server.static("/bad", RSS)  # the feed comes back: the failure count resets
    [third] = run(store, [server.url("/bad")])
    source = store.source(third.source_id)
    assert (third.status, source.failures, source.last_error) == ("ok", 0, None)


def test_429_retry_after_skips_the_source_until_then(store: Store, server: LoopbackServer) -> None:
    server.reply("/busy", 429, {"Retry-After": "120"})
    before = dt.datetime.now(dt.UTC)
    [first] = run(store, [server.url("/busy")])
    assert first.status == "error" and first.error.startswith("HTTP 429")
    assert "wait until" in first.error
    source = store.source(first.source_id)
    assert source.retry_after is not None
    wait = dt.datetime.fromisoformat(source.retry_after.replace("Z", "+00:00")) - before
    assert dt.timedelta(seconds=110) < wait < dt.timedelta(seconds=130)
    [second] = run(store, [server.url("/busy")])
    assert second.status == "skipped" and "skipped until" in second.error
    assert len(server.hits("/busy")) == 1  # no request while waiting
    server.static("/busy", RSS)
    [forced] = run(store, [server.url("/busy")], force=True)
    assert (forced.status, forced.new) == ("ok", 3)
    assert store.source(forced.source_id).retry_after is None


def test_503_with_an_http_date_retry_after(store: Store, server: LoopbackServer) -> None:
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    server.reply("/down", 503, {"Retry-After": when})
    [result] = run(store, [server.url("/down")])
    assert result.status == "error" and result.retry_after is not None
    [again] = run(store, [server.url("/down")])
    assert again.status == "skipped"


def test_a_stalled_server_times_out_without_holding_up_the_others(
    store: Store, server: LoopbackServer
) -> None:
    server.answer("/stall", lambda _h: (200, {STALL: "1"}, b""))
    server.static("/feed", RSS)
    started = time.monotonic()
    stalled, good = run(store, [server.url("/stall"), server.url("/feed")])
    assert time.monotonic() - started < 1.9  # read timeout 0.5 s, the stall lasts 2 s
    assert stalled.status == "error" and "timeout" in stalled.error
    assert (good.status, good.new) == ("ok", 3)


@pytest.mark.parametrize("declared", [True, False])
def test_an_oversized_body_is_aborted(store: Store, server: LoopbackServer, declared: bool) -> None:
    big = RSS.replace(b"Resumen breve.", b"x" * 200_000)
    server.static("/big", big, extra={} if declared else {NO_LENGTH: "1"})
    [result] = run(store, [server.url("/big")])
    assert result.status == "error"
    assert "100000-byte limit" in result.error or "limit 100000" in result.error
    assert store.count_stories() == 0


def test_gzip_and_deflate_bodies(store: Store, server: LoopbackServer) -> None:
    import zlib

    server.static("/gz", gzip.compress(RSS), extra={"Content-Encoding": "gzip"})
    server.static(
        "/deflate",
        zlib.compress(RSS.replace(b"mesa-1", b"mesa-x")),
        extra={"Content-Encoding": "deflate"},
    )
    gz, deflated = run(store, [server.url("/gz"), server.url("/deflate")])
    # Both bodies carry the same stories, fetched concurrently: whichever lands
    # first makes them new, the other finds them; three stories either way.
    for result in (gz, deflated):
        assert (result.status, result.new + result.updated + result.unchanged) == ("ok", 3)
    assert gz.new + deflated.new == 3


def test_a_gzip_bomb_stops_at_the_cap(store: Store, server: LoopbackServer) -> None:
    bomb = gzip.compress(b"<rss>" + b" " * 5_000_000)
    assert len(bomb) < FAST.max_bytes
    server.static("/bomb", bomb, extra={"Content-Encoding": "gzip"})
    [result] = run(store, [server.url("/bomb")])
    assert result.status == "error" and "limit" in result.error


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "application/octet-stream", "text/plain"]
)
def test_wrong_content_type_still_parses(
    store: Store, server: LoopbackServer, content_type: str
) -> None:
    server.static("/feed", RSS, content_type)
    [result] = run(store, [server.url("/feed")])
    assert (result.status, result.new, result.warnings) == ("ok", 3, [])


def test_broken_xml_is_kept_with_a_warning(store: Store, server: LoopbackServer) -> None:
    server.static("/broken", (FEED_FIXTURES / "broken.xml").read_bytes())
    [result] = run(store, [server.url("/broken")])
    assert (result.status, result.new) == ("ok", 2)
    assert result.warnings and result.warnings[0].startswith("malformed feed")


def test_latin1_bytes_over_http(store: Store, server: LoopbackServer) -> None:
    server.static("/latin", (FEED_FIXTURES / "latin1.xml").read_bytes(), "text/xml")
    server.static(
        "/latin-header",
        (FEED_FIXTURES / "latin1_undeclared.xml").read_bytes(),
        "application/rss+xml; charset=ISO-8859-1",
    )
    results = run(store, [server.url("/latin"), server.url("/latin-header")])
    assert [r.status for r in results] == ["ok", "ok"]
    [story] = store.list_stories(limit=10)
    assert story.title == "Reunión en México: señales de acuerdo"
    assert story.language == "es"
    assert len(store.story_source_labels(story.id)) == 2  # same story, two feeds


def test_html_instead_of_a_feed(store: Store, server: LoopbackServer) -> None:
    server.static("/with", (FEED_FIXTURES / "page_with_feed.html").read_bytes(), "text/html")
    server.static("/without", (FEED_FIXTURES / "page_without_feed.html").read_bytes(), "text/html")
    with_link, without = run(store, [server.url("/with"), server.url("/without")])
    assert with_link.status == without.status == "error"
    assert without.error == "an HTML page, not a feed"
    assert with_link.error.startswith("an HTML page, not a feed; the page links to a feed: ")
    assert server.url("/feed.xml") in with_link.error


def test_empty_body_and_garbage_are_not_feeds(store: Store, server: LoopbackServer) -> None:
    server.static("/empty", b"")
    server.static("/noise", os.urandom(2000).replace(b"<", b"."), "application/rss+xml")
    empty, noise = run(store, [server.url("/empty"), server.url("/noise")])
    assert empty.error == "empty response, not a feed"
    assert noise.status == "error" and "not a feed" in noise.error


def test_one_broken_feed_never_stops_the_others(store: Store, server: LoopbackServer) -> None:
    server.static("/good", RSS)
    server.reply("/missing", 404)
    server.static("/html", b"<html><body>hi</body></html>", "text/html")
    server.answer("/stall", lambda _h: (200, {STALL: "1"}, b""))
    urls = [server.url(p) for p in ("/missing", "/html", "/stall", "/good")]
    urls.append("http://127.0.0.1:9/refused")  # nothing listens on the discard port
    results = run(store, urls)
    assert [r.status for r in results] == ["error", "error", "error", "ok", "error"]
    assert results[3].new == 3
    assert "cannot connect" in results[4].error


def test_per_host_limit_is_respected(store: Store, server: LoopbackServer) -> None:
    def slow(_h: dict[str, str]) -> Reply:
        time.sleep(0.15)
        return 200, {"Content-Type": "application/rss+xml"}, RSS

    for i in range(6):
        server.answer(f"/slow{i}", slow)
    config = RefreshConfig(concurrency=16, per_host=2, read_timeout=5, total_timeout=10)
    results = run(store, [server.url(f"/slow{i}") for i in range(6)], config)
    assert all(r.status == "ok" for r in results)
    assert server.peak == 2


def test_progress_reports_every_source(store: Store, server: LoopbackServer) -> None:
    server.static("/a", RSS)
    server.reply("/b", 500)
    seen: list[tuple[str, int, int]] = []
    run(
        store,
        [server.url("/a"), server.url("/b")],
        progress=lambda r, d, t: seen.append((r.status, d, t)),
    )
    assert sorted(seen) == sorted([("ok", 1, 2), ("error", 2, 2)]) or sorted(seen) == sorted(
        [("error", 1, 2), ("ok", 2, 2)]
    )


def test_refresh_all_skips_file_sources_and_json_feed(store: Store, server: LoopbackServer) -> None:
    server.static("/feed.json", (FEED_FIXTURES / "feed.json").read_bytes(), "application/feed+json")
    store.add_source(server.url("/feed.json"), tags=["br"])
    store.add_source("/tmp/somewhere", kind="file")
    results = refresh_sync(store, None, FAST)
    assert [(r.status, r.new) for r in results] == [("ok", 2)]
    stories = store.list_stories(StoryFilter(tags=("br",)), limit=10)
    assert len(stories) == 2  # the source's tags go onto its new stories


async def test_refresh_is_usable_from_a_running_loop(store: Store, server: LoopbackServer) -> None:
    server.static("/feed", RSS)
    source = store.add_source(server.url("/feed"))
    [result] = await refresh(store, [source], FAST)
    assert (result.status, result.new) == ("ok", 3)


# -- subscribing (newsdesk add) ---------------------------------------------------------------


async def test_subscribe_to_a_feed(store: Store, server: LoopbackServer) -> None:
    server.static("/feed.xml", RSS, etag='"a"')
    sub = await subscribe(store, server.url("/feed.xml"), FAST, tags=("mx",))
    assert (sub.existed, sub.chosen, sub.source.title, sub.source.tags) == (
        False, None, "Mesa de Seguridad", ("mx",),
    )  # fmt: skip
    assert sub.result is not None and sub.result.new == 3
    assert sub.source.etag == '"a"'
    assert len(server.hits("/feed.xml")) == 1  # one request, not two
    again = await subscribe(store, server.url("/feed.xml"), FAST, tags=("security",))
    assert again.existed and again.source.tags == ("mx", "security")


async def test_subscribe_discovers_the_feed_of_a_page(store: Store, server: LoopbackServer) -> None:
    server.static(
        "/", (FEED_FIXTURES / "page_with_feed.html").read_bytes(), "text/html; charset=utf-8"
    )
    server.static("/feed.xml", RSS)
    sub = await subscribe(store, server.url("/"), FAST)
    assert sub.chosen is not None and sub.chosen.url == server.url("/feed.xml")
    assert len(sub.candidates) == 3
    assert sub.source.url == server.url("/feed.xml")
    assert sub.result is not None and sub.result.new == 3


async def test_subscribe_to_a_page_without_feeds_fails_clearly(
    store: Store, server: LoopbackServer
) -> None:
    server.static("/", (FEED_FIXTURES / "page_without_feed.html").read_bytes(), "text/html")
    server.reply("/gone", 410)
    with pytest.raises(SubscribeError, match="an HTML page, not a feed and links to no feed"):
        await subscribe(store, server.url("/"), FAST)
    with pytest.raises(SubscribeError, match="HTTP 410"):
        await subscribe(store, server.url("/gone"), FAST)
    with pytest.raises(SubscribeError, match="not an http"):
        await subscribe(store, "ftp://example.org/feed", FAST)
    assert store.sources() == []


# -- full article text ---------------------------------------------------------------------------

ARTICLE = (
    "<html><head><title>Acuerdo</title></head><body><nav>Inicio | Mundo</nav><article>"
    "<h1>Rubio y De la Fuente acuerdan grupo de seguridad</h1>"
    + "".join(
        f"<p>Párrafo {i}. Los cancilleres acordaron crear un grupo de implementación que se "
        f"reunirá en febrero para revisar el tráfico de armas y de fentanilo.</p>"
        for i in range(1, 9)
    )
    + "</article><footer>© Diario</footer></body></html>"
).encode()


def _short_feed(base: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Short</title>'
        f"<item><title>Acuerdo</title><link>{base}/article</link><guid>s1</guid>"
        "<description>Resumen de dos líneas.</description></item>"
        f"<item><title>Sin artículo</title><link>{base}/missing</link><guid>s2</guid>"
        "<description>Otro resumen.</description></item></channel></rss>"
    ).encode()


def test_full_text_per_feed_option_and_summary_kept_on_failure(
    store: Store, server: LoopbackServer
) -> None:
    server.static("/short", _short_feed(server.url("")), etag='"s"')
    server.static("/article", ARTICLE, "text/html; charset=utf-8")
    source = store.add_source(server.url("/short"), options={"full_text": True})
    [result] = refresh_sync(store, [source], FAST)
    assert (result.status, result.new, result.full_text) == ("ok", 2, 1)
    assert any("kept their summary" in w for w in result.warnings)
    by_title = {s.title: store.story(s.id) for s in store.list_stories(limit=10)}
    assert "Párrafo 8." in by_title["Acuerdo"].text
    assert by_title["Sin artículo"].text == "Otro resumen."
    # The next refresh of the unchanged feed does not revert the article to the summary.
    store.update_source(source.id, etag=None)
    [again] = refresh_sync(store, [store.source(source.id)], FAST)
    assert (again.status, again.unchanged, again.updated) == ("ok", 2, 0)
    assert "Párrafo 8." in store.story(by_title["Acuerdo"].id).text


def test_full_text_flag_on_a_304_uses_the_stored_stories(
    store: Store, server: LoopbackServer
) -> None:
    server.static("/short", _short_feed(server.url("")), etag='"e"')
    server.static("/article", ARTICLE, "text/html; charset=utf-8")
    source = store.add_source(server.url("/short"))
    [first] = refresh_sync(store, [source], FAST)
    assert (first.new, first.full_text) == (2, 0)
    [second] = refresh_sync(store, [store.source(source.id)], FAST, full_text=True)
    assert (second.status, second.parsed, second.full_text) == ("not_modified", False, 1)
    acuerdo = next(s for s in store.list_stories(limit=10) if s.title == "Acuerdo")
    assert "Párrafo 8." in store.story(acuerdo.id).text


def test_fetch_full_text_flag_and_single_story(store: Store, server: LoopbackServer) -> None:
    server.static("/short", _short_feed(server.url("")))
    server.static("/article", ARTICLE, "text/html; charset=utf-8")
    source = store.add_source(server.url("/short"))
    [plain] = refresh_sync(store, [source], FAST)
    assert plain.full_text == 0
    [with_flag] = refresh_sync(store, [store.source(source.id)], FAST, full_text=True)
    assert with_flag.full_text == 1
    missing = next(s for s in store.list_stories(limit=10) if s.title == "Sin artículo")
    result = fetch_full_text(store, missing.id, FAST)
    assert not result.ok and result.error.startswith("HTTP 404")
    assert store.story(missing.id).text == "Otro resumen."
    server.static("/missing", ARTICLE, "text/html")
    result = fetch_full_text(store, missing.id, FAST)
    assert result.ok and result.chars > 500
    assert "Párrafo 1." in store.story(missing.id).text


# -- OPML --------------------------------------------------------------------------------------


def test_opml_round_trip(store: Store, tmp_path: Path) -> None:
    store.add_source("https://a.example.org/rss", title="A & B", tags=["México", "security"])
    store.add_source("https://b.example.org/atom", title="", tags=[])
    store.add_source("https://c.example.org/feed", title="C", tags=["security"])
    store.add_source(str(tmp_path), kind="file", title="local")
    text = export_opml(store)
    other = Store.open(tmp_path / "other.db")
    report = import_opml(other, text.encode())
    assert (report.added, report.existing) == (3, 0)

    def shape(s: Store) -> list[tuple[str, str, tuple[str, ...]]]:
        return sorted((x.url, x.title, x.tags) for x in s.sources() if x.kind == "feed")

    assert shape(other) == shape(store)
    assert import_opml(other, text.encode()).existing == 3
    other.close()


@pytest.mark.skipif(not (CORPUS / "opml").is_dir(), reason="shared corpus not available")
@pytest.mark.parametrize(
    ("name", "count", "some_tag"),
    [
        ("antennapod_podcasts.opml", 8, None),
        ("flym_backup.opml", 11, "comics"),
        ("netnewswire_subs.opml", 207, "Writers"),
        ("netnewswire_subs_no_title_attrs.opml", 207, "Programming"),
        ("plenary_programming.opml", 49, None),  # not well-formed: recovered
        ("rssguard_nested.opml", 30, "Amis"),
    ],
)
def test_corpus_opml_imports(store: Store, name: str, count: int, some_tag: str | None) -> None:
    report = import_opml(store, (CORPUS / "opml" / name).read_bytes())
    assert report.added == count == len(store.sources())
    assert all(s.title for s in store.sources())
    if some_tag:
        assert any(some_tag in s.tags for s in store.sources())


# -- the shared corpus served over HTTP ------------------------------------------------------------

real_feeds = (
    sorted((CORPUS / "feeds" / "real").iterdir()) if (CORPUS / "feeds" / "real").is_dir() else []
)


@pytest.mark.skipif(not real_feeds, reason="shared corpus not available")
def test_every_real_corpus_feed_over_http(store: Store, server: LoopbackServer) -> None:
    expected: dict[str, int] = {}
    for path in real_feeds:
        server.static(f"/{path.name}", path.read_bytes(), "application/xml", etag=f'"{path.name}"')
        expected[server.url(f"/{path.name}")] = len(feedparser.parse(path.read_bytes()).entries)
    config = RefreshConfig(concurrency=16, per_host=16, max_bytes=10_000_000)
    results = run(store, list(expected), config)
    for result in results:
        assert result.status == "ok", (result.url, result.error)
        assert result.new + result.updated + result.unchanged == expected[result.url], result.url
    for story in store.list_stories(limit=100_000):
        assert story.title or store.story(story.id).text
    again = run(store, list(expected), config)
    assert all(r.status == "not_modified" and not r.parsed for r in again)


@pytest.mark.skipif(
    not (CORPUS / "feeds" / "broken").is_dir(), reason="shared corpus not available"
)
def test_broken_corpus_feeds_over_http_fail_one_by_one(
    store: Store, server: LoopbackServer
) -> None:
    broken = sorted((CORPUS / "feeds" / "broken").iterdir())
    for path in broken:
        server.static(f"/{path.name}", path.read_bytes(), "application/xml")
    server.static("/good", RSS)
    urls = [server.url(f"/{p.name}") for p in broken] + [server.url("/good")]
    results = run(store, urls, RefreshConfig(max_bytes=10_000_000))
    assert results[-1].status == "ok" and results[-1].new == 3
    for result in results[:-1]:
        assert result.status in ("ok", "error")
        assert result.error or result.warnings or result.new, result.url
        assert "\n" not in result.error
    by_name = {r.url.rsplit("/", 1)[1]: r for r in results}
    assert by_name["notafeed.html"].error == "an HTML page, not a feed"
    assert by_name["dailytelegraph_empty_response.xml"].error == "empty response, not a feed"
    assert by_name["nshipster_gzipped_body.xml.gz"].new == 25


# -- the command line ------------------------------------------------------------------------------


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )


def test_cli_add_fetch_and_opml(server: LoopbackServer, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    server.static("/", (FEED_FIXTURES / "page_with_feed.html").read_bytes(), "text/html")
    server.static("/feed.xml", RSS, etag='"1"')
    server.reply("/gone", 410)
    added = cli("add", server.url("/"), "--tag", "mx", db=db)
    assert added.returncode == 0, added.stderr
    assert f"chose its RSS feed Portada <{server.url('/feed.xml')}>" in added.stdout
    assert "3 new" in added.stdout
    page = cli("add", server.url("/gone"), db=db)
    assert page.returncode == 1
    assert (
        page.stderr.strip()
        == f"newsdesk: error: {server.url('/gone')}: HTTP 410 Gone (the feed was removed by its publisher)"
    )
    fetched = cli("fetch", db=db)
    assert fetched.returncode == 0, fetched.stderr
    assert "not modified" in fetched.stdout and "1 source(s)" in fetched.stdout
    out = tmp_path / "subs.opml"
    assert cli("opml", "export", "-o", str(out), db=db).returncode == 0
    db2 = tmp_path / "other.db"
    imported = cli("opml", "import", str(out), db=db2)
    assert imported.returncode == 0 and "1 added" in imported.stdout
    listed = cli("fetch", "1", db=db2)
    assert listed.returncode == 0 and "3 new" in listed.stdout
    missing = cli("fetch", "42", db=db2)
    assert missing.returncode == 1 and "no source with id 42" in missing.stderr
    bad_opml = tmp_path / "bad.opml"
    bad_opml.write_text("<html>no</html>")
    failed = cli("opml", "import", str(bad_opml), db=db2)
    assert failed.returncode == 1 and "not an OPML file" in failed.stderr


def test_a_dead_parser_worker_never_stops_a_refresh(store: Store, server: LoopbackServer) -> None:
    import signal

    from tui.sources import parse_pool

    pool = parse_pool.parser_pool(parse_pool.POOL_MIN_SOURCES)
    if pool is None:
        pytest.skip("one CPU: refreshes parse in threads, no worker processes")
    pool.warm.result(timeout=30)
    for pid in list(pool.executor._processes):  # the workers, as the OS would kill them
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    paths = [f"/f{i}" for i in range(parse_pool.POOL_MIN_SOURCES)]
    for i, path in enumerate(paths):
        server.static(
            path,
            RSS.replace(b"mesa-1", f"mesa-{i}".encode()).replace(
                b"/2026/01/08/", f"/{i}/".encode()
            ),
        )
    results = run(store, [server.url(p) for p in paths])
    assert [r.status for r in results] == ["ok"] * len(paths)
    assert parse_pool.parser_pool(parse_pool.POOL_MIN_SOURCES) is not pool  # replaced


def test_many_feeds_stored_in_shared_commits_deduplicate_across_feeds(
    store: Store, server: LoopbackServer
) -> None:
    """Feeds finishing together are written in one transaction (``Store.ingest_many``):
    a story that several feeds carry is still one story listing every feed, and
    each feed's status (ETag) is stored with its stories."""
    count = 16  # past the parser pool's threshold, so feeds arrive in bursts
    paths = [f"/many{i}" for i in range(count)]
    for i, path in enumerate(paths):
        body = (
            RSS.replace(b"mesa-1", f"mesa-{i}".encode())
            .replace(b"/2026/01/08/", f"/{i}/".encode())
            .replace(b"en febrero.", f"el día {i + 1}.".encode())
        )
        server.static(path, body, etag=f'"e{i}"')
    results = run(store, [server.url(p) for p in paths])
    assert [r.status for r in results] == ["ok"] * count
    # Items 2 and 3 have the same links in every feed: one story each, 16 + 2 in all.
    assert sum(r.new for r in results) == count + 2
    assert sum(r.unchanged for r in results) == 2 * count - 2
    assert store.count_stories() == count + 2
    [shared] = [s for s in store.list_stories() if s.url.endswith("/2026/01/09/second")]
    assert len(store.story_source_labels(shared.id)) == count
    assert sorted(s.etag or "" for s in store.sources()) == sorted(f'"e{i}"' for i in range(count))
    again = run(store, [server.url(p) for p in paths])
    assert [r.status for r in again] == ["not_modified"] * count


def test_feed_transactions_start_at_most_once_per_group_commit_interval(
    store: Store, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Feeds finishing close together share a commit (``fetch.GROUP_COMMIT`` apart at least),
    and every feed is still stored."""
    from tui.sources import fetch

    starts: list[float] = []
    real = Store.ingest_many

    def timed(self: Store, feeds: list[object]) -> object:
        starts.append(time.monotonic())
        return real(self, feeds)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "ingest_many", timed)
    count = 16
    paths = [f"/group{i}" for i in range(count)]
    for i, path in enumerate(paths):
        body = (
            RSS.replace(b"mesa-1", f"mesa-{i}".encode())
            .replace(b"/2026/01/08/", f"/{i}/".encode())
            .replace(b"en febrero.", f"el día {i + 1}.".encode())
        )
        server.static(path, body)
    results = run(store, [server.url(p) for p in paths])
    assert [r.status for r in results] == ["ok"] * count
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert starts and all(gap >= fetch.GROUP_COMMIT * 0.9 for gap in gaps), gaps
    assert store.count_stories() == count + 2  # items 2 and 3 are the same in every feed
