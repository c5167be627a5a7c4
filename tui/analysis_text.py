"""The one string analysis offsets point into, built from a stored story.

The analysis runs on the title (a sentence of its own), a blank line and the text;
the story view paints highlights at those offsets into the same string. Both build
it here, so a change to how it is joined or cut cannot make highlights land on the
wrong characters. Cheap to import (no analysis engine, no Textual): the story view
renders before anything is analysed.
"""

from __future__ import annotations

from tui.store import Story
from tui.text_limits import cut_at, limits

TITLE_SEPARATOR = "\n\n"


def full_text(story: Story) -> str:
    """Title, blank line, text (either alone when the other is empty), uncut.

    What the reader sees; ``analysis_text`` is its start, so every analysis offset
    is an offset into this string too.
    """
    if story.title and story.text:
        return story.title + TITLE_SEPARATOR + story.text
    return story.title or story.text


def analysis_text(story: Story) -> str:
    """What is analysed: ``full_text`` cut to ``[limits] analysis_chars`` at a space.

    The cut keeps the start, so offsets into it are offsets into the story.
    """
    return cut_at(full_text(story), limits().analysis_chars)


def body_offset(story: Story) -> int:
    """Where ``story.text`` starts inside ``full_text`` (and ``analysis_text``)."""
    return len(story.title) + len(TITLE_SEPARATOR) if story.title and story.text else 0


def analysis_is_cut(story: Story) -> bool:
    """Whether the analysis of ``story`` covers only its start (measured, not built)."""
    joined = len(TITLE_SEPARATOR) if story.title and story.text else 0
    return len(story.title) + joined + len(story.text) > limits().analysis_chars
