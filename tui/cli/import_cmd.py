"""``import``: stories from local files and folders."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from tui.cli import UserError, cli
from tui.cli.output import stdout, warn
from tui.runtime import Runtime
from tui.sources.files import import_paths


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-t", "--tag", "tags", multiple=True, help="Tag every imported story (repeatable).")
@click.pass_obj
def import_cmd(runtime: Runtime, paths: tuple[Path, ...], tags: tuple[str, ...]) -> None:
    """Import story files and folders of them (recursively).

    Reads Markdown (.md, with optional front matter: title, published, language,
    url, source), plain text (.txt: the first line is the title), feed documents
    (.xml/.rss/.atom/.rdf/.json) and web pages (.html: the article text).
    Re-importing a path updates its stories instead of duplicating them.
    """
    with runtime.open_store() as store:
        report = import_paths(store, paths, tags)
    if report.errors and not report.files and len(report.errors) == 1:
        path, message = report.errors[0]
        raise UserError(f"{path}: {message}")
    for path, message in report.errors:
        warn(f"skipped {path}: {message}")
    for path, message in report.warnings:
        warn(f"{path}: {message}")
    stdout.print(
        Text(
            f"{report.files} file(s): {report.new} new, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.errors)} skipped"
        )
    )
    if report.errors and not report.files:
        raise UserError(f"nothing imported: all {len(report.errors)} files were skipped")
