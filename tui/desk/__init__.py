"""The desk's logic without Textual, and opening the desk from the command line.

The package holds what the desk screen decides but does not draw: which stories
a key acts on (``targets``), where ``n`` goes (``navigation``), the views and
the words that describe them (``views``), the story pager (``pager``), and how
a link is opened (``browser``). Each is plain Python with plain unit tests;
``tui.screens.desk`` calls them and renders what they return. ``run_desk``
imports Textual only when called, so the CLI stays free of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the config loader imports tui.desk.keys: no import cycle through the CLI
    from tui.cli.runtime import Runtime


def run_desk(runtime: Runtime) -> None:
    """Run the Textual desk on the runtime's database and config."""
    import sys

    from tui.app import NewsDeskApp
    from tui.sources.clean import clean_line
    from tui.sources.parse_pool import start_helpers

    start_helpers()  # before Textual swaps stdio: see tui.sources.parse_pool
    app = NewsDeskApp(runtime)
    app.run()
    if app.unsaved:  # said after the screen is restored, where it stays readable
        sys.stderr.write(
            f"newsdesk: warning: {len(app.unsaved)} change(s) could not be saved "
            f"(the database was busy or read-only): {clean_line('; '.join(app.unsaved))}\n"
        )
