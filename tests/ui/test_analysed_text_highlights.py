"""The one analysed string (tui.analysis_text): the story view paints highlights at
analysis offsets into the very string the analysis read, for every shape of story."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.analysis.model import Actor, Analysis, DateMention
from tui.analysis_text import (
    TITLE_SEPARATOR,
    analysis_is_cut,
    analysis_text,
    body_offset,
    full_text,
)
from tui.config import LimitsConfig
from tui.sources.html_text import html_to_text
from tui.store import Story
from tui.text_limits import configure, limits
from tui.widgets.highlight import palette_for_theme, safe
from tui.widgets.story_view import Paragraph, StoryView


def _story(title: str, text: str, story_id: int = 1) -> Story:
    return Story(
        id=story_id, uid=f"u{story_id}", source_id=1, source="Wire", guid=f"g{story_id}",
        url="", title=title, author="", published="2026-01-08T10:00:00Z", fetched="",
        language="en", text=text, read=False, saved=False, archived=False, note="",
    )  # fmt: skip


@pytest.fixture
def small_limits() -> Iterator[LimitsConfig]:
    """Limits small enough that a test story is clipped for analysis and for display."""
    before = limits()
    configure(LimitsConfig(analysis_chars=120, display_chars=200))
    yield limits()
    configure(before)


def test_the_analysed_string_is_title_blank_line_text() -> None:
    story = _story("Title", "Body text.")
    assert full_text(story) == "Title" + TITLE_SEPARATOR + "Body text."
    assert analysis_text(story) == full_text(story)
    assert full_text(story)[body_offset(story) :] == story.text
    assert full_text(_story("", "Only body.")) == "Only body."
    assert body_offset(_story("", "Only body.")) == 0
    assert full_text(_story("Only title", "")) == "Only title"
    assert not analysis_is_cut(story)


def test_a_clipped_analysis_is_the_start_of_the_full_text(small_limits: LimitsConfig) -> None:
    story = _story("A title", " ".join(["word"] * 100))
    cut = analysis_text(story)
    assert len(cut) <= small_limits.analysis_chars
    assert full_text(story).startswith(cut)
    assert analysis_is_cut(story)
    assert analysis_is_cut(story) == (len(full_text(story)) > small_limits.analysis_chars)


class _ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StoryView(id="view")


def _mentions(story: Story, words: list[str]) -> Analysis:
    """An analysis with one person mention per word, at its first offset in the
    analysed string (as the engine reports offsets), and a date on "Monday" if present."""
    text = analysis_text(story)
    actors = [Actor(text.index(w), text.index(w) + len(w), w, "person", w) for w in words]
    dates = []
    if "Monday" in text:
        at = text.index("Monday")
        dates.append(DateMention(at, at + 6, "Monday", "2026-01-12", "day", True, 0))
    return Analysis(language="en", actors=actors, dates=dates)


def _painted(text: Text, style: Style) -> set[int]:
    return {i for span in text.spans if span.style == style for i in range(span.start, span.end)}


STORIES = {
    "title and summary": (
        _story("Merkel visits Paris", "Angela Merkel met Emmanuel Macron on Monday."),
        ["Merkel", "Emmanuel Macron", "Monday"],
    ),
    "summary without title": (
        _story("", "Rubio met Ebrard in Mexico City on Monday."),
        ["Rubio", "Ebrard"],
    ),
    "title only": (_story("Macron speaks in Lyon", ""), ["Macron", "Lyon"]),
    "html body": (
        _story(
            "Budget vote",
            html_to_text(
                "<h2>Budget</h2><p>The council, led by <b>Ada Colau</b>, met.</p>"
                "<ul><li>First point</li></ul><p>Then <i>Jaume Collboni</i> spoke on Monday.</p>"
            ),
        ),
        ["Ada Colau", "Jaume Collboni"],
    ),
    "control characters": (
        _story("Alert\x07 for Biden", "Joe\x1b[31m Biden met\x00 Xi Jinping\x9b today."),
        ["Biden", "Xi Jinping"],
    ),
}


@pytest.mark.parametrize("name", list(STORIES))
async def test_highlights_land_on_the_mentioned_words(name: str) -> None:
    story, words = STORIES[name]
    await _check_highlights(story, [w for w in words if w != "Monday"])


async def test_highlights_land_right_in_a_clipped_story(small_limits: LimitsConfig) -> None:
    body = "Pedro Sánchez spoke first. " + "Filler words here. " * 30 + "Late Name Smith."
    story = _story("Sánchez and Feijóo meet", body)
    assert "Late Name Smith" not in analysis_text(story)
    await _check_highlights(story, ["Feijóo", "Pedro Sánchez"], shown_limit=200)


async def _check_highlights(story: Story, words: list[str], shown_limit: int = 0) -> None:
    analysis = _mentions(story, words)
    app = _ViewApp()
    async with app.run_test(size=(100, 60)) as pilot:
        view = app.query_one(StoryView)
        view.show(story, analysis)
        await pilot.pause()
        palette = palette_for_theme(app.current_theme)
        header = view.query_one("#story-header", Static).content
        assert isinstance(header, Text)
        paragraphs = list(view.query(Paragraph))
        if shown_limit:
            assert view.story is not None and "[Text cut" in view.story.text
        for actor in analysis.actors:
            if actor.end <= len(story.title):
                shown, base = header, 0
            else:
                shown, base = next(
                    (p.content, p.span[0])
                    for p in paragraphs
                    if p.span[0] <= actor.start < p.span[1]
                )
            assert isinstance(shown, Text)
            lo, hi = actor.start - base, actor.end - base
            assert shown.plain[lo:hi] == safe(actor.text), (story.title, actor)
            assert set(range(lo, hi)) <= _painted(shown, palette.person), (story.title, actor)
            # nothing else is painted as a person: the highlight is exactly the mention
        for p in paragraphs:
            assert isinstance(p.content, Text)
            expected = {
                i - p.span[0]
                for a in analysis.actors
                for i in range(a.start, a.end)
                if p.span[0] <= i < p.span[1]
            }
            assert _painted(p.content, palette.person) == expected
        for date in analysis.dates:
            para = next(p for p in paragraphs if p.span[0] <= date.start < p.span[1])
            assert isinstance(para.content, Text)
            assert para.content.plain[date.start - para.span[0] : date.end - para.span[0]] == (
                "Monday"
            )
