"""How much text is kept: ``cut_at`` (analysis) and ``clip`` (export quotes and leads)."""

from __future__ import annotations

from tui.text_limits import clip, cut_at


def test_clip_leaves_text_that_fits() -> None:
    assert clip("Short enough.", 13) == "Short enough."
    assert clip("", 0) == ""


def test_clip_cuts_at_the_last_word_and_drops_dangling_punctuation() -> None:
    text = "The council will vote, after long talks, on the new budget"
    assert clip(text, 25) == "The council will vote…"
    assert len(clip(text, 25)) <= 25


def test_clip_cuts_mid_word_when_the_last_space_is_too_early() -> None:
    assert clip("Supercalifragilistic expialidocious", 12) == "Supercalifra…"
    assert clip("a bcdefghijklmnopqrstuvwxyz", 10) == "a bcdefghi…"


def test_cut_at_keeps_the_start_without_an_ellipsis() -> None:
    assert cut_at("one two three", 9) == "one two"
    assert cut_at("one two three", 50) == "one two three"
