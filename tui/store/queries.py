"""Reading stories: filters, keyset pages, counts and full-text search."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from tui.store.base import StoreBase, chunked, marks
from tui.store.errors import StoryNotFound
from tui.store.models import Story, StoryFilter

_FTS_TERM_RE = re.compile(r"\w+", re.UNICODE)


def fts_terms(text: str) -> list[str]:
    """The words of what a user typed (punctuation and query syntax dropped)."""
    return _FTS_TERM_RE.findall(text)


def fts_query(text: str) -> str | None:
    """Turn what a user typed into a safe FTS5 query: every word, the last as a prefix."""
    terms = fts_terms(text)
    if not terms:
        return None
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


class QueriesMixin(StoreBase):
    """Lists, counts and search over stories."""

    def _story_columns(self) -> str:
        q = self.sql
        return (
            "s.id, s.uid, s.source_id, s.guid, s.url, s.title, s.author, s.published, s.fetched, "
            f"s.language, {q.read} AS read, {q.saved} AS saved, {q.archived} AS archived, s.note, "
            "COALESCE(NULLIF(src.title, ''), src.url, '') AS source_label"
        )

    def _text_match(self, text: str) -> tuple[str, list[Any]]:
        """WHERE clause for stories matching typed text (backend's full-text index)."""
        match = fts_query(text)
        if match is None:
            return "1 = 0", []
        return "s.id IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)", [match]

    def _where(self, flt: StoryFilter) -> tuple[str, list[Any]]:
        q = self.sql
        clauses: list[str] = []
        params: list[Any] = []
        if flt.ids is not None:
            clauses.append(f"s.id IN ({marks(len(flt.ids))})")
            params.extend(flt.ids)
        if flt.source_id is not None:
            clauses.append("s.id IN (SELECT story_id FROM story_sources WHERE source_id = ?)")
            params.append(flt.source_id)
        if flt.tags:
            tag_marks = ",".join("?" * len(flt.tags))
            if flt.all_tags:
                clauses.append(
                    f"(SELECT count(DISTINCT t.id) FROM story_tags st JOIN tags t ON t.id = st.tag_id "
                    f"WHERE st.story_id = s.id AND t.name IN ({tag_marks})) = ?"
                )
                params.extend(flt.tags)
                params.append(len({t.casefold() for t in flt.tags}))
            else:
                clauses.append(
                    f"s.id IN (SELECT st.story_id FROM story_tags st JOIN tags t ON t.id = st.tag_id "
                    f"WHERE t.name IN ({tag_marks}))"
                )
                params.extend(flt.tags)
        if flt.actor:
            clauses.append("s.id IN (SELECT story_id FROM story_actors WHERE name = ?)")
            params.append(flt.actor)
        if flt.language:
            clauses.append("s.language = ?")
            params.append(flt.language)
        if flt.unread:
            clauses.append(f"{q.read} = 0 AND {q.archived} = 0")
        elif not flt.include_archived:
            clauses.append(f"{q.archived} = 0")
        if flt.saved:
            clauses.append(f"{q.saved} = 1")
        if flt.upcoming:
            clauses.append(
                "s.id IN (SELECT story_id FROM story_dates WHERE upcoming = 1 AND ends >= ?)"
            )
            params.append(self.today().isoformat())
        if flt.query:
            clause, extra = self._text_match(flt.query)
            clauses.append(clause)
            params.extend(extra)
        if flt.since:
            clauses.append("s.published >= ?")
            params.append(flt.since)
        if flt.until:
            clauses.append("s.published < ?")
            params.append(flt.until)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def list_stories(
        self,
        flt: StoryFilter | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
        after: tuple[str, int] | None = None,
        with_text: bool = False,
        reverse: bool = False,
    ) -> list[Story]:
        """A page of stories, newest first (oldest first with ``reverse``).

        ``after`` is the (published, id) of the last row of the previous page:
        keyset paging costs O(page) however deep the user scrolls. ``reverse``
        lets a list reach its far end cheaply (the last page is the first page
        of the reversed order).
        """
        if flt is not None and flt.query and offset == 0 and self.sql.name == "sqlite":
            return self._search_page(flt, limit, after, with_text, reverse)
        where, params = self._where(flt or StoryFilter())
        if after is not None:
            op = ">" if reverse else "<"
            where += (" AND " if where else " WHERE ") + f"(s.published, s.id) {op} (?, ?)"
            params.extend(after)
        order = "ASC" if reverse else "DESC"
        text_col = ", s.text" if with_text else ", '' AS text"
        sql = (
            f"SELECT {self._story_columns()}{text_col} FROM stories s{self.sql.state_join} "
            f"LEFT JOIN sources src ON src.id = s.source_id{where} "
            f"ORDER BY s.published {order}, s.id {order} LIMIT ? OFFSET ?"
        )
        rows = self._query(sql, [*params, limit, offset])
        return self._stories(rows)

    def _search_page(
        self,
        flt: StoryFilter,
        limit: int,
        after: tuple[str, int] | None,
        with_text: bool,
        reverse: bool,
    ) -> list[Story]:
        """``list_stories`` for a filter with a search query, on SQLite's FTS5 index
        (see ``search_paging``: the same rows and order, without visiting every match)."""
        from tui.store.search_paging import match_expression, page_ids

        where, params = self._where(replace(flt, query=None))
        with self._reading() as conn:
            match = match_expression(conn, flt.query or "")
            if match is None:
                return []
            ids = page_ids(
                conn,
                match,
                where.removeprefix(" WHERE "),
                params,
                limit=limit,
                after=after,
                reverse=reverse,
            )
        if not ids:
            return []
        order = "ASC" if reverse else "DESC"
        text_col = ", s.text" if with_text else ", '' AS text"
        rows = self._query(
            f"SELECT {self._story_columns()}{text_col} FROM stories s{self.sql.state_join} "
            f"LEFT JOIN sources src ON src.id = s.source_id WHERE s.id IN "
            f"(SELECT value FROM json_each(?)) ORDER BY s.published {order}, s.id {order}",
            ("[" + ",".join(map(str, ids)) + "]",),
        )
        return self._stories(rows)

    _COUNTED_FILTERS: ClassVar[dict[StoryFilter, str]] = {
        StoryFilter(): "total",
        StoryFilter(unread=True): "unread",
        StoryFilter(saved=True): "saved",
    }

    def count_stories(self, flt: StoryFilter | None = None) -> int:
        """How many stories match (uses the same indexes as ``list_stories``)."""
        flt = flt or StoryFilter()
        counted = self._COUNTED_FILTERS.get(flt)
        if counted is not None:  # the desk's views: from the trigger-kept counts
            return self.counts()[counted]
        if flt.query and replace(flt, query=None) == StoryFilter() and self.sql.name == "sqlite":
            # a search alone: the index counts its matches without visiting the stories
            from tui.store.search_paging import match_expression

            with self._reading() as conn:
                match = match_expression(conn, flt.query)
                if match is None:
                    return 0
                sql = "SELECT count(*) FROM stories_fts WHERE stories_fts MATCH ?"
                return int(conn.execute(sql, (match,)).fetchone()[0])
        where, params = self._where(flt)
        # Per-user state lives in another table on a shared desk: join it only when asked.
        uses_state = flt.unread or flt.saved or not flt.include_archived
        join = self.sql.state_join if uses_state else ""
        sql = f"SELECT count(*) FROM stories s{join}{where}"
        return int(self._query(sql, params)[0][0])

    def story(self, story_id: int) -> Story:
        """One story with its text."""
        rows = self._query(
            f"SELECT {self._story_columns()}, s.text FROM stories s{self.sql.state_join} "
            "LEFT JOIN sources src ON src.id = s.source_id WHERE s.id = ?",
            (story_id,),
        )
        if not rows:
            raise StoryNotFound(f"no story with id {story_id}")
        return self._stories(rows)[0]

    def story_source_labels(self, story_id: int) -> list[str]:
        """Every source a (deduplicated) story arrived from."""
        rows = self._query(
            "SELECT COALESCE(NULLIF(src.title, ''), src.url) FROM story_sources ss "
            "JOIN sources src ON src.id = ss.source_id WHERE ss.story_id = ? ORDER BY src.id",
            (story_id,),
        )
        return [r[0] for r in rows]

    def source_labels(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """``story_source_labels`` for many stories at once."""
        out: dict[int, list[str]] = {}
        for chunk in chunked(ids):
            rows = self._query(
                "SELECT ss.story_id, COALESCE(NULLIF(src.title, ''), src.url) FROM story_sources ss "
                f"JOIN sources src ON src.id = ss.source_id WHERE ss.story_id IN "
                f"({marks(len(chunk))}) ORDER BY ss.story_id, src.id",
                chunk,
            )
            for r in rows:
                out.setdefault(int(r[0]), []).append(r[1])
        return out

    def _stories(self, rows: list[Any]) -> list[Story]:
        tags = self._tags_of([int(r["id"]) for r in rows])
        return [
            Story(
                id=r["id"],
                uid=r["uid"],
                source_id=r["source_id"],
                source=r["source_label"],
                guid=r["guid"] or "",
                url=r["url"],
                title=r["title"],
                author=r["author"],
                published=r["published"],
                fetched=r["fetched"],
                language=r["language"],
                text=r["text"],
                read=bool(r["read"]),
                saved=bool(r["saved"]),
                archived=bool(r["archived"]),
                note=r["note"],
                tags=tags.get(int(r["id"]), ()),
            )
            for r in rows
        ]

    def newest_published(self) -> str:
        """The newest publication timestamp on the desk (``""`` when empty)."""
        rows = self._query("SELECT MAX(published) FROM stories")
        return str(rows[0][0] or "") if rows else ""

    # -- counts ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Desk-wide counts for the header: total, unread, saved (kept by triggers: O(1))."""
        row = self._query("SELECT total, unread, saved FROM story_counts WHERE id = 1")[0]
        return {"total": int(row[0]), "unread": int(row[1]), "saved": int(row[2])}

    def unread_by_source(self) -> dict[int, int]:
        """Unread stories per source id."""
        rows = self._query("SELECT source_id, unread FROM source_stats WHERE unread > 0")
        return {int(r[0]): int(r[1]) for r in rows}

    def source_totals(self) -> dict[int, int]:
        """Stories per source id (kept by triggers, so O(sources))."""
        rows = self._query("SELECT source_id, total FROM source_stats")
        return {int(r[0]): int(r[1]) for r in rows}
