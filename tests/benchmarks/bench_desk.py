"""The desk at 100k stories (run on demand: ``python tests/benchmarks/bench_desk.py``).

Builds (once, cached in the temp dir) a database of 100 000 stories over 50 feed
sources with tags on a few thousand, then runs the desk headless and prints:

- start to first paint: from constructing ``NewsDeskApp`` to the first row painted,
  and from the process's start (interpreter and imports included);
- 100 cursor moves (``j``): per move, from sending the key to the end of the
  first screen update after it (the frame that shows the move), p50/p95/max; also the
  whole ``Pilot.press`` round trip, which adds Pilot's own idle waits;
- the same moves measured as action + render of the visible rows only;
- jumps to the end (``G``) and back (``g``) — the worst case for paging;
- peak memory: the process's maximum resident set (``ru_maxrss``), measured in a
  fresh process that never built the database.

Goals (issue 7): first paint < 1 s, a move < 16 ms at p95, memory < 200 MB.
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

STORIES = 100_000
SOURCES = 50
MOVES = 100
CACHE = Path(tempfile.gettempdir()) / f"newsdesk-bench-desk-{STORIES}.db"
NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)

WORDS = (
    "security talks border ministers agreed cooperation fentanyl trade summit meeting "
    "delegation treaty review february washington mexico city officials promised report"
).split()


def build(path: Path) -> None:
    """Write ``STORIES`` stories into a fresh database at ``path``."""
    from tui.store import Store, StoryIn

    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    start = time.perf_counter()
    with Store.open(tmp) as store:
        sources = [
            store.add_source(f"https://feeds.example.test/{i}.xml", title=f"Feed {i:02d}").id
            for i in range(SOURCES)
        ]
        per_source = STORIES // SOURCES
        base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        for n, source_id in enumerate(sources):
            batch = []
            for k in range(per_source):
                i = n * per_source + k
                words = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(60))
                batch.append(
                    StoryIn(
                        title=f"Story {i}: {WORDS[i % len(WORDS)]} {WORDS[(i * 7) % len(WORDS)]}",
                        text=f"{words}.\n\n{words[::-1]}.",
                        url=f"https://news.example.test/{i}",
                        guid=f"guid-{i}",
                        published=base + dt.timedelta(minutes=5 * i),
                        language="en" if i % 3 else "es",
                    )
                )
            ids = [story_id for story_id, _ in store.upsert_stories(source_id, batch)]
            store.add_tags(ids[::50], ["security"])
            store.set_read(ids[::2], True)
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
    from tui.cli.runtime import Runtime
    from tui.widgets.story_list import StoryList

    config = Path(tempfile.mkdtemp()) / "config.toml"
    runtime = Runtime(config_file=config)
    runtime.set_db(str(path))
    painted: list[float] = []
    original = StoryList.render_line

    def render_line(self: StoryList, y: int) -> Any:
        if not painted and self.pager.count:
            painted.append(time.perf_counter())
        return original(self, y)

    from textual.screen import Screen

    frames: list[float] = []
    original_update = Screen._on_timer_update

    def on_timer_update(self: Screen[Any]) -> None:
        original_update(self)
        frames.append(time.perf_counter())

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
            assert stories.cursor == desk.pager.count - 1
            t0 = time.perf_counter()
            await pilot.press("g")
            figures["jump_home_ms"] = (time.perf_counter() - t0) * 1000
            for label in ("next_unread_cold_ms", "next_unread_warm_ms"):
                t0 = time.perf_counter()
                await pilot.press("n")
                figures[label] = (time.perf_counter() - t0) * 1000
                await app.workers.wait_for_complete()
                await pilot.pause()
    finally:
        StoryList.render_line = original  # type: ignore[method-assign]
        Screen._on_timer_update = original_update  # type: ignore[method-assign]
    figures["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


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
        f"jump to end / home      {figures['jump_end_ms']:.1f} ms / {figures['jump_home_ms']:.1f} ms"
    )
    print(
        f"next unread (n + open)  first {figures['next_unread_cold_ms']:.1f} ms "
        f"(loads the analyser), then {figures['next_unread_warm_ms']:.1f} ms"
    )
    print(f"peak RSS                {figures['maxrss_mb']:.0f} MB   (goal < 200 MB)")


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
