"""Export of 10k tagged stories with their analysis in the cache (run on demand).

    /work/venv/bin/python tests/benchmarks/bench_export.py [--stories 10000]

Builds a throw-away desk: the bundled sample stories are analysed once with the
real engine, then copied (same title, text with a unique line appended, so the
analysis offsets stay valid) into N stories from one source, each tagged and
with that analysis cached under the current ANALYSER_VERSION. Measures, on a
warm cache: building the export data, rendering Markdown and JSON, and the whole
``newsdesk export --tag bench -o FILE`` path (build + render + atomic write).
Goal: under 2 s for 10k stories including reading the analysis from the cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tui.analysis import ANALYSER_VERSION
from tui.export import Selection, write_output
from tui.export.agenda import build_agenda
from tui.export.document import build_document
from tui.export.jsonexport import render_json
from tui.export.markdown import render_markdown
from tui.samples import load_samples
from tui.store import Store, StoryFilter, StoryIn
from tui.story_analysis import analysis_for

T = TypeVar("T")


def build_desk(path: Path, count: int) -> Store:
    store = Store.open(path)
    load_samples(store)
    templates = []
    for story in store.list_stories(StoryFilter(), limit=100, with_text=True):
        templates.append((story, analysis_for(store, story).to_dict()))
    source = store.add_source("https://bench.example/feed.xml", title="Bench feed")
    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    batch = []
    for i in range(count):
        story, _ = templates[i % len(templates)]
        batch.append(
            StoryIn(
                title=story.title,
                text=f"{story.text}\n\nBench copy {i}.",
                url=f"https://bench.example/{i}",
                guid=f"bench-{i}",
                published=base + dt.timedelta(minutes=7 * i),
                language=story.language,
            )
        )
    results = store.upsert_stories(source.id, batch)
    ids = [story_id for story_id, _ in results]
    store.add_tags(ids, ["bench"])
    store._conn.execute("PRAGMA synchronous = OFF")  # setup only: 10k cache writes
    for i, story_id in enumerate(ids):
        store.save_analysis(story_id, ANALYSER_VERSION, templates[i % len(templates)][1])
    store._conn.execute("PRAGMA synchronous = FULL")
    return store


def _cpu() -> float:
    """CPU seconds of this process and its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(label: str, fn: Callable[[], T], rounds: int = 3) -> tuple[float, T]:
    """Best wall-clock time of ``rounds`` runs, with the CPU time of that run.

    CPU time is printed beside wall time because shared machines make wall time
    noisy; the goal is judged on wall time.
    """
    best, best_cpu = float("inf"), 0.0
    result: T | None = None
    for _ in range(rounds):
        began, cpu = time.perf_counter(), _cpu()
        result = fn()
        wall = time.perf_counter() - began
        if wall < best:
            best, best_cpu = wall, _cpu() - cpu
    print(f"{label:<48} {best:7.3f} s wall {best_cpu:7.3f} s cpu (best of {rounds})")
    assert result is not None
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-bench-export-"))
    began = time.perf_counter()
    store = build_desk(folder / "desk.db", args.stories)
    print(
        f"setup: {args.stories} tagged stories with cached analysis in {time.perf_counter() - began:.1f} s"
    )
    selection = Selection(tags=("bench",))
    stamp = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    out = folder / "export.md"

    def whole() -> int:
        d = build_document(store, selection, generated=stamp, group_by="tag")
        text = render_markdown(d)
        write_output(out, text, force=True)
        return len(text)

    # The goal first, on a fresh heap: what `newsdesk export --tag bench -o FILE` does.
    total, size = timed("export --tag bench -o FILE (build+render+write)", whole)
    print(f"  wrote {size / 1e6:.1f} MB of Markdown for {args.stories} stories")
    _, doc = timed(
        "  of which: build export data (store + cache)",
        lambda: build_document(store, selection, generated=stamp),
    )
    timed("  of which: render Markdown", lambda: render_markdown(doc))
    timed("render JSON (same data)", lambda: render_json(doc))
    timed(
        "agenda (all dates, merged and grouped)",
        lambda: build_agenda(store, start=dt.date(1900, 1, 1)),
        rounds=1,
    )
    cli_out = folder / "cli.md"
    command = [
        sys.executable,
        "-m",
        "tui",
        "--db",
        str(folder / "desk.db"),
        "export",
        "--tag",
        "bench",
    ]
    repo = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": repo}
    timed(
        "newsdesk export --tag bench -o FILE (process)",
        lambda: subprocess.run(
            [*command, "--force", "-o", str(cli_out)], check=True, env=env, capture_output=True
        ),
    )
    verdict = "OK" if total < 2.0 else "OVER"
    print(f"goal: export of {args.stories} stories under 2 s -> {total:.2f} s {verdict}")
    store.close()
    shutil.rmtree(folder, ignore_errors=True)  # ~100 MB of throw-away desk
    return 0


if __name__ == "__main__":
    sys.exit(main())
