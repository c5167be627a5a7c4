"""The right pane's reading view: header, then the text with highlights, one widget a paragraph.

A widget per paragraph lets the analysis panel scroll straight to the paragraph
holding a mention and flash it, without re-wrapping the whole story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from tui.analysis_text import analysis_is_cut, body_offset, full_text
from tui.store import Story
from tui.text_limits import cut_at, limits
from tui.timeparse import parse_iso as parse_utc
from tui.widgets.highlight import (
    Palette,
    default_min_confidence,
    highlighted,
    palette_for_theme,
    paragraph_spans,
    safe,
    shown_analysis,
)
from tui.widgets.story_list import UNTITLED

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from tui.analysis.model import Analysis

FLASH_SECONDS = 1.2


def _within_limits(story: Story) -> Story:
    """The story as shown: at most ``[limits] display_chars`` of text, saying so when cut.

    A 19 MB text mounted as thousands of paragraphs froze the desk for minutes.
    The cut keeps the start, so analysis offsets still point at the same words;
    the note is added after the cut, where no offset reaches.
    """
    chars = limits()
    notes = []
    text = story.text
    if len(text) > chars.display_chars:
        text = cut_at(text, chars.display_chars)
        notes.append(
            f"[Text cut: showing the first {len(text):,} of {len(story.text):,} characters "
            "(see [limits] display_chars in the config).]"
        )
    if analysis_is_cut(story):
        notes.append(
            f"[Analysis covers the first {chars.analysis_chars:,} characters "
            "(see [limits] analysis_chars).]"
        )
    if not notes:
        return story
    return replace(story, text=text + "\n\n" + " ".join(notes))


def short_url(url: str, width: int) -> str:
    """``url`` in at most ``width`` cells: host, an ellipsis, and the end of the path.

    A long tracking URL used to take most of the story pane at 80 columns; ``y``
    copies and ``o`` opens the full link.
    """
    if len(url) <= width:
        return url
    bare = url.split("://", 1)[-1]
    if len(bare) > width:  # tracking parameters go first
        bare = bare.split("#", 1)[0].split("?", 1)[0]
    if len(bare) <= width:
        return bare
    host, _, path = bare.partition("/")
    tail_room = width - len(host) - 3
    if tail_room < 8:
        return bare[: max(1, width - 1)] + "…"
    return f"{host}/…{path[-tail_room + 1 :]}" if path else host[: width - 1] + "…"


def readable_date(iso: str) -> str:
    """``2026-01-08 10:00 UTC`` from a stored timestamp."""
    moment = parse_utc(iso)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else iso


class Paragraph(Static):
    """One paragraph of the story text; knows its span in ``full_text``."""

    DEFAULT_CSS = """
    Paragraph { margin-bottom: 1; }
    """

    def __init__(self, content: Text, start: int, end: int) -> None:
        super().__init__(content, markup=False)
        self.span = (start, end)


class StoryView(VerticalScroll, can_focus=True):
    """Shows one story: title, source, date, link, tags, note and the highlighted text."""

    DEFAULT_CSS = """
    StoryView { padding: 0 1; background: $surface; }
    StoryView #story-header { margin-bottom: 1; }
    StoryView #story-body { height: auto; }
    StoryView .story-empty { color: $text-muted; text-style: italic; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # With the story focused, j and k scroll it (the desk's j/k move the list otherwise).
        Binding("j", "scroll_down", "Scroll down", show=False, id="story.down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="story.up"),
    ]

    def __init__(
        self,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        min_confidence: Callable[[], float] = default_min_confidence,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.today = today
        """The desk's clock (passed in by the desk), for painting dates upcoming or not."""
        self.min_confidence = min_confidence
        """``[analysis] min_confidence`` as configured now (passed in by the desk)."""
        self.story: Story | None = None
        self.analysis: Analysis | None = None
        #: the analysis as given (``analysis`` is it above ``min_confidence``) and that
        #: threshold: the same pair again needs no repaint
        self._given: tuple[Analysis | None, float] | None = None
        #: the story text the paragraphs show (restyling them needs the same text)
        self._body_text: str | None = None
        #: (what, name, who, when) of the shown story's tags and note on a shared desk
        self.credits: list[tuple[str, str, str, str]] = []
        self._flash: tuple[int, int] | None = None
        self._flash_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Open a story with enter.", style="italic"), id="story-header", markup=False
        )
        yield Vertical(id="story-body")

    @property
    def _palette(self) -> Palette:
        return palette_for_theme(self.app.current_theme)

    def repaint(self) -> None:
        """Paint the shown story again (the theme changed: highlight colours follow it)."""
        if self.story is not None:
            self._render_header(layout=False)
            self._render_body(rebuild=False)

    def _take_analysis(self, analysis: Analysis | None) -> None:
        threshold = self.min_confidence()
        self.analysis = shown_analysis(analysis, threshold)
        self._given = (analysis, threshold)

    def show(self, story: Story | None, analysis: Analysis | None = None) -> None:
        """Show ``story`` (with its text) and scroll to the top."""
        same = self.story is not None and story is not None and story.id == self.story.id
        if story is not None:
            story = _within_limits(story)
        self.story = story
        self._take_analysis(analysis)
        self._flash = None
        self._render_header()
        self._render_body(rebuild=True)
        if not same:
            self.scroll_home(animate=False)

    def update_story(self, story: Story) -> None:
        """Refresh header facts (tags, note, flags) of the shown story."""
        if self.story is not None and story.id == self.story.id:
            self.story = (
                _within_limits(story) if story.text else replace(story, text=self.story.text)
            )
            self._render_header()

    def set_analysis(self, story_id: int, analysis: Analysis | None) -> None:
        """Paint the analysis once it arrives (ignored if another story is shown now)."""
        if self.story is None or self.story.id != story_id:
            return
        given = self._given
        if (
            analysis is not None
            and given is not None
            and given[0] is analysis
            and given[1] == self.min_confidence()
        ):
            return  # painted with it already (the desk opened the story with it in hand)
        self._take_analysis(analysis)
        # Highlights change styles, never the text: no widget changes size, no re-layout.
        self._render_header(layout=False)
        self._render_body(rebuild=False)

    def _today(self) -> dt.date:
        """The desk's clock, for painting dates upcoming or not."""
        return self.today()

    def _render_header(self, *, layout: bool = True) -> None:
        """Paint the header; ``layout=False`` when only styles change (its size cannot)."""
        header = self.query_one("#story-header", Static)
        story = self.story
        if story is None:
            header.update(Text("Open a story with enter.", style="italic"))
            return
        full = full_text(story)
        palette = self._palette
        text = Text(end="")
        title_end = len(story.title)
        text.append_text(
            highlighted(
                full,
                0,
                title_end,
                self.analysis,
                palette,
                base_style="bold",
                flash=self._flash,
                today=self._today(),
            )
        )
        if not story.title.strip():
            text.append(UNTITLED, style="bold dim")
        text.append("\n")
        meta = [safe(story.source) or "(no source)", readable_date(story.published)]
        if story.language:
            meta.append(story.language)
        if story.author:
            meta.append(safe(story.author))
        text.append(" · ".join(meta), style="dim")
        flags = [label for flag, label in ((story.saved, "★ saved"), (story.archived, "archived"),
                 (not story.read, "● unread")) if flag]  # fmt: skip
        if flags:
            text.append("  " + "  ".join(flags), style="bold")
        if story.url:
            text.append("\n")
            width = max(30, (self.scrollable_content_region.width or self.size.width or 80) - 1)
            text.append(safe(short_url(story.url, width)), style="underline")
        if story.tags:
            text.append("\n")
            text.append(" ".join("#" + safe(t) for t in story.tags), style="bold")
        if story.note:
            text.append("\nNote: ", style="bold italic")
            text.append(safe(story.note), style="italic")
        credits = [
            (f"#{name}" if what == "tag" else "note")
            + f" by {who or '?'} {when[5:16].replace('T', ' ')}"
            for what, name, who, when in self.credits
        ]
        if credits:
            text.append("\n")
            text.append(safe(" · ".join(credits)), style="dim")
        header.update(text, layout=layout)

    def _render_body(self, *, rebuild: bool) -> None:
        """Paint the paragraphs: restyle them in place (same text), or show a new text.

        A new text reuses the ``Paragraph`` widgets already mounted and mounts or
        removes only the difference: mounting costs a DOM insert and a style pass per
        widget, which opening one story after another paid in full every time.
        """
        body = self.query_one("#story-body", Vertical)
        story = self.story
        if story is None:
            self._body_text = None
            body.remove_children()
            return
        full = full_text(story)
        spans = paragraph_spans(story.text, body_offset(story))
        palette = self._palette
        today = self._today()

        def paint(start: int, end: int) -> Text:
            return highlighted(
                full, start, end, self.analysis, palette, flash=self._flash, today=today
            )

        # Children being removed (a previous text) stay in the DOM until their prune
        # message is handled: neither reuse nor remove them again.
        live = [child for child in body.children if not child._pruning]
        existing = [child for child in live if isinstance(child, Paragraph)]
        if not rebuild and story.text == self._body_text:
            # The text on screen is this one: only styles change, so no widget changes size.
            for widget in existing:
                widget.update(paint(*widget.span), layout=False)
            return
        self._body_text = story.text
        if not spans:
            body.remove_children(live)
            body.mount(Static(Text("(this story has no text)"), classes="story-empty"))
            return
        kept = existing[: len(spans)]
        stale = [child for child in live if child not in kept]
        if stale:
            body.remove_children(stale)
        for widget, (start, end) in zip(kept, spans, strict=False):
            widget.span = (start, end)
            widget.update(paint(start, end))
        if len(spans) > len(kept):
            body.mount_all(
                Paragraph(paint(start, end), start, end) for start, end in spans[len(kept) :]
            )

    def reveal(self, start: int, end: int) -> None:
        """Scroll to the mention at ``start:end`` of ``full_text`` and flash it."""
        if self.story is None:
            return
        self._flash = (start, end)
        self._render_header(layout=False)
        self._render_body(rebuild=False)
        target: Static | None = None
        if start < len(self.story.title):
            target = self.query_one("#story-header", Static)
        else:
            for widget in self.query(Paragraph):
                if widget.span[0] <= start < widget.span[1]:
                    target = widget
                    break
        if target is not None:
            self.scroll_to_widget(target, animate=False, center=True)
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self._flash = None
        self._flash_timer = None
        self._render_header(layout=False)
        self._render_body(rebuild=False)

    @property
    def flashing(self) -> tuple[int, int] | None:
        """The span being flashed right now, if any."""
        return self._flash
