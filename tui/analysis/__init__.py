"""The analysis engine: actors, commitments and upcoming dates in a story.

Never imports Textual or the store: it is pure text in, ``Analysis`` out.

The engine's modules load on first use of a name below (``from tui.analysis import
analyze``), so that reading the language data (``tui.analysis.data_loader``: the
desk's date labels) does not import the whole engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.analysis.model import Actor, Analysis, Commitment, DateMention
    from tui.analysis.pipeline import ANALYSER_VERSION, analyze

__all__ = ["ANALYSER_VERSION", "Actor", "Analysis", "Commitment", "DateMention", "analyze"]

_HOMES = {
    "Actor": "tui.analysis.model",
    "Analysis": "tui.analysis.model",
    "Commitment": "tui.analysis.model",
    "DateMention": "tui.analysis.model",
    "ANALYSER_VERSION": "tui.analysis.pipeline",
    "analyze": "tui.analysis.pipeline",
}


def __getattr__(name: str) -> Any:
    """Import the engine module that holds ``name`` the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
