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

What the user typed becomes the FTS5 expression of ``match_expression``: the
last word is a prefix (results follow the typing), spelled out as the index's
own terms where they are few, because FTS5 reads a prefix query very differently
from the same words as exact terms (see there).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from typing import Any

from tui.store.queries import fts_query, fts_terms

FEW = 20_000
MIN_BATCH = 2_000
MAX_BATCH = 200_000
EXPAND_MAX = 8
"""At most this many index terms longer than the typed prefix are spelled out."""

_TERMS_TABLE = "newsdesk_fts_terms"
_SPELLED_OUT = re.compile(r"[a-z0-9]+")


def match_expression(conn: Any, text: str) -> str | None:
    """The FTS5 expression for ``text``: ``fts_query``'s meaning (every word, the last
    as a prefix), with that prefix spelled out as an OR of the index's terms when few.

    FTS5 answers a prefix query by merging the doclists of every term with the
    prefix into one list in memory before it returns a row: for a word in every
    story of a million that is ~60 ms, paid again by the count and by each page
    query. The same words as exact terms are read lazily: the newest 200 matches
    of ``"security"`` cost 0.2 ms. The longer terms come from an ``fts5vocab``
    table (temporary, per connection), scanned from just *after* the prefix, so
    the prefix's own doclist, the longest, is not counted.

    Only plain ASCII letters and digits are spelled out: for those the tokenizer
    (``unicode61``) only lower-cases, so the vocabulary's spelling is known. Any
    other word, more than ``EXPAND_MAX`` longer terms, or a connection that cannot
    create the temporary table (a read-only store's are ``query_only``) keeps the
    prefix query: the same rows either way.
    """
    terms = fts_terms(text)
    if not terms:
        return None
    prefix = terms[-1].lower()
    if not _SPELLED_OUT.fullmatch(prefix):
        return fts_query(text)
    try:
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_TERMS_TABLE} "
            "USING fts5vocab(main, stories_fts, row)"
        )
        longer = [
            str(r[0])
            for r in conn.execute(
                f"SELECT term FROM temp.{_TERMS_TABLE} WHERE term >= ? AND term < ? LIMIT ?",
                (prefix + "\x01", prefix[:-1] + chr(ord(prefix[-1]) + 1), EXPAND_MAX + 1),
            )
        ]
    except sqlite3.Error:
        return fts_query(text)
    if len(longer) > EXPAND_MAX:
        return fts_query(text)
    words = [_quoted(t) for t in terms[:-1]]
    alternatives = [_quoted(prefix), *(_quoted(t) for t in longer)]
    last = alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
    return " AND ".join([*words, last])


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


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
