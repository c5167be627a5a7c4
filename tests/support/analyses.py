"""Hand-made analyses with real offsets, for tests that must not depend on the analyser.

The analysis engine keeps changing, so tests that need specific actors, commitments
and dates build them here: ``build_analysis`` finds offsets in the story's analysed
text and sentence indexes with the real segmenter, ``save`` stores the result where
the engine's results would go; ``seed_analysis`` is the fixed analysis of the sample
desk's seed story that the desk tests and snapshots highlight.
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
from tui.widgets.story_view import full_text

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
    """Offsets of the first occurrence of ``needle`` in ``text``."""
    start = text.index(needle)
    return start, start + len(needle)


def build_analysis(
    story: Story,
    language: str,
    actors: Sequence[A] = (),
    dates: Sequence[D] = (),
    commitments: Sequence[C] = (),
) -> Analysis:
    """An analysis of ``story`` holding exactly the given mentions, at their real offsets."""
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
    """Cache ``analysis`` for ``story`` under the test version (never the engine's)."""
    store.save_analysis(story.id, version, analysis.to_dict())


def cached_provider(store: Store, story: Story) -> Analysis:
    """Analysis provider reading only the hand-built cache (empty when none)."""
    data = store.cached_analysis(story.id, TEST_VERSION)
    return Analysis.from_dict(data) if data else Analysis(language=story.language)


def add_story(store: Store, title: str, text: str = "Body text.", **kw: object) -> Story:
    """Store a story (published 8 January 2026 unless given) and return it."""
    kw.setdefault("published", dt.datetime(2026, 1, 8, 12, tzinfo=dt.UTC))
    story_id, _ = store.upsert_story(None, StoryIn(title=title, text=text, **cast(Any, kw)))
    return store.story(story_id)


def seed_analysis(full: str) -> Analysis:
    """The hand-made analysis of the seed story, from its analysed text ``full``.

    Independent of the analyser's progress: desk tests and snapshots show these highlights.
    """

    def at(needle: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = full.index(needle, start + 1)
        return start, start + len(needle)

    rubio = at("Marco Rubio", 1)
    fuente = at("Juan Ramón de la Fuente")
    mexico = at("México", 2)
    enero = at("próximo 23 de enero")
    febrero = at("en febrero", 0)
    pledge = at("convinieron en convocar una Reunión Ministerial de Seguridad")

    return Analysis(
        language="es",
        actors=[
            Actor(*rubio, "Marco Rubio", "person", "Marco Rubio", "secretario de Estado"),
            Actor(*fuente, "Juan Ramón de la Fuente", "person", "Juan Ramón de la Fuente"),
            Actor(*mexico, "México", "place", "México"),
            Actor(*at("Rubio", 2), "Rubio", "person", "Marco Rubio"),
        ],
        dates=[
            DateMention(*enero, "próximo 23 de enero", "2026-01-23", "day", True, 9, "reunión"),
            DateMention(*febrero, "en febrero", "2026-02", "month", True, 10),
        ],
        commitments=[
            Commitment(
                *pledge,
                full[pledge[0] : pledge[1]],
                "convinieron",
                "Rubio y De la Fuente",
                ("Marco Rubio",),
                "convocar una Reunión Ministerial",
                "agreement",
                due="2026-02",
            ),
        ],
    )


def seed_analyser(store: Store, story: Story) -> Analysis:
    """A desk analyser: the hand-made analysis for the seed story, nothing for the others.

    Snapshots use it so that they show highlights without depending on the analyser's
    current rules (which other work keeps improving).
    """
    if "Marco Rubio" in story.title:
        return seed_analysis(full_text(story))
    return Analysis(language=story.language or "en")
