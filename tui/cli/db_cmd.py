"""``db copy``: move a whole desk between a SQLite file and a PostgreSQL database."""

from __future__ import annotations

import click
from rich.text import Text

from tui.cli import cli
from tui.cli.output import stdout
from tui.runtime import Runtime
from tui.store.copy import copy_desk
from tui.store.opening import describe_target, open_store


@cli.group("db")
def db_group() -> None:
    """Work on whole databases (a SQLite file or a postgresql:// URL)."""


@db_group.command("copy")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option(
    "--user",
    default="",
    help="Whose read/saved/archived state moves between SQLite and PostgreSQL "
    "(default: [store] user, else the login name).",
)
@click.pass_obj
def db_copy_cmd(runtime: Runtime, source: str, target: str, user: str) -> None:
    """Copy the desk at FROM into the new, empty desk at TO and verify the counts.

    FROM and TO are SQLite file paths or postgresql:// URLs, e.g.
    `newsdesk db copy ~/.local/share/newsdesk/newsdesk.db postgresql://desk@db/news`.
    """
    who = user or runtime.user
    with open_store(source, user=who) as src, open_store(target, user=who) as dst:
        report = copy_desk(src, dst)
    stdout.print(
        Text(f"copied {describe_target(source)} → {describe_target(target)}: {report.summary()}")
    )
