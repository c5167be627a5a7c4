"""Actors: people, organisations and places (placeholder, built by the actors issue)."""

from __future__ import annotations

from tui.analysis.document import Document
from tui.analysis.model import Actor


def find_actors(doc: Document) -> list[Actor]:
    """Actor mentions in text order, non-overlapping."""
    return []
