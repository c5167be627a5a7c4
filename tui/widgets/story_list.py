"""The centre pane: a line-rendered story list that stays instant at 100k stories.

Only the rows on screen are ever formatted; rows come from a ``StoryWindow``,
pages the desk read in worker threads. The list never asks the store: a row not
loaded yet paints as a placeholder and the list asks the desk for its page
(``on_rows_wanted``), and each cursor move asks for the pages within half a
page of it, so they arrive before the cursor does. Moving the
cursor repaints two lines, so a key press costs the same with 20 stories or 1M.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.desk.window import StoryWindow
from tui.store import Story
from tui.timeparse import parse_iso as parse_utc
from tui.widgets.steady_scroll import SteadyScrollbars

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


PLACEHOLDER = "…"
"""A row whose page is still being read (a jump far down the list, a fast scroll)."""

UNTITLED = "(untitled)"
"""Shown for a story whose feed gave no title, so its row and header are not blank."""


def plain(text: str) -> str:
    """Feed text made safe for one terminal cell row: no control characters at all."""
    return _CONTROL_RE.sub(" ", text)


def age_label(published: str, now: dt.datetime) -> str:
    """How old a story is, in at most four cells: ``5m``, ``3h``, ``2d``, ``4mo``, ``2y``."""
    moment = parse_utc(published)
    if moment is None:
        return "?"
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return "new"
    minutes = seconds / 60
    if minutes < 60:
        return f"{int(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{int(hours)}h"
    days = hours / 24
    if days < 31:
        return f"{int(days)}d"
    if days < 365:
        return f"{int(days // 30)}mo"
    return f"{int(days // 365)}y"


def fit(text: str, width: int) -> str:
    """Cut or pad ``text`` to exactly ``width`` cells, with an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def column_widths(room: int) -> tuple[int, int, int]:
    """``(source, language, title)`` widths for a row of ``room`` cells after the flags.

    The title comes first: at 80 columns it keeps about 60 cells and the source
    column (shown in the story header anyway) is left out.
    """
    rest = room - 5  # the age column and its space
    source_w = min(18, (rest - 54) // 2) if rest >= 70 else 0
    lang_w = 3 if rest >= 40 else 0
    title_w = rest - (source_w + 1 if source_w else 0) - lang_w
    return source_w, lang_w, max(1, title_w)


class StoryList(SteadyScrollbars, ScrollView, can_focus=True):
    """Rows of stories with a cursor; the data lives in a ``StoryWindow``."""

    DEFAULT_CSS = """
    StoryList {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    StoryList > .story-list--cursor { background: $block-cursor-blurred-background; }
    StoryList:focus > .story-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    StoryList > .story-list--unread { text-style: bold; color: $text; }
    StoryList > .story-list--read { color: $text-muted; }
    StoryList > .story-list--archived { color: $text-disabled; text-style: strike; }
    StoryList > .story-list--meta { color: $text-muted; }
    StoryList > .story-list--tag { color: $accent; }
    StoryList > .story-list--saved { color: $warning; }
    StoryList > .story-list--upcoming { color: $success; }
    StoryList > .story-list--marked { color: $secondary; text-style: bold; }
    StoryList > .story-list--empty { color: $text-muted; text-style: italic; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "story-list--cursor",
        "story-list--unread",
        "story-list--read",
        "story-list--archived",
        "story-list--meta",
        "story-list--tag",
        "story-list--saved",
        "story-list--upcoming",
        "story-list--marked",
        "story-list--empty",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Opened(Message):
        """The user asked to open the story under the cursor."""

        def __init__(self, story_list: StoryList, story: Story) -> None:
            super().__init__()
            self.story_list = story_list
            self.story = story

    def __init__(
        self,
        window: StoryWindow,
        *,
        clock: Callable[[], dt.datetime],
        on_user_move: Callable[[Story | None], None] | None = None,
        on_rows_wanted: Callable[[int, int], None] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.window = window
        self.clock = clock
        self.marked: set[int] = set()
        self.open_id: int | None = None
        """The story the reader shows: its row carries a › so the user sees which it is."""
        self.empty_message = "No stories."
        self._on_user_move = on_user_move
        self._on_rows_wanted = on_rows_wanted
        self.moves = 0
        """Cursor moves by the user so far (a reload answered after one keeps the cursor)."""
        self._asked = False
        self._styles: dict[str, Style] | None = None

    # Styles are resolved once per CSS/focus/theme change, not once per painted row.
    def _style(self, name: str) -> Style:
        if self._styles is None:
            self._styles = {"": self.rich_style}
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def notify_style_update(self) -> None:
        self._styles = None
        super().notify_style_update()

    def on_focus(self) -> None:
        self._styles = None
        self.refresh()

    def on_blur(self) -> None:
        self._styles = None
        self.refresh()

    # -- data ----------------------------------------------------------------------------

    def show_window(self, *, found: int | None = None, keep_cursor: bool = True) -> None:
        """Paint a list the desk just adopted into the window.

        ``found`` is the row the worker found the cursor's story at; else the
        cursor keeps its row number (``keep_cursor``) or goes to the top.
        """
        self.virtual_size = Size(self.size.width, self.window.count)
        index = 0
        if found is not None:
            index = found
        elif keep_cursor:
            index = min(self.cursor, self.window.count - 1)
        self._place_cursor(max(0, index), center=True)
        self.refresh()

    @property
    def current_story(self) -> Story | None:
        """The story under the cursor (``None`` while its page is being read)."""
        return self.window.get(self.cursor)

    def toggle_mark(self) -> None:
        """Mark or unmark the story under the cursor for bulk triage."""
        story = self.current_story
        if story is None:
            return
        self.marked.symmetric_difference_update({story.id})
        self.refresh_line(self.cursor)

    def clear_marks(self) -> None:
        """Forget every mark."""
        self.marked.clear()
        self.refresh()

    # -- cursor ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.virtual_size = Size(self.size.width, self.window.count)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.window.count)

    def _place_cursor(self, index: int, *, center: bool = False, user: bool = False) -> None:
        """Move the cursor; ``user`` when a key or click moved it (not a reload or search).

        The desk is told synchronously, so a key pressed right after the move
        already acts on the row the user moved to.
        """
        count = self.window.count
        index = max(0, min(index, count - 1)) if count else 0
        old = self.cursor
        self.set_reactive(StoryList.cursor, index)
        self.refresh_line(old)
        self.refresh_line(index)
        self._scroll_cursor_into_view(center=center)
        margin = self.window.page_size // 2  # half a page ahead: read before it is reached
        self._want_rows(index - margin, index + margin)
        if user:
            self.moves += 1
            if self._on_user_move is not None:
                self._on_user_move(self.window.get(index))

    def _want_rows(self, first: int, last: int) -> None:
        """Ask the desk for the pages of rows ``first``..``last`` that are not loaded."""
        window = self.window
        if self._on_rows_wanted is not None and not (
            window.is_loaded(max(0, first)) and window.is_loaded(min(last, window.count - 1))
        ):
            self._on_rows_wanted(first, last)

    def _ask_for_visible_rows(self) -> None:
        self._asked = False
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height or self.size.height
        self._want_rows(top, top + height)

    def _scroll_cursor_into_view(self, *, center: bool = False) -> None:
        height = self.scrollable_content_region.height or self.size.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        if center and not (top <= self.cursor < top + height):
            self.scroll_to(y=max(0, self.cursor - height // 2), animate=False, immediate=True)
        elif self.cursor < top:
            # Jump a third of a page at once: one full repaint per many moves, not per move.
            jump = (
                max(0, self.cursor - (2 * height) // 3) if top - self.cursor == 1 else self.cursor
            )
            self.scroll_to(y=jump, animate=False, immediate=True)
        elif self.cursor >= top + height:
            if self.cursor == top + height:
                self.scroll_to(y=self.cursor - height // 3, animate=False, immediate=True)
            else:
                self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def move_to(self, index: int, *, user: bool = True) -> None:
        """Put the cursor on row ``index`` (clamped) and keep it visible."""
        self._place_cursor(index, center=True, user=user)

    def move_by(self, delta: int) -> None:
        """Move the cursor ``delta`` rows (always the user's doing)."""
        self._place_cursor(self.cursor + delta, user=True)

    def page_height(self) -> int:
        """Rows per screenful."""
        return max(1, (self.scrollable_content_region.height or self.size.height) - 1)

    # The scrolling keys a ScrollView binds (arrows, page keys, home/end) move the cursor here.
    def action_scroll_down(self) -> None:
        self.move_by(1)

    def action_scroll_up(self) -> None:
        self.move_by(-1)

    def action_page_down(self) -> None:
        self.move_by(self.page_height())

    def action_page_up(self) -> None:
        self.move_by(-self.page_height())

    def action_scroll_home(self) -> None:
        self.move_to(0)

    def action_scroll_end(self) -> None:
        self.move_to(self.window.count - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        self._place_cursor(round(self.scroll_y) + offset.y, user=True)
        if event.chain >= 2:
            self.open_current()

    def open_current(self) -> None:
        """Ask the desk to open the story under the cursor."""
        story = self.current_story
        if story is not None:
            self.post_message(self.Opened(self, story))

    # -- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        index = round(self.scroll_y) + y
        base = self._style("")
        if self.window.count == 0:
            if not self.window.loaded_once:  # the first read is still under way
                return Strip.blank(width, base)
            lines = textwrap.wrap(self.empty_message, max(10, width - 4))
            if 1 <= y <= len(lines):
                style = self._style("story-list--empty")
                return Strip([Segment(fit("  " + lines[y - 1], width), base + style)], width)
            return Strip.blank(width, base)
        story = self.window.get(index)
        if story is None:
            if index >= self.window.count:
                return Strip.blank(width, base)
            if not self._asked:  # once per frame, after it: rendering must not post work
                self._asked = True
                self.call_later(self._ask_for_visible_rows)
            return self._placeholder(index, width, base)
        return self._row(story, index, width, base)

    def _placeholder(self, index: int, width: int, base: Style) -> Strip:
        """A row still being read: its cursor and a dim ellipsis."""
        row_base = base + self._style("story-list--cursor") if index == self.cursor else base
        style = row_base + self._style("story-list--meta")
        return Strip([Segment(fit("      " + PLACEHOLDER, width), style)], width)

    def _row(self, story: Story, index: int, width: int, base: Style) -> Strip:
        style_of = self._style
        cursor = index == self.cursor
        row_base = base + style_of("story-list--cursor") if cursor else base
        if story.archived:
            title_style = style_of("story-list--archived")
        elif story.read:
            title_style = style_of("story-list--read")
        else:
            title_style = style_of("story-list--unread")
        meta = style_of("story-list--meta")
        marked = story.id in self.marked
        upcoming = self.window.has_upcoming(story.id)
        mark = "▌" if marked else ("›" if story.id == self.open_id else " ")
        segments = [
            Segment(mark, row_base + style_of("story-list--marked")),
            Segment(
                "×" if story.archived else ("●" if not story.read else " "),
                row_base + title_style,
            ),
            Segment("★" if story.saved else " ", row_base + style_of("story-list--saved")),
            Segment("◆" if upcoming else " ", row_base + style_of("story-list--upcoming")),
            Segment(" ", row_base),
        ]
        used = 5
        age = age_label(story.published, self.clock())[:4]
        lang = fit(story.language[:2], 2)
        tags = " ".join("#" + plain(t) for t in story.tags)
        source = plain(story.source)
        # Column widths depend on the width only, never on a row's content, so the
        # language, source and age columns line up in every row and every view.
        source_w, lang_w, title_w = column_widths(width - used)
        tags_w = min(cell_len(tags) + 1, 16, title_w // 4) if tags else 0
        title = plain(story.title).strip() or UNTITLED
        segments.append(Segment(fit(title, max(1, title_w - tags_w)), row_base + title_style))
        if tags_w:
            segments.append(
                Segment(fit(" " + tags, tags_w), row_base + style_of("story-list--tag"))
            )
        if lang_w:
            segments.append(Segment(" " + lang, row_base + meta))
        if source_w:
            segments.append(Segment(" " + fit(source, source_w), row_base + meta))
        segments.append(Segment(" " + age.rjust(4), row_base + meta))
        return Strip(segments).adjust_cell_length(width, row_base)
