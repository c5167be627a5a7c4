"""The desk at a million stories (run on demand: ``python tests/benchmarks/bench_desk.py``).

Builds (once, cached in the temp dir; ``NEWSDESK_BENCH_STORIES`` for another size)
a database of 1 000 000 stories over 500 feed sources, tags on one in fifty, half
read, the newest few hundred analysed; then runs the desk headless and prints:

- start to first paint: from constructing ``NewsDeskApp`` to the first row painted,
  and from the process's start (interpreter and imports included);
- 100 cursor moves (``j``): per move, from sending the key to the end of the
  first screen update after it (the frame that shows the move), p50/p95/max; also the
  whole ``Pilot.press`` round trip, which adds Pilot's own idle waits;
- the same moves measured as action + render of the visible rows only;
- jumps to the end (``G``) and back (``g``) — the worst case for paging;
- full-text search: count and first page for a rare word, a common word and a prefix;
- opening stories whose analysis is cached in the store: key to painted analysis;
- moves while background analysis works through the backlog;
- peak memory: the process's maximum resident set (``ru_maxrss``), measured in a
  fresh process that never built the database.

Goals (issue 17): first paint < 1 s, a move < 16 ms at p95 (also during background
analysis), jump to the end < 100 ms, search first page < 200 ms, opening an
analysed story < 50 ms at p95, memory < 250 MB.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STORIES = int(os.environ.get("NEWSDESK_BENCH_STORIES", "1000000"))
SOURCES = 500
MOVES = 100
OPENS = 40
ANALYSED = 400  # the newest stories get a real cached analysis at build time
BUILD_VERSION = 2  # bump when the generated data changes: the cache is rebuilt
CACHE = Path(tempfile.gettempdir()) / f"newsdesk-bench-desk-{STORIES}-v{BUILD_VERSION}.db"
NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)

WORDS = (
    "security talks border ministers agreed cooperation fentanyl trade summit meeting "
    "delegation treaty review february washington mexico city officials promised report"
).split()
# A larger vocabulary with a long tail, so that search terms match anywhere from every
# story to a handful (RARE_WORD: about one story in a hundred).
VOCABULARY = [f"{a}{b}" for a in ("lum", "ver", "tao", "kel", "sor", "mip", "dra", "nox")
              for b in ("ant", "ere", "iso", "oma", "uth", "ily", "ean", "arq")]  # fmt: skip
COMMON_WORD = "security"
RARE_WORD = "lumant"


def _text(i: int) -> tuple[str, str]:
    """Title and text of story ``i`` (deterministic, cheap to make a million of)."""
    words = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(24))
    tail = " ".join(VOCABULARY[(i * 7 + j * 13) % len(VOCABULARY)] for j in range(3))
    rare = f" {RARE_WORD}" if i % 97 == 0 else ""
    title = f"Story {i}: {WORDS[i % len(WORDS)]} {WORDS[(i * 7) % len(WORDS)]}"
    return title, f"{words} {tail}{rare}.\n\n{words[::-1]}."


def build(path: Path) -> None:
    """Write ``STORIES`` stories over ``SOURCES`` sources into a fresh database at ``path``.

    Through the schema of ``Store.open`` but not row by row through ``upsert``:
    ``executemany`` in transactions of 100k rows, and the full-text index built
    once at the end (a million upserts would take the better part of an hour).
    """
    import hashlib

    from tui.store import Store
    from tui.store.store import content_hash

    tmp = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    with Store.open(tmp) as store:
        conn = store._conn
        sources = [
            store.add_source(f"https://feeds.example.test/{i}.xml", title=f"Feed {i:03d}").id
            for i in range(SOURCES)
        ]
        conn.execute("PRAGMA synchronous = OFF")
        base = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
        tag = conn.execute("INSERT INTO tags (name) VALUES ('security')").lastrowid
        chunk = 100_000
        for lo in range(0, STORIES, chunk):
            rows, links, tags = [], [], []
            for i in range(lo, min(STORIES, lo + chunk)):
                title, text = _text(i)
                source_id = sources[i % SOURCES]
                published = (base + dt.timedelta(minutes=5 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
                uid = hashlib.sha256(f"{source_id}\x1fguid-{i}".encode()).hexdigest()[:20]
                rows.append(
                    (i + 1, uid, source_id, f"guid-{i}", f"https://news.example.test/{i}",
                     title, published, published, "en" if i % 3 else "es", text,
                     content_hash(title, text), i % 2)
                )  # fmt: skip
                links.append((i + 1, source_id, f"guid-{i}"))
                if i % 50 == 0:
                    tags.append((i + 1, tag))
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO stories (id, uid, source_id, guid, url, title, published, fetched, "
                "language, text, content_hash, read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.executemany(
                "INSERT INTO story_sources (story_id, source_id, guid) VALUES (?, ?, ?)", links
            )
            conn.executemany("INSERT INTO story_tags (story_id, tag_id) VALUES (?, ?)", tags)
            conn.execute("COMMIT")
            print(f"  {min(STORIES, lo + chunk)} rows, {time.perf_counter() - start:.0f} s")
        conn.execute("BEGIN")
        conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('rebuild')")
        conn.execute("COMMIT")
        print(f"  full-text index, {time.perf_counter() - start:.0f} s")
        from tui.story_analysis import analysis_for

        for story in store.list_stories(limit=ANALYSED, with_text=True):
            analysis_for(store, story)
        conn.execute("PRAGMA optimize")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    print(f"built {STORIES} stories in {time.perf_counter() - start:.1f} s -> {path}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(path: Path | str) -> dict[str, Any]:
    """Run the desk on ``path`` (a file, or a ``postgresql://`` URL) and time first paint
    and cursor moves."""
    from tui.app import NewsDeskApp
    from tui.runtime import Runtime
    from tui.widgets.story_list import StoryList

    config = Path(tempfile.mkdtemp()) / "config.toml"
    runtime = Runtime(config_file=config)
    runtime.set_db(str(path))
    painted: list[float] = []
    original = StoryList.render_line

    def render_line(self: StoryList, y: int) -> Any:
        if not painted and self.window.count:
            painted.append(time.perf_counter())
        return original(self, y)

    from textual.screen import Screen

    frames: list[float] = []
    frames_cpu: list[float] = []  # the UI thread's CPU time at each frame's end
    original_update = Screen._on_timer_update

    def on_timer_update(self: Screen[Any]) -> None:
        original_update(self)
        frames.append(time.perf_counter())
        frames_cpu.append(time.thread_time())

    Screen._on_timer_update = on_timer_update  # type: ignore[method-assign]
    StoryList.render_line = render_line  # type: ignore[method-assign]
    started = time.perf_counter()
    app = NewsDeskApp(runtime, clock=lambda: NOW, background_analysis=False)
    figures: dict[str, Any] = {}
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            while not painted:
                await asyncio.sleep(0.001)
            figures["first_paint_s"] = painted[0] - started
            figures["first_paint_wall"] = time.time() - (time.perf_counter() - painted[0])
            await pilot.pause()
            desk = app.desk
            figures["count"] = desk.pager.count
            press: list[float] = []
            to_frame: list[float] = []
            for _ in range(MOVES):
                t0 = time.perf_counter()
                await pilot.press("j")
                press.append((time.perf_counter() - t0) * 1000)
                after = [t for t in frames if t > t0]
                if after:
                    to_frame.append((after[0] - t0) * 1000)
            figures["press_ms"] = press
            figures["frame_ms"] = to_frame
            stories = desk.story_list
            region = stories.scrollable_content_region
            direct: list[float] = []
            for _ in range(MOVES):
                t0 = time.perf_counter()
                desk.action_cursor_down()
                for y in range(region.height):
                    stories.render_line(y)
                direct.append((time.perf_counter() - t0) * 1000)
            figures["direct_ms"] = direct
            t0 = time.perf_counter()
            await pilot.press("G")
            figures["jump_end_ms"] = (time.perf_counter() - t0) * 1000
            figures["jump_end_frame_ms"] = (min(t for t in frames if t > t0) - t0) * 1000
            assert stories.cursor == desk.pager.count - 1
            desk.reload(keep_cursor=False)  # back to the top, the end's page forgotten
            await app.workers.wait_for_complete()
            await pilot.pause()
            # The cursor moves at once; the rows far down are read in a worker and
            # painted when they arrive: from the action to the frame that shows them.
            t0 = time.perf_counter()
            desk.action_last()
            while stories.current_story is None:
                await asyncio.sleep(0.0005)
            loaded = time.perf_counter()
            while not [t for t in frames if t > loaded] and time.perf_counter() - loaded < 1:
                await asyncio.sleep(0.0005)
            painted_rows = [t for t in frames if t > loaded]
            figures["jump_end_rows_ms"] = ((painted_rows or [loaded])[0] - t0) * 1000
            t0 = time.perf_counter()
            await pilot.press("g")
            figures["jump_home_ms"] = (time.perf_counter() - t0) * 1000
            for label in ("next_unread_cold_ms", "next_unread_warm_ms"):
                t0 = time.perf_counter()
                await pilot.press("n")
                figures[label] = (time.perf_counter() - t0) * 1000
                await app.workers.wait_for_complete()
                await pilot.pause()
            figures.update(search_first_page(app.store))
            figures["open_ms"], figures["open_cpu_ms"] = await open_analysed(
                app, pilot, frames, frames_cpu
            )
            figures["busy_frame_ms"] = await moves_while_analysing(app, pilot, frames)
    finally:
        StoryList.render_line = original  # type: ignore[method-assign]
        Screen._on_timer_update = original_update  # type: ignore[method-assign]
    figures["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def search_first_page(store: Any) -> dict[str, float]:
    """What the search worker does for one query: count, first page, and its marks.

    Measured directly (the desk waits ``SEARCH_PAUSE`` for the typist first).
    """
    from tui.desk.pager import StoryPager
    from tui.store import StoryFilter

    out: dict[str, float] = {}
    for label, word in (("rare", RARE_WORD), ("common", COMMON_WORD), ("prefix", "Story 4242")):
        times, cpu = [], []
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.thread_time()
            pager = StoryPager(store, StoryFilter(query=word))
            pager.page(0)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        out[f"search_{label}_ms"] = statistics.median(times)
        out[f"search_{label}_cpu_ms"] = statistics.median(cpu)
        out[f"search_{label}_count"] = pager.count
    return out


async def open_analysed(
    app: Any, pilot: Any, frames: list[float], frames_cpu: list[float]
) -> tuple[list[float], list[float]]:
    """Open ``OPENS`` different stories whose analysis is cached in the store (not in memory):
    from the key to the first frame painted after the analysis is shown, in wall time and
    in the UI thread's CPU time (what a loaded machine does not inflate)."""
    desk = app.desk
    shown: dict[int, float] = {}
    original = type(desk).show_analysis

    def show_analysis(self: Any, story_id: int, analysis: Any, actors: Any = None) -> None:
        original(self, story_id, analysis, actors)
        shown[story_id] = time.perf_counter()

    type(desk).show_analysis = show_analysis
    out: list[float] = []
    cpu: list[float] = []
    try:
        await pilot.press("g")
        await pilot.pause()
        for _ in range(OPENS):
            await pilot.press("j")
            story = desk.story_list.current_story
            desk.analyses.pop(story.id, None)
            t0, c0 = time.perf_counter(), time.thread_time()
            await pilot.press("enter")
            while story.id not in shown:
                await asyncio.sleep(0.0005)
            done = shown[story.id]
            while not [t for t in frames if t > done]:
                await asyncio.sleep(0.0005)
            frame = next(i for i, t in enumerate(frames) if t > done)
            out.append((frames[frame] - t0) * 1000)
            cpu.append((frames_cpu[frame] - c0) * 1000)
    finally:
        type(desk).show_analysis = original
    return out, cpu


async def moves_while_analysing(app: Any, pilot: Any, frames: list[float]) -> list[float]:
    """Cursor moves (key to painted frame) while background analysis works through the
    backlog of stories without an analysis (every story but the newest ``ANALYSED``)."""
    app.background_analysis = True
    app.analyse_in_background()
    desk = app.desk
    desk.story_list.focus()
    await pilot.pause()
    await asyncio.sleep(0.5)  # let it start
    out: list[float] = []
    for _ in range(MOVES):
        t0 = time.perf_counter()
        await pilot.press("j")
        after = [t for t in frames if t > t0]
        if after:
            out.append((after[0] - t0) * 1000)
        await asyncio.sleep(0.02)
    analysed = app.store._query("SELECT count(*) FROM analysis")[0][0]
    print(f"(background analysis: {analysed - ANALYSED} stories analysed during the moves)")
    app.workers.cancel_group(app, "background-analysis")
    return out


def report(figures: dict[str, Any]) -> None:
    press, direct = figures["press_ms"], figures["direct_ms"]
    print(f"stories in the list     {figures['count']}")
    print(f"first paint             {figures['first_paint_s'] * 1000:.0f} ms   (goal < 1000 ms)")
    print(
        f"  from process start      {figures['cold_start_s'] * 1000:.0f} ms "
        "(Python start and imports included)"
    )
    print(
        f"move (press+repaint)    p50 {statistics.median(press):.2f} ms  "
        f"p95 {percentile(press, 0.95):.2f} ms  max {max(press):.2f} ms   (Pilot round trip)"
    )
    frame = figures["frame_ms"]
    print(
        f"move, key to painted frame  p50 {statistics.median(frame):.2f} ms  "
        f"p95 {percentile(frame, 0.95):.2f} ms  max {max(frame):.2f} ms  "
        f"(goal p95 < 16 ms; {len(frame)} of {len(press)} moves)"
    )
    print(
        f"move (action+render)    p50 {statistics.median(direct):.2f} ms  "
        f"p95 {percentile(direct, 0.95):.2f} ms  max {max(direct):.2f} ms"
    )
    print(
        f"jump to end / home      {figures['jump_end_ms']:.1f} ms / {figures['jump_home_ms']:.1f} ms "
        f"(Pilot round trip); key to painted frame at the end {figures['jump_end_frame_ms']:.1f} ms, "
        f"to its rows painted {figures['jump_end_rows_ms']:.1f} ms "
        "(goal < 100 ms)"
    )
    print(
        f"next unread (n + open)  first {figures['next_unread_cold_ms']:.1f} ms "
        f"(loads the analyser), then {figures['next_unread_warm_ms']:.1f} ms"
    )
    for label in ("rare", "common", "prefix"):
        print(
            f"search first page ({label:6}) {figures[f'search_{label}_ms']:.1f} ms "
            f"(CPU {figures[f'search_{label}_cpu_ms']:.1f} ms; "
            f"{figures[f'search_{label}_count']} matches; goal < 200 ms)"
        )
    opens, opens_cpu = figures["open_ms"], figures["open_cpu_ms"]
    print(
        f"open an analysed story  p50 {statistics.median(opens):.1f} ms  "
        f"p95 {percentile(opens, 0.95):.1f} ms  max {max(opens):.1f} ms   (goal p95 < 50 ms)"
    )
    print(
        f"  UI-thread CPU, key to frame  p50 {statistics.median(opens_cpu):.1f} ms  "
        f"p95 {percentile(opens_cpu, 0.95):.1f} ms  max {max(opens_cpu):.1f} ms"
    )
    busy = figures["busy_frame_ms"]
    print(
        f"move during background analysis  p50 {statistics.median(busy):.2f} ms  "
        f"p95 {percentile(busy, 0.95):.2f} ms  max {max(busy):.2f} ms   (goal p95 < 16 ms)"
    )
    print(f"peak RSS                {figures['maxrss_mb']:.0f} MB   (goal < 250 MB)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        figures = asyncio.run(measure(Path(sys.argv[2])))
        figures["cold_start_s"] = figures["first_paint_wall"] - float(sys.argv[3])
        report(figures)
        return
    if not CACHE.exists():
        build(CACHE)
    # Measure in a fresh process so building the database does not count towards memory.
    spawned = time.time()
    subprocess.run([sys.executable, __file__, "--measure", str(CACHE), str(spawned)], check=True)


if __name__ == "__main__":
    main()
