"""Page-by-page access to a filtered story list, for a list widget that shows 100k rows.

The list widget asks for row ``i``; the pager loads the page that holds it with
one indexed query (keyset after the previous page when that page is cached,
else ``OFFSET``) and keeps a bounded number of pages. Nothing here touches
Textual, so it is cheap to test and to reuse.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from tui.store import StoreProtocol, Story, StoryFilter

PAGE_SIZE = 200
MAX_PAGES = 64


class StoryPager:
    """Rows of one ``StoryFilter``, newest first, loaded lazily in pages."""

    def __init__(
        self, store: StoreProtocol, flt: StoryFilter | None = None, page_size: int = PAGE_SIZE
    ):
        self.store = store
        self.filter = flt or StoryFilter()
        self.page_size = page_size
        self._pages: OrderedDict[int, list[Story]] = OrderedDict()
        self._upcoming: dict[int, bool] = {}
        self.count = 0
        self.reset(self.filter)

    def reset(self, flt: StoryFilter | None = None) -> None:
        """Start over (new filter, or the store changed underneath)."""
        if flt is not None:
            self.filter = flt
        self._pages.clear()
        self._upcoming.clear()
        self.count = self.store.count_stories(self.filter)

    @classmethod
    def resume(
        cls,
        store: StoreProtocol,
        flt: StoryFilter,
        count: int,
        pages: Mapping[int, Sequence[Story]],
        page_size: int = PAGE_SIZE,
    ) -> StoryPager:
        """A pager over a list already counted, with pages already read (no query here).

        A worker continues the UI's window this way: the next page is one keyset
        query after the last loaded one, not a count and an ``OFFSET``.
        """
        pager = cls.__new__(cls)
        pager.store = store
        pager.filter = flt
        pager.page_size = page_size
        pager._pages = OrderedDict((number, list(rows)) for number, rows in pages.items())
        pager._upcoming = {}
        pager.count = count
        return pager

    def loaded_pages(self) -> dict[int, list[Story]]:
        """The pages read so far, by number."""
        return dict(self._pages)

    def upcoming_of(self, rows: Sequence[Story]) -> frozenset[int]:
        """Which of ``rows`` have dates still ahead (as far as this pager read them)."""
        return frozenset(s.id for s in rows if self._upcoming.get(s.id, False))

    def adopt(self, other: StoryPager) -> None:
        """Take the filter, count and loaded pages of a pager filled in a worker thread."""
        self.filter = other.filter
        self.count = other.count
        self._pages = other._pages
        self._upcoming = other._upcoming

    def _load(self, page: int) -> list[Story]:
        previous = self._pages.get(page - 1)
        if previous and len(previous) == self.page_size:
            last = previous[-1]
            rows = self.store.list_stories(
                self.filter, limit=self.page_size, after=(last.published, last.id)
            )
        elif page * self.page_size * 2 > self.count:
            # Far half of the list: count from the other end, so that jumping to
            # the last page of 100k stories skips no more rows than the first.
            lo = page * self.page_size
            hi = min(self.count, lo + self.page_size) - 1
            rows = self.store.list_stories(
                self.filter, limit=hi - lo + 1, offset=self.count - 1 - hi, reverse=True
            )
            rows.reverse()
        else:
            rows = self.store.list_stories(
                self.filter, limit=self.page_size, offset=page * self.page_size
            )
        if rows:
            ids = tuple(s.id for s in rows)
            upcoming = self.store.list_stories(StoryFilter(ids=ids, upcoming=True), limit=len(ids))
            marked = {s.id for s in upcoming}
            for story in rows:
                self._upcoming[story.id] = story.id in marked
        return rows

    def page(self, page: int) -> list[Story]:
        """The stories of page ``page`` (loaded if needed)."""
        rows = self._pages.get(page)
        if rows is None:
            rows = self._load(page)
            self._pages[page] = rows
            while len(self._pages) > MAX_PAGES:
                _, dropped = self._pages.popitem(last=False)
                for story in dropped:
                    self._upcoming.pop(story.id, None)
        else:
            self._pages.move_to_end(page)
        return rows

    def get(self, index: int) -> Story | None:
        """Row ``index``, or ``None`` past the end."""
        if index < 0 or index >= self.count:
            return None
        rows = self.page(index // self.page_size)
        offset = index % self.page_size
        return rows[offset] if offset < len(rows) else None

    def has_upcoming(self, story_id: int) -> bool:
        """Whether a loaded story has dates still ahead (from the store's date index)."""
        return self._upcoming.get(story_id, False)

    def refresh_stories(self, ids: list[int]) -> None:
        """Re-read the given stories into the cached pages (after a triage action)."""
        if not ids:
            return
        fresh = {
            s.id: s for s in self.store.list_stories(StoryFilter(ids=tuple(ids)), limit=len(ids))
        }
        upcoming = self.store.list_stories(
            StoryFilter(ids=tuple(ids), upcoming=True), limit=len(ids)
        )
        marked = {s.id for s in upcoming}
        for story_id in fresh:
            if story_id in self._upcoming:
                self._upcoming[story_id] = story_id in marked
        for rows in self._pages.values():
            for i, story in enumerate(rows):
                if story.id in fresh:
                    rows[i] = fresh[story.id]

    def index_of(self, story: Story) -> int | None:
        """Row index of ``story`` in this list, found with a count and a short scan."""
        newer_or_same = self.store.count_stories(replace(self.filter, since=story.published))
        start = min(newer_or_same, self.count) - 1
        for index in range(start, max(-1, start - 5 * self.page_size), -1):
            row = self.get(index)
            if row is not None and row.id == story.id:
                return index
        return None

    def next_unread(self, index: int) -> int | None:
        """Index of the first unread story after row ``index``."""
        current = self.get(index)
        if current is None:
            first = self.store.list_stories(replace(self.filter, unread=True), limit=1)
        else:
            first = self.store.list_stories(
                replace(self.filter, unread=True),
                limit=1,
                after=(current.published, current.id),
            )
        if not first:
            return None
        return self.index_of(first[0])

    def previous_unread(self, index: int) -> int | None:
        """Index of the nearest unread story before row ``index``.

        One keyset query in reverse order (the nearest newer unread row), then
        ``index_of``: O(page) however far above it is, where a row-by-row scan
        would load every page in between on the UI thread.
        """
        if index <= 0 or self.count == 0:
            return None
        unread = replace(self.filter, unread=True)
        current = self.get(min(index, self.count))
        if current is None:  # past the end: the oldest unread row is the nearest above
            found = self.store.list_stories(unread, limit=1, reverse=True)
        else:
            found = self.store.list_stories(
                unread, limit=1, after=(current.published, current.id), reverse=True
            )
        if not found:
            return None
        return self.index_of(found[0])
