"""Fixtures shared by every test: real SQLite files in temporary folders, the sample desk,
a loopback HTTP server and a PostgreSQL server.

The fixtures are thin: what they build is defined once in the support modules (paths,
the desk, hand-made analyses, the HTTP server, PostgreSQL), which tests may also import.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import postgres as _pg
from tests.support.analyses import seed_analyser as _seed_analyser
from tests.support.analyses import seed_analysis as _seed_analysis
from tests.support.desk import DeskUnderTest, build_desk, first_run_runtime, sample_runtime
from tests.support.http_server import LoopbackServer, serve
from tui.analysis.model import Analysis
from tui.runtime import Runtime
from tui.store import Store, Story


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


# -- a real HTTP server on 127.0.0.1 -------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1 for one test (see ``tests.support.http_server``)."""
    with serve() as state:
        yield state


# -- the desk (Textual UI) -----------------------------------------------------------------------


@pytest.fixture
def desk_runtime(tmp_path: Path) -> Runtime:
    """A runtime on a fresh database holding the sample desk, with its own config file."""
    return sample_runtime(tmp_path)


@pytest.fixture
def empty_runtime(tmp_path: Path) -> Runtime:
    """A runtime on a database that does not exist yet (first run)."""
    return first_run_runtime(tmp_path)


@pytest.fixture
def make_desk() -> Callable[..., DeskUnderTest]:
    """Build the desk with the frozen clock and no background analysis (``build_desk``)."""
    return build_desk


@pytest.fixture
def seed_analysis() -> Callable[[str], Analysis]:
    """Build the hand-made analysis of the seed story from its ``full_text``."""
    return _seed_analysis


@pytest.fixture
def seed_analyser() -> Callable[[Store, Story], Analysis]:
    """A desk analyser: the hand-made analysis for the seed story, nothing for the others."""
    return _seed_analyser


# -- PostgreSQL (the shared desk): a real server per session, a fresh database per test --------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[_pg.PgServer]:
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
def pg_url(pg_server: _pg.PgServer) -> Iterator[str]:
    """URL of a fresh, migrated PostgreSQL database (dropped after the test)."""
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Any]:
    """The same store tests on both backends: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        with Store.open(db_path) as opened:
            yield opened
        return
    from tui.store.postgres import PgStore

    url = request.getfixturevalue("pg_url")
    with PgStore.open(url, user="ann") as opened:
        yield opened
