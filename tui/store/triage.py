"""Triage: read, saved, archived, notes and tags, and restoring them for undo."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tui.store.base import DbConn, StoreBase, normalise_tag
from tui.store.errors import StoryNotFound
from tui.store.models import TriageState, utc_iso


class TriageMixin(StoreBase):
    """The user's writes on stories; each method is one transaction."""

    def _write_flags(self, conn: DbConn, ids: Sequence[int], **flags: bool) -> None:
        """Set read/saved/archived of stories (the backend decides whose state that is)."""
        assignments = ", ".join(f"{name} = ?" for name in flags)
        values = [int(v) for v in flags.values()]
        conn.executemany(
            f"UPDATE stories SET {assignments} WHERE id = ?", [(*values, i) for i in ids]
        )

    def _set_flag(self, column: str, ids: Sequence[int], value: bool) -> None:
        with self.transaction() as conn:
            self._check_ids(conn, ids)
            self._write_flags(conn, ids, **{column: value})

    def set_read(self, ids: Sequence[int], read: bool = True) -> None:
        """Mark stories read or unread."""
        self._set_flag("read", ids, read)

    def set_saved(self, ids: Sequence[int], saved: bool = True) -> None:
        """Save or unsave stories."""
        self._set_flag("saved", ids, saved)

    def set_archived(self, ids: Sequence[int], archived: bool = True) -> None:
        """Archive stories (hidden from Unread) or bring them back."""
        self._set_flag("archived", ids, archived)

    def set_note(self, story_id: int, note: str) -> None:
        """Replace the free-text note of a story."""
        with self.transaction() as conn:
            self._check_ids(conn, [story_id])
            conn.execute(
                "UPDATE stories SET note = ?, note_by = ?, note_at = ? WHERE id = ?",
                (note, self.user, utc_iso(), story_id),
            )

    def add_tags(self, ids: Sequence[int], names: Iterable[str]) -> None:
        """Tag stories (names are case-insensitively unique; new names are created)."""
        with self.transaction() as conn:
            self._check_ids(conn, ids)
            self._tag_stories(conn, ids, self._tag_ids(conn, names))

    def remove_tags(self, ids: Sequence[int], names: Iterable[str]) -> None:
        """Untag stories; tags used by nothing any more are dropped."""
        with self.transaction() as conn:
            self._check_ids(conn, ids)
            for raw in names:
                conn.executemany(
                    "DELETE FROM story_tags WHERE story_id = ? AND tag_id = "
                    "(SELECT id FROM tags WHERE name = ?)",
                    [(s, normalise_tag(raw)) for s in ids],
                )
            self._drop_unused_tags(conn)

    @staticmethod
    def _drop_unused_tags(conn: DbConn) -> None:
        conn.execute(
            "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM story_tags) "
            "AND id NOT IN (SELECT tag_id FROM source_tags)"
        )

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with the number of stories carrying it, by name."""
        rows = self._query(
            "SELECT t.name, count(st.story_id) FROM tags t LEFT JOIN story_tags st "
            f"ON st.tag_id = t.id GROUP BY t.id ORDER BY t.name{self.sql.nocase}"
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def triage_state(self, ids: Sequence[int]) -> list[TriageState]:
        """The user-owned state of stories, for undo."""
        q = self.sql
        tags = self._tags_of(list(ids))
        out = []
        for story_id in ids:
            rows = self._query(
                f"SELECT {q.read}, {q.saved}, {q.archived}, s.note FROM stories s{q.state_join} "
                "WHERE s.id = ?",
                (story_id,),
            )
            if not rows:
                raise StoryNotFound(f"no story with id {story_id}")
            r = rows[0]
            out.append(
                TriageState(
                    story_id, bool(r[0]), bool(r[1]), bool(r[2]), r[3], tags.get(story_id, ())
                )
            )
        return out

    def restore_triage(self, states: Iterable[TriageState]) -> None:
        """Put stories back exactly as ``triage_state`` saw them (one transaction)."""
        with self.transaction() as conn:
            for st in states:
                exists = conn.execute("SELECT 1 FROM stories WHERE id = ?", (st.story_id,))
                if exists.fetchone() is None:  # deleted meanwhile (another desk, a prune)
                    continue
                self._write_flags(
                    conn, [st.story_id], read=st.read, saved=st.saved, archived=st.archived
                )
                conn.execute(
                    "UPDATE stories SET note = ?, note_by = ?, note_at = ? WHERE id = ? AND note != ?",
                    (st.note, self.user, utc_iso(), st.story_id, st.note),
                )
                conn.execute("DELETE FROM story_tags WHERE story_id = ?", (st.story_id,))
                self._tag_stories(conn, [st.story_id], self._tag_ids(conn, st.tags))
            self._drop_unused_tags(conn)
