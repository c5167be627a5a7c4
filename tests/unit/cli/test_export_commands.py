"""``newsdesk export`` and ``newsdesk agenda`` as a user runs them: real processes, files, exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar
from markdown_it import MarkdownIt

from tests.support.paths import REPO
from tui.export.atomic import ExistsError, ExportError, write_output
from tui.samples import SAMPLES_DIR


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample desk, imported and tagged through the CLI (analysed once, then cached)."""
    db = tmp_path_factory.mktemp("cli") / "desk.db"
    assert (
        run(
            "import",
            str(SAMPLES_DIR / "rubio-de-la-fuente-call.es.md"),
            str(SAMPLES_DIR / "wikinews"),
            db=db,
        ).returncode
        == 0
    )
    rows = [
        json.loads(line)
        for line in run("list", "--json", "--limit", "100", db=db).stdout.splitlines()
    ]
    rubio = next(r["id"] for r in rows if r["title"].startswith("Marco Rubio"))
    assert run("tag", str(rubio), "-t", "mexico", db=db).returncode == 0
    return db


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsdesk: error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


def test_export_to_a_file_refuses_to_replace_it_without_force(
    sample_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "desk.md"
    first = run("export", "--tag", "mexico", "-o", str(out), db=sample_db)
    assert first.returncode == 0, first.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# newsdesk export\n\nSelection: stories with tag mexico. 1 story.")
    assert "\n## Marco Rubio y el canciller de México" in text
    again = run("export", "-o", str(out), db=sample_db)
    assert again.returncode == 1
    assert "already exists (use --force to replace it)" in one_error_line(again)
    assert out.read_text(encoding="utf-8") == text
    forced = run("export", "--force", "-o", str(out), db=sample_db)
    assert forced.returncode == 0, forced.stderr
    assert "21 stories" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.md"]  # no temporary files left


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing-dir/out.md", "does not exist"),
        ("a-file.txt/out.md", "does not exist"),
        (".", "is a directory"),
        ("/proc/newsdesk-export.md", "cannot write /proc/newsdesk-export.md"),
    ],
)
def test_unwritable_paths_are_one_clear_error(
    sample_db: Path, tmp_path: Path, target: str, message: str
) -> None:
    (tmp_path / "a-file.txt").write_text("x")
    for force in (["--force"], []):
        result = run("export", *force, "-o", str(tmp_path / target), db=sample_db)
        assert result.returncode == 1
        assert message in one_error_line(result)


def test_export_to_stdout_in_both_formats(sample_db: Path) -> None:
    md = run("export", "--group-by", "source", db=sample_db)
    assert md.returncode == 0, md.stderr
    tokens = MarkdownIt("commonmark").parse(md.stdout)
    h2 = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    assert len(h2) == 2 and h2 == sorted(h2, key=str.casefold)  # one heading per source, A to Z
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h3") == 21
    data = json.loads(
        run("export", "--format", "json", "-o", "-", "--since", "2009-01-01", db=sample_db).stdout
    )
    assert data["count"] == len(data["stories"]) == 5
    assert data["selection"]["since"] == "2009-01-01"
    assert {"actors", "commitments", "upcoming", "lead", "note", "sources"} <= set(
        data["stories"][0]
    )


def test_bad_options_are_usage_errors(sample_db: Path) -> None:
    bad_date = run("export", "--since", "yesterday", db=sample_db)
    assert bad_date.returncode == 2 and "not a date" in bad_date.stderr
    assert run("export", "--group-by", "colour", db=sample_db).returncode == 2
    assert run("agenda", "--format", "pdf", db=sample_db).returncode == 2
    backwards = run("agenda", "--from", "2026-02-01", "--to", "2026-01-01", db=sample_db)
    assert backwards.returncode == 1 and "is before --from" in one_error_line(backwards)


def test_agenda_formats(sample_db: Path, tmp_path: Path) -> None:
    text = run("agenda", "--from", "2026-01-01", db=sample_db)
    assert text.returncode == 0, text.stderr
    data = json.loads(
        run("agenda", "--from", "1900-01-01", "--format", "json", db=sample_db).stdout
    )
    entries = [e for g in data["groups"] for e in g["entries"]]
    out = tmp_path / "agenda.ics"
    ics = run("agenda", "--from", "1900-01-01", "--format", "ics", "-o", str(out), db=sample_db)
    assert ics.returncode == 0, ics.stderr
    cal = Calendar.from_ical(out.read_bytes())
    assert sorted(str(e["uid"]) for e in cal.walk("VEVENT")) == sorted(e["uid"] for e in entries)
    assert run("agenda", "--format", "ics", "-o", str(out), db=sample_db).returncode == 1
    none_ahead = run("agenda", "--from", "2999-01-01", db=sample_db)
    assert none_ahead.returncode == 0 and "No upcoming dates." in none_ahead.stdout


def test_write_output_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    write_output(target, "one\n")
    assert target.read_bytes() == b"one\n"
    target.chmod(0o640)
    with pytest.raises(ExistsError):
        write_output(target, "two\n")
    write_output(target, "two\n", force=True)
    assert target.read_text() == "two\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    with pytest.raises(ExportError, match="does not exist"):
        write_output(tmp_path / "nope" / "x.md", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert write_output(link, "three\n", force=True) == target.resolve()
    assert link.is_symlink() and target.read_text() == "three\n"


def test_agenda_text_never_prints_control_sequences(tmp_path: Path) -> None:
    from tests.support.analyses import D, add_story, build_analysis, save
    from tui.analysis import ANALYSER_VERSION
    from tui.store import Store

    db = tmp_path / "hostile.db"
    with Store.open(db) as store:
        story = add_story(
            store,
            "Evil \x1b[31mred\x1b[0m title",
            "The summit is on 3 February.",
            url="https://x.example/e",
        )
        store.add_tags([story.id], ["watch", "mexico"])
        other = add_story(store, "Other", "Nothing on 4 February.")
        store.add_tags([other.id], ["watch"])
        for s, needle, value in (
            (story, "3 February", "2026-02-03"),
            (other, "4 February", "2026-02-04"),
        ):
            analysis = build_analysis(s, "en", dates=[D(needle, value, "day", "summit \x07[bell]")])
            save(store, s, analysis, version=ANALYSER_VERSION)  # as if the engine had cached it
    result = run(
        "agenda", "--from", "2026-02-01", "--tag", "watch", "--tag", "mexico", "--all-tags", db=db
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "[31mred [0m title" in result.stdout
    assert "Tuesday 3 February 2026" in result.stdout and "Other" not in result.stdout
    both = run(
        "export", "--tag", "watch", "--tag", "mexico", "--all-tags", "--format", "json", db=db
    )
    assert [s["title"] for s in json.loads(both.stdout)["stories"]] == [
        "Evil \x1b[31mred\x1b[0m title"
    ]
