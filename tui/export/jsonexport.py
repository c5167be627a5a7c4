"""Rendering an export as JSON: the same data as the Markdown, for scripts.

Every story appears once in ``stories`` (full analysis lists, no truncation);
``groups`` name the stories of each group by id, in the Markdown's order.
"""

from __future__ import annotations

import json
from typing import Any

from tui.export.document import ExportDocument, StoryEntry, UpcomingLine

FORMAT_VERSION = 1


def story_dict(entry: StoryEntry) -> dict[str, Any]:
    """One story as a JSON-ready dict (written out by hand: ``asdict`` deep-copies, 5x slower)."""
    return {
        "id": entry.id,
        "uid": entry.uid,
        "title": entry.title,
        "url": entry.url,
        "sources": list(entry.sources),
        "published": entry.published,
        "published_label": entry.published_label,
        "language": entry.language,
        "tags": list(entry.tags),
        "saved": entry.saved,
        "note": entry.note,
        "lead": list(entry.lead),
        "actors": [
            {"name": a.name, "kind": a.kind, "role": a.role, "mentions": a.mentions}
            for a in entry.actors
        ],
        "commitments": [
            {
                "actor": c.actor,
                "action": c.action,
                "kind": c.kind,
                "trigger": c.trigger,
                "negated": c.negated,
                "due": c.due,
                "due_label": c.due_label,
                "sentence": c.sentence,
            }
            for c in entry.commitments
        ],
        "upcoming": [_date_dict(d) for d in entry.upcoming],
        "was_upcoming": [_date_dict(d) for d in entry.was_upcoming],
    }


def _date_dict(d: UpcomingLine) -> dict[str, Any]:
    """A date line: the raw TIMEX ``value`` for programs, the ``label`` for people."""
    return {
        "value": d.value,
        "granularity": d.granularity,
        "label": d.label,
        "event": d.event,
        "sentence_index": d.sentence_index,
        "sentence": d.sentence,
        "status": d.status,
    }


def export_dict(doc: ExportDocument) -> dict[str, Any]:
    """The whole export as a JSON-ready dict."""
    return {
        "format": "newsdesk-export",
        "version": FORMAT_VERSION,
        "title": doc.title,
        "generated": doc.generated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "selection": {**doc.selection.to_dict(), "description": doc.selection.describe()},
        "group_by": doc.group_by,
        "count": len(doc.stories),
        "analysis_errors": doc.analysis_errors,
        "groups": [
            {"name": name, "stories": [s.id for s in stories]}
            for name, stories in doc.groups
            if doc.group_by != "none"
        ],
        "stories": [story_dict(s) for s in doc.stories],
    }


def render_json(doc: ExportDocument) -> str:
    """Compact UTF-8 JSON ending with a newline.

    Compact because it is for scripts (``jq .`` pretty-prints it) and because
    indenting switches ``json`` to its pure-Python encoder, 5x slower on big exports.
    """
    return json.dumps(export_dict(doc), ensure_ascii=False, separators=(",", ":")) + "\n"
