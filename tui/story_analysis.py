"""The analysis of a stored story, computed once and cached in the store.

The desk, the export and the agenda all ask for "the analysis of story N". The
cache is keyed by ``ANALYSER_VERSION``, so upgrading the rules re-analyses
stories lazily, the first time each is needed again.
"""

from __future__ import annotations

import datetime as dt

from tui.analysis import ANALYSER_VERSION, Analysis, analyze
from tui.analysis_text import (
    TITLE_SEPARATOR as TITLE_SEPARATOR,
)
from tui.analysis_text import (
    analysis_is_cut as analysis_is_cut,
)
from tui.analysis_text import (
    analysis_text as analysis_text,
)
from tui.analysis_text import (
    body_offset as body_offset,
)
from tui.store import Store, Story
from tui.timeparse import parse_iso


def published_of(story: Story) -> dt.datetime | None:
    """The story's publication time as an aware datetime."""
    return parse_iso(story.published)


def stored_analysis(store: Store, story_id: int) -> Analysis | None:
    """The analysis cached in the store for this analyser version; never computes one."""
    cached = store.cached_analysis(story_id, ANALYSER_VERSION)
    return Analysis.from_dict(cached) if cached is not None else None


def analysis_for(store: Store, story: Story, *, refresh: bool = False) -> Analysis:
    """The cached analysis of ``story`` (which must carry its text), computing it if needed."""
    if not refresh:
        cached = stored_analysis(store, story.id)
        if cached is not None:
            return cached
    result = analyze(
        analysis_text(story), language=story.language or None, published=published_of(story)
    )
    store.save_analysis(story.id, ANALYSER_VERSION, result.to_dict())
    return result


def analyse_pending(store: Store, *, limit: int = 100) -> int:
    """Analyse up to ``limit`` stories that have no analysis for this version; return how many."""
    done = 0
    for story_id in store.stories_without_analysis(ANALYSER_VERSION, limit=limit):
        analysis_for(store, store.story(story_id), refresh=True)
        done += 1
    return done
