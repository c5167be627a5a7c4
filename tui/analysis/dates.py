"""Dates resolved against the publication date (placeholder, built by the dates issue)."""

from __future__ import annotations

import datetime as dt

from tui.analysis.document import Document
from tui.analysis.model import DateMention


def find_dates(doc: Document, published: dt.date, explicit_anchor: bool) -> list[DateMention]:
    """Date mentions in text order, resolved against ``published``."""
    return []
