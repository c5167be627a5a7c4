"""Benchmark: refresh 200 feeds × 50 items from loopback with 50 ms latency, vs newsboat.

Run on demand (not collected by the test suite)::

    python tests/benchmarks/bench_fetch.py            # prints a table
    python tests/benchmarks/bench_fetch.py --feeds 50 # smaller run

What it does:

* writes 200 RSS 2.0 feeds of 50 items each (≈1 KB of HTML per item) to a
  temporary folder;
* serves them from a separate process (asyncio, HTTP/1.1 keep-alive) on 200
  loopback addresses 127.0.1.1 … so every feed is its own host, as in real
  life, and the per-host limit does not serialise the run; every response
  waits 50 ms first; ETag/Last-Modified are honoured with 304s;
* runs newsdesk's ``refresh`` twice (first and conditional) in a fresh process
  each time, reporting wall time of the refresh, peak RSS of the process and
  how many feeds were parsed;
* does the same with ``newsboat -x reload`` (``reload-threads`` = our
  concurrency, a temporary cache, config and HOME) when newsboat is installed.

Peak memory is the whole process's maximum resident set (``ru_maxrss``):
for newsdesk that includes the Python interpreter and imports.
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import hashlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LATENCY = 0.050


# -- feeds ------------------------------------------------------------------------------------


def write_feeds(folder: Path, feeds: int, items: int) -> list[str]:
    """Write the feed files; return the relative paths served for them."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for f in range(feeds):
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
            f"<title>Bench feed {f}</title><link>https://bench{f}.example.org/</link>",
            "<description>Benchmark feed</description><language>en</language>",
        ]
        for i in range(items):
            when = email.utils.format_datetime(
                email.utils.localtime().replace(year=2026, month=1, day=1 + i % 28), usegmt=False
            )
            paragraphs = "".join(
                f"&lt;p&gt;Paragraph {p} of story {i} in feed {f}: officials from both "
                f"countries met to discuss security cooperation, trade and migration, and "
                f"agreed to meet again next month to review progress.&lt;/p&gt;"
                for p in range(4)
            )
            parts.append(
                f"<item><title>Story {i} of feed {f}: talks continue on security</title>"
                f"<link>https://bench{f}.example.org/story/{i}</link>"
                f'<guid isPermaLink="false">bench-{f}-{i}</guid>'
                f"<pubDate>{when}</pubDate><description>{paragraphs}</description></item>"
            )
        parts.append("</channel></rss>\n")
        name = f"feed{f}.xml"
        (folder / name).write_text("".join(parts), encoding="utf-8")
        names.append(name)
    return names


# -- server (runs in its own process) -----------------------------------------------------------


async def _serve(folder: Path, hosts: list[str], port: int, ready: Path) -> None:
    bodies: dict[str, bytes] = {}
    etags: dict[str, str] = {}
    modified = email.utils.formatdate(usegmt=True)
    for path in folder.iterdir():
        bodies["/" + path.name] = path.read_bytes()
        etags["/" + path.name] = '"' + hashlib.sha1(bodies["/" + path.name]).hexdigest()[:16] + '"'

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                target = lines[0].split(" ")[1]
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        key, value = line.split(":", 1)
                        headers[key.strip().lower()] = value.strip()
                await asyncio.sleep(LATENCY)
                body = bodies.get(target)
                if body is None:
                    status, payload, extra = "404 Not Found", b"not found", ""
                elif headers.get("if-none-match") == etags[target] or (
                    "if-none-match" not in headers and headers.get("if-modified-since") == modified
                ):
                    status, payload, extra = "304 Not Modified", b"", ""
                else:
                    status, payload = "200 OK", body
                    extra = "Content-Type: application/rss+xml; charset=utf-8\r\n"
                response = (
                    f"HTTP/1.1 {status}\r\nETag: {etags.get(target, '')}\r\n"
                    f"Last-Modified: {modified}\r\n{extra}Content-Length: {len(payload)}\r\n\r\n"
                ).encode() + payload
                writer.write(response)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, host=hosts, port=port, backlog=1024)
    ready.write_text("ok")
    async with server:
        await server.serve_forever()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- clients (each run in a fresh process) ---------------------------------------------------------


