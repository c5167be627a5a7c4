"""Every key binding as data: ids, default keys and where each applies.

The ids are what users remap in the config's ``[keys]`` table (``"desk.save" = "S"``).
This module is Textual-free so that ``newsdesk config check`` (and the config
loader the desk shares) can reject an unknown id or a key that two bindings of
the same screen would share, naming the file, line and key. ``tui.commands``
turns ``DESK_COMMANDS`` into Textual bindings; the dialogs declare theirs in
their classes, and a test keeps ``OTHER_KEYS`` equal to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeskCommand:
    """One desk action: binding id, default keys, action, footer label and help text."""

    id: str
    keys: str
    action: str
    label: str
    help: str
    footer: bool = False
    title: str = ""
    """The command palette's name, when the footer's ``label`` is cut short."""

    @property
    def palette_title(self) -> str:
        """What the command palette lists."""
        return self.title or self.label


@dataclass(frozen=True, slots=True)
class KeyBinding:
    """A binding outside the desk screen: its id, default keys and the screen it lives on."""

    id: str
    keys: str
    scope: str


DESK_COMMANDS: tuple[DeskCommand, ...] = (
    DeskCommand("desk.down", "j,down", "cursor_down", "Down", "Move to the next story"),
    DeskCommand("desk.up", "k,up", "cursor_up", "Up", "Move to the previous story"),
    DeskCommand("desk.page_down", "pagedown", "page_down", "Page down", "Move a screenful down"),
    DeskCommand("desk.page_up", "pageup", "page_up", "Page up", "Move a screenful up"),
    DeskCommand("desk.first", "home,g", "first", "First", "Go to the first story"),
    DeskCommand("desk.last", "end,G", "last", "Last", "Go to the last story"),
    DeskCommand("desk.open", "enter", "open_story", "Open", "Open the story under the cursor"),
    DeskCommand(
        "desk.next_unread",
        "n",
        "next_unread",
        "Next",
        "Open the next unread story (from the cursor; wraps)",
        True,
        "Next unread",
    ),
    DeskCommand(
        "desk.prev_unread", "p", "prev_unread", "Prev unread", "Open the previous unread story"
    ),
    DeskCommand(
        "desk.toggle_read",
        "m",
        "toggle_read",
        "Read",
        "Toggle read (marked stories, else the story shown)",
        True,
    ),
    DeskCommand(
        "desk.save",
        "s",
        "toggle_saved",
        "Save",
        "Save or unsave (marked stories, else the story shown)",
        True,
    ),
    DeskCommand("desk.tag", "t", "tag", "Tag", "Add tags (several, comma-separated)"),
    DeskCommand("desk.untag", "T", "untag", "Untag", "Remove a tag"),
    DeskCommand("desk.note", "N", "note", "Note", "Edit the story's note"),
    DeskCommand("desk.archive", "x", "archive", "Archive", "Archive (hide from Unread)"),
    DeskCommand("desk.undo", "u", "undo", "Undo", "Undo the last triage action"),
    DeskCommand("desk.mark", "space,v", "toggle_mark", "Mark", "Mark or unmark for bulk triage"),
    DeskCommand(
        "desk.clear_marks", "escape", "clear", "Clear", "Clear the search and filter, then marks"
    ),
    DeskCommand("desk.search", "slash", "search", "Search", "Full-text search as you type", True),
    DeskCommand(
        "desk.filter", "f", "filter", "Filter", "Filter by source, tag, actor, language, state"
    ),
    DeskCommand("desk.refresh", "r", "refresh_all", "Refresh", "Fetch every feed", True),
    DeskCommand(
        "desk.refresh_source", "R", "refresh_source", "Refresh source", "Fetch this story's source"
    ),
    DeskCommand(
        "desk.add_feed",
        "A",
        "add_feed",
        "Add",
        "Subscribe to a feed (its address or a site's)",
        True,
        "Add a feed",
    ),
    DeskCommand(
        "desk.errors",
        "exclamation_mark",
        "errors",
        "Errors",
        "Sources whose last fetch failed (retry from there)",
    ),
    DeskCommand("desk.fulltext", "F", "fetch_fulltext", "Full text", "Fetch the full article"),
    DeskCommand("desk.open_link", "o", "open_link", "Browser", "Open the link in the browser"),
    DeskCommand("desk.copy_link", "y", "copy_link", "Copy link", "Copy the link"),
    DeskCommand("desk.export", "e", "export", "Export", "Export stories to Markdown, JSON or ICS"),
    DeskCommand("desk.agenda", "a", "agenda", "Agenda", "Agenda of upcoming dates"),
    DeskCommand(
        "desk.toggle_side",
        "backslash",
        "toggle_side",
        "Sources",
        "Show or hide the sources and views pane",
    ),
    DeskCommand(
        "desk.focus_story",
        "l",
        "focus_story",
        "Story",
        "Focus the story (j/k scroll it); again: its analysis",
    ),
    DeskCommand("desk.focus_list", "h", "focus_list", "List", "Move focus to the story list"),
    DeskCommand("desk.help", "question_mark", "help", "Help", "Keys and colours", True),
    DeskCommand("desk.samples", "ctrl+l", "load_samples", "Samples", "Load the sample desk"),
    DeskCommand("desk.quit", "q", "quit", "Quit", "Quit newsdesk", True),
)

APP_KEYS: tuple[KeyBinding, ...] = (
    KeyBinding("app.command_palette", "ctrl+p", "desk"),
    KeyBinding("app.quit", "ctrl+q", "desk"),
)
"""Textual's own keys on every screen; a desk binding remapped onto one would never fire."""

