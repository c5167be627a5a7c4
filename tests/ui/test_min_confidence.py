"""``[analysis] min_confidence``: validated in the config, obeyed by the desk's highlights
and actor list and by exports, so what a reader sees is only what the engine is sure of."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.support.pilot import settle
from tui.analysis.model import DEFAULT_MIN_CONFIDENCE, Analysis
from tui.config import DEFAULT_MIN_CONFIDENCE as CONFIG_DEFAULT
from tui.config import ConfigError, load_config
from tui.export.document import build_document
from tui.export.selection import Selection
from tui.store import Store
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.story_view import full_text


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_config_default_is_the_engine_default(tmp_path: Path) -> None:
    assert CONFIG_DEFAULT == DEFAULT_MIN_CONFIDENCE
    assert load_config(tmp_path / "missing.toml").min_confidence == DEFAULT_MIN_CONFIDENCE
    path = _write(tmp_path, "[analysis]\nmin_confidence = 0\n")
    assert load_config(path).min_confidence == 0.0
    path = _write(tmp_path, "[analysis]\nmin_confidence = 0.75\n")
    assert load_config(path).min_confidence == 0.75


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[analysis]\nmin_confidence = 1.5\n", ":2: analysis.min_confidence: must be from 0 to 1"),
        ("[analysis]\nmin_confidence = -0.1\n", "analysis.min_confidence: must be from 0 to 1"),
        ('[analysis]\nmin_confidence = "high"\n', "analysis.min_confidence: expected a number"),
        ("[analysis]\nmin_confidence = true\n", "analysis.min_confidence: expected a number"),
        ("[analysis]\nthreshold = 0.5\n", ":2: analysis.threshold: unknown setting"),
        ("analysis = 3\n", ":1: analysis: expected a table"),
    ],
)
def test_a_bad_min_confidence_is_one_line(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert expected in str(info.value)


def _weakened(analysis: Analysis, name: str, confidence: float) -> Analysis:
    return replace(
        analysis,
        actors=[
            replace(a, confidence=confidence) if a.name == name else a for a in analysis.actors
        ],
    )


async def test_the_desk_hides_mentions_below_the_configured_confidence(
    desk_runtime: Any, make_desk: Any, seed_analysis: Any
) -> None:
    desk_runtime.config_file.write_text("[analysis]\nmin_confidence = 0.6\n", encoding="utf-8")
    app = make_desk(desk_runtime)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        desk = app.desk
        story = desk.story_view.story
        assert story is not None
        analysis = _weakened(seed_analysis(full_text(story)), "México", 0.4)
        desk.show_analysis(story.id, analysis)
        await pilot.pause()
        shown = desk.story_view.analysis
        assert shown is not None
        assert "México" not in {a.name for a in shown.actors}
        assert "Marco Rubio" in {a.name for a in shown.actors}
        panel = desk.query_one(AnalysisPanel)
        listed = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert any("Marco Rubio" in line for line in listed)
        assert not any("México" in line for line in listed)


def test_exports_leave_out_mentions_below_the_threshold(store: Store, seed_analysis: Any) -> None:
    from tui.samples import load_samples

    load_samples(store)

    def provider(_store: Store, story: Any) -> Analysis:
        analysis = seed_analysis(full_text(story)) if "Rubio" in story.title else None
        if analysis is None:
            return Analysis(language=story.language or "en")
        return _weakened(analysis, "México", 0.4)

    strict = build_document(store, Selection(), analyse=provider)
    everything = build_document(store, Selection(), analyse=provider, min_confidence=0.0)

    def names(doc: Any) -> set[str]:
        return {a.name for s in doc.stories for a in s.actors}

    assert store.count_stories() > 1
    assert "Marco Rubio" in names(strict) and "México" not in names(strict)
    assert "México" in names(everything)
