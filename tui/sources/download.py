"""One HTTP GET done carefully: the network half of fetching feeds and articles.

* connect/read timeouts from httpx and a total deadline per request;
* at most 5 redirects, followed by hand so a loop is named as one, and a
  chain of permanent redirects (301/308) reported as the resource's new URL;
* conditional GET from an ETag/Last-Modified: a 304 comes back without a body;
* ``Retry-After`` on 429/503 turned into a moment to wait until;
* a body cap (``max_bytes``) on the decoded bytes, enforced while inflating
  (never after), so a gzip bomb stops at the cap; stacked encodings
  (``Content-Encoding: gzip, gzip``) are refused, not decoded;
* every failure as ``FetchError`` with one readable line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import ssl
import urllib.request
import zlib
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

import httpx

from tui import __version__
from tui.config import Config, FeedConfig, RefreshConfig
from tui.sources.clean import clean_line
from tui.sources.transport import AsyncioTransport

USER_AGENT = f"newsdesk/{__version__} (+https://github.com/newsdesk)"
MAX_REDIRECTS = 5
DEFAULT_RETRY_AFTER = dt.timedelta(minutes=10)
MAX_RETRY_AFTER = dt.timedelta(days=1)
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})


class FetchError(Exception):
    """A request that failed; ``str()`` is one readable line."""

    def __init__(
        self, message: str, *, retry_after: dt.datetime | None = None, status: int = 0
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response body (or a 304) after redirects."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server said nothing changed since our ETag/Last-Modified."""
        return self.status == 304


