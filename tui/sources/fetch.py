"""The feed refresh engine: many sources at once, bounded and polite, one result each.

Used headless by ``newsdesk fetch`` and by the desk from a background worker.
The entry points are ``refresh`` (async) and ``refresh_sync`` (blocking, for
worker threads); both return one ``SourceResult`` per source and report each
as it finishes through an optional ``progress`` callback.

Per refresh: one shared ``httpx.AsyncClient``; global and per-host
concurrency limits (``[refresh] concurrency``/``per_host``); requests as in
``download.fetch_url`` (timeouts, redirects, conditional GET, Retry-After,
body cap); parsing in worker processes when there are many feeds. Per source:
a 304 is not parsed, a permanent redirect moves the stored URL, a pending
Retry-After skips it, and a failure is recorded on it (one-line
``last_error``, consecutive ``failures``) without stopping the others. Each
fetched feed is stored with its status in one transaction; status-only
updates (304s, errors) are written together at the end.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

import httpx

from tui.config import Config, FeedConfig, RefreshConfig
from tui.sources.discovery import choose_feed, discover_feeds
from tui.sources.download import (
    FEED_ACCEPT,
    PAGE_ACCEPT,
    USER_AGENT,
    Fetched,
    FetchError,
    describe_exception,
    fetch_url,
    make_client,
    parse_retry_after,
    settings_of,
)
from tui.sources.encoding import BinaryContentError, decode_bytes
from tui.sources.feeds import NotAFeedError, ParsedFeed, parse_feed
from tui.sources.fulltext import FullTextResult, keep_article, needs_full_text
from tui.sources.hostlimit import HostLimit
from tui.sources.parse_pool import ParserPool, drop_pool, parser_pool
from tui.store import (
    NotFoundError,
    Source,
    Store,
    StoryFilter,
    StoryIn,
    utc_iso,
)
from tui.store.models import UpsertStatus

__all__ = [
    "FEED_ACCEPT",
    "PAGE_ACCEPT",
    "USER_AGENT",
    "FetchError",
    "Fetched",
    "ProgressCallback",
    "SourceResult",
    "fetch_url",
    "ingest",
    "make_client",
    "parse_retry_after",
    "refresh",
    "refresh_sync",
    "resolve_sources",
    "settings_of",
]

Status = Literal["ok", "not_modified", "skipped", "error"]


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
    pending_move: str | None = None
    retry_after: str | None = None
    story_ids: list[int] = field(default_factory=list)
    full_text: int = 0
    parsed: bool = False
    seconds: float = 0.0


ProgressCallback = Callable[[SourceResult, int, int], None]
GROUP_COMMIT = 0.05
"""Seconds between the starts of two feed transactions (see ``_Run._write``)."""
_FeedWrite = tuple[int, list[StoryIn], tuple[str, ...], dict[str, object]]


class _Limiter:
    """Global and per-host concurrency slots (per-host taken first, so waiting on a
    busy host never holds a global slot). Each host's width adapts (``HostLimit``)."""

    def __init__(self, settings: RefreshConfig) -> None:
        self._global = asyncio.Semaphore(settings.concurrency)
        slow = max(1.0, settings.read_timeout / 2)
        self._hosts: defaultdict[str, HostLimit] = defaultdict(
            lambda: HostLimit(settings.per_host, settings.per_host, slow)
        )

    def host(self, url: str) -> HostLimit:
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
    pool: ParserPool | None = None
    pending: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    local: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))
    writes: list[tuple[_FeedWrite, asyncio.Future[list[tuple[int, UpsertStatus]]]]] = field(
        default_factory=list
    )
    writer: asyncio.Task[None] | None = None
    deadline: float | None = None  # loop time after which no new request starts
    pool_start: asyncio.Future[ParserPool | None] | None = None
    last_commit: float = float("-inf")  # loop time the last feed transaction began

    async def store_feed(
        self, source: Source, stories: list[StoryIn], status: dict[str, object]
    ) -> list[tuple[int, UpsertStatus]]:
        """Store one parsed feed with its status; feeds parsed meanwhile share the commit.

        Each commit is an fsync and a full-text index flush: while one batch is
        being written, the feeds that finish parsing queue up and go in the next
        transaction together (each still all or nothing, see ``Store.ingest_many``).
        """
        future: asyncio.Future[list[tuple[int, UpsertStatus]]] = (
            asyncio.get_running_loop().create_future()
        )
        self.writes.append(((source.id, stories, source.tags, status), future))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        """Write queued feeds, a transaction at a time, at most one commit per ``GROUP_COMMIT``.

        Early in a refresh feeds arrive one by one and each became its own
        transaction (an fsync and a full-text index segment each). Waiting out
        the rest of the interval after a commit lets the feeds that finish
        meanwhile share the next one (200 feeds: 7-9 commits instead of ~17,
        ~0.1 s sooner); the last feed of a refresh waits at most that long.
        """
        loop = asyncio.get_running_loop()
        while self.writes:
            batch: list[tuple[_FeedWrite, asyncio.Future[list[tuple[int, UpsertStatus]]]]] = []
            try:
                pause = self.last_commit + GROUP_COMMIT - loop.time()
                if pause > 0:
                    await asyncio.sleep(pause)
                batch, self.writes = self.writes, []
                self.last_commit = loop.time()
                outcomes = await asyncio.to_thread(
                    self.store.ingest_many, [feed for feed, _future in batch]
                )
            except Exception as exc:  # the transaction itself failed: every feed in it did
                outcomes = [exc] * len(batch)
            except BaseException:  # cancelled: nobody may wait for ever on these feeds
                batch, self.writes = batch + self.writes, []
                for _feed, future in batch:
                    future.cancel()
                raise
            for (_feed, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():  # its refresh was cancelled
                    continue
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    def defer(self, source_id: int, fields: dict[str, object]) -> None:
        """Queue a status-only update; ``flush`` writes them all in one transaction."""
        self.pending.append((source_id, fields))

    async def flush(self) -> None:
        pending, self.pending = self.pending, []
        if pending:
            await asyncio.to_thread(self.store.update_sources, pending)

    async def parse(self, fetched: Fetched) -> ParsedFeed:
        """Parse in the process pool when there is one (parsing is CPU-bound), else a thread.

        The pool is asked for on the first body to parse (a refresh that only
        gets 304s never starts worker processes), in a thread: starting the fork
        server and the workers blocks for a few hundred milliseconds, during which
        the event loop keeps downloading. Until the workers are up, one feed at
        a time is parsed here so the refresh never sits idle.
        """
        job = functools.partial(
            parse_feed,
            fetched.body,
            fetched.url,
            fetched.content_type,
            max_bytes=self.settings.max_bytes,
        )
        if self.pool_start is None and self.sources:
            self.pool_start = asyncio.ensure_future(asyncio.to_thread(_start_pool, self.sources))
        starting = self.pool_start
        if self.pool is None and starting is not None and (starting.done() or self.local.locked()):
            self.pool = await starting
        pool = self.pool
        if pool is not None and (pool.ready or self.local.locked()):
            try:
                await asyncio.wrap_future(pool.warm)
                return await asyncio.get_running_loop().run_in_executor(pool.executor, job)
            except BrokenExecutor:
                drop_pool()
                self.pool = self.pool_start = None
                self.sources = 0  # the rest of this refresh parses here
        async with self.local:
            return await asyncio.to_thread(job)


def _start_pool(sources: int) -> ParserPool | None:
    """The shared parser pool (``None``: parse here), never an exception: a pool that cannot
    start (no processes left) must not fail the feeds, which parse in this process instead."""
    try:
        return parser_pool(sources)
    except Exception:
        return None


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
    run.deadline = asyncio.get_running_loop().time() + settings.deadline
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
                error=describe_exception(exc, settings),
            )
            _record_failure(run, source, result.error, None)
        result.seconds = asyncio.get_running_loop().time() - started
        done += 1
        if progress is not None:
            progress(result, done, len(targets))
        return result

    # One fetch per feed across processes: a source another desk or the team
    # fetcher is fetching right now is skipped, not fetched twice.
    with store.claim_sources([s.id for s in targets]) as claimed:
        mine = [s for s in targets if s.id in claimed]
        try:
            fetched = iter(await asyncio.gather(*(one(s) for s in mine)))
        finally:
            await run.flush()
            if own_client:
                await http.aclose()
    return [
        next(fetched)
        if s.id in claimed
        else SourceResult(
            s.id, s.label, s.url, "skipped", warnings=["being fetched by another process"]
        )
        for s in targets
    ]


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
    host = run.limiter.host(source.url)
    try:
        async with asyncio.timeout_at(run.deadline):
            async with host.slot(), run.limiter.all:
                started = asyncio.get_running_loop().time()
                fetched = await fetch_url(
                    run.client,
                    source.url,
                    settings,
                    etag=source.etag,
                    last_modified=source.last_modified,
                )
                host.answered(asyncio.get_running_loop().time() - started)
    except FetchError as exc:
        if exc.status in (429, 503):
            host.overloaded()
        result.status = "error"
        result.error = str(exc)
        if exc.retry_after is not None:
            result.retry_after = utc_iso(exc.retry_after)
        _record_failure(run, source, result.error, exc.retry_after)
        return result
    except TimeoutError:  # the whole refresh ran out of time, not this source's fault
        result.status = "error"
        result.error = f"not fetched: the refresh deadline ({settings.deadline:g} s) was reached"
        run.defer(source.id, {"last_fetch": utc_iso(), "last_error": result.error})
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
    stored = await run.store_feed(source, parsed.stories, updates)
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
    """Whether a permanent redirect may move the stored URL (and say why not).

    A move within the same host (a new path, http to https) is followed. A move
    to another host or port is not applied silently: whoever controls the old
    address could hand the subscription to anyone. It is reported and kept as
    pending in the source's options until the user accepts it
    (``newsdesk fetch --accept-moves``).
    """
    if not same_site(source.url, target):
        result.pending_move = target
        result.warnings.append(
            f"moved permanently to another host: {target} (not followed; "
            f"accept with `newsdesk fetch --accept-moves {source.id}`)"
        )
        if source.options.get("moved_to") != target:
            await asyncio.to_thread(
                run.store.add_source, source.url, kind=source.kind, options={"moved_to": target}
            )
        return False
    if source.url in run.feeds:  # the config file would bring the old URL back
        result.warnings.append(f"moved permanently to {target}; update the URL in the config file")
        return False
    other = await asyncio.to_thread(run.store.source_by_url, target)
    if other is not None and other.id != source.id:
        result.warnings.append(f"moved permanently to {target}, already a source")
        return False
    result.moved_to = result.url = target
    return True


