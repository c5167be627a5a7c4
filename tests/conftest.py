"""Shared fixtures: real SQLite files in temporary folders, and the shared data paths."""

from __future__ import annotations

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
