"""Opening the desk from the command line (keeps Textual out of the CLI import path)."""

from __future__ import annotations

from tui.cli.runtime import Runtime


def run_desk(runtime: Runtime) -> None:
    """Run the Textual desk on the runtime's database and config."""
    import sys

    from tui.app import NewsDeskApp
    from tui.sources.clean import clean_line

    app = NewsDeskApp(runtime)
    app.run()
    if app.unsaved:  # said after the screen is restored, where it stays readable
        sys.stderr.write(
            f"newsdesk: warning: {len(app.unsaved)} change(s) could not be saved "
            f"(the database was busy or read-only): {clean_line('; '.join(app.unsaved))}\n"
        )
