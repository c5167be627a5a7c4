"""Reliability, items 5, 9, 11 and 13 of issue 15, and what held (XML attacks, single gzip bombs).

Real HTTP servers on 127.0.0.1 started by each test; every refresh is bounded by
short timeouts so nothing here takes more than a few seconds.
"""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.support.http_server import LoopbackServer, rss, send, serve
from tests.support.processes import cli, terminal_safe
from tui.config import ConfigError, RefreshConfig, load_config
from tui.sources.fetch import accept_moves, refresh_sync, same_site
from tui.sources.hostlimit import HostLimit
from tui.store import Store, StoryFilter

FAST = RefreshConfig(
    concurrency=8, per_host=8, connect_timeout=2.0, read_timeout=2.0, total_timeout=4.0,
    max_bytes=200_000,
)  # fmt: skip
FEED = rss("Feed", [("https://e.org/1", "https://e.org/1", "One", "Text one.")])


def _refresh(store: Store, urls: list[str], config: RefreshConfig = FAST) -> list:  # type: ignore[type-arg]
    sources = [store.add_source(url, kind="feed") for url in urls]
    return refresh_sync(store, sources, config)


# -- item 5: the body cap holds on decoded bytes; stacked encodings are refused -------------------


def test_stacked_gzip_is_refused_before_it_expands(store: Store, server: LoopbackServer) -> None:
    inner = gzip.compress(b"\0" * 64_000_000, compresslevel=9)
    bomb = gzip.compress(inner, compresslevel=9)
    assert len(bomb) < 100_000
    server.feed("/bomb", bomb, {"Content-Encoding": "gzip, gzip"})
    started = time.monotonic()
    (result,) = _refresh(store, [server.url("/bomb")])
    assert result.status == "error"
    assert "stacked Content-Encoding (gzip, gzip) refused" in result.error
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "x-gzip"])
def test_a_single_level_bomb_stops_at_the_cap(
    store: Store, server: LoopbackServer, encoding: str
) -> None:
    raw = b"<rss>" + b" " * 50_000_000
    body = zlib.compress(raw, 9) if encoding == "deflate" else gzip.compress(raw, 9)
    server.feed("/bomb", body, {"Content-Encoding": encoding})
    (result,) = _refresh(store, [server.url("/bomb")])
    assert result.status == "error"
    assert "larger than the 200000-byte limit" in result.error


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate", "identity"])
def test_honest_compressed_feeds_still_parse(
    store: Store, server: LoopbackServer, encoding: str
) -> None:
    if encoding == "raw-deflate":
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        body, header = packer.compress(FEED) + packer.flush(), "deflate"
    else:
        body = {"gzip": gzip.compress, "deflate": zlib.compress}.get(encoding, bytes)(FEED)
        header = encoding
    server.feed("/f", body, {"Content-Encoding": header})
    (result,) = _refresh(store, [server.url("/f")])
    assert result.status == "ok" and result.new == 1, result.error


def test_unknown_and_corrupt_encodings_are_one_line_errors(
    store: Store, server: LoopbackServer
) -> None:
    server.feed("/br", FEED, {"Content-Encoding": "br"})
    server.feed("/bad", b"\x1f\x8bnot gzip at all", {"Content-Encoding": "gzip"})
    br, bad = _refresh(store, [server.url("/br"), server.url("/bad")])
    assert "unsupported Content-Encoding 'br'" in br.error
    assert bad.error == "the compressed response body is corrupt"


