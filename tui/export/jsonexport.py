"""Rendering an export as JSON: the same data as the Markdown, for scripts.

Every story appears once in ``stories`` (full analysis lists, no truncation);
``groups`` name the stories of each group by id, in the Markdown's order.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from tui.export.document import ExportDocument, StoryEntry

FORMAT_VERSION = 1


def story_dict(entry: StoryEntry) -> dict[str, Any]:
    """One story as a JSON-ready dict (tuples become lists)."""
    data = asdict(entry)
    for key in ("sources", "tags", "lead"):
        data[key] = list(data[key])
    return data


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
    """Pretty-printed UTF-8 JSON ending with a newline."""
    return json.dumps(export_dict(doc), ensure_ascii=False, indent=2) + "\n"
