"""The core never imports Textual: sources, store, analysis and export are UI-free.

Checked in a fresh interpreter, because an import anywhere in the test session
would hide the leak.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORE_PACKAGES = ["tui.store", "tui.sources", "tui.analysis", "tui.export", "tui.desk"]
CORE_MODULES = ["tui.config", "tui.timex", "tui.story_analysis", "tui.samples", "tui.cli"]

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
