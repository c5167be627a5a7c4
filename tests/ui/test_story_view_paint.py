"""Opening a story paints it once: what the story view and the desk keep between paints
(issue 17: opening an analysed story at a million stories, p95 < 50 ms).

Real stores in tmp dirs, the real desk under Pilot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.style import Style

from tests.support.pilot import settle
from tui.analysis import ANALYSER_VERSION
from tui.analysis.model import Actor, Analysis
from tui.analysis_text import body_offset, full_text
from tui.runtime import Runtime
from tui.store import Store, StoryIn
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.highlight import palette_for_theme, paragraph_spans
from tui.widgets.story_view import Paragraph, StoryView

TEXTS = {
    "Three paragraphs": "Alba met Bruno in Cádiz.\n\nThey spoke.\n\nAlba left for Porto.",
    "One paragraph": "Bruno stayed in Cádiz all week.",
    "No text": "",
    "Five paragraphs": "One.\n\nTwo.\n\nThree Alba.\n\nFour.\n\nFive Bruno.",
}


def _analysis(story: Any, name: str, confidence: float = 1.0) -> Analysis:
    """Actors at every mention of ``name`` in the story's ``full_text``."""
    full = full_text(story)
    actors = []
    start = full.find(name)
    while start >= 0:
        actors.append(Actor(start, start + len(name), name, "person", name, confidence=confidence))
        start = full.find(name, start + 1)
    return Analysis(language="en", actors=actors)


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    """A desk on a fresh database holding the stories of ``TEXTS``, newest first."""
    runtime = Runtime(db_path=tmp_path / "desk.db", config_file=tmp_path / "config.toml")
    with Store.open(runtime.db_path) as store:
        source = store.add_source("https://paint.example/feed", title="Paint").id
        base = dt.datetime(2026, 1, 9, tzinfo=dt.UTC)
        for n, (title, text) in enumerate(TEXTS.items()):
            store.upsert_story(
                source,
                StoryIn(
                    title=title,
                    text=text,
                    guid=f"paint-{n}",
                    published=base - dt.timedelta(hours=n),
                ),
            )
    return runtime


def _shown_paragraphs(view: StoryView) -> list[tuple[tuple[int, int], str]]:
    body = view.query_one("#story-body")
    return [
        (child.span, str(child.visual))
        for child in body.children
        if isinstance(child, Paragraph) and not child._pruning
    ]


