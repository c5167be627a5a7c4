"""Benchmark: refresh 200 feeds × 50 items from loopback with 50 ms latency, vs newsboat.

Run on demand (not collected by the test suite)::

    python tests/benchmarks/bench_fetch.py            # prints a table
    python tests/benchmarks/bench_fetch.py --feeds 50 --rounds 1  # smaller run

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
for newsdesk that includes the Python interpreter and imports; the parser
worker processes' peak is reported separately. newsdesk's "wall s" times the
refresh call alone; "whole process" adds interpreter start, imports and
subscribing the 200 URLs (newsboat's figure is always its whole process).
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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LATENCY = 0.050
LAST_CPU = [0.0]


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
        "cpu_workers": _tree_cpu(),
        "worker_maxrss_mb": _worker_peak_mb(),
    }


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _tree_cpu() -> float:
    """CPU seconds of the live parser workers (they are not reaped yet, so not in RUSAGE_CHILDREN)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    todo = [os.getpid()]
    while todo:
        pid = todo.pop()
        try:
            todo.extend(
                int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            )
            if pid != os.getpid():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            continue
    return total


def _worker_peak_mb() -> float:
    """Peak RSS of the parser worker processes (still alive in the pool), from /proc."""
    peak = 0.0
    todo = [os.getpid()]
    while todo:  # the forkserver's children are the workers: walk the whole tree
        pid = todo.pop()
        try:
            todo.extend(
                int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            )
            status = Path(f"/proc/{pid}/status").read_text() if pid != os.getpid() else ""
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a process; its wall time, its own peak RSS (MB) and stdout (CPU in ``LAST_CPU``)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
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
    parser.add_argument("--rounds", type=int, default=3, help="repeat and report medians")
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
            has_newsboat = shutil.which("newsboat") is not None
            if not has_newsboat:
                print("newsboat not installed: skipping the comparison (apt-get install newsboat)")
            for round_no in range(args.rounds):
                # Alternate who goes first so neither always meets a warmer (or busier) machine.
                order = ["newsdesk", "newsboat"] if round_no % 2 == 0 else ["newsboat", "newsdesk"]
                for client in order:
                    if client == "newsdesk":
                        rows.extend(_newsdesk_round(work / f"nd{round_no}.db", urls_file, args))
                    elif has_newsboat:
                        run_dir = work / f"nb{round_no}"
                        run_dir.mkdir()
                        for phase in ("first", "second"):
                            wall, rss = newsboat_run(run_dir, urls_file, args.concurrency)
                            rows.append(("newsboat", phase, wall, rss, {"cpu": LAST_CPU[0]}))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        _report(rows, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _newsdesk_round(
    db: Path, urls_file: Path, args: argparse.Namespace
) -> list[tuple[str, str, float, float, dict[str, object]]]:
    rows: list[tuple[str, str, float, float, dict[str, object]]] = []
    for phase in ("first", "second"):
        process_wall, rss, out = child(
            [sys.executable, __file__, "--client", str(db), str(urls_file), str(args.concurrency)]
        )
        data = json.loads(out)
        data["process_wall"] = process_wall
        rows.append(("newsdesk", phase, float(data["wall"]), rss, data))
    return rows


def _report(
    rows: list[tuple[str, str, float, float, dict[str, object]]], args: argparse.Namespace
) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{args.feeds} feeds x {args.items} items, {LATENCY * 1000:.0f} ms latency, "
        f"concurrency {args.concurrency}, {args.rounds} round(s), {os.cpu_count()} CPUs, "
        f"load average now {load}"
    )
    print(f"{'client':10} {'refresh':8} {'wall s':>8} {'peak MB':>8}  notes")
    for client, phase, wall, rss, data in rows:
        notes = ""
        if "cpu" in data:
            notes = f"cpu {data['cpu']:.1f} s"
        elif data:
            notes = (
                f"whole process {data['process_wall']:.2f} s; parsed {data['parsed']}, 304 {data['not_modified']}, new {data['new']}, "
                f"errors {data['errors']} {data['first_error']}; cpu {data['cpu_self']:.1f} s "
                f"+ parser workers {data['cpu_workers']:.1f} s "
                f"(worker peak {data['worker_maxrss_mb']:.0f} MB)"
            )
        print(f"{client:10} {phase:8} {wall:8.2f} {rss:8.1f}  {notes}")
    medians = {
        (c, p): statistics.median(w for c2, p2, w, _r, _d in rows if (c2, p2) == (c, p))
        for c, p, _w, _r, _d in rows
    }
    print("median wall s: " + ", ".join(f"{c} {p} {w:.2f}" for (c, p), w in medians.items()))
    if ("newsboat", "first") in medians:
        ratio = medians[("newsdesk", "first")] / medians[("newsboat", "first")]
        print(f"first refresh, median: newsdesk / newsboat = {ratio:.2f} (goal <= 0.5)")
    print(
        f"conditional refresh, median: newsdesk {medians[('newsdesk', 'second')]:.2f} s (goal < 1)"
    )
    # On a shared or loaded machine wall time follows whoever else is running;
    # CPU seconds (newsdesk: its process plus the parser workers) do not.
    cpu = {
        (c, p): statistics.median(
            float(d["cpu_self"]) + float(d["cpu_workers"]) if "cpu_self" in d else float(d["cpu"])
            for c2, p2, _w, _r, d in rows
            if (c2, p2) == (c, p)
        )
        for c, p, _w, _r, _d in rows
    }
    print("median CPU s: " + ", ".join(f"{c} {p} {s:.2f}" for (c, p), s in cpu.items()))


if __name__ == "__main__":
    main()
