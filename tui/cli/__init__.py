"""The ``newsdesk`` command line.

``newsdesk`` alone opens the desk; subcommands work headless on the same
database. User errors are one line on stderr with exit status 1 (usage errors:
2); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys

import click

from tui import __version__
from tui.cli.output import error
from tui.config import ConfigError
from tui.runtime import Runtime
from tui.store import StoreError


class UserError(click.ClickException):
    """A problem the user can fix; printed as one line, exit status 1."""


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    metavar="PATH|URL",
    help="Database file or postgresql:// URL (default: $NEWSDESK_DB, the config's "
    "[store] url, or the platform data dir).",
)
@click.option("--demo", is_flag=True, help="Open a throw-away desk with the sample stories.")
@click.option(
    "--today",
    "today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The desk's clock: count upcoming dates from this day (YYYY-MM-DD), "
    "e.g. to review an old desk (default: the config's today, else the real date).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, "--version", prog_name="newsdesk")
@click.pass_context
def cli(
    ctx: click.Context, db_path: str | None, demo: bool, today: dt.datetime | None, debug: bool
) -> None:
    """A keyboard-driven terminal news desk: who is involved, what was promised, what comes next."""
    runtime = Runtime(debug=debug, demo=demo, today_option=today.date() if today else None)
    if db_path is not None:
        runtime.set_db(db_path)
    if demo:
        runtime.use_throwaway_db()
        if ctx.invoked_subcommand is not None:
            runtime.load_demo()
    ctx.obj = runtime
    if ctx.invoked_subcommand is None:
        from tui.app import run_desk

        run_desk(runtime)


def _register() -> None:
    # Each command group lives in its own module; importing it attaches it to ``cli``.
    from tui.cli import (  # noqa: F401
        analyze_cmd,
        config_cmd,
        db_cmd,
        export_cmd,
        import_cmd,
        sources_cmd,
        stories_cmd,
    )


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI with one-line errors."""
    _register()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="newsdesk", standalone_mode=False)
    except click.exceptions.Abort:
        error("aborted")
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
        error(exc.format_message())
        sys.exit(2)
    except click.ClickException as exc:
        error(exc.format_message())
        sys.exit(exc.exit_code)
    except (ConfigError, StoreError, OSError, sqlite3.Error) as exc:
        if debug:
            raise
        error(str(exc))
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        error(f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)")
        sys.exit(1)
    sys.exit(0)
