"""An httpx transport straight on asyncio: HTTP/1.1 with h11, keep-alive, no anyio layer.

A refresh is hundreds of small GETs on one event loop, and the loop's time per
request is what stretches a refresh past its network floor: every batch of
answers waits while the loop handles the previous one. httpx's default stack
(httpcore over anyio) spent ~2 ms of CPU per request, much of it in cancel
scopes, async-library sniffing and a pool that probes every idle socket with
two system calls whenever a request is assigned. This transport keeps httpx's
``Client`` API, ``Request`` and ``Response`` (redirects, limits and the body cap
stay in ``download``) and does the connection work itself:

* h11 parses and frames the messages (the same parser httpcore uses);
* connections are asyncio protocols, kept alive per origin (scheme, host,
  port) for ``keepalive_expiry`` seconds, at most ``max_keepalive`` idle and
  ``max_connections`` open in all (the oldest idle one is closed to make room);
* the connect, read, write and pool timeouts of each request
  (``request.extensions["timeout"]``) raise the same httpx exceptions as
  httpcore's, so messages and retries upstream are unchanged;
* a request on a reused connection that the server had meanwhile closed is
  sent once more on a new connection (only then, and only for GET/HEAD);
* TLS uses the context given (built on first use: most refreshes of a
  loopback benchmark or plain-HTTP feeds never need the CA bundle).

Proxies configured in the environment are not handled here:
``download.make_client`` keeps httpx's default transport when there are any.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import socket
import ssl
import time
from collections.abc import AsyncIterator, Callable

import h11
import httpx

_READ_SIZE = 1 << 16
_HIGH_WATER = 1 << 20  # pause the socket when this much is buffered unread
_DEFAULT_PORTS = {b"http": 80, b"https": 443}
_IDEMPOTENT = frozenset({b"GET", b"HEAD"})

Origin = tuple[bytes, str, int]


class _Connection(asyncio.Protocol):
    """One socket: bytes in a queue, a future to wait on, h11 state for the exchange."""

    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        self.transport: asyncio.Transport | None = None
        self.chunks: collections.deque[bytes] = collections.deque()
        self.buffered = 0
        self.paused = False
        self.closed = False
        self.error: BaseException | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.h11 = h11.Connection(h11.CLIENT)
        self.expires = 0.0
        self.used = False  # carried a request before (so the server may have dropped it idle)

    # -- asyncio.Protocol -----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered > _HIGH_WATER and not self.paused and self.transport is not None:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False  # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = exc
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # -- used by the transport ------------------------------------------------------------------

    async def read(self, timeout: float | None) -> bytes:
        """The bytes received so far (waiting up to ``timeout`` for some); b"" at end of stream."""
        if not self.chunks and not self.closed:
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await self.waiter
            except TimeoutError:
                raise httpx.ReadTimeout("timed out reading the response") from None
            finally:
                self.waiter = None
        if not self.chunks:
            if self.error is not None:
                raise httpx.ReadError(str(self.error) or type(self.error).__name__)
            return b""
        data = self.chunks.popleft() if len(self.chunks) == 1 else b"".join(self.chunks)
        self.chunks.clear()
        self.buffered = 0
        if self.paused and self.transport is not None:
            self.paused = False
            self.transport.resume_reading()
        return data

    def write(self, data: bytes) -> None:
        if self.transport is None or self.transport.is_closing():
            raise httpx.WriteError("the connection is closed")
        self.transport.write(data)

    def reusable(self, now: float) -> bool:
        """Idle, not expired, and the server has neither closed it nor sent anything unasked."""
        return (
            not self.closed
            and not self.chunks
            and now < self.expires
            and self.transport is not None
            and not self.transport.is_closing()
        )

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class _Body(httpx.AsyncByteStream):
    """A response body read as it arrives; the connection goes back to the pool at its end."""

    def __init__(self, pool: AsyncioTransport, conn: _Connection, timeout: float | None) -> None:
        self._pool = pool
        self._conn = conn
        self._timeout = timeout
        self._done = False
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self._conn
        while not self._done:
            event = await _next_event(conn, self._timeout)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                self._done = True

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self._done:  # a 304 (or any empty body) is complete without being read
            try:
                self._done = isinstance(self._conn.h11.next_event(), h11.EndOfMessage)
            except h11.RemoteProtocolError:
                self._done = False
        self._pool.release(self._conn, reuse=self._done)


async def _next_event(conn: _Connection, timeout: float | None) -> h11.Event:
    while True:
        try:
            event = conn.h11.next_event()
        except h11.RemoteProtocolError as exc:
            raise httpx.RemoteProtocolError(str(exc)) from exc
        if event is h11.NEED_DATA:
            data = await conn.read(timeout)
            if not data and conn.h11.their_state is h11.SEND_RESPONSE:
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
            try:
                conn.h11.receive_data(data)
            except h11.RemoteProtocolError as exc:
                raise httpx.RemoteProtocolError(str(exc)) from exc
            continue
        if event is h11.PAUSED:  # cannot happen for a client mid-response; be safe
            raise httpx.RemoteProtocolError("unexpected pause in the response")
        assert isinstance(event, h11.Event)
        return event


class _Retry(Exception):
    """A reused connection turned out to be closed before any answer: try a new one."""


class AsyncioTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio for ``httpx.AsyncClient(transport=...)`` (see the module doc)."""

    def __init__(
        self,
        *,
        ssl_context: Callable[[], ssl.SSLContext],
        max_connections: int = 100,
        max_keepalive: int = 20,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self._ssl_context = ssl_context
        self._max_connections = max(1, max_connections)
        self._max_keepalive = max(0, max_keepalive)
        self._keepalive_expiry = keepalive_expiry
        self._slots: asyncio.Semaphore | None = None
        self._idle: dict[Origin, list[_Connection]] = {}
        self._idle_order: collections.OrderedDict[_Connection, None] = collections.OrderedDict()
        self._open: set[_Connection] = set()
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout", {})
        url = request.url
        scheme = url.raw_scheme
        if scheme not in _DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(f"Request URL has an unsupported protocol '{url}'.")
        if not url.host:
            raise httpx.UnsupportedProtocol(f"Request URL is missing a host: '{url}'.")
        origin: Origin = (scheme, url.raw_host.decode("ascii"), url.port or _DEFAULT_PORTS[scheme])
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._max_connections)
        try:
            async with asyncio.timeout(timeouts.get("pool")):
                await self._slots.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("timed out waiting for a connection") from None
        try:
            try:
                return await self._exchange(request, origin, timeouts, reuse=True)
            except _Retry:
                return await self._exchange(request, origin, timeouts, reuse=False)
        except BaseException:
            self._slots.release()
            raise

    async def _exchange(
        self,
        request: httpx.Request,
        origin: Origin,
        timeouts: dict[str, float | None],
        *,
        reuse: bool,
    ) -> httpx.Response:
        conn = self._take_idle(origin) if reuse else None
        if conn is None:
            conn = await self._connect(origin, timeouts.get("connect"))
        reused = conn.used
        conn.used = True
        try:
            head = h11.Request(
                method=request.method, target=request.url.raw_path, headers=request.headers.raw
            )
            data = conn.h11.send(head) or b""
            async for chunk in request.stream:  # type: ignore[union-attr]
                if chunk:
                    data += conn.h11.send(h11.Data(data=chunk)) or b""
            data += conn.h11.send(h11.EndOfMessage()) or b""
            read_timeout = timeouts.get("read")
            while True:
                try:
                    if data:
                        conn.write(data)
                        data = b""
                    event = await _next_event(conn, read_timeout)
                except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                    # A kept-alive socket the server closed meanwhile fails before any
                    # answer: not this request's fault.
                    if (
                        reused
                        and (conn.closed or conn.transport is None or conn.transport.is_closing())
                        and conn.h11.their_state is h11.SEND_RESPONSE
                        and request.method.encode() in _IDEMPOTENT
                    ):
                        raise _Retry from None
                    raise
                if isinstance(event, h11.Response):
                    break
                if isinstance(event, h11.InformationalResponse):
                    continue
                raise httpx.RemoteProtocolError(f"unexpected {type(event).__name__}")
        except BaseException:
            self._discard(conn)
            raise
        return httpx.Response(
            status_code=event.status_code,
            headers=event.headers.raw_items(),
            stream=_Body(self, conn, read_timeout),
            extensions={
                "http_version": b"HTTP/" + event.http_version,
                "reason_phrase": bytes(event.reason),
            },
            request=request,
        )

    async def _connect(self, origin: Origin, timeout: float | None) -> _Connection:
        scheme, host, port = origin
        self._make_room()
        context = self._ssl_context() if scheme == b"https" else None
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                _transport, conn = await loop.create_connection(
                    lambda: _Connection(origin),
                    host,
                    port,
                    ssl=context,
                    server_hostname=host if context is not None else None,
                    happy_eyeballs_delay=0.25,
                )
        except TimeoutError:
            raise httpx.ConnectTimeout("timed out connecting") from None
        except (OSError, ssl.SSLError, ValueError) as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        self._open.add(conn)
        return conn

    def _take_idle(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            conn = idle.pop()
            self._idle_order.pop(conn, None)
            if conn.reusable(now):
                return conn
            self._discard(conn)
        return None

    def _make_room(self) -> None:
        """Close the oldest idle connections while the open ones are at the limit."""
        while len(self._open) >= self._max_connections and self._idle_order:
            oldest, _ = self._idle_order.popitem(last=False)
            self._idle.get(oldest.origin, []).remove(oldest)
            self._discard(oldest)

    def _discard(self, conn: _Connection) -> None:
        self._open.discard(conn)
        conn.close()

    def release(self, conn: _Connection, *, reuse: bool) -> None:
        """A response is finished with: keep its connection for the next request, or close it."""
        if self._slots is not None:
            self._slots.release()
        state = conn.h11
        if (
            reuse
            and not self._closed
            and self._max_keepalive
            and state.our_state is h11.DONE
            and state.their_state is h11.DONE
            and not conn.closed
            and not state.trailing_data[0]  # bytes past the end of the answer: not HTTP we trust
        ):
            state.start_next_cycle()
            conn.expires = time.monotonic() + self._keepalive_expiry
            self._idle.setdefault(conn.origin, []).append(conn)
            self._idle_order[conn] = None
            while len(self._idle_order) > self._max_keepalive:
                oldest, _ = self._idle_order.popitem(last=False)
                self._idle[oldest.origin].remove(oldest)
                self._discard(oldest)
            return
        self._discard(conn)

    async def aclose(self) -> None:
        self._closed = True
        for conn in list(self._open):
            conn.close()
        self._open.clear()
        self._idle.clear()
        self._idle_order.clear()
