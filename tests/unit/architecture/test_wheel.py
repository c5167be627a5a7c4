"""The built wheel works on its own: installed into a fresh venv, away from the source tree.

This is what a user gets from ``pip install newsdesk``: the dependency list must
be complete, and the Textual CSS under ``styles/`` must ship inside the wheel and
be found by the installed app.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.support.paths import REPO

_HEADLESS_START = r"""
import asyncio, sys
from pathlib import Path
import tui
from tui.app import NewsDeskApp
from tui.runtime import Runtime

assert "site-packages" in tui.__file__, tui.__file__

async def main() -> None:
    runtime = Runtime(db_path=Path(sys.argv[1]), demo=True)
    app = NewsDeskApp(runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for path in app.css_path:
            assert Path(path).is_file(), path
            assert "site-packages" in str(path), path
        assert app.stylesheet.rules, "no CSS rules loaded"
        await pilot.press("q")
    print("started")

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [built] = out.glob("newsdesk-*.whl")
    return built


def test_wheel_contains_styles_samples_and_language_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("tui/styles/") and n.endswith(".tcss") for n in names)
    assert "tui/samples/rubio-de-la-fuente-call.es.md" in names
    assert "tui/samples/ATTRIBUTION.md" in names
    assert any(n.startswith("tui/analysis/data/es/") for n in names)
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_runs_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=900,
        cwd=tmp_path,
    )
    version = subprocess.run(
        [str(env_dir / "bin" / "newsdesk"), "--version"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("newsdesk, version ")
    started = subprocess.run(
        [str(python), "-c", _HEADLESS_START, str(tmp_path / "desk.db")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr[-3000:]
    assert started.stdout.strip().endswith("started")
