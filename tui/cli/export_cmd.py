"""``export`` and ``agenda``: what users take away from the desk, headless.

Output goes to a file (written atomically; an existing file is replaced only
with ``--force``) or to stdout with ``-o -``. Problems are one-line errors
(exit status 1); bad option values are usage errors (exit status 2).
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from pathlib import Path
from typing import cast

import click
from rich.text import Text

from tui.cli import UserError, cli
from tui.cli.output import stderr, stdout
from tui.export import GROUP_BY, ExportError, Selection, parse_day, write_output
from tui.export.agenda import Agenda, build_agenda, entry_lines
from tui.export.document import build_document
from tui.export.selection import GroupBy
from tui.runtime import Runtime
from tui.sources.clean import clean_line


def terminal_safe(text: str) -> str:
    """Feed text for a terminal: control characters (ESC sequences included) become spaces."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


def _day(_ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def _today(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``--today`` after the command name: the same desk clock as the global option."""
    day = _day(ctx, param, value)
    if day is not None:
        ctx.ensure_object(Runtime).today_option = day


#: ``newsdesk agenda --today DATE`` as well as ``newsdesk --today DATE agenda``.
today_option = click.option(
    "--today", callback=_today, expose_value=False, metavar="DATE",
    help="Count upcoming dates from DATE instead of the real date (YYYY-MM-DD).",
)  # fmt: skip


def _emit(data: str | bytes, output: str, force: bool) -> None:
    if output == "-":
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    try:
        path = write_output(Path(output), data, force=force)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    stderr.print(Text(f"wrote {clean_line(str(path))}", style="dim"))


@cli.command("export")
@today_option
@click.option(
    "--tag", "tags", multiple=True, help="Stories with this tag (repeatable: any of them)."
)
@click.option("--all-tags", is_flag=True, help="With several --tag: stories carrying all of them.")
@click.option("--saved", is_flag=True, help="Only saved stories.")
@click.option(
    "--since", callback=_day, metavar="DATE", help="Published on or after DATE (YYYY-MM-DD)."
)
@click.option("--until", callback=_day, metavar="DATE", help="Published on or before DATE.")
@click.option("--query", metavar="TEXT", help="Full-text search over titles and text.")
@click.option(
    "--group-by", type=click.Choice(GROUP_BY), default="none", show_default=True,
    help="Group stories under tag, source or publication-day headings.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
    show_default=True,
)  # fmt: skip
@click.option("--title", default="", help="Document title (default: newsdesk export).")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE|-",
              help="Write to FILE (atomically) or - for stdout.")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.pass_obj
def export_cmd(
    runtime: Runtime,
    tags: tuple[str, ...],
    all_tags: bool,
    saved: bool,
    since: dt.date | None,
    until: dt.date | None,
    query: str | None,
    group_by: str,
    fmt: str,
    title: str,
    output: str,
    force: bool,
) -> None:
    """Export stories to Markdown (or JSON) with their lead, actors, commitments and dates."""
    from tui.export.jsonexport import render_json
    from tui.export.markdown import render_markdown

    if since and until and since > until:
        raise UserError(f"--since {since} is after --until {until}")
    if output != "-" and Path(output).expanduser().is_file() and not force:
        # Fail before the (possibly long) analysis, not after it.
        raise UserError(f"{clean_line(output)} already exists (use --force to replace it)")
    selection = Selection(
        tags=tags, all_tags=all_tags, saved=saved, since=since, until=until, query=query
    )
    with runtime.open_store() as store:
        doc = build_document(
            store,
            selection,
            group_by=cast(GroupBy, group_by),
            title=title,
            min_confidence=runtime.config.min_confidence,
        )
    text = render_json(doc) if fmt == "json" else render_markdown(doc)
    _emit(text, output, force)
    if doc.analysis_errors:
        stderr.print(
            Text(f"warning: analysis failed for {doc.analysis_errors} stories", style="yellow")
        )


def _print_agenda(agenda: Agenda) -> None:
    if not agenda.groups:
        stdout.print(Text("No upcoming dates.", style="dim"))
        return
    for group in agenda.groups:
        stdout.print(Text(group.label, style="bold"))
        for entry in group.entries:
            first, *rest = entry_lines(entry)
            stdout.print(Text("  • ") + Text(terminal_safe(first)))
            for line in rest:
                style = "cyan" if line.startswith("actors:") else "dim"
                stdout.print(Text("      ") + Text(terminal_safe(line), style=style))
        stdout.print()


@cli.command("agenda")
@today_option
@click.option("--from", "start", callback=_day, metavar="DATE",
              help="First day (default: today, or --today).")  # fmt: skip
@click.option("--to", "end", callback=_day, metavar="DATE", help="Last day (default: no limit).")
@click.option("--tag", "tags", multiple=True, help="Only dates from stories with this tag.")
@click.option("--all-tags", is_flag=True, help="With several --tag: stories carrying all of them.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "ics", "json"]), default="text",
    show_default=True,
)  # fmt: skip
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE|-",
              help="Write to FILE (atomically) or - for stdout.")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.pass_obj
def agenda_cmd(
    runtime: Runtime,
    start: dt.date | None,
    end: dt.date | None,
    tags: tuple[str, ...],
    all_tags: bool,
    fmt: str,
    output: str,
    force: bool,
) -> None:
    """Upcoming dates across stories, in order, grouped by day, week and month."""
    import json

    from tui.export.agenda import agenda_dict
    from tui.export.ics import render_ics

    start = start or runtime.today or dt.date.today()
    if end and end < start:
        raise UserError(f"--to {end} is before --from {start}")
    if output != "-" and Path(output).expanduser().is_file() and not force:
        raise UserError(f"{clean_line(output)} already exists (use --force to replace it)")
    with runtime.open_store() as store:
        agenda = build_agenda(store, start=start, end=end, tags=tags, all_tags=all_tags)
    if fmt == "text" and output == "-":
        _print_agenda(agenda)
    elif fmt == "text":
        from tui.export.agenda import render_text

        _emit(render_text(agenda, terminal_safe), output, force)
    elif fmt == "json":
        _emit(json.dumps(agenda_dict(agenda), ensure_ascii=False, indent=2) + "\n", output, force)
    else:
        _emit(render_ics(agenda), output, force)
    if agenda.analysis_errors:
        stderr.print(
            Text(f"warning: analysis failed for {agenda.analysis_errors} stories", style="yellow")
        )
