"""Highlights follow the theme: switching it repaints the open story, and every bundled
theme keeps actors, dates and commitments readable in truecolor and in 256 colours."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.color import Color

from tests.support.pilot import settle
from tui.widgets.highlight import (
    MIN_SHADE_CONTRAST,
    MIN_TEXT_CONTRAST,
    _theme_colours,
    contrast,
    in_256_colours,
    palette_for_theme,
)
from tui.widgets.story_view import Paragraph

THEMES = sorted(App().available_themes)


def _rgb(style: Any, attr: str = "color") -> Color:
    return Color(*getattr(style, attr).get_truecolor())


def _shades(app: Any) -> set[str]:
    """Background colours painted in the open story's paragraphs (commitments)."""
    found = set()
    for paragraph in app.desk.story_view.query(Paragraph):
        for span in paragraph.content.spans:
            style = span.style
            if not isinstance(style, str) and style.bgcolor is not None:
                found.add(style.bgcolor.name)
    return found


async def test_switching_the_theme_repaints_the_open_story(
    desk_runtime: Any, make_desk: Any, seed_analyser: Any
) -> None:
    app = make_desk(desk_runtime, analyser=seed_analyser)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "solarized-light"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        light = palette_for_theme(app.available_themes["solarized-light"])
        assert light.commitment.bgcolor.name in _shades(app)
        app.theme = "dracula"  # what choosing it in the command palette does
        await settle(pilot)
        dark = palette_for_theme(app.available_themes["dracula"])
        shades = _shades(app)
        assert dark.commitment.bgcolor.name in shades
        assert light.commitment.bgcolor.name not in shades


@pytest.mark.parametrize("name", THEMES)
def test_highlights_read_on_every_theme_in_truecolor_and_256_colours(name: str) -> None:
    theme = App().available_themes[name]
    colours = _theme_colours(theme)
    if colours is None:  # ANSI themes use the terminal's own colours: nothing to compute
        assert name.startswith("ansi")
        return
    background, text = colours
    palette = palette_for_theme(theme)
    for style in (palette.person, palette.organization, palette.place, palette.past):
        fg = _rgb(style)
        assert contrast(fg, background) >= MIN_TEXT_CONTRAST
        assert contrast(in_256_colours(fg), in_256_colours(background)) >= MIN_TEXT_CONTRAST
    shade = _rgb(palette.commitment, "bgcolor")
    assert contrast(shade, background) >= MIN_SHADE_CONTRAST
    assert contrast(in_256_colours(shade), in_256_colours(background)) >= MIN_SHADE_CONTRAST
    assert in_256_colours(shade) == shade  # a 256-colour-exact shade: no rounding surprise
    # Story text on the shade: about as readable as on the theme's own background.
    assert contrast(text, shade) >= min(MIN_TEXT_CONTRAST, 0.7 * contrast(text, background))
    text_256, background_256 = in_256_colours(text), in_256_colours(background)
    assert contrast(text_256, shade) >= min(
        MIN_TEXT_CONTRAST, 0.7 * contrast(text_256, background_256)
    )
    upcoming = palette.upcoming
    assert contrast(_rgb(upcoming), _rgb(upcoming, "bgcolor")) >= MIN_TEXT_CONTRAST


def test_dracula_commitments_no_longer_vanish_in_256_colours() -> None:
    theme = App().available_themes["dracula"]
    background, _ = _theme_colours(theme) or (None, None)
    assert background is not None
    shade = _rgb(palette_for_theme(theme).commitment, "bgcolor")
    assert in_256_colours(shade) != in_256_colours(background)
