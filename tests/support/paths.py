"""Where the tests find the repository, their own data and the shared data next to it.

Defined once so that no test computes paths from its own ``__file__``: a test file can
move to another folder without its paths changing. The repository is found by walking up
to ``pyproject.toml`` (so this module may move too). The shared data (``../shared`` from
the repository root: samples, eval sets, the real-feed corpus) is read-only and may be
absent; tests that need it skip when it is.
"""

from __future__ import annotations

from pathlib import Path


def _repository() -> Path:
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / "pyproject.toml").is_file() and (folder / "tui").is_dir():
            return folder
    raise RuntimeError(f"no repository above {here}")


REPO = _repository()
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
FEED_FIXTURES = FIXTURES / "feeds"
GOLDEN = TESTS / "golden"

SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"
SHARED_SAMPLES = SHARED / "samples"