def settings_of(
    config: Config | RefreshConfig | None,
) -> tuple[RefreshConfig, dict[str, FeedConfig]]:
    if isinstance(config, Config):
        return config.refresh, {feed.url: feed for feed in config.feeds}
    return config or RefreshConfig(), {}


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Loading the CA bundle costs ~50 ms: once per process, not once per refresh."""
    return ssl.create_default_context()


def make_client(settings: RefreshConfig | None = None) -> httpx.AsyncClient:
    """The one HTTP client a refresh shares: timeouts, pool size, User-Agent, gzip/deflate.

    Requests go through ``transport.AsyncioTransport`` (HTTP/1.1 on asyncio, a
    fraction of the default stack's CPU per request), except when the environment
    names a proxy: httpx's own transport handles those as before.
    """
    settings = settings or RefreshConfig()
    proxied = _env_proxies()
    transport = (
        None
        if proxied
        else AsyncioTransport(
            ssl_context=_tls_context,
            max_connections=settings.concurrency,
            max_keepalive=settings.concurrency,
        )
    )
    return httpx.AsyncClient(
        verify=_tls_context() if proxied else True,
        transport=transport,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": FEED_ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        },
        timeout=httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.total_timeout,
        ),
        limits=httpx.Limits(
            max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
        ),
        follow_redirects=False,
    )


def _env_proxies() -> bool:
    """Whether ``*_proxy`` environment variables would route some request through a proxy."""
    return any(key in ("http", "https", "all") for key in urllib.request.getproxies())


def parse_retry_after(value: str | None, now: dt.datetime) -> dt.datetime | None:
    """``Retry-After`` as a moment: delay-seconds or an HTTP date; capped at one day."""
    if not value:
        return None
    value = value.strip()
    when: dt.datetime | None
    if value.isdigit():
        when = now + dt.timedelta(seconds=int(value))
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
    return min(max(when, now), now + MAX_RETRY_AFTER)


def redirect_target(current: str, location: str) -> str:
    """Where a ``Location`` header points, made absolute; only http(s) is followed.

    Header bytes reach us as Latin-1, so a hostile server can send C1 controls
    (U+009B is a CSI) that would end up in the fetch summary: anything outside
    printable ASCII is percent-encoded first, as a browser would send it.
    """
    location = quote(location.strip(), safe="!#$%&'()*+,-./:;=?@[]~_")
    target = urljoin(current, location)
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"redirect to a non-http(s) URL refused: {target[:200]}")
    return target


def _http_error(response: httpx.Response) -> str:
    reason = response.reason_phrase or ""
    message = f"HTTP {response.status_code} {reason}".strip()
    if response.status_code == 410:
        message += " (the feed was removed by its publisher)"
    elif response.status_code == 404:
        message += " (check the feed URL)"
    return message


def describe_exception(exc: BaseException, settings: RefreshConfig) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connection timed out after {settings.connect_timeout:g} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"server stopped sending (read timeout {settings.read_timeout:g} s)"
    if isinstance(exc, httpx.PoolTimeout | TimeoutError):
        return f"timed out after {settings.total_timeout:g} s in total"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {clean_line(str(exc)) or type(exc).__name__}"
    if isinstance(exc, httpx.DecodingError):
        return "the compressed response body is corrupt"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return f"not a valid http(s) URL: {clean_line(str(exc))}"
    if isinstance(exc, httpx.HTTPError):
        return f"{type(exc).__name__}: {clean_line(str(exc))}"
    return f"{type(exc).__name__}: {clean_line(str(exc))}"


async def fetch_url(
    client: httpx.AsyncClient,
    url: str,
    settings: RefreshConfig,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = FEED_ACCEPT,
) -> Fetched:
    """GET ``url`` following at most 5 redirects, within the total deadline and body cap.

    Raises ``FetchError`` with one readable line (and ``retry_after`` for 429/503).
    """
    try:
        async with asyncio.timeout(settings.total_timeout):
            return await _fetch(client, url, settings, etag, last_modified, accept)
    except FetchError:
        raise
    except (httpx.HTTPError, TimeoutError, OSError, ValueError) as exc:
        raise FetchError(describe_exception(exc, settings)) from exc


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    settings: RefreshConfig,
    etag: str | None,
    last_modified: str | None,
    accept: str,
) -> Fetched:
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen = [url]
    current = url
    permanent = True
    for _hop in range(MAX_REDIRECTS + 1):
        request = client.build_request("GET", current, headers=headers)
        response = await client.send(request, stream=True)
        try:
            status = response.status_code
            if status in _REDIRECTS and "location" in response.headers:
                target = redirect_target(current, response.headers["location"])
                permanent = permanent and status in _PERMANENT
                if target in seen:
                    raise FetchError(f"redirect loop: {current} → {target}")
                seen.append(target)
                current = target
                continue
            moved = current if permanent and current != url else None
            if status == 304:
                return Fetched(url=current, status=304, moved_to=moved)
            if status in (429, 503):
                now = dt.datetime.now(dt.UTC)
                when = parse_retry_after(response.headers.get("retry-after"), now)
                if when is None and status == 429:
                    when = now + DEFAULT_RETRY_AFTER
                message = _http_error(response)
                if when is not None:
                    message += f"; server asks to wait until {when:%H:%M} UTC"
                raise FetchError(message, retry_after=when, status=status)
            if status >= 400 or status < 200:
                raise FetchError(_http_error(response))
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > settings.max_bytes:
                raise FetchError(
                    f"response too large ({int(declared)} bytes; limit {settings.max_bytes}), aborted"
                )
            body = await _read_body(response, settings.max_bytes)
            return Fetched(
                url=current,
                status=status,
                body=body,
                content_type=response.headers.get("content-type", ""),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                moved_to=moved,
            )
        finally:
            await response.aclose()
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


_TOO_BIG = "response larger than the {limit}-byte limit, aborted"


class _Inflater:
    """Incremental gzip/deflate decoding that never produces more than it is allowed to.

    httpx decodes a whole network chunk at once; with ``gzip, gzip`` a 7 KB
    chunk becomes gigabytes before any cap can be checked. Here every call is
    given the room left under the cap (``max_length``), so memory stays bounded
    by the cap whatever the compression ratio.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._raw_deflate = False
        self._started = False
        self._z = zlib.decompressobj(zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``; stop once more than ``room`` bytes came out (the caller aborts)."""
        out = bytearray()
        while data and len(out) <= room:
            try:
                out += self._z.decompress(data, room + 1 - len(out))
            except zlib.error:
                if self.encoding == "deflate" and not self._started and not self._raw_deflate:
                    # Some servers send raw deflate without the zlib wrapper (as httpx allows).
                    self._raw_deflate = True
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise
            self._started = True
            data = self._z.unconsumed_tail
        return bytes(out)


def _content_encoding(response: httpx.Response) -> str | None:
    """The one content coding of the body (``None``: identity); stacked codings are refused."""
    header = response.headers.get("content-encoding", "")
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1:
        raise FetchError(
            f"stacked Content-Encoding ({', '.join(codings)}) refused: only one level is accepted"
        )
    if not codings:
        return None
    coding = str({"x-gzip": "gzip"}.get(codings[0], codings[0]))
    if coding not in ("gzip", "deflate"):
        raise FetchError(f"unsupported Content-Encoding {clean_line(coding)!r}")
    return coding


async def _read_body(response: httpx.Response, limit: int) -> bytes:
    """The decoded body, aborting as soon as it passes ``limit`` bytes (decoded, not wire)."""
    coding = _content_encoding(response)
    inflater = _Inflater(coding) if coding else None
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            body += inflater.feed(chunk, limit - len(body)) if inflater else chunk
            if len(body) > limit:
                raise FetchError(_TOO_BIG.format(limit=limit))
    except zlib.error as exc:
        raise FetchError("the compressed response body is corrupt") from exc
    return bytes(body)