_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_site(old: str, new: str) -> bool:
    """Same host and port (http → https on the default ports counts as the same)."""
    a, b = urlsplit(old), urlsplit(new)
    if (a.hostname or "").lower() != (b.hostname or "").lower():
        return False
    try:
        port_a = a.port or _DEFAULT_PORTS.get(a.scheme.lower())
        port_b = b.port or _DEFAULT_PORTS.get(b.scheme.lower())
    except ValueError:
        return False
    if port_a == port_b:
        return True
    return {port_a, port_b} == {80, 443} and a.port is None and b.port is None


def accept_moves(
    store: Store, sources: Sequence[Source] | None = None
) -> list[tuple[Source, str, str]]:
    """Apply the pending permanent moves (to another host) the user accepts.

    Returns (source, target, "" or why not) for each source that had one.
    """
    out: list[tuple[Source, str, str]] = []
    for source in store.sources() if sources is None else sources:
        target = source.options.get("moved_to")
        if not isinstance(target, str) or not target:
            continue
        other = store.source_by_url(target)
        why = f"{target} is already source {other.id}" if other and other.id != source.id else ""
        if not why:
            store.update_source(source.id, url=target)
        store.add_source(
            target if not why else source.url, kind=source.kind, options={"moved_to": None}
        )
        out.append((source, target, why))
    return out


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
        async with asyncio.timeout_at(run.deadline), run.limiter.host(url).slot(), run.limiter.all:
            fetched = await fetch_url(run.client, url, run.settings, accept=PAGE_ACCEPT)
    except FetchError as exc:
        return FullTextResult(story_id, ok=False, error=str(exc))
    except TimeoutError:
        return FullTextResult(story_id, ok=False, error="the refresh deadline was reached")
    return await asyncio.to_thread(keep_article, run.store, story_id, fetched)
