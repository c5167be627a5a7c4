"""The typed Messages the desk's worker threads post back to the desk screen.

Each carries a plain result of ``tui.desk.service.DeskService`` (read in the
worker) that the screen applies on the UI thread; the screen's handlers are
``on_<message name>``. Nothing here calls the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from tui.desk.service import (
    FullTextDone,
    ListRequest,
    OpenedStory,
    StoriesRead,
    TriageResult,
    UndoResult,
    UnreadFound,
)
from tui.desk.snapshot import CountsSnapshot
from tui.desk.views import DeskView
from tui.desk.window import PageRows, RowsWindow, RowUpdate
from tui.store import Source, StoreLocked, StoreUnavailable

if TYPE_CHECKING:
    from tui.analysis.model import Analysis


class CountsReady(Message):
    """Counts, sources, tags and actors for the header, the left pane and the status line."""

    def __init__(self, snapshot: CountsSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class WindowReady(Message):
    """A list read afresh (a reload, a new view, a search) with the pages around the cursor."""

    def __init__(self, request: ListRequest, window: RowsWindow, moves: int = 0) -> None:
        super().__init__()
        self.request = request
        self.window = window
        self.moves = moves
        """The list's count of user moves when the request was made."""


class RowsReady(Message):
    """Pages the cursor is about to reach, for the list generation they were read for."""

    def __init__(
        self, generation: int, pages: tuple[PageRows, ...], asked: tuple[int, ...] = ()
    ) -> None:
        super().__init__()
        self.generation = generation
        self.pages = pages
        self.asked = asked
        """The page numbers asked for (read or not: they may be asked again)."""


class RowsChanged(Message):
    """Stories re-read after a change: their rows repaint in place."""

    def __init__(self, update: RowUpdate) -> None:
        super().__init__()
        self.update = update


class StoryLoaded(Message):
    """A story read whole for the reader (``opened`` ``None``: it left the desk)."""

    def __init__(
        self,
        story_id: int,
        opened: OpenedStory | None,
        *,
        open_it: bool,
        analysis: Analysis | None = None,
    ) -> None:
        super().__init__()
        self.story_id = story_id
        self.opened = opened
        self.open_it = open_it
        """``True``: the user opened it; ``False``: a re-read of the story already shown."""
        self.analysis = analysis
        """Its analysis as cached in the store, when there is one to paint at once."""


class TriageDone(Message):
    """A triage key's write and what to repaint."""

    def __init__(self, result: TriageResult) -> None:
        super().__init__()
        self.result = result


class UndoDone(Message):
    """``u``: what was restored."""

    def __init__(self, result: UndoResult) -> None:
        super().__init__()
        self.result = result


class UnreadReady(Message):
    """Where ``n`` or ``p`` go."""

    def __init__(self, found: UnreadFound) -> None:
        super().__init__()
        self.found = found


class StoriesReady(Message):
    """Stories read by id for a dialog (untag lists their tags)."""

    def __init__(self, read: StoriesRead, ids: list[int]) -> None:
        super().__init__()
        self.read = read
        self.ids = ids


class TagsReady(Message):
    """The desk's tags as just read, for the tag dialog that opened with the last ones."""

    def __init__(self, tags: tuple[tuple[str, int], ...]) -> None:
        super().__init__()
        self.tags = tags


class SourceChecked(Message):
    """A source read again before refreshing it (``source`` ``None``: it left the desk)."""

    def __init__(self, source_id: int, source: Source | None) -> None:
        super().__init__()
        self.source_id = source_id
        self.source = source


class ViewReady(Message):
    """A view to switch to (a source's, after it was added or chosen in the errors list)."""

    def __init__(self, view: DeskView | None) -> None:
        super().__init__()
        self.view = view


class StoreChanged(Message):
    """Another process changed the desk (the poll saw the counts move): reload."""


class FullTextReady(Message):
    """The full-text fetch of a story ended."""

    def __init__(self, done: FullTextDone) -> None:
        super().__init__()
        self.done = done


class StoreFailed(Message):
    """A worker's store call met a database that is away or busy."""

    def __init__(self, error: StoreUnavailable | StoreLocked) -> None:
        super().__init__()
        self.error = error


class WorkerFailed(Message):
    """A worker failed for another reason: said in a notification."""

    def __init__(self, what: str, error: Exception) -> None:
        super().__init__()
        self.what = what
        self.error = error
