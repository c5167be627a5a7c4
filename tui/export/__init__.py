"""Export and agenda: what users take away from the desk (core; never imports Textual).

- ``selection``: which stories an export covers (the CLI and the desk dialog share it).
- ``document``: the export's data (stories with lead, actors, commitments, upcoming
  dates), built once and rendered by ``markdown`` or ``jsonexport``.
- ``agenda``: upcoming dates across stories, duplicates merged, grouped by period;
  rendered as text, JSON or iCalendar (``ics``).
- ``atomic``: files are written through a temporary file and ``os.replace``.
"""

from tui.export.atomic import ExportError, write_output
from tui.export.selection import GROUP_BY, Selection, parse_day

__all__ = ["GROUP_BY", "ExportError", "Selection", "parse_day", "write_output"]