def run_newsdesk(db: Path, urls_file: Path, concurrency: int) -> dict[str, float]:
    """Refresh every URL once; time only the refresh."""
    sys.path.insert(0, str(REPO))
    from tui.config import RefreshConfig
    from tui.sources.fetch import refresh_sync
    from tui.store import Store

    store = Store.open(db)
    urls = urls_file.read_text().split()
    known = {s.url for s in store.sources()}
    for url in urls:
        if url not in known:
            store.add_source(url)
    config = RefreshConfig(concurrency=concurrency)
    cpu_before = _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    results = refresh_sync(store, None, config)
    wall = time.perf_counter() - started
    errors = [r for r in results if r.status == "error"]
    store.close()
    return {
        "wall": wall,
        "parsed": sum(1 for r in results if r.parsed),
        "not_modified": sum(1 for r in results if r.status == "not_modified"),
        "errors": len(errors),
        "first_error": errors[0].error if errors else "",
        "new": sum(r.new for r in results),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cpu_self": _cpu(resource.RUSAGE_SELF) - cpu_before,
        "cpu_workers": _cpu(resource.RUSAGE_CHILDREN),
        "worker_maxrss_mb": _worker_peak_mb(),
    }


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _worker_peak_mb() -> float:
    """Peak RSS of the parser worker processes (still alive in the pool), from /proc."""
    peak = 0.0
    for child_pid in Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split():
        try:
            status = Path(f"/proc/{child_pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a process; its wall time, its own peak RSS (MB) and stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{args[0]} failed: {err.strip()[-500:]}")
    return wall, usage.ru_maxrss / 1024, out


def newsboat_run(work: Path, urls_file: Path, concurrency: int) -> tuple[float, float]:
    home = work / "nb-home"
    (home / ".newsboat").mkdir(parents=True, exist_ok=True)
    config = work / "nb-config"
    config.write_text(
        f"reload-threads {concurrency}\nshow-read-feeds yes\nsuppress-first-reload no\n"
        "download-timeout 30\nmax-items 0\n"
    )
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg"),
           "XDG_DATA_HOME": str(home / "data"), "TERM": "dumb"}  # fmt: skip
    wall, rss, _out = child(
        ["newsboat", "-x", "reload", "-u", str(urls_file), "-c", str(work / "nb-cache.db"),
         "-C", str(config)],
        env,
    )  # fmt: skip
    return wall, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--serve", nargs=3, metavar=("FOLDER", "PORT", "READY"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--client", nargs=3, metavar=("DB", "URLS", "CONCURRENCY"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        folder, port, ready = args.serve
        hosts = [f"127.0.1.{i + 1}" for i in range(min(args.feeds, 250))]
        asyncio.run(_serve(Path(folder), hosts, int(port), Path(ready)))
        return
    if args.client:
        db, urls, concurrency = args.client
        print(json.dumps(run_newsdesk(Path(db), Path(urls), int(concurrency))))
        return

    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    try:
        names = write_feeds(work / "feeds", args.feeds, args.items)
        port = free_port()
        ready = work / "ready"
        server = subprocess.Popen(
            [sys.executable, __file__, "--feeds", str(args.feeds), "--serve",
             str(work / "feeds"), str(port), str(ready)]
        )  # fmt: skip
        try:
            for _ in range(100):
                if ready.exists():
                    break
                time.sleep(0.05)
            urls = [f"http://127.0.1.{i % 250 + 1}:{port}/{name}" for i, name in enumerate(names)]
            urls_file = work / "urls"
            urls_file.write_text("\n".join(urls) + "\n")
            rows = []
            for phase in ("first", "second"):
                _wall, rss, out = child(
                    [sys.executable, __file__, "--client", str(work / "nd.db"), str(urls_file),
                     str(args.concurrency)]
                )  # fmt: skip
                data = json.loads(out)
                rows.append(("newsdesk", phase, data["wall"], rss, data))
            if shutil.which("newsboat"):
                for phase in ("first", "second"):
                    wall, rss = newsboat_run(work, urls_file, args.concurrency)
                    rows.append(("newsboat", phase, wall, rss, {}))
            else:
                print("newsboat not installed: skipping the comparison (apt-get install newsboat)")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        print(
            f"{args.feeds} feeds x {args.items} items, {LATENCY * 1000:.0f} ms latency, "
            f"concurrency {args.concurrency}"
        )
        print(f"{'client':10} {'refresh':8} {'wall s':>8} {'peak MB':>8}  notes")
        for client, phase, wall, rss, data in rows:
            notes = ""
            if data:
                notes = (
                    f"parsed {data['parsed']}, 304 {data['not_modified']}, new {data['new']}, "
                    f"errors {data['errors']} {data['first_error']}; cpu {data['cpu_self']:.1f} s "
                    f"+ workers {data['cpu_workers']:.1f} s (peak {data['worker_maxrss_mb']:.0f} MB)"
                )
            print(f"{client:10} {phase:8} {wall:8.2f} {rss:8.1f}  {notes}")
        first = {c: w for c, p, w, _r, _d in rows if p == "first"}
        if "newsboat" in first:
            print(
                f"first refresh: newsdesk / newsboat = {first['newsdesk'] / first['newsboat']:.2f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
