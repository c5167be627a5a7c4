"""Shared fixtures: real SQLite files in temporary folders, and the shared data paths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.store import Store

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the developer's real config or database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("NEWSDESK_DB", str(home / "newsdesk.db"))
    monkeypatch.setenv("NEWSDESK_CONFIG", str(home / "config.toml"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh database file."""
    return tmp_path / "desk.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """An open store on a real SQLite file."""
    with Store.open(db_path) as opened:
        yield opened


# -- desk (Textual UI) fixtures ----------------------------------------------------------------
# Real SQLite files with the sample desk loaded, a frozen clock so ages and snapshots are
# stable, and background analysis off unless a test asks for it.

import datetime as _dt  # noqa: E402
from collections.abc import Callable as _Callable  # noqa: E402
from typing import Any as _Any  # noqa: E402

DESK_NOW = _dt.datetime(2026, 1, 10, 12, 0, tzinfo=_dt.UTC)


@pytest.fixture
def desk_runtime(tmp_path: Path) -> _Any:
    """A runtime on a fresh database holding the sample desk, with its own config file."""
    from tui.runtime import Runtime
    from tui.samples import load_samples

    runtime = Runtime(db_path=tmp_path / "desk.db", config_file=tmp_path / "config.toml")
    with Store.open(runtime.db_path) as opened:
        load_samples(opened)
    return runtime


@pytest.fixture
def empty_runtime(tmp_path: Path) -> _Any:
    """A runtime on a database that does not exist yet (first run)."""
    from tui.runtime import Runtime

    return Runtime(db_path=tmp_path / "empty.db", config_file=tmp_path / "config.toml")


@pytest.fixture
def make_desk() -> _Callable[..., _Any]:
    """Build a ``NewsDeskApp`` with the frozen clock and no background analysis."""
    from tui.app import NewsDeskApp

    def build(runtime: _Any, **options: _Any) -> _Any:
        options.setdefault("clock", lambda: DESK_NOW)
        options.setdefault("background_analysis", False)
        app_class = options.pop("app_class", NewsDeskApp)
        return app_class(runtime, **options)

    return build


def _seed_analysis(full: str) -> _Any:
    """A hand-built analysis of the seed story (independent of the analyser's progress)."""

    def span(needle: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = full.index(needle, start + 1)
        return start, start + len(needle)

    rubio = span("Marco Rubio", 1)
    fuente = span("Juan Ramón de la Fuente")
    mexico = span("México", 2)
    enero = span("próximo 23 de enero")
    febrero = span("en febrero", 0)
    pledge = span("convinieron en convocar una Reunión Ministerial de Seguridad")
    from tui.analysis.model import Actor, Analysis, Commitment, DateMention

    return Analysis(
        language="es",
        actors=[
            Actor(*rubio, "Marco Rubio", "person", "Marco Rubio", "secretario de Estado"),
            Actor(*fuente, "Juan Ramón de la Fuente", "person", "Juan Ramón de la Fuente"),
            Actor(*mexico, "México", "place", "México"),
            Actor(*span("Rubio", 2), "Rubio", "person", "Marco Rubio"),
        ],
        dates=[
            DateMention(*enero, "próximo 23 de enero", "2026-01-23", "day", True, 9, "reunión"),
            DateMention(*febrero, "en febrero", "2026-02", "month", True, 10),
        ],
        commitments=[
            Commitment(
                *pledge,
                full[pledge[0] : pledge[1]],
                "convinieron",
                "Rubio y De la Fuente",
                ("Marco Rubio",),
                "convocar una Reunión Ministerial",
                "agreement",
                due="2026-02",
            ),
        ],
    )


@pytest.fixture
def seed_analysis() -> _Callable[[str], _Any]:
    """Build the hand-made analysis of the seed story from its ``full_text``."""
    return _seed_analysis


@pytest.fixture
def seed_analyser() -> _Callable[..., _Any]:
    """A desk analyser: the hand-made analysis for the seed story, nothing for the others.

    Snapshots use it so that they show highlights without depending on the analyser's
    current rules (which other work keeps improving).
    """
    from tui.analysis.model import Analysis
    from tui.widgets.story_view import full_text

    def analyse(store: _Any, story: _Any) -> _Any:
        if "Marco Rubio" in story.title:
            return _seed_analysis(full_text(story))
        return Analysis(language=story.language or "en")

    return analyse


# -- PostgreSQL (the shared desk): a real server per session, a fresh database per test --------

import pg_support as _pg  # noqa: E402


@pytest.fixture(scope="session")
def pg_server() -> Iterator[_Any]:
    """A PostgreSQL server started for this test session.

    On a developer's machine without PostgreSQL the shared-desk tests skip with the
    reason; in CI (``CI`` set, where ``.ci/run`` installs it) a missing server fails.
    """
    reason = _pg.missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {reason}")
        pytest.skip(reason)
    server = _pg.start_server()
    try:
        yield server
    finally:
        _pg.stop_server(server)


@pytest.fixture
def pg_url(pg_server: _Any) -> Iterator[str]:
    """URL of a fresh, migrated PostgreSQL database (dropped after the test)."""
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, db_path: Path) -> Iterator[_Any]:
    """The same store tests on both backends: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        with Store.open(db_path) as opened:
            yield opened
        return
    from tui.store.postgres import PgStore

    url = request.getfixturevalue("pg_url")
    with PgStore.open(url, user="ann") as opened:
        yield opened
