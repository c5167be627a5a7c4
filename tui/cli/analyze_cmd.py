"""``analyze``: run the analysis on a file or stdin and print what it found."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from tui.cli import UserError, cli
from tui.cli.output import stdout, warn
from tui.config import ConfigError
from tui.readable_dates import readable
from tui.runtime import Runtime
from tui.sources.clean import clean_line, clean_text
from tui.sources.encoding import BinaryContentError, decode_bytes
from tui.sources.files import FileFormatError, read_regular_file, split_front_matter
from tui.text_limits import cut_at, limits
from tui.timex import date_status

if TYPE_CHECKING:
    from tui.analysis import Analysis


def _date(value: str) -> dt.date | dt.datetime:
    try:
        return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO date", param_hint="--published"
        ) from None


@cli.command("analyze")
@click.argument("source", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
@click.option("--language", help="ISO 639-1 code (detected when omitted).")
@click.option("--published", help="Publication date (ISO) that anchors relative dates.")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
@click.pass_obj
def analyze_cmd(
    runtime: Runtime, source: Path, language: str | None, published: str | None, as_json: bool
) -> None:
    """Find actors, commitments and dates in a text file (or - for stdin).

    Front matter in a Markdown file supplies language and published when not given.
    """
    data = sys.stdin.buffer.read() if str(source) == "-" else _read(source)
    try:
        text = decode_bytes(data)
        meta, body = split_front_matter(text)
    except (BinaryContentError, FileFormatError) as exc:
        raise UserError(f"{source}: {exc}") from exc
    if meta:
        text = body.strip()
    # The file's own escape sequences must not reach the terminal through the
    # names and sentences printed below (feeds and imports are cleaned the same way).
    text = clean_text(text)
    with contextlib.suppress(
        ConfigError
    ):  # [limits]; a broken config is not this command's concern
        runtime.config  # noqa: B018 -- loading it applies its limits
    limit = limits().analysis_chars
    if len(text) > limit:  # the same cap as stories in the desk, and said so
        text = cut_at(text, limit)
        warn(f"analysed the first {len(text)} characters (see [limits] analysis_chars)")
    when: dt.date | dt.datetime | None = _date(published) if published else None
    if when is None and meta.get("published"):
        raw = meta["published"]
        when = raw if isinstance(raw, dt.date) else _date(str(raw))
    lang = language or (clean_line(str(meta["language"])) if meta.get("language") else None)
    from tui.analysis import analyze  # deferred: word lists load only when needed

    result = analyze(text, language=lang, published=when)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print(result, runtime.today_option or dt.date.today())


def _read(path: Path) -> bytes:
    try:
        return read_regular_file(path)
    except FileFormatError as exc:
        raise UserError(f"{path}: {exc}") from exc
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror or exc}") from exc


def _print(result: Analysis, today: dt.date) -> None:
    stdout.print(Text(f"language: {result.language}", style="bold"))
    actors = Table("actor", "kind", "role", "mentions", title="Actors", title_justify="left")
    grouped: dict[tuple[str, str], list[str]] = {}
    roles: dict[tuple[str, str], str] = {}
    for actor in result.actors:
        key = (actor.name, actor.kind)
        grouped.setdefault(key, []).append(actor.text)
        if actor.role and key not in roles:
            roles[key] = actor.role
    for (name, kind), mentions in grouped.items():
        actors.add_row(Text(name), kind, Text(roles.get((name, kind), "")), str(len(mentions)))
    stdout.print(actors)
    dates = Table("text", "reads as", "value", "when", "event", title="Dates", title_justify="left")
    for date in result.dates:
        status = date_status(date.value, date.upcoming, today)
        dates.add_row(
            Text(date.text),
            Text(readable(date.value, result.language, date.text)),
            date.value,
            "" if status == "past" else status.replace("_", " "),
            Text(date.event),
        )
    stdout.print(dates)
    commitments = Table("actor", "kind", "action", "due", title="Commitments", title_justify="left")
    for c in result.commitments:
        kind = c.kind + (" (negated)" if c.negated else "")
        due = readable(c.due, result.language) if c.due else ""
        commitments.add_row(Text(c.actor), kind, Text(c.action), Text(due))
    stdout.print(commitments)
