"""The command line as a user runs it: real processes, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO
from tui.samples import SAMPLES_DIR


def run(
    *args: str, db: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(db), *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        timeout=60,
    )


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    db = tmp_path / "cli.db"
    result = run(
        "import",
        str(SAMPLES_DIR / "rubio-de-la-fuente-call.es.md"),
        str(SAMPLES_DIR / "wikinews"),
        db=db,
    )
    assert result.returncode == 0, result.stderr
    assert "21 new" in result.stdout
    return db


def test_version(tmp_path: Path) -> None:
    result = run("--version", db=tmp_path / "x.db")
    assert result.returncode == 0
    assert result.stdout.startswith("newsdesk, version ")


def test_list_json_has_the_documented_fields(sample_db: Path) -> None:
    result = run("list", "--json", "--limit", "5", db=sample_db)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    assert set(rows[0]) == {
        "id",
        "source",
        "url",
        "title",
        "published",
        "language",
        "tags",
        "saved",
        "read",
        "archived",
        "note",
    }
    assert (rows[0]["archived"], rows[0]["note"]) == (False, "")
    assert rows[0]["title"].startswith("Marco Rubio y el canciller")
    assert rows[0]["published"] == "2026-01-08T12:00:00Z"


def test_tag_and_untag_by_ids_from_list(sample_db: Path) -> None:
    ids = [
        json.loads(line)["id"]
        for line in run("list", "--json", "--limit", "2", db=sample_db).stdout.splitlines()
    ]
    assert (
        run("tag", *map(str, ids), "-t", "Mexico", "-t", "security", db=sample_db).returncode == 0
    )
    tagged = run("list", "--json", "--tag", "mexico", db=sample_db).stdout.splitlines()
    assert sorted(json.loads(line)["id"] for line in tagged) == sorted(ids)
    assert json.loads(tagged[0])["tags"] == ["Mexico", "security"]
    # ids can come from stdin, as `list --json` lines
    piped = run("untag", "-", "-t", "MEXICO", db=sample_db, stdin="\n".join(tagged))
    assert piped.returncode == 0, piped.stderr
    assert run("list", "--json", "--tag", "Mexico", db=sample_db).stdout == ""


def test_show_json_includes_text(sample_db: Path) -> None:
    first = json.loads(run("list", "--json", "--limit", "1", db=sample_db).stdout)
    result = run("show", "--json", str(first["id"]), db=sample_db)
    story = json.loads(result.stdout)
    assert "Grupo de Implementación de Seguridad" in story["text"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("show", "424242"), 1, "newsdesk: error: no story with id 424242"),
        (("tag", "424242", "-t", "x"), 1, "newsdesk: error: no story with id 424242"),
        (("tag", "abc", "-t", "x"), 2, "'abc' is not a story id"),
        (("list", "--limit", "0"), 2, "newsdesk: error:"),
        (("no-such-command",), 2, "No such command"),
        (("import", "/nonexistent/file.md"), 1, "no such file or directory"),
    ],
)
def test_errors_are_one_line_with_exit_codes(
    sample_db: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run(*args, db=sample_db)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    error_lines = [
        line for line in result.stderr.splitlines() if line.startswith("newsdesk: error:")
    ]
    assert len(error_lines) == 1


def test_debug_shows_the_traceback(sample_db: Path) -> None:
    result = run("--debug", "show", "424242", db=sample_db)
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_invalid_config_is_reported_by_config_check(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\nconcurrency = 'lots'\n", encoding="utf-8")
    result = run("config", "check", db=tmp_path / "x.db", env={"NEWSDESK_CONFIG": str(config)})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"newsdesk: error: {config}:2: refresh.concurrency: expected a whole number, got str"
    )


def test_config_path_names_config_and_database(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    result = run("config", "path", db=tmp_path / "d.db", env={"NEWSDESK_CONFIG": str(config)})
    assert result.returncode == 0
    assert f"config:   {config}" in result.stdout
    assert f"database: {tmp_path / 'd.db'}" in result.stdout


def test_newsdesk_db_environment_variable_is_honoured(tmp_path: Path) -> None:
    db = tmp_path / "from-env.db"
    result = subprocess.run(
        [sys.executable, "-m", "tui", "import", str(SAMPLES_DIR / "rubio-de-la-fuente-call.es.md")],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO), "NEWSDESK_DB": str(db)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_import_reports_bad_files_and_keeps_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A title\n\nSome text.\n", encoding="utf-8")
    (folder / "bad.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    result = run("import", str(folder), db=tmp_path / "x.db")
    assert result.returncode == 0
    assert "1 new" in result.stdout
    assert f"newsdesk: warning: skipped {folder / 'bad.md'}: invalid front matter" in result.stderr
    assert f"newsdesk: warning: skipped {folder / 'blob.txt'}: binary content" in result.stderr
    listed = run("list", "--json", db=tmp_path / "x.db").stdout.splitlines()
    assert [json.loads(line)["title"] for line in listed] == ["A title"]


def test_analyze_reads_front_matter_and_prints_json(tmp_path: Path) -> None:
    result = run(
        "analyze",
        "--json",
        str(SAMPLES_DIR / "rubio-de-la-fuente-call.es.md"),
        db=tmp_path / "x.db",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "es"
    assert {"actors", "dates", "commitments"} <= set(data)


def test_feeds_listed_in_the_config_become_sources(tmp_path: Path) -> None:
    from tui.runtime import Runtime

    config = tmp_path / "config.toml"
    config.write_text(
        '[[feeds]]\nurl = "https://example.org/rss"\ntitle = "Example"\ntags = ["mx"]\nfull_text = true\n',
        encoding="utf-8",
    )
    runtime = Runtime(db_path=tmp_path / "d.db", config_file=config)
    for _ in range(2):  # idempotent
        with runtime.open_store() as store:
            [source] = store.sources()
    assert (source.url, source.title, source.tags, source.options) == (
        "https://example.org/rss", "Example", ("mx",), {"full_text": True},
    )  # fmt: skip


BROKEN_OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="News" title="News">
<outline type="rss" text="One" xmlUrl="http://a.example/1.xml" description="ok"/>
<outline type="rss" text="Two" description="see <a href="http://b">this</a>" xmlUrl="http://a.example/2.xml"/>
<outline type="rss" text="Three" xmlUrl="http://a.example/3.xml"/>
<outline type="rss" text="Gopher" xmlUrl="gopher://a.example/4"/>
</outline></body></opml>"""


