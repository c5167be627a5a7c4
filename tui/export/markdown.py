"""Rendering an export as CommonMark.

Everything that comes from feeds (titles, sources, tags, notes, leads, actor
names, quoted sentences) is data, not Markdown: ``escape`` makes it render as
exactly the text it is. It backslash-escapes every character that can start
inline markup (emphasis, code, links, autolinks, raw HTML, entities, GFM tables
and strikethrough) and neutralises block markers at the start of a line
(headings, quotes, lists such as "1. " or "- ", setext underlines, fences), and
collapses whitespace so no line can become indented code or a hard break.
Backslash escapes of ASCII punctuation are valid everywhere in CommonMark, so the
rendered text is the original text.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote, urlsplit

from tui.export.document import ExportDocument, StoryEntry
from tui.export.periods import day_label
from tui.text_limits import clip

MAX_ACTORS = 10
MAX_COMMITMENTS = 6
MAX_UPCOMING = 6
SENTENCE_MAX = 300

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&~])")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SLOW_PATH = re.compile(r"[\\`*_\[\]<>#|&~\x00-\x1f\x7f-\x9f]")
_BLOCK_FIRST = frozenset("-+=0123456789")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=])")
_URL_SAFE = "/:?#[]@!$&'*+,;=%~-._"


def _clean(text: str) -> str:
    """One line: control characters (ESC, NUL, bell, ...) become spaces, whitespace collapses."""
    return " ".join(_CONTROL_RE.sub(" ", text).split())


def escape(text: str) -> str:
    """``text`` as CommonMark inline content that renders as exactly ``text`` (whitespace collapsed).

    Block markers are escaped at the start of ``text`` only: pass whole line
    contents (everything after a list bullet), not fragments that start mid-line.
    """
    line = " ".join(text.split())
    if _SLOW_PATH.search(line):  # control characters or markup characters: the rare case
        line = _INLINE_SPECIAL.sub(r"\\\1", _clean(line))
    if line and line[0] in _BLOCK_FIRST:
        return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line, count=1)
    return line


def safe_url(url: str) -> str | None:
    """An http(s) URL percent-encoded so it cannot end the link destination; else ``None``."""
    url = _clean(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    encoded = quote(url, safe=_URL_SAFE)
    return encoded.replace("(", "%28").replace(")", "%29")


def _clip(text: str, limit: int) -> str:
    return clip(_clean(text), limit)


def _heading(level: int, entry: StoryEntry, url: str | None) -> str:
    title = escape(entry.title) if entry.title else "(untitled)"
    return f"{'#' * level} [{title}]({url})" if url else f"{'#' * level} {title}"


def _more(shown: int, total: int) -> list[str]:
    return [f"- … and {total - shown} more"] if total > shown else []


def render_story(entry: StoryEntry, level: int) -> list[str]:
    """The Markdown lines of one story (a heading, facts, lead, then the short lists).

    Each list item's content is escaped as one string (see ``escape``): the
    fixed words around feed text contain no Markdown characters.
    """
    url = safe_url(entry.url) if entry.url else None
    out = [_heading(level, entry, url), ""]
    facts = []
    if entry.sources:
        label = "Sources" if len(entry.sources) > 1 else "Source"
        facts.append(f"{label}: {'; '.join(entry.sources)}")
    if entry.published:
        facts.append(f"Published: {entry.published} ({entry.published_label})")
    if entry.tags:
        facts.append(f"Tags: {', '.join(entry.tags)}")
    if entry.url and url is None:
        facts.append(f"Location: {entry.url}")
    if entry.note:
        facts.append(f"Note: {entry.note}")
    out.extend(f"- {escape(fact)}" for fact in facts)
    if facts:
        out.append("")
    for paragraph in entry.lead:
        out.extend([escape(paragraph), ""])
    sub = "#" * min(level + 1, 6)
    if entry.actors:
        out.extend([f"{sub} Actors", ""])
        for actor in entry.actors[:MAX_ACTORS]:
            role = f", {actor.role}" if actor.role else ""
            out.append(f"- {escape(f'{actor.name}{role} ({actor.kind})')}")
        out.extend([*_more(MAX_ACTORS, len(entry.actors)), ""])
    if entry.commitments:
        out.extend([f"{sub} Commitments", ""])
        for c in entry.commitments[:MAX_COMMITMENTS]:
            verb = f"{'does not ' if c.negated else ''}{c.kind}"
            line = f"{c.actor or 'Someone'} ({verb}): {c.action}"
            if c.due:
                line += f"; due {c.due_label}"
            if c.sentence:
                line += f" — “{_clip(c.sentence, SENTENCE_MAX)}”"
            out.append(f"- {escape(line)}")
        out.extend([*_more(MAX_COMMITMENTS, len(entry.commitments)), ""])
    # Dates ahead on the export's day, then those that were ahead at publication.
    for heading, dates in (("Upcoming", entry.upcoming), ("Was upcoming", entry.was_upcoming)):
        if not dates:
            continue
        out.extend([f"{sub} {heading}", ""])
        for d in dates[:MAX_UPCOMING]:
            line = d.label
            if d.event:
                line += f" — {d.event}"
            elif d.sentence:
                line += f" — “{_clip(d.sentence, SENTENCE_MAX)}”"
            out.append(f"- {escape(line)}")
        out.extend([*_more(MAX_UPCOMING, len(dates)), ""])
    return out


def _group_heading(group_by: str, name: str) -> str:
    if not name:
        return {"tag": "Untagged", "source": "Unknown source", "date": "Undated"}[group_by]
    if group_by == "date":
        try:
            return f"{name} ({day_label(dt.date.fromisoformat(name))})"
        except ValueError:
            pass
    return escape(name)


def render_markdown(doc: ExportDocument) -> str:
    """The whole export as one CommonMark document (ends with a single newline)."""
    count = len(doc.stories)
    stamp = doc.generated.strftime("%Y-%m-%d %H:%M UTC")
    out = [
        f"# {escape(doc.title)}",
        "",
        f"Selection: {escape(doc.selection.describe())}. "
        f"{count} {'story' if count == 1 else 'stories'}"
        + (f", grouped by {doc.group_by}" if doc.group_by != "none" else "")
        + f". Generated {escape(stamp)}.",
        "",
    ]
    if doc.analysis_errors:
        out.extend(
            [f"Analysis failed for {doc.analysis_errors} of them; they are listed without it.", ""]
        )
    if not count:
        out.extend(["No stories match this selection.", ""])
    for name, stories in doc.groups:
        level = 2
        if doc.group_by != "none":
            out.extend([f"## {_group_heading(doc.group_by, name)}", ""])
            level = 3
        for entry in stories:
            out.extend(render_story(entry, level))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
