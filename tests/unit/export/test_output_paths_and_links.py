"""Reliability, items 1, 2 and 4 of issue 15: output paths, escapes from outside, link schemes.

Real files, FIFOs and device nodes in temporary folders; the CLI in this process
(``run_main``) or as a real process (``cli``) where the terminal matters.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tests.support.processes import cli, run_main, terminal_safe
from tui.export.atomic import ExistsError, ExportError, write_output
from tui.sources.clean import clean_line, clean_text
from tui.sources.files import import_paths
from tui.sources.links import local_path, web_link
from tui.store import Store, StoryFilter

ESC_TITLE = "\x1b]0;pwned\x07"
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
PAYLOADS = [
    ESC_TITLE,
    OSC52,
    "\x1b[2J\x1b[H",
    "\x9b31m",  # 8-bit CSI
    "\x9d0;x\x9c",  # 8-bit OSC ... ST
    "\x1bP+q\x1b\\",  # DCS
    "a\u200db",  # zero-width joiner
    "\u202eevil",  # right-to-left override
    "[bold red]markup[/]",  # Rich markup must stay text
    "\x00\x07\x08\x7f",
]


# -- item 1: output paths -------------------------------------------------------------------------


def _reader(fifo: Path, got: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(fifo, "rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _reader(fifo, got)
    # The reader must have opened its end, else the non-blocking open is refused.
    for _ in range(200):
        try:
            write_output(fifo, "hello\n", force=True)
            break
        except ExportError:
            threading.Event().wait(0.01)
    reader.join(5)
    assert got == [b"hello\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_fifo_nobody_reads_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="nothing is reading"):
        write_output(fifo, "x", force=True)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_device_is_written_in_place(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    assert write_output(Path("/dev/null"), "x" * 100_000) == Path("/dev/null")
    write_output(link, "x")  # through a symlink, no --force needed: nothing is replaced
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert link.is_symlink()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_device_reports_the_real_error() -> None:
    with pytest.raises(ExportError, match="No space left on device"):
        write_output(Path("/dev/full"), "x", force=True)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_directory_is_refused_and_a_file_needs_force(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a directory"):
        write_output(tmp_path, "x", force=True)
    target = tmp_path / "a.md"
    target.write_text("old")
    target.chmod(0o640)
    with pytest.raises(ExistsError):
        write_output(target, "new")
    write_output(target, "new", force=True)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temporary file left


def test_opml_export_needs_force_is_atomic_and_never_hangs_on_a_fifo(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    with Store.open(db) as store:
        store.add_source("https://example.org/feed.xml", kind="feed", title="Example")
    out = tmp_path / "subs.opml"
    out.write_text("keep me")
    code, _out, err = run_main(capfd, "--db", str(db), "opml", "export", "-o", str(out))
    assert code == 1 and "already exists (use --force" in err
    assert out.read_text() == "keep me"
    code, _out, err = run_main(capfd, "--db", str(db), "opml", "export", "-o", str(out), "--force")
    assert code == 0, err
    assert "https://example.org/feed.xml" in out.read_text()
    fifo = tmp_path / "subs.fifo"
    os.mkfifo(fifo)
    code, _out, err = run_main(capfd, "--db", str(db), "opml", "export", "-o", str(fifo))
    assert code == 1 and "nothing is reading the pipe" in err
    code, _out, err = run_main(capfd, "--db", str(db), "opml", "export", "-o", str(tmp_path))
    assert code == 1 and "is a directory" in err


def test_export_to_a_fifo_with_force_keeps_the_fifo(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    Store.open(db).close()
    fifo = tmp_path / "agenda.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _reader(fifo, got)
    code, _out, err = 1, "", ""
    for _ in range(100):  # until the reader thread has opened its end
        code, _out, err = run_main(
            capfd, "--db", str(db), "agenda", "--format", "ics", "-o", str(fifo), "--force"
        )
        if code == 0:
            break
        threading.Event().wait(0.02)
    assert code == 0, err
    reader.join(5)
    assert got and got[0].startswith(b"BEGIN:VCALENDAR")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


# -- item 2: every outside string is cleaned before output ----------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_clean_line_leaves_nothing_for_a_terminal(payload: str) -> None:
    assert terminal_safe(clean_line(f"a{payload}b"))
    assert terminal_safe(clean_text(f"a{payload}b\n\nc"))


def test_zero_width_joiners_go_but_the_non_joiner_stays() -> None:
    assert clean_line("👩\u200d💻 x\u2060y") == "👩💻 xy"
    assert clean_line("می\u200cخواهم") == "می\u200cخواهم"  # Persian spelling


def test_file_names_with_escapes_never_reach_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / f"dir{ESC_TITLE}"
    folder.mkdir()
    (folder / f"story{OSC52}.md").write_text("no title line here is empty\n\nBody text.\n")
    (folder / f"plain{ESC_TITLE}.txt").write_text("\n")
    (folder / "broken\x9b31m.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    db = tmp_path / "d.db"
    imported = cli("import", str(folder), db=db)
    assert imported.returncode == 0, imported.stderr
    assert "skipped" in imported.stderr  # the broken front matter, path cleaned
    for stream in (imported.stdout, imported.stderr):
        assert terminal_safe(stream), repr(stream)
    listed = cli("list", db=db)
    assert listed.returncode == 0
    assert terminal_safe(listed.stdout), repr(listed.stdout)
    assert "plain]0;pwned" not in listed.stdout
    with Store.open(db) as store:
        stories = store.list_stories(StoryFilter(), limit=10)
        assert {s.title for s in stories} >= {"no title line here is empty"}
        assert all(terminal_safe(s.title) and terminal_safe(s.source) for s in stories)


def test_analyze_never_prints_the_files_own_escapes(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text(
        f"The minister{ESC_TITLE} Ana Pérez{OSC52} said on Monday that the government will "
        "build a bridge by March 2027.\x9b31m\n"
    )
    for args in ((str(text),), (str(text), "--json")):
        done = cli("analyze", *args, db=tmp_path / "d.db")
        assert done.returncode == 0, done.stderr
        assert terminal_safe(done.stdout.replace("\n", " ")), repr(done.stdout)
    missing = cli("analyze", str(tmp_path / f"gone{ESC_TITLE}.txt"), db=tmp_path / "d.db")
    assert missing.returncode != 0 and terminal_safe(missing.stderr.replace("\n", " "))


def test_list_and_show_clean_what_an_old_database_holds(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    with Store.open(db) as store:
        source = store.add_source("https://e.org/f", kind="feed", title="src")
        with store.transaction() as conn:  # as written by hand or by an older version
            conn.execute(
                "INSERT INTO stories (uid, source_id, url, title, published, fetched, text, "
                "content_hash, note) VALUES ('u', ?, ?, ?, '2026-01-01T00:00:00Z', "
                "'2026-01-01T00:00:00Z', ?, 'h', ?)",
                (
                    source.id,
                    f"https://e.org/{OSC52}",
                    f"T{ESC_TITLE}",
                    f"x\x9b2J{OSC52}",
                    ESC_TITLE,
                ),
            )
            story_id = int(conn.execute("SELECT id FROM stories WHERE uid = 'u'").fetchone()[0])
    for args in (("list",), ("show", str(story_id))):
        code, out, err = run_main(capfd, "--db", str(db), *args)
        assert code == 0, err
        assert terminal_safe(out.replace("\n", " ")), repr(out)


# -- item 4: only http(s) links are opened or exported --------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "vbscript:x",
     "JAVASCRIPT:alert(1)", " javascript:alert(1)", "http:///nohost", "ftp://e.org/x"],
)  # fmt: skip
def test_web_link_refuses_other_schemes(url: str) -> None:
    assert web_link(url) == ""


def test_web_link_keeps_http_and_local_path_shows_files() -> None:
    assert web_link("https://e.org/a?b=1") == "https://e.org/a?b=1"
    assert web_link("HTTP://e.org/") == "HTTP://e.org/"
    assert local_path("/home/me/story.md") == "/home/me/story.md"
    assert local_path("https://e.org/1") == "" and local_path("tag:1") == ""


def test_front_matter_url_with_another_scheme_is_not_imported_nor_exported(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    for i, url in enumerate(["javascript:alert(document.cookie)", "file:///etc/passwd"]):
        (tmp_path / f"s{i}.md").write_text(
            f"---\ntitle: Story {i}\nurl: {url}\npublished: 2026-01-05\n---\n"
            "The council will vote on 20 January 2026 on the plan.\n"
        )
    with Store.open(db) as store:
        report = import_paths(store, [tmp_path / "s0.md", tmp_path / "s1.md"])
        assert report.new == 2
        assert all(s.url == "" for s in store.list_stories(StoryFilter(), limit=5))
        # A database written before this check may still hold such a URL.
        with store.transaction() as conn:
            conn.execute("UPDATE stories SET url = 'javascript:alert(1)'")
    for fmt in ("ics", "json"):
        code, out, err = run_main(
            capfd, "--db", str(db), "agenda", "--from", "2026-01-01", "--format", fmt
        )
        assert code == 0, err
        assert "javascript" not in out and "file://" not in out
    code, out, err = run_main(capfd, "--db", str(db), "export", "--format", "json")
    assert code == 0, err
    assert "javascript" not in out
