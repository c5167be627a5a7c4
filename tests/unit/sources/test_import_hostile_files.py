"""Reliability, items 8 and 12 of issue 15: special files, YAML bombs, OPML, CLI diagnostics.

Real FIFOs, symlinks to devices, unreadable folders and real processes.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from tests.support.processes import cli, run_main
from tui.export.agenda import AgendaEntry, AgendaSource
from tui.export.ics import _description
from tui.sources.files import FileFormatError, import_paths, read_regular_file, split_front_matter
from tui.sources.opml import export_opml, import_opml, parse_opml
from tui.store import Store, StoryFilter

YAML_BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
title: *g
---
body
"""


# -- item 8: only regular files, bounded reads, no YAML aliases -------------------------------------


def test_a_symlink_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    link = tmp_path / "zero.md"
    link.symlink_to("/dev/zero")
    started = time.monotonic()
    with pytest.raises(FileFormatError, match="not a regular file \\(a character device\\)"):
        read_regular_file(link)
    assert time.monotonic() - started < 2


def test_a_fifo_is_refused_instead_of_hanging(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    fifo = folder / "story.md"
    os.mkfifo(fifo)
    (folder / "ok.md").write_text("# Fine\n\ntext\n")
    finished = threading.Event()
    outcome: list[object] = []

    def run() -> None:
        with Store.open(tmp_path / "other.db") as other:
            outcome.append(import_paths(other, [folder]))
        finished.set()

    threading.Thread(target=run, daemon=True).start()
    assert finished.wait(10), "import hung on a FIFO"
    (report,) = outcome
    assert report.new == 1  # type: ignore[attr-defined]
    assert [(p.name, m) for p, m in report.errors] == [  # type: ignore[attr-defined]
        ("story.md", "not a regular file (a FIFO)")
    ]


def test_reads_are_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(FileFormatError, match="file too large"):
        read_regular_file(big, limit=1000)
    assert read_regular_file(big, limit=2000) == b"x" * 2000


def test_yaml_aliases_and_anchors_are_refused_quickly(tmp_path: Path, store: Store) -> None:
    assert len(YAML_BOMB) < 400
    started = time.monotonic()
    with pytest.raises(FileFormatError, match=r"YAML (anchors|aliases)"):
        split_front_matter(YAML_BOMB)
    path = tmp_path / "bomb.md"
    path.write_text(YAML_BOMB)
    report = import_paths(store, [path])
    assert report.new == 0 and "refused" in report.errors[0][1]
    assert time.monotonic() - started < 2
    assert split_front_matter("---\ntitle: ok\ntags: [a, b]\n---\nbody")[0]["title"] == "ok"


def test_analyze_refuses_special_files(tmp_path: Path) -> None:
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    done = cli("analyze", str(fifo), db=tmp_path / "d.db", timeout=30)
    assert done.returncode == 1 and "not a regular file (a FIFO)" in done.stderr


# -- item 12: diagnostics ------------------------------------------------------------------------------


_WALK = """
import json, os, sys
from pathlib import Path
from tui.sources.files import walk
if os.geteuid() == 0:  # root reads every folder: walk as nobody, as a user would
    os.setgid(65534)
    os.setuid(65534)
errors = []
files = [p.name for _root, p in walk([Path(sys.argv[1])], errors)]
print(json.dumps({"files": files, "errors": [(p.name, m) for p, m in errors]}))
"""


def test_an_unreadable_subfolder_is_reported() -> None:
    import shutil
    import subprocess
    import sys
    import tempfile

    from tests.support.paths import REPO

    top = Path(tempfile.mkdtemp(prefix="newsdesk-walk-"))
    try:
        top.chmod(0o755)
        (top / "ok.md").write_text("# Fine\n")
        locked = top / "locked"
        locked.mkdir()
        (locked / "hidden.md").write_text("# Hidden\n")
        locked.chmod(0)
        done = subprocess.run(
            [sys.executable, "-c", _WALK, str(top)],
            capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == {
            "files": ["ok.md"],
            "errors": [["locked", "Permission denied"]],
        }
    finally:
        (top / "locked").chmod(0o755)
        shutil.rmtree(top)


@pytest.mark.parametrize("depth", [10, 254, 300, 2000])
def test_deep_opml_imports_its_feeds(depth: int) -> None:
    data = (
        b'<opml version="2.0"><body>'
        + b"".join(f'<outline text="f{i}">'.encode() for i in range(depth))
        + b'<outline type="rss" xmlUrl="https://e.org/f"/>'
        + b"</outline>" * depth
        + b"</body></opml>"
    )
    (feed,) = parse_opml(data)
    assert feed.url == "https://e.org/f"
    assert len(feed.tags) == min(depth, 16)


def test_too_deep_opml_is_an_error_not_zero_feeds(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.opml"
    depth = 3000
    path.write_bytes(
        b'<opml version="2.0"><body>'
        + b'<outline text="f">' * depth
        + b'<outline type="rss" xmlUrl="https://e.org/f"/>'
        + b"</outline>" * depth
        + b"</body></opml>"
    )
    code, _out, err = run_main(capfd, "--db", str(tmp_path / "d.db"), "opml", "import", str(path))
    assert code == 1 and "nested too deeply" in err
    empty = tmp_path / "empty.opml"
    empty.write_text('<opml version="2.0"><body></body></opml>')
    code, _out, err = run_main(capfd, "--db", str(tmp_path / "d.db"), "opml", "import", str(empty))
    assert code == 1 and "no feed outlines" in err


def test_opml_round_trip_keeps_tags_with_slash_and_comma(tmp_path: Path) -> None:
    tags = ("News/Mexico", "left, right", "plain")
    with Store.open(tmp_path / "a.db") as a:
        a.add_source("https://e.org/f", kind="feed", title="F", tags=tags)
        data = export_opml(a).encode()
    with Store.open(tmp_path / "b.db") as b:
        import_opml(b, data)
        (source,) = b.sources()
        assert sorted(source.tags, key=str.casefold) == sorted(tags, key=str.casefold)
    # Other readers still see the plain tags as a category.
    assert 'category="plain"' in data.decode()


def test_tag_with_an_empty_name_is_an_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    (tmp_path / "s.md").write_text("# S\n\ntext\n")
    with Store.open(db) as store:
        import_paths(store, [tmp_path / "s.md"])
    for args in (("tag", "1", "-t", ""), ("tag", "1", "-t", "  "), ("untag", "1", "-t", "")):
        code, _out, err = run_main(capfd, "--db", str(db), *args)
        assert code == 2 and "a tag name cannot be empty" in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_tag_exit_status_says_the_tag_was_written_when_stdout_fails(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    (tmp_path / "s.md").write_text("# S\n\ntext\n")
    with Store.open(db) as store:
        import_paths(store, [tmp_path / "s.md"])
    import subprocess
    import sys

    from tests.support.paths import REPO

    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tui", "--db", str(db), "tag", "1", "-t", "kept"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    assert "could not write to stdout: No space left on device" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    with Store.open(db) as store:
        assert store.list_stories(StoryFilter(), limit=1)[0].tags == ("kept",)


def test_ics_description_names_the_week_once() -> None:
    import datetime as dt

    entry = AgendaEntry(
        uid="u", value="2026-W06", granularity="week", kind="week",
        first=dt.date(2026, 2, 2), last=dt.date(2026, 2, 8),
        label="week of 2 Feb (2026-W06)", event="vote", actors=(),
        sources=(AgendaSource(1, "s", "T", "https://e.org/", "2026-01-01", 0, "x"),),
    )  # fmt: skip
    described = _description(entry)
    assert described.count("2026-W06") == 1


def test_opml_json_tags_attribute_is_validated() -> None:
    bad = json.dumps({"not": "a list"})
    data = (
        '<opml version="2.0"><body><outline type="rss" xmlUrl="https://e.org/f" '
        f"category=\"a\" newsdeskTags='{bad}'/></body></opml>"
    ).encode()
    (feed,) = parse_opml(data)
    assert feed.tags == ("a",)
