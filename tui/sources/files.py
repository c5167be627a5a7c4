"""Stories from local files: Markdown with front matter and plain text.

``import_paths`` walks files and folders (recursively, safe against symlink
loops), turns each readable file into a ``StoryIn`` and stores it under a
``file`` source for the path the user named. Re-importing updates in place
(the story's guid is the file's absolute path). A file that cannot be read is
reported with one line and skipped; the rest are still imported.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from tui.sources.clean import clean_line, clean_text
from tui.sources.encoding import BinaryContentError, decode_bytes
from tui.sources.html_text import html_to_text
from tui.store import Store, StoryIn

MAX_FILE_BYTES = 20 * 1024 * 1024


class FileFormatError(ValueError):
    """A file that is not a story newsdesk can read."""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """Stories read from one file, and the source title it suggests."""

    stories: list[StoryIn]
    source_title: str = ""


Reader = Callable[[Path, str], ParsedFile]


@dataclass(slots=True)
class ImportReport:
    """What an import did: per-file outcomes and one-line errors."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    files: int = 0
    errors: list[tuple[Path, str]] = field(default_factory=list)
    story_ids: list[int] = field(default_factory=list)


def _parse_when(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, 12, tzinfo=dt.UTC)
    if isinstance(value, str) and value.strip():
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise FileFormatError(f"published is not an ISO date: {value!r}") from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """YAML front matter (between ``---`` lines at the top) and the body."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            try:
                data = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f" (line {mark.line + 2})" if mark is not None else ""
                raise FileFormatError(f"invalid front matter{where}") from exc
            if not isinstance(data, dict):
                raise FileFormatError("front matter is not a mapping of keys to values")
            return {str(k): v for k, v in data.items()}, "\n".join(lines[end + 1 :])
    raise FileFormatError("front matter starts with --- but never ends")


_MARKDOWN = MarkdownIt("commonmark")


def read_markdown(path: Path, text: str) -> ParsedFile:
    """A Markdown story: front matter keys title, published, language, url, source."""
    meta, body = split_front_matter(text)
    title = clean_line(str(meta.get("title") or ""))
    if not title:
        for line in body.splitlines():
            if line.strip():
                title = clean_line(line.lstrip("#").strip())
                body = body.replace(line, "", 1)
                break
    story = StoryIn(
        title=title or path.stem,
        text=html_to_text(_MARKDOWN.render(body)),
        url=clean_line(str(meta.get("url") or "")),
        guid=str(path.resolve()),
        author=clean_line(str(meta.get("author") or "")),
        published=_parse_when(meta.get("published") or meta.get("date")),
        language=clean_line(str(meta.get("language") or ""))[:8].lower(),
    )
    return ParsedFile([story], clean_line(str(meta.get("source") or "")))


def read_plain_text(path: Path, text: str) -> ParsedFile:
    """A plain-text story: the first non-empty line is the title."""
    text = clean_text(text)
    title, _, body = text.partition("\n")
    return ParsedFile(
        [StoryIn(title=clean_line(title) or path.stem, text=body.strip(), guid=str(path.resolve()))]
    )


READERS: dict[str, Reader] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_plain_text,
    ".text": read_plain_text,
}


def walk(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """``(root, file)`` for every file under the given paths; symlink loops are cut."""
    for root in paths:
        if root.is_dir():
            seen: set[tuple[int, int]] = set()
            for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
                st = os.stat(dirpath)
                if (st.st_dev, st.st_ino) in seen:
                    dirnames[:] = []
                    continue
                seen.add((st.st_dev, st.st_ino))
                dirnames.sort()
                for name in sorted(filenames):
                    if not name.startswith("."):
                        yield root, Path(dirpath) / name
        else:
            yield root, root


def read_file(path: Path) -> ParsedFile:
    """Parse one file with the reader for its extension."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise FileFormatError(f"unsupported file type {path.suffix or '(none)'}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileFormatError(f"file too large ({size} bytes)")
    try:
        text = decode_bytes(path.read_bytes())
    except BinaryContentError as exc:
        raise FileFormatError(str(exc)) from exc
    return reader(path, text)


def import_paths(store: Store, paths: Iterable[Path], tags: Iterable[str] = ()) -> ImportReport:
    """Import files and folders into the store; errors are collected, never raised."""
    report = ImportReport()
    tags = tuple(tags)
    sources: dict[Path, int] = {}
    for root, path in walk(Path(p) for p in paths):
        try:
            if not path.exists():
                raise FileFormatError("no such file or directory")
            parsed = read_file(path)
        except (OSError, FileFormatError) as exc:
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            report.errors.append((path, message))
            continue
        root_key = root.resolve()
        if root_key not in sources:
            title = parsed.source_title if root.is_file() else ""
            sources[root_key] = store.add_source(
                str(root_key), kind="file", title=title or root_key.name, tags=tags
            ).id
        results = store.upsert_stories(sources[root_key], parsed.stories)
        report.files += 1
        for story_id, status in results:
            report.story_ids.append(story_id)
            setattr(report, status, getattr(report, status) + 1)
        if tags:
            store.add_tags([i for i, _ in results], tags)
    return report
