"""The desk's logic without Textual: view and filter, pages, triage and undo, counts.

``DeskService`` is what the desk screen asks and what it paints. It holds the
desk's state (the view, the search text, which story keys act on, the undo
stack, the actor list, what another desk changed) and reads and writes the store.

The threading rule: **every method that reads or writes the store runs in a
worker thread**, never on the UI thread (their docstrings say "worker"). The
screen starts a thread worker, calls one of them, and posts the typed result
(``CountsSnapshot``, ``RowsWindow``, ``TriageResult`` …) back as a Message that
it applies on the UI thread. State-only methods (``set_view``, the targets, the
remote-change counter) are cheap and called from the UI thread.

Writes keep their order across worker threads: the UI thread takes a ticket
(``ticket()``) when the key is pressed and the worker passes it to the write,
which waits for the writes of earlier tickets (``tui.desk.sequencer``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Literal, cast

from tui.config import Config
from tui.desk import navigation
from tui.desk.pager import PAGE_SIZE, StoryPager
from tui.desk.sequencer import Sequencer
from tui.desk.snapshot import CountsSnapshot
from tui.desk.targets import TargetTracker
from tui.desk.undo import UndoEntry, UndoStack
from tui.desk.views import ALL, DeskView
from tui.desk.window import PageRows, RowsWindow, RowUpdate
from tui.store import (
    ActorCount,
    NotFoundError,
    Source,
    StoreConflict,
    StoreProtocol,
    Story,
    StoryFilter,
    TriageState,
)
from tui.store.write_queue import Event, PendingWrite, WriteQueue

if TYPE_CHECKING:
    from tui.store import Store

ACTOR_CHOICES = 200
"""Actors kept for the filter dialog (the left pane shows the first dozen)."""

KeptDone = Callable[[PendingWrite, Exception | None, list[int], bool], None]
"""Called (on the write queue's thread) when a kept write finally ran or failed."""
WriteEvents = Callable[[Event, PendingWrite, int], None]

Toggle = Literal["read", "saved", "archived"]
TriageStatus = Literal["done", "kept", "failed", "missing"]


@dataclass(frozen=True, slots=True)
class ListRequest:
    """Which list to read and where its cursor should land (taken on the UI thread)."""

    filter: StoryFilter
    keep: Story | None = None
    """The story the cursor is on: the reload puts the cursor back on it."""
    cursor: int = 0
    keep_cursor: bool = True
    serial: int = 0
    """Increases with every request: only the newest one's answer is painted."""
    locate_id: int | None = None
    """A story to put the cursor on (the agenda's choice); not in this list: read All."""


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """A write through the write queue: written, kept for retrying, or failed for good."""

    label: str
    kept: bool = False
    waiting: int = 0
    """Writes kept in the queue (when ``kept``)."""
    error: str = ""
    exception: Exception | None = None


@dataclass(frozen=True, slots=True)
class TriageResult:
    """What a triage key did: ``done`` (or ``kept`` for later), ``failed``, ``missing``."""

    label: str
    ids: tuple[int, ...]
    status: TriageStatus
    write: WriteOutcome | None = None
    reload: bool = False
    rows: RowUpdate | None = None
    snapshot: CountsSnapshot | None = None
    shown: OpenedStory | None = None
    shown_gone: bool = False
    """The open story was among ``ids`` and is no longer on the desk."""

    @property
    def saved(self) -> bool:
        """Written now or kept for retrying (the action stands and can be undone)."""
        return self.status in ("done", "kept")


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What ``u`` restored: ``entry`` is ``None`` when there was nothing to undo."""

    entry: UndoEntry | None
    restored: tuple[TriageState, ...] = ()
    write: WriteOutcome | None = None

    @property
    def some_missing(self) -> bool:
        """Some stories of the action left the desk meanwhile (nothing restored for them)."""
        return self.entry is not None and len(self.restored) < len(self.entry.states)

    @property
    def ids(self) -> list[int]:
        """The stories restored."""
        return [state.story_id for state in self.restored]


@dataclass(frozen=True, slots=True)
class OpenedStory:
    """A story read whole for the reader, with who tagged or noted it."""

    story: Story
    credits: tuple[tuple[str, str, str, str], ...] = ()
    marked_read: WriteOutcome | None = None
    """Opening marked it read (the write's outcome)."""


@dataclass(frozen=True, slots=True)
class UnreadFound:
    """Where ``n``/``p`` go, and the pages read to find it."""

    step: navigation.UnreadStep | None
    forward: bool
    generation: int
    pages: tuple[PageRows, ...] = ()


@dataclass(frozen=True, slots=True)
class StoriesRead:
    """Stories read by id (untag needs their tags), in no particular order."""

    stories: tuple[Story, ...] = ()
    purpose: str = ""


class DeskService:
    """The desk's state and its store calls (see the module docstring for the threads)."""

    def __init__(
        self,
        store: StoreProtocol,
        *,
        today: Callable[[], dt.date],
        config: Config | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.store = store
        self.today = today
        self.config = config
        self.page_size = page_size
        self.view: DeskView = ALL
        self.search_text = ""
        self.targets = TargetTracker()
        self.undo = UndoStack()
        self.sequencer = Sequencer()
        self.actors: tuple[ActorCount, ...] | None = None
        self.seen_counts: dict[str, int] = {}
        self.on_kept_done: KeptDone | None = None
        self.on_write_event: WriteEvents | None = None
        self._writes: WriteQueue | None = None
        self._remote_changes = 0
        self._remote_seen = 0

    # -- view and filter (UI thread) --------------------------------------------------------

    @property
    def base_filter(self) -> StoryFilter:
        """The view's filter, without the search."""
        return self.view.filter

    @property
    def effective_filter(self) -> StoryFilter:
        """The view's filter with the search text."""
        return replace(self.base_filter, query=self.search_text.strip() or None)

    def set_view(self, view: DeskView) -> None:
        """Show another view (the caller reloads the list)."""
        self.view = view

    # -- what another desk changed (listener thread counts, UI thread takes) ------------------

    def count_remote_change(self, kind: str, user: str) -> None:
        """A change by another desk (called on the store's listener thread: counting only).

        Read, saved and archived are per user: a colleague's triage changes nothing
        on this desk, so it asks for no reload.
        """
        if kind == "state" and user != getattr(self.store, "user", user):
            return
        self._remote_changes += 1

    @property
    def remote_changes(self) -> int:
        """How many changes by other desks this desk has been told of (for status, tests)."""
        return self._remote_changes

    def take_remote_changes(self) -> bool:
        """Whether another desk changed something since the last call."""
        if self._remote_changes == self._remote_seen:
            return False
        self._remote_seen = self._remote_changes
        return True

    def ticket(self) -> int:
        """A place in the order of writes (take it on the UI thread, at the key press)."""
        return self.sequencer.ticket()

    # -- reads (worker threads) ---------------------------------------------------------------

    def snapshot(self) -> CountsSnapshot:
        """Worker: the counts, sources, tags and actors the header and left pane show."""
        counts = self.store.counts()
        self.seen_counts = dict(counts)
        counts["upcoming"] = self.store.count_stories(StoryFilter(upcoming=True))
        return CountsSnapshot(
            counts=counts,
            sources=tuple(self.store.sources()),
            unread_by_source=self.store.unread_by_source(),
            tags=tuple(self.store.tags()),
            actors=self.known_actors(),
            stories=self.store.count_stories(),
        )

    def known_actors(self) -> tuple[ActorCount, ...]:
        """Worker: the actor list as last read (a GROUP BY over every analysed story)."""
        if self.actors is None:
            self.actors = tuple(self.store.actors(limit=ACTOR_CHOICES))
        return self.actors

    def read_actors(self) -> tuple[ActorCount, ...]:
        """Worker: read the actor list again (after analysis named new actors)."""
        self.actors = tuple(self.store.actors(limit=ACTOR_CHOICES))
        return self.actors

    def changed_elsewhere(self) -> bool:
        """Worker: whether the desk-wide counts moved since the last snapshot (another process)."""
        return self.store.counts() != self.seen_counts

    def load_window(self, request: ListRequest) -> RowsWindow:
        """Worker: count the list, find the kept story's row, read the pages around the cursor.

        With ``locate_id`` the story is read (``NotFoundError`` when it left the
        desk) and, when the list does not hold it, All is read instead (the
        returned window's filter says which).
        """
        flt = request.filter
        keep = request.keep
        if request.locate_id is not None:
            keep = self.store.story(request.locate_id)
        pager = StoryPager(self.store, flt, self.page_size)
        found = pager.index_of(keep) if keep is not None else None
        everything = replace(ALL.filter, query=flt.query)
        if found is None and request.locate_id is not None and flt != everything:
            flt = everything
            pager = StoryPager(self.store, flt, self.page_size)
            found = pager.index_of(keep) if keep is not None else None
        if found is not None:
            index = found
        elif request.keep_cursor:
            index = max(0, min(request.cursor, pager.count - 1))
        else:
            index = 0
        pages = self._read_around(pager, index)
        return RowsWindow(flt, pager.count, pages, found)

    def _read_around(self, pager: StoryPager, index: int) -> tuple[PageRows, ...]:
        if pager.count == 0:
            return ()
        margin = self.page_size // 2  # as far as the list prefetches ahead of the cursor
        first = max(0, index - margin) // self.page_size
        last = min(pager.count - 1, index + margin) // self.page_size
        for number in range(first, last + 1):
            pager.page(number)
        return self._pages_of(pager, set())

    def _pages_of(self, pager: StoryPager, known: set[int]) -> tuple[PageRows, ...]:
        return tuple(
            PageRows(number, tuple(rows), pager.upcoming_of(rows))
            for number, rows in pager.loaded_pages().items()
            if number not in known
        )

    def load_pages(
        self,
        flt: StoryFilter,
        count: int,
        known: Mapping[int, Sequence[Story]],
        numbers: Sequence[int],
    ) -> tuple[PageRows, ...]:
        """Worker: read pages of a list the UI already shows (keyset after a loaded page)."""
        pager = StoryPager.resume(self.store, flt, count, known, self.page_size)
        for number in sorted(numbers):
            pager.page(number)
        return self._pages_of(pager, set(known))

    def rows(self, ids: Sequence[int]) -> RowUpdate:
        """Worker: stories re-read by id, with whether each has dates ahead."""
        if not ids:
            return RowUpdate(())
        key = tuple(ids)
        fresh = self.store.list_stories(StoryFilter(ids=key), limit=len(key))
        ahead = self.store.list_stories(StoryFilter(ids=key, upcoming=True), limit=len(key))
        return RowUpdate(tuple(fresh), frozenset(s.id for s in ahead))

    def stories(self, ids: Sequence[int], purpose: str = "") -> StoriesRead:
        """Worker: the stories with these ids (those still on the desk)."""
        key = tuple(ids)
        found = self.store.list_stories(StoryFilter(ids=key), limit=len(key)) if key else []
        return StoriesRead(tuple(found), purpose)

    def read_story(self, story_id: int) -> OpenedStory:
        """Worker: a story whole, with its credits (``NotFoundError`` when it left the desk)."""
        story = self.store.story(story_id)
        return OpenedStory(story, tuple(self.store.story_credits(story_id)))

    def open_story(self, story_id: int, ticket: int) -> OpenedStory:
        """Worker: read a story for the reader and mark it read (``NotFoundError`` if gone).

        Takes its turn first, whatever happens: a ticket left unused would hold
        up every later write.
        """
        with self.sequencer.turn(ticket):
            opened = self.read_story(story_id)
            if opened.story.read:
                return opened
            write = partial(self.store.set_read, [story_id], True)
            outcome = self._write("marked read", [story_id], write, False)
        return replace(opened, story=replace(opened.story, read=True), marked_read=outcome)

    def find_unread(
        self,
        flt: StoryFilter,
        count: int,
        known: Mapping[int, Sequence[Story]],
        cursor: int,
        *,
        forward: bool,
        generation: int,
    ) -> UnreadFound:
        """Worker: the next (or previous) unread row from ``cursor``, wrapping round."""
        pager = StoryPager.resume(self.store, flt, count, known, self.page_size)
        if forward:
            step = navigation.next_unread(pager, cursor)
        else:
            step = navigation.previous_unread(pager, cursor)
        if step is not None:
            pager.page(step.index // self.page_size)
        return UnreadFound(step, forward, generation, self._pages_of(pager, set(known)))

    def tags(self) -> tuple[tuple[str, int], ...]:
        """Worker: every tag with its number of stories."""
        return tuple(self.store.tags())

    def source(self, source_id: int) -> Source | None:
        """Worker: a source as stored now (``None`` when it left the desk)."""
        try:
            return self.store.source(source_id)
        except NotFoundError:
            return None

    def source_view(self, source_id: int) -> DeskView | None:
        """Worker: the view of one source's stories (``None`` when it left the desk)."""
        try:
            source = self.store.source(source_id)
        except NotFoundError:
            return None
        return DeskView(f"source:{source.id}", source.label, StoryFilter(source_id=source.id))

    # -- writes (worker threads) --------------------------------------------------------------

    @property
    def writes(self) -> WriteQueue:
        """The queue of this desk's writes (made on first use)."""
        if self._writes is None:
            # Both backends have ``fail_fast``, which the queue uses; the protocol lacks it.
            store = cast("Store", self.store)
            self._writes = WriteQueue(store, on_event=self._write_event)
        return self._writes

    def _write_event(self, event: Event, item: PendingWrite, pending: int) -> None:
        if self.on_write_event is not None:
            self.on_write_event(event, item, pending)

    def close_writes(self) -> list[PendingWrite]:
        """At exit: one last try; what is left is returned (and reported by the caller)."""
        return self.writes.close() if self._writes is not None else []

    def write(
        self,
        label: str,
        ids: Sequence[int],
        write: Callable[[], None],
        *,
        reload: bool = False,
        ticket: int | None = None,
    ) -> WriteOutcome:
        """Worker: write now if the database is free, else keep it and retry in the background.

        A kept write that later runs (or fails for good) calls ``on_kept_done``
        with ``ids`` and ``reload``, so the desk repaints what it changed.
        """
        if ticket is None:
            return self._write(label, list(ids), write, reload)
        with self.sequencer.turn(ticket):
            return self._write(label, list(ids), write, reload)

    def _write(
        self, label: str, ids: list[int], write: Callable[[], None], reload: bool
    ) -> WriteOutcome:
        def done(item: PendingWrite, error: Exception | None) -> None:
            if self.on_kept_done is not None:
                self.on_kept_done(item, error, ids, reload)

        item = self.writes.submit(label, write, on_done=done)
        if not item.done.is_set():
            return WriteOutcome(label, True, len(self.writes.pending), item.error)
        return WriteOutcome(label, error=item.error, exception=item.exception)

    def triage(
        self,
        label: str,
        ids: Sequence[int],
        write: Callable[[], None],
        *,
        reload: bool = False,
        ticket: int | None = None,
        shown_id: int | None = None,
    ) -> TriageResult:
        """Worker: capture the stories' state, write (one transaction), remember it for undo.

        Then read back what the desk repaints: the changed rows and the counts
        (unless ``reload``: the caller reloads the list), and the open story
        when it was among them.
        """
        if ticket is None:
            ticket = self.ticket()
        with self.sequencer.turn(ticket):
            result = self._triage(label, list(ids), write, reload)
        if result.status == "failed":
            return result
        return self.repaint(result, shown_id)

    def _triage(
        self, label: str, ids: list[int], write: Callable[[], None], reload: bool
    ) -> TriageResult:
        key = tuple(ids)
        try:
            states = tuple(self.store.triage_state(ids))
            outcome = self._write(label, ids, write, reload)
            if isinstance(outcome.exception, NotFoundError):
                raise outcome.exception
        except NotFoundError:  # deleted by another process while shown
            return TriageResult(label, key, "missing", reload=True)
        if outcome.exception is not None:
            return TriageResult(label, key, "failed", outcome)
        self.undo.push(UndoEntry(label, states))
        return TriageResult(label, key, "kept" if outcome.kept else "done", outcome, reload)

    def repaint(self, result: TriageResult, shown_id: int | None) -> TriageResult:
        """Worker: add to ``result`` the rows, counts and open story the desk repaints."""
        rows = None if result.reload else self.rows(result.ids)
        snapshot = None if result.reload else self.snapshot()
        shown: OpenedStory | None = None
        gone = False
        if shown_id is not None and shown_id in result.ids:
            try:
                shown = self.read_story(shown_id)
            except NotFoundError:
                gone = True
        return replace(result, rows=rows, snapshot=snapshot, shown=shown, shown_gone=gone)

    def toggle(
        self, flag: Toggle, ids: Sequence[int], *, ticket: int, shown_id: int | None = None
    ) -> TriageResult:
        """Worker: ``m``, ``s``, ``x``: set the flag on all, unless all have it (then clear it)."""
        ids = list(ids)
        with self.sequencer.turn(ticket):
            stories = self.store.list_stories(StoryFilter(ids=tuple(ids)), limit=len(ids))
            value = not all(getattr(s, flag) for s in stories)
            if flag == "read":
                label = "marked read" if value else "marked unread"
                result = self._triage(label, ids, lambda: self.store.set_read(ids, value), False)
            elif flag == "saved":
                label = "saved" if value else "unsaved"
                result = self._triage(label, ids, lambda: self.store.set_saved(ids, value), False)
            else:
                label = "archived" if value else "unarchived"
                write = partial(self.store.set_archived, ids, value)
                result = self._triage(label, ids, write, True)
        if result.status == "failed":
            return result
        return self.repaint(result, shown_id)

    def undo_last(self, *, ticket: int) -> UndoResult:
        """Worker: restore the state before the newest triage action (stories still present)."""
        with self.sequencer.turn(ticket):
            entry = self.undo.pop()
            if entry is None:
                return UndoResult(None)
            ids = [state.story_id for state in entry.states]
            present = {s.id for s in self.stories(ids).stories}
            states = tuple(state for state in entry.states if state.story_id in present)
            # restoring tags of a story another process deleted breaks a foreign key
            outcome = self._write(
                f"undo {entry.label}", ids, partial(self.store.restore_triage, states), True
            )
            if isinstance(outcome.exception, StoreConflict):
                states = ()
            return UndoResult(entry, states, outcome)


@dataclass(frozen=True, slots=True)
class FullTextDone:
    """A full article fetched for a story (or why not), with the story's title for messages."""

    story_id: int
    ok: bool
    error: str = ""
    chars: int = 0
    title: str = ""
    rows: RowUpdate = field(default_factory=lambda: RowUpdate(()))
