"""``list``, ``show``, ``tag`` and ``untag``: the desk's stories, headless."""

from __future__ import annotations

import json
import sys

import click
from rich.text import Text

from tui.cli import UserError, cli
from tui.cli.output import confirm, stdout
from tui.runtime import Runtime
from tui.sources.clean import clean_line, clean_text
from tui.store import Story, StoryFilter
from tui.store.store import normalise_tag


def _story_line(story: Story) -> Text:
    flags = ("★" if story.saved else " ") + (" " if story.read else "•")
    line = Text()
    line.append(f"{story.id:>6} ", style="bold")
    line.append(f"{story.published[:10]} {flags} ")
    line.append(f"{story.language or '--':<2} ", style="cyan")
    line.append(clean_line(story.title) or "(untitled)")
    line.append(f"  — {clean_line(story.source)}", style="dim")
    if story.tags:
        line.append("  " + " ".join(f"#{clean_line(t)}" for t in story.tags), style="magenta")
    return line


@cli.command("list")
@click.option("--unread", is_flag=True, help="Only unread, unarchived stories.")
@click.option("--saved", is_flag=True, help="Only saved stories.")
@click.option("--tag", "tags", multiple=True, help="Only stories with this tag (repeatable: any).")
@click.option("--source", "source_id", type=int, help="Only stories from this source id.")
@click.option("--language", help="Only stories in this language (ISO 639-1).")
@click.option("--search", "query", help="Full-text search over titles and text.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story, per line.")
@click.pass_obj
def list_cmd(
    runtime: Runtime,
    unread: bool,
    saved: bool,
    tags: tuple[str, ...],
    source_id: int | None,
    language: str | None,
    query: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List stories, newest first."""
    flt = StoryFilter(
        unread=unread, saved=saved, tags=tags, source_id=source_id, language=language, query=query
    )
    with runtime.open_store() as store:
        stories = store.list_stories(flt, limit=limit)
    for story in stories:
        if as_json:
            sys.stdout.write(json.dumps(story.to_dict(), ensure_ascii=False) + "\n")
        else:
            stdout.print(_story_line(story))


@cli.command("show")
@click.argument("story_ids", nargs=-1, type=int, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story, with its text.")
@click.pass_obj
def show_cmd(runtime: Runtime, story_ids: tuple[int, ...], as_json: bool) -> None:
    """Show stories with their text."""
    with runtime.open_store() as store:
        stories = [store.story(i) for i in story_ids]
    for story in stories:
        if as_json:
            sys.stdout.write(json.dumps(story.to_dict(with_text=True), ensure_ascii=False) + "\n")
            continue
        # Stored text was cleaned on the way in; cleaned again here because a
        # database written by an older newsdesk (or by hand) may hold anything.
        stdout.print(Text(clean_line(story.title) or "(untitled)", style="bold"))
        meta = Text(f"#{story.id}  {story.published}  {clean_line(story.source)}", style="dim")
        stdout.print(meta)
        if story.url:
            stdout.print(Text(clean_line(story.url), style="blue underline"))
        if story.tags:
            stdout.print(Text("tags: " + ", ".join(map(clean_line, story.tags)), style="magenta"))
        if story.note:
            stdout.print(Text("note: " + clean_line(story.note), style="yellow"))
        stdout.print()
        stdout.print(Text(clean_text(story.text)))
        stdout.print()


def _ids(values: tuple[str, ...]) -> list[int]:
    """Story ids from arguments; ``-`` reads ids (or ``list --json`` lines) from stdin."""
    out: list[int] = []
    for value in values:
        if value == "-":
            for line in sys.stdin:
                line = line.strip()
                if not line:
                    continue
                if line.startswith("{"):
                    out.append(int(json.loads(line)["id"]))
                else:
                    out.extend(int(v) for v in line.split())
            continue
        try:
            out.append(int(value))
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a story id", param_hint="IDS") from None
    if not out:
        raise UserError("no story ids given")
    return out


def _tag_names(tags: tuple[str, ...]) -> list[str]:
    """Tag names as stored; an empty one is a usage error, not a silent no-op."""
    names = [normalise_tag(clean_line(t)) for t in tags]
    if not all(names):
        raise click.BadParameter("a tag name cannot be empty", param_hint="'-t' / '--tag'")
    return names


@cli.command("tag")
@click.argument("ids", nargs=-1, required=True)
@click.option("-t", "--tag", "tags", multiple=True, required=True, help="Tag name (repeatable).")
@click.pass_obj
def tag_cmd(runtime: Runtime, ids: tuple[str, ...], tags: tuple[str, ...]) -> None:
    """Tag stories: newsdesk tag 12 14 -t mexico -t security (ids from `list`; - reads stdin)."""
    story_ids = _ids(ids)
    names = _tag_names(tags)
    with runtime.open_store() as store:
        store.add_tags(story_ids, names)
    confirm(f"tagged {len(story_ids)} stor{'y' if len(story_ids) == 1 else 'ies'}")


@cli.command("untag")
@click.argument("ids", nargs=-1, required=True)
@click.option("-t", "--tag", "tags", multiple=True, required=True, help="Tag name (repeatable).")
@click.pass_obj
def untag_cmd(runtime: Runtime, ids: tuple[str, ...], tags: tuple[str, ...]) -> None:
    """Remove tags from stories (ids from `list`; - reads stdin)."""
    story_ids = _ids(ids)
    names = _tag_names(tags)
    with runtime.open_store() as store:
        store.remove_tags(story_ids, names)
    confirm(f"untagged {len(story_ids)} stor{'y' if len(story_ids) == 1 else 'ies'}")