# -- what held: XML attacks -------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title>
<item><guid>https://e.org/x</guid><title>&xxe;</title><description>d &xxe;</description></item>
</channel></rss>"""

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><rss version="2.0"><channel><title>t</title><item><guid>https://e.org/l</guid>'
    b"<title>&lol9;</title><description>x</description></item></channel></rss>"
)


def test_xxe_and_billion_laughs_are_inert(store: Store, server: LoopbackServer) -> None:
    server.feed("/xxe", XXE)
    server.feed("/laughs", LAUGHS)
    started = time.monotonic()
    _refresh(store, [server.url("/xxe"), server.url("/laughs")])
    assert time.monotonic() - started < 10
    stories = store.list_stories(StoryFilter(), limit=10, with_text=True)
    for story in stories:
        assert "root:" not in story.title + story.text
        assert len(story.title) + len(story.text) < 10_000


# -- item 11: redirects -------------------------------------------------------------------------------


def test_a_permanent_move_to_another_port_is_reported_and_kept_pending(
    store: Store, server: LoopbackServer
) -> None:
    with serve() as other:  # a second server on another port
        other.feed("/feed", FEED)
        old = server.url("/feed")
        server.routes["/feed"] = lambda h: send(h, 301, b"", {"Location": other.url("/feed")})
        (result,) = _refresh(store, [old])
        assert result.status == "ok" and result.new == 1  # this fetch follows it
        assert result.moved_to is None and result.pending_move == other.url("/feed")
        assert any("moved permanently to another host" in w for w in result.warnings)
        source = store.source(result.source_id)
        assert source.url == old  # not rewritten silently
        assert source.options["moved_to"] == other.url("/feed")
        moved = accept_moves(store)
        assert [(s.id, target, why) for s, target, why in moved] == [
            (source.id, other.url("/feed"), "")
        ]
        assert store.source(source.id).url == other.url("/feed")
        assert "moved_to" not in store.source(source.id).options


def test_same_site_rule() -> None:
    assert same_site("http://e.org/a", "https://e.org/b")
    assert same_site("https://E.org/a", "https://e.org:443/b")
    assert not same_site("http://e.org/a", "http://e.org:8080/a")
    assert not same_site("https://e.org/a", "https://evil.org/a")
    assert not same_site("https://e.org/a", "https://e.org.evil.org/a")


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/x", "data:,x"]
)
def test_never_follow_a_redirect_to_another_scheme(
    store: Store, server: LoopbackServer, location: str
) -> None:
    server.routes["/r"] = lambda h: send(h, 301, b"", {"Location": location})
    (result,) = _refresh(store, [server.url("/r")])
    assert result.status == "error"
    # httpx itself refuses to build some of these (an invalid URL for it): either way, refused.
    assert (
        "redirect to a non-http(s) URL refused" in result.error
        or "not a valid http(s) URL" in result.error
    )
    assert store.source(result.source_id).url == server.url("/r")


def test_c1_controls_in_a_redirect_target_never_reach_the_summary(
    tmp_path: Path, server: LoopbackServer
) -> None:
    def redirect(h: BaseHTTPRequestHandler) -> None:
        h.send_response(301)
        # Header bytes are Latin-1: 0x9b is the 8-bit CSI, ESC ] is OSC.
        h.wfile.write(b"Location: http://127.0.0.2:1/\x9b2J\x1b]0;x\x07/feed\r\n")
        h.send_header("Content-Length", "0")
        h.end_headers()

    server.routes["/r"] = redirect
    db = tmp_path / "d.db"
    with Store.open(db) as store:
        store.add_source(server.url("/r"), kind="feed")
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\nconnect_timeout = 1.0\ntotal_timeout = 3.0\n")
    done = cli("fetch", db=db, config=config)
    assert terminal_safe(done.stdout.replace("\n", " ")), repr(done.stdout)
    assert terminal_safe(done.stderr.replace("\n", " ")), repr(done.stderr)


# -- item 13: overall deadline and adaptive per-host width -----------------------------------------


def test_a_refresh_has_an_overall_deadline(store: Store, server: LoopbackServer) -> None:
    def stall(h: BaseHTTPRequestHandler) -> None:
        server.stop.wait(8)  # sends nothing

    server.routes["/stall"] = stall
    server.feed("/ok", FEED)
    config = RefreshConfig(
        concurrency=4,
        per_host=4,
        connect_timeout=2,
        read_timeout=30,
        total_timeout=30,
        deadline=1.0,
    )
    started = time.monotonic()
    stalled, ok = _refresh(store, [server.url("/stall"), server.url("/ok")], config)
    assert time.monotonic() - started < 4
    assert ok.status == "ok"
    assert stalled.status == "error" and "refresh deadline (1 s) was reached" in stalled.error
    assert store.source(stalled.source_id).failures == 0  # not the feed's fault


def test_hosts_start_wide_by_default(store: Store, server: LoopbackServer) -> None:
    def slow(h: BaseHTTPRequestHandler) -> None:
        time.sleep(0.2)
        send(h, 200, FEED, {"Content-Type": "application/rss+xml"})

    for i in range(12):
        server.routes[f"/s{i}"] = slow
    config = RefreshConfig(connect_timeout=2.0, read_timeout=5.0, total_timeout=10.0)
    results = _refresh(store, [server.url(f"/s{i}") for i in range(12)], config)
    assert all(r.status == "ok" for r in results)
    assert 2 < server.peak <= config.per_host == 6


async def test_host_width_backs_off_on_overload_and_slowness_and_recovers() -> None:
    limit = HostLimit(6, 6, slow_seconds=1.0)
    assert limit.width == 6
    limit.overloaded()
    assert limit.width == 3
    limit.overloaded()
    limit.overloaded()
    limit.overloaded()
    assert limit.width == 1  # never below one
    limit.answered(0.1)
    limit.answered(0.1)
    assert limit.width == 2
    limit.answered(5.0)
    assert limit.width == 1
    for _ in range(60):
        limit.answered(0.1)
    assert limit.width == 6  # never above per_host


async def test_host_slots_are_never_exceeded_nor_lost_on_cancel() -> None:
    limit = HostLimit(2, 2, slow_seconds=1.0)
    peak = active = 0

    async def job(pause: float) -> None:
        nonlocal peak, active
        async with limit.slot():
            active += 1
            peak = max(peak, active)
            await asyncio.sleep(pause)
            active -= 1

    waiting = [asyncio.create_task(job(0.01)) for _ in range(10)]
    await asyncio.sleep(0)
    waiting[5].cancel()
    await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 5)
    assert peak == 2 and limit.active == 0


async def test_429_narrows_the_host_during_a_refresh(store: Store, server: LoopbackServer) -> None:
    server.routes["/busy"] = lambda h: send(h, 429, b"", {"Retry-After": "1"})
    for i in range(3):
        server.feed(f"/f{i}", FEED)
    urls = [server.url("/busy"), *(server.url(f"/f{i}") for i in range(3))]
    config = RefreshConfig(per_host=4, connect_timeout=2, read_timeout=2, total_timeout=4)
    results = await asyncio.to_thread(_refresh, store, urls, config)
    assert results[0].status == "error" and "HTTP 429" in results[0].error


# -- item 9: config values that crashed or disabled ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('theme = "oops[/]"\n', ":1: theme: 'oops[/]' is not a theme name"),
        ('theme = "a\\u001b]0;x\\u0007"\n', ":1: theme:"),
        ("[refresh]\nread_timeout = nan\n", ":2: refresh.read_timeout: must be a finite number"),
        ("[refresh]\ntotal_timeout = inf\n", ":2: refresh.total_timeout: must be a finite number"),
        ("[refresh]\ndeadline = -inf\n", ":2: refresh.deadline: must be a finite number"),
        ("[refresh]\nmax_bytes = 99999999999999\n", ":2: refresh.max_bytes: is too large"),
        ("[refresh]\nconnect_timeout = 1e9\n", ":2: refresh.connect_timeout: is too large"),
        ('[[feeds]]\nurl = "file:///etc/passwd"\n', ":2: feeds[0].url: 'file:///etc/passwd' is not an http(s) URL"),
        ('[[feeds]]\nurl = "javascript:alert(1)"\n', "is not an http(s) URL"),
        ('[[feeds]]\nurl = "https://"\n', "has no host"),
        ('[[feeds]]\nurl = "http://e.org:99999/"\n', "is not a valid URL"),
        ('[[feeds]]\nurl = "https://e.org/f"\nrefresh_minutes = 10000000000000\n', "is too large"),
    ],
)  # fmt: skip
def test_every_config_value_is_validated(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert expected in message and "\n" not in message


def test_config_check_reports_nan_as_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\nread_timeout = nan\n")
    done = cli("config", "check", db=tmp_path / "d.db", config=config)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "must be a finite number, not nan" in done.stderr


# -- what held: escape and markup payloads in feed text -------------------------------------------


def test_escape_payloads_in_feed_text_never_reach_output(
    tmp_path: Path, server: LoopbackServer
) -> None:
    payloads = [
        "\x1b]0;pwned\x07", "\x1b]52;c;cm0gLXJmIH4=\x07", "\x1b[2J", "\x9b31m", "\x9d0;x\x9c",
        "a\u200db", "\u202eevil", "[bold red]markup[/]", "[link=file:///etc/passwd]x[/link]",
    ]  # fmt: skip
    from xml.sax.saxutils import escape

    items = [
        (f"https://e.org/{i}", f"https://e.org/{i}", escape(f"Title {i} {p}"),
         escape(f"<p>Body {p} text</p>"))
        for i, p in enumerate(payloads)
    ]  # fmt: skip
    body = rss("Feed \x1b]0;t\x07", items).replace(b"\x1b", b"&#27;")  # XML 1.0 forbids raw ESC
    server.feed("/f", body)
    db = tmp_path / "d.db"
    with Store.open(db) as store:
        store.add_source(server.url("/f"), kind="feed")
    fetched = cli("fetch", db=db)
    assert fetched.returncode == 0, fetched.stderr
    listed = cli("list", "--limit", "50", db=db)
    shown = cli("show", *[str(i) for i in range(1, len(payloads) + 1)], db=db)
    for done in (fetched, listed, shown):
        assert terminal_safe(done.stdout.replace("\n", " ")), repr(done.stdout)
        assert terminal_safe(done.stderr.replace("\n", " ")), repr(done.stderr)
    assert "[bold red]markup[/]" in listed.stdout  # shown as text, never as markup
