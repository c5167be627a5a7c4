"""The analysis of a stored story, computed once and cached in the store.

The desk, the export and the agenda all ask for "the analysis of story N". The
cache is keyed by ``ANALYSER_VERSION``, so upgrading the rules re-analyses
stories lazily, the first time each is needed again.
"""

from __future__ import annotations

import datetime as dt

from tui.analysis import ANALYSER_VERSION, Analysis, analyze
from tui.store import Store, Story
from tui.text_limits import cut_at, limits

TITLE_SEPARATOR = "\n\n"


def analysis_text(story: Story) -> str:
    """What is analysed: the title (a sentence of its own), a blank line, the text.

    At most ``[limits] analysis_chars`` characters (the start of the story):
    offsets into it are offsets into the story, so highlights stay right.
    """
    if story.title and story.text:
        full = story.title + TITLE_SEPARATOR + story.text
    else:
        full = story.title or story.text
    return cut_at(full, limits().analysis_chars)


def analysis_is_cut(story: Story) -> bool:
    """Whether the analysis of ``story`` covers only its start."""
    size = (
        len(story.title)
        + len(story.text)
        + (len(TITLE_SEPARATOR) if story.title and story.text else 0)
    )
    return size > limits().analysis_chars


def body_offset(story: Story) -> int:
    """Where ``story.text`` starts inside ``analysis_text(story)``."""
    return len(story.title) + len(TITLE_SEPARATOR) if story.title and story.text else 0


def published_of(story: Story) -> dt.datetime | None:
    """The story's publication time as an aware datetime."""
    try:
        return dt.datetime.fromisoformat(story.published.replace("Z", "+00:00"))
    except ValueError:
        return None


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