def test_opml_import_reports_every_skipped_outline(tmp_path: Path) -> None:
    """An unescaped <a> in a description used to drop a feed without a word."""
    opml = tmp_path / "subs.opml"
    opml.write_bytes(BROKEN_OPML)
    result = run("opml", "import", str(opml), db=tmp_path / "o.db")
    assert result.returncode == 0, result.stderr
    assert "2 feed(s): 2 added, 0 already there, 2 outline(s) skipped" in result.stdout
    assert "skipped: Two: its feed address was lost in broken markup" in result.stderr
    assert "skipped: Gopher: not an http(s) feed address (gopher://a.example/4)" in result.stderr


def test_fetch_summary_never_cuts_a_title_silently(tmp_path: Path) -> None:
    from tui.cli.output import stdout
    from tui.cli.sources_cmd import _summarise
    from tui.sources.fetch import SourceResult

    label = "The Guardian World News and Comment international edition"  # 57 characters
    long = "A" * 70
    results = [
        SourceResult(source_id=1, label=label, url="http://x/", status="ok", new=1),
        SourceResult(source_id=2, label=long, url="http://y/", status="ok"),
    ]
    with stdout.capture() as captured:
        _summarise(results)
    words = " ".join(captured.get().split())
    assert "international edition" in words  # was cut to "internationa"
    assert "AAAA…" in captured.get()  # a cut label always shows an ellipsis
