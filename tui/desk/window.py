"""The rows the story list paints: an in-memory window over a filtered story list.

The list widget reads rows here on the UI thread and this class never asks the
store: pages arrive from worker threads (``DeskService.load_window`` for a
reload, ``DeskService.load_pages`` for the pages the cursor is about to reach)
as ``PageRows`` and are put in on the UI thread. A row not loaded yet is
``None`` (the list paints a placeholder and asks for its page).

``generation`` changes whenever the list is replaced (new filter, reload), so
pages read for an older list are recognised and dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from tui.desk.pager import MAX_PAGES, PAGE_SIZE
from tui.store import Story, StoryFilter


@dataclass(frozen=True, slots=True)
class PageRows:
    """One page of a list: its number, its stories and which of them have dates ahead."""

    number: int
    rows: tuple[Story, ...]
    upcoming: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class RowsWindow:
    """A freshly read list: filter, count, the pages around the cursor, the cursor's row."""

    filter: StoryFilter
    count: int
    pages: tuple[PageRows, ...]
    found: int | None = None
    """The row of the story the cursor was on (``None``: not in this list, or not asked)."""


@dataclass(frozen=True, slots=True)
class RowUpdate:
    """Stories re-read after a change (triage, full text, an analysis with new dates)."""

    stories: tuple[Story, ...]
    upcoming: frozenset[int] = frozenset()


class StoryWindow:
    """Loaded pages of one list (at most ``max_pages``, least recently used dropped)."""

    def __init__(self, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES) -> None:
        self.page_size = page_size
        self.max_pages = max_pages
        self.filter = StoryFilter()
        self.count = 0
        self.generation = 0
        self.loaded_once = False
        """Whether any list was adopted yet (before that the list says nothing)."""
        self._pages: OrderedDict[int, list[Story]] = OrderedDict()
        self._upcoming: dict[int, bool] = {}

    # -- filling (UI thread, with what workers read) ------------------------------------------

    def adopt(self, window: RowsWindow) -> None:
        """Replace the list with one a worker read."""
        self.generation += 1
        self.loaded_once = True
        self.filter = window.filter
        self.count = window.count
        self._pages.clear()
        self._upcoming.clear()
        self._put(window.pages)

    def add_pages(self, generation: int, pages: Iterable[PageRows]) -> bool:
        """Put in pages read for ``generation``; pages of an older list are ignored."""
        if generation != self.generation:
            return False
        self._put(pages)
        return True

    def _put(self, pages: Iterable[PageRows]) -> None:
        for page in pages:
            self._pages[page.number] = list(page.rows)
            self._pages.move_to_end(page.number)
            for story in page.rows:
                self._upcoming[story.id] = story.id in page.upcoming
        while len(self._pages) > self.max_pages:
            _, dropped = self._pages.popitem(last=False)
            for story in dropped:
                self._upcoming.pop(story.id, None)

    def replace_stories(self, update: RowUpdate) -> None:
        """Put re-read stories in place wherever they are loaded."""
        fresh = {story.id: story for story in update.stories}
        if not fresh:
            return
        for story_id in fresh:
            if story_id in self._upcoming:
                self._upcoming[story_id] = story_id in update.upcoming
        for rows in self._pages.values():
            for i, story in enumerate(rows):
                if story.id in fresh:
                    rows[i] = fresh[story.id]

    # -- reading (UI thread, never the store) -----------------------------------------------

    def get(self, index: int) -> Story | None:
        """Row ``index`` when loaded; ``None`` past the end or not loaded yet."""
        if index < 0 or index >= self.count:
            return None
        rows = self._pages.get(index // self.page_size)
        if rows is None:
            return None
        offset = index % self.page_size
        return rows[offset] if offset < len(rows) else None

    def is_loaded(self, index: int) -> bool:
        """Whether row ``index`` can be painted now (rows past the end count as loaded)."""
        return not 0 <= index < self.count or (index // self.page_size) in self._pages

    def missing_pages(self, first: int, last: int) -> list[int]:
        """Pages holding rows ``first``..``last`` (clamped to the list) that are not loaded."""
        first = max(0, first)
        last = min(self.count - 1, last)
        if last < first:
            return []
        wanted = range(first // self.page_size, last // self.page_size + 1)
        return [page for page in wanted if page not in self._pages]

    def known_pages(self) -> dict[int, list[Story]]:
        """A copy of the loaded pages (a worker continues from them with keyset queries)."""
        return {number: list(rows) for number, rows in self._pages.items()}

    def has_upcoming(self, story_id: int) -> bool:
        """Whether a loaded story has dates still ahead."""
        return self._upcoming.get(story_id, False)

    def find(self, story_id: int) -> Story | None:
        """A loaded story by id."""
        for rows in self._pages.values():
            for story in rows:
                if story.id == story_id:
                    return story
        return None

    def index_of(self, story: Story) -> int | None:
        """The row of ``story`` among the loaded pages (``None`` when not loaded)."""
        for number, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if row.id == story.id:
                    return number * self.page_size + offset
        return None
