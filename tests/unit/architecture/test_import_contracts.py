"""The core never imports Textual: sources, store, analysis and export are UI-free.

Checked in a fresh interpreter, because an import anywhere in the test session
would hide the leak.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO

CORE_PACKAGES = ["tui.store", "tui.sources", "tui.analysis", "tui.export", "tui.desk"]
CORE_MODULES = [
    "tui.config",
    "tui.timex",
    "tui.timeparse",
    "tui.analysis_text",
    "tui.story_analysis",
    "tui.samples",
    "tui.cli",
    "tui.runtime",
    "tui.readable_dates",
    "tui.language_codes",
    "tui.text_limits",
    "tui.analysis_worker",
]

_PROBE = r"""
import importlib, json, pkgutil, sys
names = list(sys.argv[2:])
for package in json.loads(sys.argv[1]):
    try:
        module = importlib.import_module(package)
    except ModuleNotFoundError:
        continue
    names.append(package)
    names.extend(info.name for info in pkgutil.walk_packages(module.__path__, package + "."))
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps({"imported": names, "leaked": leaked}))
"""


def test_core_modules_do_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(CORE_PACKAGES), *CORE_MODULES],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "tui.store.store" in report["imported"]
    assert "tui.analysis.pipeline" in report["imported"]
    assert report["leaked"] == []


# -- import contracts (issue 16 §3): which layer may import which ----------------------------------

UI_PREFIXES = ("tui.app", "tui.screens", "tui.widgets", "tui.commands")
DRIVERS = ("sqlite3", "psycopg", "psycopg_pool")
#: The one sanctioned core -> UI edge: the command line starts the desk (imported lazily).
ENTRY_POINTS = {("tui.cli", "tui.app")}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _import_edges() -> list[tuple[str, str]]:
    """Every (module, imported module) in ``tui``, function-level imports included."""
    edges = []
    for path in sorted((REPO / "tui").rglob("*.py")):
        module = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges.extend((module, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                edges.append((module, node.module))
    return edges


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_ui_never_imports_the_cli_or_a_database_driver() -> None:
    """Screens and widgets call the core; they never reach the CLI or SQL drivers."""
    bad = [
        (m, n)
        for m, n in _import_edges()
        if _within(m, UI_PREFIXES) and (_within(n, ("tui.cli",)) or _within(n, DRIVERS))
    ]
    assert bad == []


def test_the_core_never_imports_the_ui() -> None:
    """Everything outside the UI layer is usable without it (CLI, exports, tests)."""
    bad = [
        (m, n)
        for m, n in _import_edges()
        if not _within(m, UI_PREFIXES)
        and (_within(n, UI_PREFIXES) or _within(n, ("textual",)))
        and (".".join(m.split(".")[:2]), n) not in ENTRY_POINTS
    ]
    assert bad == []


def test_the_store_and_the_analysis_stand_alone() -> None:
    """The store knows nothing of analysis or feeds; the analysis is pure text in, results out."""
    rules = {
        "tui.store": ("tui.analysis", "tui.sources", "tui.export", "tui.desk", "tui.cli"),
        "tui.analysis": ("tui.store", "tui.sources", "tui.export", "tui.desk", "tui.cli"),
    }
    bad = [
        (m, n)
        for m, n in _import_edges()
        for layer, banned in rules.items()
        if _within(m, (layer,)) and _within(n, banned)
    ]
    assert bad == []


def test_the_contracts_see_real_edges() -> None:
    """The checks above would notice a violation: the walker finds known edges."""
    edges = set(_import_edges())
    assert ("tui.screens.desk", "tui.store") in edges
    assert ("tui.store.connection", "sqlite3") in edges
