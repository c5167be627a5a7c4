"""``add``, ``fetch`` and ``opml import|export``: subscribing to feeds and refreshing them."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sys
import time
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from tui.cli import UserError, cli
from tui.cli.output import stderr, stdout, warn
from tui.export.atomic import ExportError, write_output
from tui.runtime import Runtime
from tui.sources.clean import clean_line
from tui.sources.fetch import SourceResult, refresh, resolve_sources
from tui.sources.fetch import accept_moves as apply_moves
from tui.sources.opml import OPMLError, export_opml, import_opml
from tui.sources.subscribe import SubscribeError, subscribe
from tui.store import Store, StoreError, utc_iso

_STATUS_STYLE = {"ok": "green", "not_modified": "dim", "skipped": "yellow", "error": "red"}
_STATUS_WORD = {"ok": "ok", "not_modified": "not modified", "skipped": "skipped", "error": "error"}


def _counts(result: SourceResult) -> str:
    return f"{result.new} new, {result.updated} updated, {result.unchanged} unchanged"


@cli.command("add")
@click.argument("url")
@click.option(
    "-t", "--tag", "tags", multiple=True, help="Tag the feed and its stories (repeatable)."
)
@click.option("--title", default="", help="Name to show instead of the feed's own title.")
@click.option("--full-text", is_flag=True, help="Fetch the full article for short stories.")
@click.pass_obj
def add_cmd(runtime: Runtime, url: str, tags: tuple[str, ...], title: str, full_text: bool) -> None:
    """Subscribe to a feed, or to the feed a web page links to, and fetch its stories."""
    config = runtime.config
    with runtime.open_store() as store:
        try:
            sub = asyncio.run(
                subscribe(store, url, config, tags=tags, title=title, full_text=full_text)
            )
        except SubscribeError as exc:
            raise UserError(str(exc)) from exc
    if sub.chosen is not None:
        others = len(sub.candidates) - 1
        more = f" ({others} other feed link(s) on the page)" if others > 0 else ""
        stdout.print(
            Text(
                clean_line(
                    f"{url} is a web page; chose its {sub.chosen.kind} feed "
                    f"{sub.chosen.title or ''} <{sub.chosen.url}>{more}"
                )
            )
        )
    label = clean_line(f"{sub.source.label} <{sub.source.url}>")
    if sub.existed:
        stdout.print(Text(f"already subscribed (source {sub.source.id}): {label}"))
        return
    stdout.print(Text(f"subscribed (source {sub.source.id}): {label}"))
    if sub.result is not None:
        for warning in sub.result.warnings:
            stderr.print(Text(f"warning: {clean_line(warning)}", style="yellow"))
        if sub.result.status == "error":
            raise UserError(sub.result.error)
        stdout.print(Text(f"{sub.feed_format or 'feed'}: {_counts(sub.result)}"))


@cli.command("fetch")
@click.argument("sources", nargs=-1)
@click.option("--full-text", is_flag=True, help="Fetch the full article for every short story.")
@click.option("--force", is_flag=True, help="Fetch even sources waiting out a Retry-After.")
@click.option(
    "--every",
    metavar="DURATION",
    help="Keep running, fetching every DURATION (e.g. 15m, 1h, 90s): a team fetcher for a "
    "shared desk, one summary line per round.",
)
@click.option(
    "--accept-moves",
    is_flag=True,
    help="First follow the permanent moves to another host that an earlier fetch reported.",
)
@click.pass_obj
def fetch_cmd(
    runtime: Runtime,
    sources: tuple[str, ...],
    full_text: bool,
    force: bool,
    every: str | None,
    accept_moves: bool,
) -> None:
    """Refresh all feeds, or the SOURCES given by id or URL, and summarise each."""
    config = runtime.config
    if every is not None:
        _fetch_every(runtime, sources, full_text, force, parse_duration(every))
        return
    with runtime.open_store() as store:
        targets = resolve_sources(store, sources) if sources else None
        if accept_moves:
            for source, target, why in apply_moves(store, targets):
                what = f"not moved: {why}" if why else f"moved to {target}"
                stdout.print(Text(clean_line(f"source {source.id} {source.label}: {what}")))
            targets = resolve_sources(store, sources) if sources else None
        if targets is None and not any(s.kind == "feed" for s in store.sources()):
            raise UserError("no feeds yet: subscribe with `newsdesk add URL`")
        progress = Progress(
            TextColumn("fetching"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=stderr,
            transient=True,
            disable=not stderr.is_terminal,
        )
        task = progress.add_task("", total=None)

        def advance(result: SourceResult, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=result.label[:40])

        with progress:
            results = asyncio.run(
                refresh(store, targets, config, full_text=full_text, force=force, progress=advance)
            )
        _summarise(results)
        if config.retention.active:
            from tui.store.retention import apply_retention

            kept = config.retention
            report = apply_retention(store, days=kept.days, per_source=kept.per_source)
            if report.removed:
                stdout.print(
                    Text(
                        f"retention: removed {report.removed} stories "
                        "(saved, tagged and noted stories are kept)"
                    )
                )

    if results and all(r.status == "error" for r in results):
        raise UserError(f"all {len(results)} source(s) failed")


def _summarise(results: list[SourceResult]) -> None:
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for column in ("id", "source", "status", "new", "upd", "same", "note"):
        table.add_column(
            column, justify="right" if column in ("id", "new", "upd", "same") else "left"
        )
    for r in results:
        notes = [r.error] if r.error else []
        if r.moved_to:
            notes.append(f"moved to {r.moved_to}")
        if r.full_text:
            notes.append(f"full text for {r.full_text}")
        notes.extend(r.warnings)
        label = clean_line(r.label)
        label = label if len(label) <= 60 else label[:59] + "…"  # never a silent cut
        table.add_row(
            Text(str(r.source_id)),
            Text(label),
            Text(_STATUS_WORD[r.status], style=_STATUS_STYLE[r.status]),
            Text(str(r.new)),
            Text(str(r.updated)),
            Text(str(r.unchanged)),
            Text(clean_line("; ".join(notes))),
        )
    stdout.print(table)
    stdout.print(Text(_totals(results)))


def _totals(results: list[SourceResult]) -> str:
    totals = {k: sum(1 for r in results if r.status == k) for k in _STATUS_WORD}
    return (
        f"{len(results)} source(s): {sum(r.new for r in results)} new, "
        f"{sum(r.updated for r in results)} updated stories; "
        f"{totals['ok']} fetched, {totals['not_modified']} not modified, "
        f"{totals['skipped']} skipped, {totals['error']} failed"
    )


_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")


def parse_duration(text: str) -> float:
    """Seconds in ``90s``, ``15m``, ``1h`` (a bare number is minutes)."""
    match = _DURATION_RE.match(text)
    if not match or float(match.group(1)) <= 0:
        raise click.BadParameter(f"{text!r}: expected a duration like 15m, 1h or 90s")
    unit = {"s": 1, "m": 60, "h": 3600, "": 60}[match.group(2)]
    return float(match.group(1)) * unit


def _fetch_every(
    runtime: Runtime, refs: tuple[str, ...], full_text: bool, force: bool, seconds: float
) -> None:
    """Fetch what is due, print one line, sleep; forever. A database that is away is retried
    next round (one warning line, no password in it); desks on the same database see each
    round live.

    A feed is due every DURATION, or every ``refresh_minutes`` when the config gives it
    its own (0: never automatically); the loop wakes as often as the shortest of them.
    After each round the time is stored (``team_fetcher.last_round``) so a desk that
    leaves fetching to this process can say when it last ran.
    """
    from tui.desk.refresh_schedule import TEAM_FETCHER_EVERY, TEAM_FETCHER_LAST_ROUND, Schedule

    schedule = Schedule.from_config(seconds, runtime.config.feeds)
    tick = schedule.tick_seconds(longest=seconds)
    store: Store | None = None
    try:
        while True:
            started = time.monotonic()
            try:
                if store is None:
                    store = runtime.open_store()
                candidates = resolve_sources(store, refs) if refs else store.sources()
                due = schedule.due(candidates, dt.datetime.now(dt.UTC), slack=tick / 2, force=force)
                results = (
                    asyncio.run(
                        refresh(store, due, runtime.config, full_text=full_text, force=force)
                    )
                    if due
                    else []
                )
                store.set_meta(TEAM_FETCHER_LAST_ROUND, utc_iso())
                store.set_meta(TEAM_FETCHER_EVERY, f"{seconds:g}")
                stdout.print(Text(f"{utc_iso()} {_totals(results)}"))
            except StoreError as exc:
                warn(f"{exc} (retrying in {tick:g}s)")
            time.sleep(max(1.0, tick - (time.monotonic() - started)))
    finally:
        if store is not None:
            store.close()


@cli.group("opml")
def opml_group() -> None:
    """Import or export subscriptions as OPML (folders and categories are tags)."""


@opml_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-t", "--tag", "tags", multiple=True, help="Also tag every imported feed.")
@click.pass_obj
def opml_import_cmd(runtime: Runtime, file: Path, tags: tuple[str, ...]) -> None:
    """Subscribe to every feed in an OPML FILE (run `newsdesk fetch` to get stories)."""
    from tui.sources.files import FileFormatError, read_regular_file

    try:
        data = read_regular_file(file)
    except FileFormatError as exc:
        raise UserError(f"{file}: {exc}") from exc
    except OSError as exc:
        raise UserError(f"{file}: {exc.strerror or exc}") from exc
    with runtime.open_store() as store:
        try:
            report = import_opml(store, data, tags)
        except OPMLError as exc:
            raise UserError(f"{file}: {exc}") from exc
    for line in report.skipped:
        stderr.print(Text(f"skipped: {line}", style="yellow"))
    skipped = f", {len(report.skipped)} outline(s) skipped" if report.skipped else ""
    stdout.print(
        Text(
            f"{len(report.feeds)} feed(s): {report.added} added, "
            f"{report.existing} already there{skipped}"
        )
    )
    if not report.feeds:  # an import that did nothing is not a success
        raise UserError(f"{file}: no feed outlines (with an http(s) xmlUrl) found")


@opml_group.command("export")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    metavar="FILE|-",
    help="Write to FILE (atomically) or - for stdout.",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.pass_obj
def opml_export_cmd(runtime: Runtime, output: str, force: bool) -> None:
    """Write every feed as OPML 2.0, grouped in folders by first tag.

    The same rules as ``export -o``: a regular file is replaced atomically and
    only with --force; a FIFO or device is written as a stream; a directory is
    refused.
    """
    if output != "-" and Path(output).expanduser().is_file() and not force:
        raise UserError(f"{clean_line(output)} already exists (use --force to replace it)")
    with runtime.open_store() as store:
        text = export_opml(store)
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        path = write_output(Path(output), text, force=force)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    stderr.print(Text(f"wrote {clean_line(str(path))}", style="dim"))