async def test_paragraph_widgets_are_reused_and_always_match_the_text(
    runtime: Runtime, make_desk: Any
) -> None:
    """Opening story after story reuses the mounted paragraphs; what is shown is always
    exactly the new story's paragraphs (none left over, none missing)."""
    app = make_desk(runtime, analyser=lambda store, story: Analysis(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        desk = app.desk
        view = desk.story_view
        for title in ("Three paragraphs", "One paragraph", "No text", "Five paragraphs",
                      "Three paragraphs"):  # fmt: skip
            row = next(i for i in range(desk.pager.count) if desk.pager.get(i).title == title)
            desk.story_list.move_to(row)
            await pilot.press("enter")
            await settle(pilot)
            story = view.story
            assert story is not None and story.title == title
            spans = paragraph_spans(story.text, body_offset(story))
            full = full_text(story)
            assert _shown_paragraphs(view) == [(span, full[span[0] : span[1]]) for span in spans]
            body = view.query_one("#story-body")
            live = [child for child in body.children if not child._pruning]
            if spans:
                assert len(live) == len(spans)
            else:
                assert [str(child.visual) for child in live] == ["(this story has no text)"]


async def test_reopening_reuses_widgets_instead_of_remounting(
    runtime: Runtime, make_desk: Any
) -> None:
    app = make_desk(runtime, analyser=lambda store, story: Analysis(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        desk = app.desk
        view = desk.story_view
        stories = {s.title: s for s in (desk.pager.get(i) for i in range(desk.pager.count)) if s}
        with Store.open(runtime.db_path) as store:
            five = store.story(stories["Five paragraphs"].id)
            three = store.story(stories["Three paragraphs"].id)
        view.show(five)
        await pilot.pause()
        before = [w for w in view.query(Paragraph) if not w._pruning]
        assert len(before) == 5
        view.show(three)
        await pilot.pause()
        after = [w for w in view.query(Paragraph) if not w._pruning]
        assert after == before[:3]  # the same widget objects, two removed
        assert [str(w.visual) for w in after] == three.text.split("\n\n")


async def test_the_same_analysis_is_not_painted_twice_but_a_new_one_or_threshold_is(
    runtime: Runtime, make_desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_desk(runtime, analyser=lambda store, story: Analysis(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.desk.story_view
        stories = [app.desk.pager.get(i) for i in range(app.desk.pager.count)]
        with Store.open(runtime.db_path) as store:
            story = store.story(next(s for s in stories if s and s.title == "Three paragraphs").id)
        paints: list[int] = []
        original = StoryView._render_body

        def counting(self: StoryView, *, rebuild: bool) -> None:
            paints.append(1)
            original(self, rebuild=rebuild)

        monkeypatch.setattr(StoryView, "_render_body", counting)
        alba = _analysis(story, "Alba", confidence=0.5)
        view.show(story, alba)
        assert len(paints) == 1
        view.set_analysis(story.id, alba)  # what the desk does right after showing it
        assert len(paints) == 1
        bruno = _analysis(story, "Bruno")
        view.set_analysis(story.id, bruno)  # a new analysis (the story was re-analysed)
        assert len(paints) == 2
        assert view.analysis is not None and {a.name for a in view.analysis.actors} == {"Bruno"}
        view.set_analysis(story.id, alba)
        assert len(paints) == 3
        assert view.analysis is not None and len(view.analysis.actors) == 2
        # the threshold changed: the same analysis object is filtered and painted again
        monkeypatch.setattr(app, "config", replace(app.config, min_confidence=0.9))
        view.set_analysis(story.id, alba)
        assert len(paints) == 4
        assert view.analysis is not None and view.analysis.actors == []
        # another story's analysis is ignored
        view.set_analysis(story.id + 1000, bruno)
        assert len(paints) == 4


async def test_a_theme_change_repaints_the_highlights_in_its_colours(
    runtime: Runtime, make_desk: Any
) -> None:
    app = make_desk(runtime, analyser=lambda store, story: Analysis(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        desk = app.desk
        view = desk.story_view
        with Store.open(runtime.db_path) as store:
            story = next(
                store.story(s.id)
                for s in (desk.pager.get(i) for i in range(desk.pager.count))
                if s and s.title == "Three paragraphs"
            )
        view.show(story, _analysis(story, "Alba"))
        await pilot.pause()

        def alba_colour() -> tuple[int, int, int]:
            widget = next(w for w in view.query(Paragraph) if "Alba" in str(w.visual))
            content = widget.render()
            assert isinstance(content, Content)
            styles = [
                span.style
                for span in content.spans
                if str(content)[span.start : span.end] == "Alba"
            ]
            assert len(styles) == 1 and isinstance(styles[0], Style)
            colour = styles[0].foreground
            assert colour is not None
            return colour.rgb

        def person_colour() -> tuple[int, int, int]:
            colour = palette_for_theme(app.current_theme).person.color
            assert colour is not None
            return colour.get_truecolor()

        dark = alba_colour()
        assert dark == person_colour()
        app.theme = "solarized-light"
        await pilot.pause()
        light = alba_colour()
        assert light == person_colour()
        assert light != dark
        # the cached palette follows the theme object, both ways
        app.theme = "textual-dark"
        await pilot.pause()
        assert alba_colour() == dark


async def test_an_analysis_cached_in_the_store_is_painted_with_the_story(
    runtime: Runtime, make_desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the worker has loaded the engine, opening a story whose analysis is in the
    store shows it in the same paint: no worker, no "Analysing…", no count refresh."""
    with Store.open(runtime.db_path) as store:
        stories = {s.title: store.story(s.id) for s in store.list_stories(limit=10)}
        for title, name in (("Three paragraphs", "Alba"), ("One paragraph", "Bruno")):
            story = stories[title]
            store.save_analysis(story.id, ANALYSER_VERSION, _analysis(story, name).to_dict())
            store.set_read([story.id], True)
    app = make_desk(runtime)  # the default analyser: the store's cache, then the engine
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        desk = app.desk
        panel = desk.query_one(AnalysisPanel)

        def open_row(title: str) -> None:
            row = next(i for i in range(desk.pager.count) if desk.pager.get(i).title == title)
            desk.story_list.move_to(row)

        open_row("Three paragraphs")  # the first open goes through the worker
        await pilot.press("enter")
        await settle(pilot)
        assert desk._engine_loaded
        workers: list[int] = []
        counts: list[int] = []
        monkeypatch.setattr(desk, "analyse_story", lambda story: workers.append(story.id))
        original_counts = desk.refresh_counts
        monkeypatch.setattr(
            desk, "refresh_counts", lambda *a, **k: (counts.append(1), original_counts(*a, **k))
        )
        open_row("One paragraph")
        await pilot.press("enter")
        view = desk.story_view
        assert view.story is not None and view.story.title == "One paragraph"
        assert view.analysis is not None
        assert [a.name for a in view.analysis.actors] == ["Bruno"]
        listed = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert any("Bruno" in line for line in listed)
        assert workers == []
        await settle(pilot)
        assert counts == []  # the story was already read: nothing to count again

        # the story changed (a re-fetch with new text): its stored analysis is gone, and
        # opening it asks the worker instead of painting a stale one
        with Store.open(runtime.db_path) as store:
            story = stories["Three paragraphs"]
            store.upsert_story(
                story.source_id,
                StoryIn(
                    title=story.title,
                    text="Entirely new words about Alba.",
                    guid="paint-0",
                    published=dt.datetime(2026, 1, 9, tzinfo=dt.UTC),
                ),
            )
            assert store.cached_analysis(story.id, ANALYSER_VERSION) is None
        desk.analyses.clear()
        open_row("Three paragraphs")
        await pilot.press("enter")
        assert view.story is not None and view.story.text == "Entirely new words about Alba."
        assert view.analysis is None
        assert workers == [story.id]
        listed = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert listed == ["Analysing…"]


async def test_the_desk_keeps_its_start_up_heap_out_of_full_collections_while_it_runs(
    runtime: Runtime, make_desk: Any
) -> None:
    """The heap is frozen once the desk has painted (full collections were the tail of
    opening a story) and thawed when it closes, so nothing it held outlives it."""
    import gc

    gc.unfreeze()  # whatever an earlier test left
    app = make_desk(runtime, analyser=lambda store, story: Analysis(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


async def test_a_story_whose_text_changed_under_the_view_is_laid_out_again(
    runtime: Runtime, make_desk: Any
) -> None:
    """Restyling in place (no re-layout) is only for the text on screen: a new text for
    the same story (a re-fetch) gets its own paragraphs at the next paint."""
    app = make_desk(runtime, analyser=lambda store, story: Analysis(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.desk.story_view
        with Store.open(runtime.db_path) as store:
            story = next(
                store.story(s.id)
                for s in store.list_stories(limit=10)
                if s.title == "One paragraph"
            )
        view.show(story)
        await pilot.pause()
        # one paragraph still, as before, but a long one
        longer = replace(story, text="Bruno came back to Cádiz, again and again. " * 12)
        view.update_story(longer)  # header facts only, as the desk does on a remote change
        view.set_analysis(story.id, _analysis(longer, "Bruno"))
        await pilot.pause()
        full = full_text(view.story)
        spans = paragraph_spans(longer.text, body_offset(longer))
        assert _shown_paragraphs(view) == [(span, full[span[0] : span[1]]) for span in spans]
        heights = [w.size.height for w in view.query(Paragraph) if not w._pruning]
        assert len(heights) == 1 and heights[0] > 1  # laid out for the new text
