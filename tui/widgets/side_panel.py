"""The left pane: views (All, Unread, Saved, Upcoming), sources, tags and actors.

Each entry stands for a ``StoryFilter``; choosing one posts ``SidePanel.Chosen``.
Source entries show unread counts and a ``!`` when the last fetch failed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.desk.views import VIEWS, DeskView
from tui.store import ActorCount, Source, StoryFilter
from tui.widgets.steady_scroll import SteadyScrollbars
from tui.widgets.story_list import fit, plain

__all__ = ["ACTOR_LIMIT", "VIEWS", "DeskView", "SidePanel"]

ACTOR_LIMIT = 12


class SidePanel(SteadyScrollbars, OptionList):
    """Navigation between views; enter applies the highlighted one."""

    DEFAULT_CSS = """
    SidePanel { background: $panel; border: none; scrollbar-gutter: stable; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="side.down"),
        Binding("k", "cursor_up", "Up", show=False, id="side.up"),
    ]

    class Chosen(Message):
        """The user chose a view."""

        def __init__(self, view: DeskView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.views: dict[str, DeskView] = {}
        self._repopulate: Callable[[], None] | None = None
        """``populate`` with the last entries (the labels are cut to the width: a resize redraws)."""
        self._drawn_width = 0

    def on_resize(self) -> None:
        if self._repopulate is not None and self.size.width != self._drawn_width:
            self._repopulate()

    def populate(
        self,
        *,
        counts: dict[str, int],
        sources: list[Source],
        unread_by_source: dict[int, int],
        tags: list[tuple[str, int]],
        actors: list[ActorCount],
        current: str | None = None,
    ) -> None:
        """Rebuild the entries, keeping the highlighted one where it was.

        With nothing highlighted yet, the ``current`` view (the one the list shows)
        is, so the pane opens on where the user is.
        """
        self._repopulate = partial(
            self.populate,
            counts=counts,
            sources=sources,
            unread_by_source=unread_by_source,
            tags=tags,
            actors=actors,
            current=current,
        )
        width = self.scrollable_content_region.width or 24
        self._drawn_width = self.size.width
        keep = None
        if self.highlighted is not None:
            keep = self.get_option_at_index(self.highlighted).id
        self.views = {}
        options: list[Option | None] = []
        inner = max(8, width - 1)

        def entry(view: DeskView, count: int | None, *, error: bool = False) -> Option:
            self.views[view.key] = view
            number = "" if count is None else str(count)
            label_w = inner - len(number) - (2 if error else 0) - 1
            line = Text(fit(plain(view.label), max(1, label_w)), end="")
            if error:
                line.append(" !", style="bold red")
            line.append(" " + number, style="dim")
            return Option(line, id=view.key)

        view_counts = {
            "view:all": counts.get("total"),
            "view:unread": counts.get("unread"),
            "view:saved": counts.get("saved"),
            "view:upcoming": counts.get("upcoming"),
        }
        options.extend(entry(view, view_counts[view.key]) for view in VIEWS)
        options.append(Option(Text("Sources", style="bold"), disabled=True))
        if not sources:
            options.append(Option(Text("  none yet", style="dim"), disabled=True))
        for source in sources:
            view = DeskView(f"source:{source.id}", source.label, StoryFilter(source_id=source.id))
            options.append(
                entry(view, unread_by_source.get(source.id, 0), error=bool(source.last_error))
            )
        if tags:
            options.append(Option(Text("Tags", style="bold"), disabled=True))
        for name, count in tags:
            view = DeskView(f"tag:{name}", f"#{name}", StoryFilter(tags=(name,)))
            options.append(entry(view, count))
        if actors:
            options.append(Option(Text("Actors", style="bold"), disabled=True))
        for name, _kind, count in actors[:ACTOR_LIMIT]:
            view = DeskView(f"actor:{name}", name, StoryFilter(actor=name))
            options.append(entry(view, count))
        if self._same_entries(options):
            # Only numbers changed (a story read, a refresh): with 500 sources a rebuild
            # costs ~0.2 s on the UI thread, replacing the changed prompts ~nothing.
            for index, option in enumerate(options):
                assert option is not None
                if _plain(self.get_option_at_index(index).prompt) != _plain(option.prompt):
                    self.replace_option_prompt_at_index(index, option.prompt)
            return
        self.clear_options()
        self.add_options(options)
        if keep is None:
            keep = current
        if keep is not None and keep in self.views:
            self.highlighted = self.get_option_index(keep)

    def _same_entries(self, options: list[Option | None]) -> bool:
        """Whether the list already holds these entries (same ids, in order, same width)."""
        if len(options) != self.option_count:
            return False
        for index, option in enumerate(options):
            current = self.get_option_at_index(index)
            if option is None or current.id != option.id or current.disabled != option.disabled:
                return False
            if option.id is None and _plain(current.prompt) != _plain(option.prompt):
                return False  # a heading or placeholder line
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        view = self.views.get(event.option.id or "")
        if view is not None:
            self.post_message(self.Chosen(view))


def _plain(prompt: object) -> str:
    """An option's text without styles (prompts here are ``Text``)."""
    return prompt.plain if isinstance(prompt, Text) else str(prompt)
