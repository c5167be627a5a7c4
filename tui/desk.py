"""Opening the desk from the command line (keeps Textual out of the CLI import path)."""

from __future__ import annotations

from tui.cli.runtime import Runtime


def run_desk(runtime: Runtime) -> None:
    """Run the Textual desk on the runtime's database and config."""
    from tui.app import NewsDeskApp
    from tui.sources.parse_pool import start_helpers

    start_helpers()  # before Textual swaps stdio: see tui.sources.parse_pool
    NewsDeskApp(runtime).run()
