"""Every desk key as a ``Binding`` with a stable id, and the palette commands made from them.

The commands themselves are data in ``tui.desk.keys`` (Textual-free, so the config
check can validate ``[keys]``); here they become Textual bindings. Help (``?``)
and the command palette list the same commands, so the three never disagree.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tui.desk.keys import DESK_COMMANDS, DeskCommand

__all__ = ["DESK_COMMANDS", "DeskCommand", "binding", "desk_bindings"]


def binding(command: DeskCommand) -> Binding:
    """The Textual binding for one desk command."""
    return Binding(
        command.keys,
        command.action,
        command.label,
        show=command.footer,
        id=command.id,
        tooltip=command.help,
    )


def desk_bindings() -> list[BindingType]:
    """The desk screen's bindings."""
    return [binding(command) for command in DESK_COMMANDS]
