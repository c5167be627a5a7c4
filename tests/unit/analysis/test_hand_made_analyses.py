"""The hand-made analyses the export and desk tests build: offsets land on their needles."""

from __future__ import annotations

from tests.support.analyses import A, D, add_story, build_analysis
from tui.store import Store
from tui.story_analysis import analysis_text


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
