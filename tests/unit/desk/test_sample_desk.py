"""The bundled sample desk: every story loads, with attribution, without a network."""

from __future__ import annotations

from tui.samples import OFFERED_KEY, SAMPLES_DIR, load_samples
from tui.store import Store, StoryFilter


def test_samples_load_once_with_titles_dates_and_languages(store: Store) -> None:
    report = load_samples(store)
    assert report.errors == []
    assert report.new == 21
    assert store.meta(OFFERED_KEY) == "loaded"
    seed = store.list_stories(StoryFilter(language="es"), limit=1)[0]
    assert seed.title.startswith("Marco Rubio y el canciller de México")
    assert seed.published == "2026-01-08T12:00:00Z"
    assert seed.source == "Sample desk: seed story"
    assert store.count_stories(StoryFilter(language="en")) == 10
    assert all(s.title and s.published for s in store.list_stories(limit=50))
    # Loading again updates in place rather than duplicating.
    again = load_samples(store)
    assert (again.new, again.unchanged) == (0, 21)
    assert store.count_stories() == 21


def test_seed_story_keeps_its_paragraphs(store: Store) -> None:
    load_samples(store)
    seed = store.list_stories(StoryFilter(language="es"), limit=1, with_text=True)[0]
    paragraphs = seed.text.split("\n\n")
    assert paragraphs[-1].startswith("El secretario Rubio y el secretario De la Fuente convinieron")
    assert len(paragraphs) == 9


def test_attribution_ships_with_the_samples() -> None:
    text = (SAMPLES_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "Wikinews" in text
