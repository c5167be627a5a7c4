"""The feed fetch engine: one shared ``httpx.AsyncClient``, bounded, polite, resumable.

Used headless by ``newsdesk fetch`` and by the desk from a background worker.
The entry points are ``refresh`` (async) and ``refresh_sync`` (blocking, for
worker threads); both return one ``SourceResult`` per source and report each
as it finishes through an optional ``progress`` callback.

Politeness and robustness, per source:

* global and per-host concurrency limits (``[refresh] concurrency``/``per_host``);
* connect/read timeouts from httpx and a total deadline per request;
* at most 5 redirects, followed by hand so a loop is named as one and a
  chain of permanent redirects (301/308) moves the stored URL;
* conditional GET from the stored ETag/Last-Modified: a 304 is not parsed;
* ``Retry-After`` on 429/503 skips the source until then;
* a body cap (``max_bytes``) applied to the decoded bytes, so a gzip bomb stops too;
* a failure in one source is recorded on that source (one-line ``last_error``,
  consecutive ``failures``) and never stops the others.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import datetime as dt
import email.utils
import functools
import multiprocessing
import os
import re
import ssl
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from tui import __version__
from tui.config import Config, FeedConfig, RefreshConfig
from tui.sources.clean import clean_line
from tui.sources.discovery import choose_feed, discover_feeds
from tui.sources.encoding import BinaryContentError, decode_bytes
from tui.sources.feeds import NotAFeedError, ParsedFeed, language_code, parse_feed
from tui.sources.fulltext import FullTextResult, extract_article, needs_full_text
from tui.store import NotFoundError, Source, Store, StoryFilter, utc_iso

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
_CHARSET_RE = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)

Status = Literal["ok", "not_modified", "skipped", "error"]


class FetchError(Exception):
    """A request that failed; ``str()`` is one readable line."""

    def __init__(self, message: str, *, retry_after: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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


@dataclass(slots=True)
class SourceResult:
    """What refreshing one source did.

    ``status``: ``ok`` (fetched and parsed), ``not_modified`` (304, not parsed),
    ``skipped`` (waiting out a Retry-After) or ``error``. ``error`` is one line;
    ``warnings`` hold problems that did not stop the source (a malformed feed
    whose entries were kept, full text that could not be extracted).
    """

    source_id: int
    label: str
    url: str
    status: Status
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    moved_to: str | None = None
    retry_after: str | None = None
    story_ids: list[int] = field(default_factory=list)
    full_text: int = 0
    parsed: bool = False
    seconds: float = 0.0


ProgressCallback = Callable[[SourceResult, int, int], None]


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
    """The one HTTP client a refresh shares: timeouts, pool size, User-Agent, gzip/deflate."""
    settings = settings or RefreshConfig()
    return httpx.AsyncClient(
        verify=_tls_context(),
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


def _http_error(response: httpx.Response) -> str:
    reason = response.reason_phrase or ""
    message = f"HTTP {response.status_code} {reason}".strip()
    if response.status_code == 410:
        message += " (the feed was removed by its publisher)"
    elif response.status_code == 404:
        message += " (check the feed URL)"
    return message


def _describe_exception(exc: BaseException, settings: RefreshConfig) -> str:
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
        raise FetchError(_describe_exception(exc, settings)) from exc


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
                target = urljoin(current, response.headers["location"].strip())
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
                raise FetchError(message, retry_after=when)
            if status >= 400 or status < 200:
                raise FetchError(_http_error(response))
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > settings.max_bytes:
                raise FetchError(
                    f"response too large ({int(declared)} bytes; limit {settings.max_bytes}), aborted"
                )
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > settings.max_bytes:
                    raise FetchError(
                        f"response larger than the {settings.max_bytes}-byte limit, aborted"
                    )
            return Fetched(
                url=current,
                status=status,
                body=bytes(body),
                content_type=response.headers.get("content-type", ""),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                moved_to=moved,
            )
        finally:
            await response.aclose()
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


class _Limiter:
    """Global and per-host concurrency slots (per-host taken first, so waiting on a
    busy host never holds a global slot)."""

    def __init__(self, settings: RefreshConfig) -> None:
        self._global = asyncio.Semaphore(settings.concurrency)
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(settings.per_host)
        )

    def host(self, url: str) -> asyncio.Semaphore:
        return self._hosts[(urlsplit(url).hostname or "").lower()]

    @property
    def all(self) -> asyncio.Semaphore:
        return self._global


@dataclass(slots=True)
class _Run:
    store: Store
    client: httpx.AsyncClient
    settings: RefreshConfig
    feeds: dict[str, FeedConfig]
    limiter: _Limiter
    full_text: bool
    force: bool
    sources: int = 0
    pool: _ParserPool | None = None
    pending: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    local: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))

    def defer(self, source_id: int, fields: dict[str, object]) -> None:
        """Queue a status-only update; ``flush`` writes them all in one transaction."""
        self.pending.append((source_id, fields))

    async def flush(self) -> None:
        pending, self.pending = self.pending, []
        if pending:
            await asyncio.to_thread(self.store.update_sources, pending)

    async def parse(self, fetched: Fetched) -> ParsedFeed:
        """Parse in the process pool when there is one (parsing is CPU-bound), else a thread.

        While the pool's workers start (a fraction of a second), one feed at a
        time is parsed here so the refresh never sits idle.
        """
        job = functools.partial(
            parse_feed,
            fetched.body,
            fetched.url,
            fetched.content_type,
            max_bytes=self.settings.max_bytes,
        )
        if self.pool is None and self.sources:
            # Created on the first body to parse: a refresh that only gets 304s
            # never starts worker processes.
            self.pool, self.sources = _parser_pool(self.sources), 0
        pool = self.pool
        if pool is not None and (pool.ready or self.local.locked()):
            try:
                await asyncio.wrap_future(pool.warm)
                return await asyncio.get_running_loop().run_in_executor(pool.executor, job)
            except BrokenExecutor:
                _drop_pool()
                self.pool = None
        async with self.local:
            return await asyncio.to_thread(job)


# Parsing 200 feeds takes seconds of CPU in feedparser; with the GIL, threads
# cannot share it out, so large refreshes parse in worker processes. The pool
# is created on first need and kept for the life of the program (the desk
# refreshes again and again). "forkserver" because the desk has threads; the
# fork server imports the parser once, so workers start warm.
POOL_MIN_SOURCES = 12


class _ParserPool:
    def __init__(self, workers: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            context.set_forkserver_preload(["tui.sources.feeds"])
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        warm_ups = [self.executor.submit(language_code, "en") for _ in range(workers)]
        self.warm: concurrent.futures.Future[str] = warm_ups[-1]

    @property
    def ready(self) -> bool:
        return self.warm.done()


_pool: _ParserPool | None = None
_pool_lock = threading.Lock()


def _parser_pool(sources: int) -> _ParserPool | None:
    global _pool
    cpus = os.cpu_count() or 1
    if sources < POOL_MIN_SOURCES or cpus < 2:
        return None
    with _pool_lock:
        if _pool is None:
            _pool = _ParserPool(min(cpus, 4))
            atexit.register(_drop_pool)
        return _pool


def _drop_pool() -> None:
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.executor.shutdown(wait=False, cancel_futures=True)


def resolve_sources(store: Store, refs: Iterable[str]) -> list[Source]:
    """Sources named by id or URL (``newsdesk fetch 3 https://...``); ``NotFoundError`` if not."""
    found: list[Source] = []
    for ref in refs:
        if ref.isdigit():
            found.append(store.source(int(ref)))
            continue
        source = store.source_by_url(ref) or store.source_by_url(ref.rstrip("/"))
        if source is None:
            raise NotFoundError(f"no source with id or URL {ref}")
        found.append(source)
    return found


async def refresh(
    store: Store,
    sources: Sequence[Source] | None = None,
    config: Config | RefreshConfig | None = None,
    *,
    full_text: bool = False,
    force: bool = False,
    progress: ProgressCallback | None = None,
    client: httpx.AsyncClient | None = None,
) -> list[SourceResult]:
    """Refresh feed sources concurrently and store their stories.

    ``sources``: the sources to refresh (default: every ``feed`` source in the
    store; ``file`` sources are ignored). ``config``: the app ``Config`` (its
    ``[refresh]`` limits, and per-feed ``full_text``) or just a ``RefreshConfig``.
    ``full_text``: fetch the linked article for every short story (as
    ``fetch --full-text``); feeds with ``full_text = true`` (in the config or
    in the source's options) get it for new and edited stories regardless.
    ``force``: ignore a pending Retry-After.
    ``progress(result, done, total)`` is called on the event loop's thread as
    each source finishes; a desk worker running ``refresh_sync`` in a thread
    must hop to the UI thread itself (``App.call_from_thread``).

    Never raises for a source's failure: each becomes a ``SourceResult`` with
    ``status="error"`` and is recorded on the source (``last_error``,
    ``failures``). Results come back in the order of ``sources``.
    """
    settings, feeds = settings_of(config)
    targets = [s for s in (store.sources() if sources is None else sources) if s.kind == "feed"]
    own_client = client is None
    http = client or make_client(settings)
    run = _Run(store, http, settings, feeds, _Limiter(settings), full_text, force, len(targets))
    done = 0

    async def one(source: Source) -> SourceResult:
        nonlocal done
        started = asyncio.get_running_loop().time()
        try:
            result = await _refresh_source(run, source)
        except Exception as exc:  # a bug must not take the other sources down
            result = SourceResult(
                source.id,
                source.label,
                source.url,
                "error",
                error=_describe_exception(exc, settings),
            )
            _record_failure(run, source, result.error, None)
        result.seconds = asyncio.get_running_loop().time() - started
        done += 1
        if progress is not None:
            progress(result, done, len(targets))
        return result

    try:
        return list(await asyncio.gather(*(one(s) for s in targets)))
    finally:
        await run.flush()
        if own_client:
            await http.aclose()


def refresh_sync(
    store: Store,
    sources: Sequence[Source] | None = None,
    config: Config | RefreshConfig | None = None,
    *,
    full_text: bool = False,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> list[SourceResult]:
    """``refresh`` for callers without an event loop (CLI, desk worker threads). Blocks."""
    return asyncio.run(
        refresh(store, sources, config, full_text=full_text, force=force, progress=progress)
    )


def _record_failure(
    run: _Run, source: Source, message: str, retry_after: dt.datetime | None
) -> None:
    run.defer(
        source.id,
        {
            "last_fetch": utc_iso(),
            "last_error": message,
            "failures": source.failures + 1,
            "retry_after": utc_iso(retry_after) if retry_after else None,
        },
    )


def _not_a_feed_message(exc: NotAFeedError, fetched: Fetched) -> str:
    message = str(exc)
    if "HTML" in message:
        try:
            links = discover_feeds(decode_bytes(fetched.body[:1_000_000]), fetched.url)
        except BinaryContentError:
            links = []
        chosen = choose_feed(links)
        if chosen is not None:
            message += f"; the page links to a feed: {chosen.url} (newsdesk add it)"
    return message


async def _refresh_source(run: _Run, source: Source) -> SourceResult:
    settings = run.settings
    result = SourceResult(source.id, source.label, source.url, "ok")
    now = utc_iso()
    if source.retry_after and source.retry_after > now and not run.force:
        result.status = "skipped"
        result.retry_after = source.retry_after
        result.error = f"skipped until {source.retry_after[11:16]} UTC (server asked to wait)"
        return result
    try:
        async with run.limiter.host(source.url), run.limiter.all:
            fetched = await fetch_url(
                run.client,
                source.url,
                settings,
                etag=source.etag,
                last_modified=source.last_modified,
            )
    except FetchError as exc:
        result.status = "error"
        result.error = str(exc)
        if exc.retry_after is not None:
            result.retry_after = utc_iso(exc.retry_after)
        _record_failure(run, source, result.error, exc.retry_after)
        return result
    return await _ingest(run, source, fetched, result, now)


async def ingest(
    store: Store,
    source: Source,
    fetched: Fetched,
    config: Config | RefreshConfig | None = None,
    *,
    client: httpx.AsyncClient,
    full_text: bool = False,
) -> SourceResult:
    """Store a response already fetched for ``source`` exactly as ``refresh`` would.

    ``newsdesk add`` uses it so that subscribing costs one request, not two.
    """
    settings, feeds = settings_of(config)
    run = _Run(store, client, settings, feeds, _Limiter(settings), full_text, False)
    result = SourceResult(source.id, source.label, source.url, "ok")
    try:
        return await _ingest(run, source, fetched, result, utc_iso())
    finally:
        await run.flush()


async def _ingest(
    run: _Run, source: Source, fetched: Fetched, result: SourceResult, now: str
) -> SourceResult:
    store = run.store
    updates: dict[str, object] = {
        "last_fetch": now,
        "last_success": now,
        "last_error": None,
        "failures": 0,
        "retry_after": None,
    }
    if fetched.moved_to and await _move(run, source, fetched.moved_to, result):
        updates["url"] = fetched.moved_to
    if fetched.not_modified:
        result.status = "not_modified"
        if "url" in updates:  # rare: written now so two moves can never collide in a batch
            await asyncio.to_thread(store.update_sources, [(source.id, updates)])
        else:
            run.defer(source.id, updates)
        if run.full_text:  # asked for explicitly: the stories already stored still qualify
            stored_stories = await asyncio.to_thread(
                store.list_stories, StoryFilter(source_id=source.id), limit=100, with_text=True
            )
            await _fill_full_text(
                run,
                result,
                [(s.id, s.url) for s in stored_stories if s.url and needs_full_text(s.text)],
            )
        return result
    try:
        parsed = await run.parse(fetched)
    except NotAFeedError as exc:
        result.status = "error"
        result.error = _not_a_feed_message(exc, fetched)
        _record_failure(run, source, result.error, None)
        return result
    updates["etag"] = fetched.etag
    updates["last_modified"] = fetched.last_modified
    if not source.title and parsed.title:
        updates["title"] = parsed.title
        result.label = parsed.title
    stored = await asyncio.to_thread(
        store.ingest, source.id, parsed.stories, tags=source.tags, status=updates
    )
    result.parsed = True
    result.warnings.extend(parsed.warnings)
    for story_id, status in stored:
        if status == "new":
            result.new += 1
        elif status == "updated":
            result.updated += 1
        else:
            result.unchanged += 1
        if status != "unchanged":
            result.story_ids.append(story_id)
    feed_option = run.feeds.get(source.url)
    wants = bool(source.options.get("full_text")) or bool(feed_option and feed_option.full_text)
    if run.full_text or wants:
        candidates = [
            (story_id, story.url)
            for (story_id, status), story in zip(stored, parsed.stories, strict=True)
            if story.url
            and needs_full_text(story.text)
            and (status != "unchanged" or run.full_text)
        ]
        await _fill_full_text(run, result, candidates)
    return result


async def _move(run: _Run, source: Source, target: str, result: SourceResult) -> bool:
    """Whether a permanent redirect may move the stored URL (and say why not)."""
    if source.url in run.feeds:  # the config file would bring the old URL back
        result.warnings.append(f"moved permanently to {target}; update the URL in the config file")
        return False
    other = await asyncio.to_thread(run.store.source_by_url, target)
    if other is not None and other.id != source.id:
        result.warnings.append(f"moved permanently to {target}, already a source")
        return False
    result.moved_to = result.url = target
    return True


async def _fill_full_text(
    run: _Run, result: SourceResult, candidates: list[tuple[int, str]]
) -> None:
    outcomes = await asyncio.gather(
        *(_full_text_for(run, story_id, url) for story_id, url in dict(candidates).items())
    )
    result.full_text = sum(1 for o in outcomes if o.ok)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        result.warnings.append(
            f"full text: {len(failed)} of {len(outcomes)} articles kept their summary "
            f"({failed[0].error})"
        )


async def _full_text_for(run: _Run, story_id: int, url: str) -> FullTextResult:
    try:
        async with run.limiter.host(url), run.limiter.all:
            fetched = await fetch_url(run.client, url, run.settings, accept=PAGE_ACCEPT)
    except FetchError as exc:
        return FullTextResult(story_id, ok=False, error=str(exc))
    return await asyncio.to_thread(_keep_article, run.store, story_id, fetched)


def _keep_article(store: Store, story_id: int, fetched: Fetched) -> FullTextResult:
    charset = _CHARSET_RE.search(fetched.content_type)
    try:
        html = decode_bytes(fetched.body, charset.group(1) if charset else None)
    except BinaryContentError:
        return FullTextResult(story_id, ok=False, error="the linked page is not text")
    article = extract_article(html, fetched.url)
    if article is None:
        return FullTextResult(story_id, ok=False, error="no article text found in the page")
    current = store.story(story_id).text
    if len(article.text) <= len(current):
        return FullTextResult(story_id, ok=False, error="the page had no more text than the feed")
    store.set_story_text(story_id, article.text)
    return FullTextResult(story_id, ok=True, chars=len(article.text))


async def fetch_story_full_text(
    store: Store, story_id: int, config: Config | RefreshConfig | None = None
) -> FullTextResult:
    """Fetch and keep the full article of one story (async form of ``fetch_full_text``)."""
    settings, _feeds = settings_of(config)
    story = await asyncio.to_thread(store.story, story_id)
    if not story.url:
        return FullTextResult(story_id, ok=False, error="the story has no link to fetch")
    async with make_client(settings) as client:
        try:
            fetched = await fetch_url(client, story.url, settings, accept=PAGE_ACCEPT)
        except FetchError as exc:
            return FullTextResult(story_id, ok=False, error=str(exc))
    return await asyncio.to_thread(_keep_article, store, story_id, fetched)
