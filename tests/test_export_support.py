"""Helpers shared by the export tests: hand-built analyses with real offsets.

The analysis engine is still changing, so tests that need specific actors,
commitments and dates build them here (offsets found in the story's analysed
text, sentence indexes from the real segmenter) and save them through the
store, exactly where the engine's results would go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from tui.analysis.model import Actor, Analysis, Commitment, DateMention
from tui.analysis.segment import segment
from tui.store import Store, Story, StoryIn
from tui.story_analysis import analysis_text

#: Cache key for hand-built analyses: never the engine's version, so a cached
#: engine result can never be mistaken for them (and the reverse).
TEST_VERSION = "export-tests"


@dataclass(frozen=True)
class A:
    """An actor mention: the first occurrence of ``needle``."""

    needle: str
    kind: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class D:
    """A date mention."""

    needle: str
    value: str
    granularity: str
    event: str = ""
    upcoming: bool = True


@dataclass(frozen=True)
class C:
    """A commitment whose span is the first occurrence of ``needle``."""

    needle: str
    trigger: str
    actor: str
    action: str
    kind: str = "agreement"
    due: str = ""
    negated: bool = False


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def build_analysis(
    story: Story,
    language: str,
    actors: Sequence[A] = (),
    dates: Sequence[D] = (),
    commitments: Sequence[C] = (),
) -> Analysis:
    text = analysis_text(story)
    doc = segment(text, language)

    def sentence(offset: int) -> int:
        found = doc.sentence_at(offset)
        assert found is not None, offset
        return found.index

    def actor(a: A) -> Actor:
        start, end = span(text, a.needle)
        return Actor(start, end, a.needle, cast(Any, a.kind), a.name, a.role)

    def date(d: D) -> DateMention:
        start, end = span(text, d.needle)
        return DateMention(
            start,
            end,
            d.needle,
            d.value,
            cast(Any, d.granularity),
            d.upcoming,
            sentence(start),
            d.event,
        )

    def commitment(c: C) -> Commitment:
        start, end = span(text, c.needle)
        return Commitment(
            start,
            end,
            c.needle,
            c.trigger,
            c.actor,
            (c.actor,),
            c.action,
            cast(Any, c.kind),
            c.negated,
            c.due,
        )

    return Analysis(
        language=language,
        actors=[actor(a) for a in actors],
        dates=[date(d) for d in dates],
        commitments=[commitment(c) for c in commitments],
    )


def save(store: Store, story: Story, analysis: Analysis, version: str = TEST_VERSION) -> None:
    store.save_analysis(story.id, version, analysis.to_dict())


def cached_provider(store: Store, story: Story) -> Analysis:
    """Analysis provider reading only the hand-built cache (empty when none)."""
    data = store.cached_analysis(story.id, TEST_VERSION)
    return Analysis.from_dict(data) if data else Analysis(language=story.language)


def add_story(store: Store, title: str, text: str = "Body text.", **kw: object) -> Story:
    kw.setdefault("published", dt.datetime(2026, 1, 8, 12, tzinfo=dt.UTC))
    story_id, _ = store.upsert_story(None, StoryIn(title=title, text=text, **cast(Any, kw)))
    return store.story(story_id)


def test_build_analysis_offsets_point_at_the_needles(store: Store) -> None:
    story = add_story(
        store, "Rubio calls De la Fuente", "They will meet on 23 January in Washington."
    )
    result = build_analysis(
        story,
        "en",
        [A("Rubio", "person", "Marco Rubio")],
        [D("23 January", "2026-01-23", "day", "meeting")],
    )
    text = analysis_text(story)
    assert text[result.actors[0].start : result.actors[0].end] == "Rubio"
    assert result.dates[0].sentence == 1
