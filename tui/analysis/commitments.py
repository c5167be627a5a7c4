"""Commitments (placeholder, built by the commitments issue)."""

from __future__ import annotations

from tui.analysis.document import Document
from tui.analysis.model import Actor, Commitment, DateMention


def find_commitments(
    doc: Document, actors: list[Actor], dates: list[DateMention]
) -> list[Commitment]:
    """Commitments in text order."""
    return []
