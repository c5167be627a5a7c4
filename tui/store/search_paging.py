"""Pages of full-text search results in date order, without materialising every match.

The plain SQL for "stories matching X, newest first" (``s.id IN (SELECT rowid
FROM stories_fts WHERE ... MATCH ?) ORDER BY published DESC``) builds the set of
every match before it can return the first row: at a million stories a common
word costs seconds. FTS5 is fast at two other things, which are used instead:
the *newest rowids* of a match (``ORDER BY rowid DESC LIMIT n``) and the matches
*within a rowid range*. So a page is found one of two ways, both exact:

* few matches (at most ``FEW`` among the newest rowids): take them all and sort
  those stories by date;
* many matches: walk the stories in the list's own order (the date index) a
  batch at a time, and keep those the FTS range query over the batch's id span
  says match. The batch is sized from the match density, so the walk usually
  ends after one or two batches.

Both give exactly the rows and order of the plain SQL (a test compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FEW = 20_000
MIN_BATCH = 2_000
MAX_BATCH = 200_000


def page_ids(
    conn: Any,
    match: str,
    where: str,
    params: Sequence[Any],
    *,
    limit: int,
    after: tuple[str, int] | None,
    reverse: bool,
) -> list[int]:
    """Ids of the next ``limit`` matching stories in list order.

    ``where``/``params`` are the filter's other clauses (``s.`` columns, no query);
    ``after`` is the keyset of the previous page's last row.
    """
    newest = [
        int(r[0])
        for r in conn.execute(
            "SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (match, FEW + 1),
        )
    ]
    if not newest:
        return []
    op, order = (">", "ASC") if reverse else ("<", "DESC")
    base = [where] if where else []

    def clauses(cursor: tuple[str, int] | None) -> tuple[str, list[Any]]:
        parts, values = list(base), list(params)
        if cursor is not None:
            parts.append(f"(s.published, s.id) {op} (?, ?)")
            values.extend(cursor)
        return "".join(f" AND {p}" for p in parts), values

    if len(newest) <= FEW:  # every match is known: sort just those
        extra, values = clauses(after)
        rows = conn.execute(
            "SELECT s.id FROM stories s WHERE s.id IN (SELECT value FROM json_each(?))"
            f"{extra} ORDER BY s.published {order}, s.id {order} LIMIT ?",
            (_json_ids(newest), *values, limit),
        )
        return [int(r[0]) for r in rows]
    top = int(conn.execute("SELECT COALESCE(max(id), 0) FROM stories").fetchone()[0])
    density = len(newest) / max(1, top - newest[-1] + 1)
    batch = int(min(MAX_BATCH, max(MIN_BATCH, 2 * limit / max(density, 1e-6))))
    found: list[int] = []
    cursor = after
    while len(found) < limit:
        extra, values = clauses(cursor)
        rows = conn.execute(
            f"SELECT s.id, s.published FROM stories s WHERE 1{extra} "
            f"ORDER BY s.published {order}, s.id {order} LIMIT ?",
            (*values, batch),
        ).fetchall()
        if not rows:
            break
        ids = [int(r[0]) for r in rows]
        hits = {
            int(r[0])
            for r in conn.execute(
                "SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? AND rowid BETWEEN ? AND ?",
                (match, min(ids), max(ids)),
            )
        }
        found.extend(i for i in ids if i in hits)
        cursor = (str(rows[-1][1]), ids[-1])
        if len(rows) < batch:
            break
        batch = min(MAX_BATCH, batch * 2)
    return found[:limit]


def _json_ids(ids: list[int]) -> str:
    return "[" + ",".join(map(str, ids)) + "]"
