"""Stories from local files: Markdown, plain text, HTML pages and feed documents.

``import_paths`` walks files and folders (recursively, safe against symlink
loops), turns each readable file into a ``StoryIn`` and stores it under a
``file`` source for the path the user named. Re-importing updates in place
(the story's guid is the file's absolute path). A file that cannot be read is
reported with one line and skipped; the rest are still imported.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from tui.sources.clean import clean_line, clean_text, clip_title
from tui.sources.encoding import BinaryContentError, decode_bytes, looks_binary
from tui.sources.html_text import html_to_text
from tui.sources.links import web_link
from tui.store import Store, StoryIn
from tui.timeparse import parse_utc

MAX_FILE_BYTES = 20 * 1024 * 1024
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


class FileFormatError(ValueError):
    """A file that is not a story newsdesk can read."""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """Stories read from one file, and the source title it suggests."""

    stories: list[StoryIn]
    source_title: str = ""
    warnings: tuple[str, ...] = ()


Reader = Callable[[Path, str], ParsedFile]
ByteReader = Callable[[Path, bytes], ParsedFile]


@dataclass(slots=True)
class ImportReport:
    """What an import did: per-file outcomes and one-line errors."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    files: int = 0
    errors: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[tuple[Path, str]] = field(default_factory=list)
    story_ids: list[int] = field(default_factory=list)


def _parse_when(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, 12, tzinfo=dt.UTC)
    if isinstance(value, str) and value.strip():
        parsed = parse_utc(value.strip())
        if parsed is None:
            raise FileFormatError(f"published is not an ISO date: {value!r}")
        return parsed
    return None


_FILE_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    The check is made on the open file (``fstat``), not on the name, so a
    symlink to ``/dev/zero`` or a file swapped after a check cannot slip by;
    the open does not block, so a FIFO nobody writes to is refused instead of
    hanging; and the read is bounded whatever the file claims its size is.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = _FILE_KINDS.get(stat.S_IFMT(st.st_mode), "a special file")
            raise FileFormatError(f"not a regular file ({kind})")
        if st.st_size > limit:
            raise FileFormatError(f"file too large ({st.st_size} bytes; limit {limit})")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while we read
            raise FileFormatError(f"file too large (more than {limit} bytes)")
        return b"".join(chunks)
    finally:
        os.close(fd)


class _NoAliasLoader(yaml.SafeLoader):
    """``SafeLoader`` without anchors and aliases: 364 bytes of nested aliases expand to GBs.

    Front matter is a handful of keys; nobody needs references in it.
    """

    def fetch_alias(self) -> None:
        raise FileFormatError("front matter uses YAML aliases (*name), which are refused")

    def fetch_anchor(self) -> None:
        raise FileFormatError("front matter uses YAML anchors (&name), which are refused")


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
                data = yaml.load("\n".join(lines[1:end]), Loader=_NoAliasLoader) or {}
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
        title=clip_title(title or clean_line(path.stem)),
        text=html_to_text(_MARKDOWN.render(body)),
        url=web_link(str(meta.get("url") or "")),
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
        [
            StoryIn(
                title=clip_title(clean_line(title) or clean_line(path.stem)),
                text=body.strip(),
                guid=str(path.resolve()),
            )
        ]
    )


def read_html(path: Path, text: str) -> ParsedFile:
    """A saved web page: the article's main text (trafilatura), title from the page metadata."""
    from tui.sources.fulltext import extract_article  # trafilatura is slow to import

    article = extract_article(text, "")
    title = article.title if article else ""
    if not title:
        match = _TITLE_RE.search(text)
        title = clean_line(html_to_text(match.group(1))) if match else ""
    body = article.text if article else html_to_text(text)
    if not body and not title:
        raise FileFormatError("no text found in the page")
    story = StoryIn(
        title=clip_title(title or clean_line(path.stem)),
        text=body,
        guid=str(path.resolve()),
        author=article.author if article else "",
        published=article.published if article else None,
        language=article.language if article else "",
    )
    return ParsedFile([story])


def read_feed_document(path: Path, data: bytes) -> ParsedFile:
    """A saved feed (RSS, Atom or JSON Feed): one story per entry, the feed's title as source."""
    from tui.sources.feeds import NotAFeedError, parse_feed

    if not data.strip():
        raise FileFormatError("empty file")
    try:
        parsed = parse_feed(data, "")
    except NotAFeedError as exc:
        raise FileFormatError(str(exc)) from exc
    return ParsedFile(parsed.stories, parsed.title, tuple(parsed.warnings))


READERS: dict[str, Reader] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_plain_text,
    ".text": read_plain_text,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
}
"""Readers of decoded text, by file extension."""

BYTE_READERS: dict[str, ByteReader] = {
    ".xml": read_feed_document,
    ".rss": read_feed_document,
    ".atom": read_feed_document,
    ".rdf": read_feed_document,
    ".json": read_feed_document,
}
"""Readers that want the raw bytes (feed documents: the XML prolog names the encoding)."""


def walk(
    paths: Iterable[Path], errors: list[tuple[Path, str]] | None = None
) -> Iterator[tuple[Path, Path]]:
    """``(root, file)`` for every file under the given paths; symlink loops are cut.

    A folder that cannot be listed (no permission) is added to ``errors``
    instead of being skipped silently.
    """

    def unreadable(exc: OSError) -> None:
        if errors is not None:
            errors.append((Path(exc.filename or "?"), exc.strerror or str(exc)))

    for root in paths:
        if root.is_dir():
            seen: set[tuple[int, int]] = set()
            for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=True):
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
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    byte_reader = BYTE_READERS.get(suffix)
    if reader is None and byte_reader is None:
        raise FileFormatError(f"unsupported file type {path.suffix or '(none)'}")
    data = read_regular_file(path)
    if byte_reader is not None:
        if looks_binary(data):
            raise FileFormatError("binary content, not text")
        return byte_reader(path, data)
    assert reader is not None
    try:
        text = decode_bytes(data)
    except BinaryContentError as exc:
        raise FileFormatError(str(exc)) from exc
    return reader(path, text)


def import_paths(store: Store, paths: Iterable[Path], tags: Iterable[str] = ()) -> ImportReport:
    """Import files and folders into the store; errors are collected, never raised."""
    report = ImportReport()
    tags = tuple(tags)
    sources: dict[Path, int] = {}
    for root, path in walk((Path(p) for p in paths), report.errors):
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
                str(root_key),
                kind="file",
                title=title or clean_line(root_key.name) or clean_line(str(root_key)),
                tags=tags,
            ).id
        report.warnings.extend((path, warning) for warning in parsed.warnings)
        results = store.upsert_stories(sources[root_key], parsed.stories)
        report.files += 1
        for story_id, status in results:
            report.story_ids.append(story_id)
            setattr(report, status, getattr(report, status) + 1)
        if tags:
            store.add_tags([i for i, _ in results], tags)
    return report
