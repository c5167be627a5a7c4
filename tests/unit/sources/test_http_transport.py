"""The asyncio HTTP/1.1 transport under httpx: framing, keep-alive, timeouts, closed sockets.

A raw asyncio server on 127.0.0.1 answers with exactly the bytes each test
wants, and counts the connections it accepted.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from tui.config import RefreshConfig
from tui.sources.download import FetchError, fetch_url, make_client
from tui.sources.transport import AsyncioTransport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, bytes], Awaitable[bool]]


def _no_tls() -> ssl.SSLContext:
    raise AssertionError("plain HTTP must never build a TLS context")


class RawServer:
    """Reads request heads; ``handler(reader, writer, head)`` answers, True to keep the socket."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections = 0
        self.requests: list[bytes] = []
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> RawServer:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.requests.append(head)
                if not await self.handler(reader, writer, head):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def _client(**kw: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=AsyncioTransport(ssl_context=_no_tls, **kw),  # type: ignore[arg-type]
        timeout=httpx.Timeout(2.0),
    )


async def _ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes) -> bool:
    body = b"hello " + head.split(b" ")[1]
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    return True


def test_requests_to_one_host_share_one_kept_alive_connection() -> None:
    async def main() -> None:
        async with RawServer(_ok) as server, _client() as client:
            bodies = [(await client.get(server.url(f"/{i}"))).content for i in range(5)]
            assert bodies == [f"hello /{i}".encode() for i in range(5)]
            assert server.connections == 1
            assert all(b"\r\nhost: 127.0.0.1:" in r.lower() for r in server.requests)

    asyncio.run(main())


def test_chunked_and_close_delimited_bodies_and_304s() -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes
    ) -> bool:
        path = head.split(b" ")[1]
        if path == b"/chunked":
            writer.write(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            )
        elif path == b"/extra":  # more bytes than Content-Length says
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokXYZ")
        elif path == b"/304":
            writer.write(b'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n')
        else:  # HTTP/1.0 style: the body ends when the server closes
            writer.write(b"HTTP/1.0 200 OK\r\n\r\nuntil close")
            await writer.drain()
            return False
        await writer.drain()
        return True

    async def main() -> None:
        settings = RefreshConfig()
        async with RawServer(handler) as server, _client() as client:
            assert (await client.get(server.url("/chunked"))).content == b"hello world"
            fetched = await fetch_url(client, server.url("/304"), settings, etag='"x"')
            assert fetched.not_modified
            # the 304 had no body to read: its connection was kept for the next request
            assert (await client.get(server.url("/chunked"))).content == b"hello world"
            assert server.connections == 1
            assert (await client.get(server.url("/close"))).content == b"until close"
            assert (await client.get(server.url("/chunked"))).content == b"hello world"
            assert server.connections == 2  # the close-delimited answer used its connection up
            await asyncio.sleep(0.05)  # (the stray bytes arrive with the answer, not after it)
            assert (await client.get(server.url("/extra"))).content == b"ok"
            assert (await client.get(server.url("/chunked"))).content == b"hello world"
            assert server.connections == 3  # stray bytes after an answer: not reused

    asyncio.run(main())


def test_an_idle_connection_the_server_dropped_is_replaced_without_an_error() -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes
    ) -> bool:
        await _ok(reader, writer, head)
        return False  # answers keep-alive, then closes: the client learns it only later

    async def main() -> None:
        async with RawServer(handler) as server, _client() as client:
            for i in range(3):
                assert (await client.get(server.url(f"/{i}"))).content == f"hello /{i}".encode()
            assert server.connections == 3

    asyncio.run(main())


def test_a_server_that_closes_mid_answer_or_stalls_is_a_readable_error() -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes
    ) -> bool:
        if b"/cut" in head:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part")
            await writer.drain()
            return False
        if b"/garbage" in head:
            writer.write(b"NOT HTTP AT ALL\r\n\r\n")
            await writer.drain()
            return False
        await asyncio.sleep(5)  # /stall: never answers in time
        return False

    async def main() -> None:
        settings = RefreshConfig(read_timeout=0.3, total_timeout=5)
        async with RawServer(handler) as server, make_client(settings) as client:
            with pytest.raises(FetchError) as cut:
                await fetch_url(client, server.url("/cut"), settings)
            assert "RemoteProtocolError" in str(cut.value)
            with pytest.raises(FetchError) as garbage:
                await fetch_url(client, server.url("/garbage"), settings)
            assert "RemoteProtocolError" in str(garbage.value)
            with pytest.raises(FetchError) as stalled:
                await fetch_url(client, server.url("/stall"), settings)
            assert str(stalled.value) == "server stopped sending (read timeout 0.3 s)"

    asyncio.run(main())


def test_connection_refused_and_the_connection_limit() -> None:
    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes) -> bool:
        await asyncio.sleep(0.2)
        return await _ok(reader, writer, head)

    async def main() -> None:
        async with RawServer(slow) as server:
            port = server.port
            async with _client(max_connections=2, max_keepalive=2) as client:
                started = asyncio.get_running_loop().time()
                answers = await asyncio.gather(*(client.get(server.url(f"/{i}")) for i in range(4)))
                took = asyncio.get_running_loop().time() - started
                assert [a.status_code for a in answers] == [200] * 4
                assert server.connections == 2 and took >= 0.35  # two at a time, two rounds
        async with _client() as client:  # the server is gone: nothing listens on its port
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{port}/")

    asyncio.run(main())


def test_make_client_keeps_httpx_transport_when_a_proxy_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def transports() -> tuple[object, object]:
        monkeypatch.delenv("http_proxy", raising=False)
        monkeypatch.delenv("HTTP_PROXY", raising=False)
        monkeypatch.delenv("https_proxy", raising=False)
        monkeypatch.delenv("HTTPS_PROXY", raising=False)
        monkeypatch.delenv("all_proxy", raising=False)
        monkeypatch.delenv("ALL_PROXY", raising=False)
        async with make_client() as direct:
            plain = direct._transport
        monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
        async with make_client() as proxied:
            via_proxy = proxied._mounts
        return plain, via_proxy

    plain, mounts = asyncio.run(transports())
    assert isinstance(plain, AsyncioTransport)
    assert mounts and not any(isinstance(t, AsyncioTransport) for t in mounts.values())  # type: ignore[attr-defined]


def test_https_with_a_trusted_certificate_and_refused_with_an_unknown_one(tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    built: list[int] = []

    def context() -> ssl.SSLContext:
        built.append(1)
        return trusting

    async def main() -> None:
        server = await asyncio.start_server(
            lambda r, w: _serve_once(r, w), "127.0.0.1", 0, ssl=server_tls
        )
        port = server.sockets[0].getsockname()[1]
        try:
            transport = AsyncioTransport(ssl_context=context)
            async with httpx.AsyncClient(transport=transport) as client:
                answer = await client.get(f"https://127.0.0.1:{port}/secure")
                assert (answer.status_code, answer.content) == (200, b"hello /secure")
            strict = AsyncioTransport(ssl_context=ssl.create_default_context)
            async with httpx.AsyncClient(transport=strict) as client:
                with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                    await client.get(f"https://127.0.0.1:{port}/secure")
        finally:
            server.close()

    async def _serve_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            await _ok(reader, writer, head)
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    asyncio.run(main())
    assert built  # the context was asked for when the https request needed it
