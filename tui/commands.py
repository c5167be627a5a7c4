"""Every desk key as a ``Binding`` with a stable id, and the palette commands made from them.

The ids are what users remap in the config's ``[keys]`` table (``"desk.save" = "S"``);
help (``?``) and the command palette list the same bindings, so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class DeskCommand:
    """One desk action: binding id, default keys, action, footer label and help text."""

    id: str
    keys: str
    action: str
    label: str
    help: str
    footer: bool = False

    def binding(self) -> Binding:
        """The Textual binding for this command."""
        return Binding(
            self.keys, self.action, self.label, show=self.footer, id=self.id, tooltip=self.help
        )


DESK_COMMANDS: tuple[DeskCommand, ...] = (
    DeskCommand("desk.down", "j,down", "cursor_down", "Down", "Move to the next story"),
    DeskCommand("desk.up", "k,up", "cursor_up", "Up", "Move to the previous story"),
    DeskCommand("desk.page_down", "pagedown", "page_down", "Page down", "Move a screenful down"),
    DeskCommand("desk.page_up", "pageup", "page_up", "Page up", "Move a screenful up"),
    DeskCommand("desk.first", "home,g", "first", "First", "Go to the first story"),
    DeskCommand("desk.last", "end,G", "last", "Last", "Go to the last story"),
    DeskCommand(
        "desk.open", "enter", "open_story", "Open", "Open the story under the cursor", True
    ),
    DeskCommand(
        "desk.next_unread", "n", "next_unread", "Next unread", "Open the next unread story", True
    ),
    DeskCommand(
        "desk.prev_unread", "p", "prev_unread", "Prev unread", "Open the previous unread story"
    ),
    DeskCommand(
        "desk.toggle_read",
        "m",
        "toggle_read",
        "Read",
        "Toggle read (marked stories or this one)",
        True,
    ),
    DeskCommand(
        "desk.save",
        "s",
        "toggle_saved",
        "Save",
        "Save or unsave (marked stories or this one)",
        True,
    ),
    DeskCommand("desk.tag", "t", "tag", "Tag", "Add tags (several, comma-separated)", True),
    DeskCommand("desk.untag", "T", "untag", "Untag", "Remove a tag"),
    DeskCommand("desk.note", "N", "note", "Note", "Edit the story's note"),
    DeskCommand("desk.archive", "x", "archive", "Archive", "Archive (hide from Unread)", True),
    DeskCommand("desk.undo", "u", "undo", "Undo", "Undo the last triage action", True),
    DeskCommand("desk.mark", "space,v", "toggle_mark", "Mark", "Mark or unmark for bulk triage"),
    DeskCommand("desk.clear_marks", "escape", "clear", "Clear", "Clear marks and the search"),
    DeskCommand("desk.search", "slash", "search", "Search", "Full-text search as you type", True),
    DeskCommand(
        "desk.filter",
        "f",
        "filter",
        "Filter",
        "Filter by source, tag, actor, language, state",
        True,
    ),
    DeskCommand("desk.refresh", "r", "refresh_all", "Refresh", "Fetch every feed", True),
    DeskCommand(
        "desk.refresh_source", "R", "refresh_source", "Refresh source", "Fetch this story's source"
    ),
    DeskCommand("desk.fulltext", "F", "fetch_fulltext", "Full text", "Fetch the full article"),
    DeskCommand("desk.open_link", "o", "open_link", "Browser", "Open the link in the browser"),
    DeskCommand("desk.copy_link", "y", "copy_link", "Copy link", "Copy the link"),
    DeskCommand("desk.export", "e", "export", "Export", "Export stories to Markdown"),
    DeskCommand("desk.agenda", "a", "agenda", "Agenda", "Agenda of upcoming dates"),
    DeskCommand(
        "desk.toggle_side",
        "backslash",
        "toggle_side",
        "Sources",
        "Show or hide the sources and views pane",
    ),
    DeskCommand("desk.focus_story", "l", "focus_story", "Story", "Move focus to the story text"),
    DeskCommand("desk.focus_list", "h", "focus_list", "List", "Move focus to the story list"),
    DeskCommand("desk.help", "question_mark", "help", "Help", "Keys and colours", True),
    DeskCommand("desk.samples", "ctrl+l", "load_samples", "Samples", "Load the sample desk"),
    DeskCommand("desk.quit", "q", "quit", "Quit", "Quit newsdesk", True),
)


def desk_bindings() -> list[BindingType]:
    """The desk screen's bindings."""
    return [command.binding() for command in DESK_COMMANDS]


def command_by_action(action: str) -> DeskCommand | None:
    """The command that runs ``action`` (for help and the palette)."""
    for command in DESK_COMMANDS:
        if command.action == action:
            return command
    return None
