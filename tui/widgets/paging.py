"""The story pager now lives in the Textual-free desk service (``tui.desk.pager``)."""

from __future__ import annotations

from tui.desk.pager import MAX_PAGES, PAGE_SIZE, StoryPager

__all__ = ["MAX_PAGES", "PAGE_SIZE", "StoryPager"]