OTHER_KEYS: tuple[KeyBinding, ...] = (
    KeyBinding("side.down", "j", "side"),
    KeyBinding("side.up", "k", "side"),
    KeyBinding("story.down", "j", "story"),
    KeyBinding("story.up", "k", "story"),
    KeyBinding("analysis.down", "j", "analysis"),
    KeyBinding("analysis.up", "k", "analysis"),
    KeyBinding("dialog.cancel", "escape", "note"),
    KeyBinding("note.save", "ctrl+s", "note"),
    KeyBinding("firstrun.yes", "y", "firstrun"),
    KeyBinding("firstrun.no", "n,escape", "firstrun"),
    KeyBinding("filter.apply", "ctrl+s", "filter"),
    KeyBinding("dialog.cancel", "escape", "filter"),
    KeyBinding("dialog.cancel", "escape", "tag"),
    KeyBinding("tag.choices", "down", "tag"),
    KeyBinding("dialog.cancel", "escape", "untag"),
    KeyBinding("help.close", "escape,question_mark,q", "help"),
    KeyBinding("agenda.close", "escape,q", "agenda"),
    KeyBinding("export.replace.yes", "y", "replace"),
    KeyBinding("export.replace.no", "n,escape", "replace"),
    KeyBinding("dialog.cancel", "escape", "export"),
    KeyBinding("export.run", "ctrl+s", "export"),
    KeyBinding("dialog.cancel", "escape", "add_feed"),
    KeyBinding("errors.retry", "r", "errors"),
    KeyBinding("errors.close", "escape,q", "errors"),
)
"""Bindings of the side panel and the dialogs (tests check them against the classes)."""


def all_bindings() -> list[KeyBinding]:
    """Every binding with its scope (desk commands live in scope ``desk``)."""
    desk = [KeyBinding(c.id, c.keys, "desk") for c in DESK_COMMANDS]
    return [*desk, *APP_KEYS, *OTHER_KEYS]


def known_binding_ids() -> set[str]:
    """Every id the ``[keys]`` table may remap."""
    return {b.id for b in all_bindings() if not b.id.startswith("app.")}


def split_keys(spec: str) -> list[str]:
    """``"j, down"`` → ``["j", "down"]``."""
    return [key.strip() for key in spec.split(",") if key.strip()]


@dataclass(frozen=True, slots=True)
class KeyProblem:
    """One bad entry of ``[keys]``: the id to point at, and what is wrong."""

    binding_id: str
    problem: str


def key_problems(keymap: Mapping[str, str]) -> list[KeyProblem]:
    """Unknown ids, then keys two bindings of one screen would share after remapping."""
    known = known_binding_ids()
    problems = [
        KeyProblem(binding_id, "unknown binding id (newsdesk keys are listed by ? in the desk)")
        for binding_id in keymap
        if binding_id not in known
    ]
    by_scope: dict[str, dict[str, list[str]]] = {}
    for binding in all_bindings():
        spec = keymap.get(binding.id, binding.keys)
        for key in split_keys(spec):
            owners = by_scope.setdefault(binding.scope, {}).setdefault(key, [])
            if binding.id not in owners:
                owners.append(binding.id)
    reported: set[tuple[str, str]] = set()
    for keys in by_scope.values():
        for key, owners in keys.items():
            if len(owners) < 2:
                continue
            remapped = [owner for owner in owners if owner in keymap] or owners
            blamed = remapped[0]
            others = ", ".join(owner for owner in owners if owner != blamed)
            if (blamed, key) not in reported:
                reported.add((blamed, key))
                problems.append(KeyProblem(blamed, f"key {key!r} is already bound to {others}"))
    return problems
