"""``analyze``: the one entry point of the analysis engine.

Pure and deterministic: it reads only the text and its arguments, never the
network or the store, so results can be cached by (story, ANALYSER_VERSION).
"""

from __future__ import annotations

import datetime as dt

from tui.analysis.actors import find_actors
from tui.analysis.commitments import find_commitments
from tui.analysis.dates import find_dates
from tui.analysis.language import story_language
from tui.analysis.model import Analysis
from tui.analysis.segment import segment

#: Bump whenever rules or word lists change: cached analyses of older versions
#: are recomputed lazily.
ANALYSER_VERSION = "0.6.0"


def _as_date(published: dt.date | dt.datetime | None) -> tuple[dt.date, bool]:
    if published is None:
        return dt.date.today(), False
    if isinstance(published, dt.datetime):
        return published.date(), True
    return published, True


def analyze(
    text: str,
    language: str | None = None,
    published: dt.date | dt.datetime | None = None,
) -> Analysis:
    """Find actors, dates and commitments in ``text``.

    ``language`` is the declared language (any tag: ``es``, ``spa``, ``es-MX``),
    checked against the text and detected when missing or clearly wrong;
    ``published`` anchors relative dates ("mañana", "next week"); without it, today
    is used.
    """
    lang = story_language(text, language)
    doc = segment(text, lang)
    anchor, explicit = _as_date(published)
    actors = find_actors(doc)
    names = [(a.start, a.end) for a in actors if a.kind != "place"]
    dates = find_dates(doc, anchor, explicit, names=names)
    commitments = find_commitments(doc, actors, dates)
    return Analysis(language=lang, actors=actors, dates=dates, commitments=commitments)
