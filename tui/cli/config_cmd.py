"""``config``: where things live, and whether the config file is valid."""

from __future__ import annotations

import click
from rich.text import Text

from tui.cli import cli
from tui.cli.output import stdout
from tui.runtime import Runtime


@cli.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command("path")
@click.pass_obj
def config_path_cmd(runtime: Runtime) -> None:
    """Print where the config file and the database live."""
    exists = "exists" if runtime.config_file.exists() else "not created yet; defaults apply"
    stdout.print(Text(f"config:   {runtime.config_file} ({exists})"))
    stdout.print(Text(f"database: {runtime.target_label}"))


@config_group.command("check")
@click.pass_obj
def config_check_cmd(runtime: Runtime) -> None:
    """Validate the config file (errors name the file, line and key)."""
    config = runtime.config
    stdout.print(Text(f"{config.path}: ok ({len(config.feeds)} feeds, theme {config.theme})"))
