"""The analysis cache and the indexes derived from it (actors, dates)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from tui.store.base import StoreBase, chunked, marks
from tui.store.models import ActorCount, UpcomingDate, utc_iso
from tui.timex import bounds


class AnalysisCacheMixin(StoreBase):
    """Cached ``Analysis.to_dict()`` per story and analyser version, plus its indexes."""

    def cached_analysis(self, story_id: int, version: str) -> dict[str, Any] | None:
        """The cached analysis of a story for this analyser version, if any."""
        rows = self._query(
            "SELECT data FROM analysis WHERE story_id = ? AND version = ?", (story_id, version)
        )
        return json.loads(rows[0][0]) if rows else None

    def cached_analyses(self, ids: Sequence[int], version: str) -> dict[int, dict[str, Any]]:
        """Cached analyses of many stories at once (exports read thousands)."""
        out: dict[int, dict[str, Any]] = {}
        for chunk in chunked(ids):
            rows = self._query(
                f"SELECT story_id, data FROM analysis WHERE version = ? "
                f"AND story_id IN ({marks(len(chunk))})",
                [version, *chunk],
            )
            out.update((int(r[0]), json.loads(r[1])) for r in rows)
        return out

    def stories_without_analysis(self, version: str, *, limit: int = 100) -> list[int]:
        """Ids of (newest) stories with no analysis for this version, for background work."""
        rows = self._query(
            "SELECT s.id FROM stories s WHERE NOT EXISTS (SELECT 1 FROM analysis a "
            "WHERE a.story_id = s.id AND a.version = ?) ORDER BY s.published DESC, s.id DESC "
            "LIMIT ?",
            (version, limit),
        )
        return [int(r[0]) for r in rows]

    def save_analysis(self, story_id: int, version: str, data: Mapping[str, Any]) -> None:
        """Cache an analysis (``Analysis.to_dict()``) and index its actors and dates."""
        actors: dict[tuple[str, str], int] = {}
        for actor in data.get("actors", []):
            key = (str(actor["name"]), str(actor["kind"]))
            actors[key] = actors.get(key, 0) + 1
        dates = []
        for seq, date in enumerate(data.get("dates", [])):
            span = bounds(str(date["value"]))
            dates.append(
                (
                    story_id, seq, date["value"], date["granularity"], date["sentence"],
                    date.get("event", ""), int(bool(date["upcoming"])),
                    span[1].isoformat() if span else "",
                )
            )  # fmt: skip
        with self.transaction() as conn:
            self._invalidate_analysis(conn, story_id)
            conn.execute(
                "INSERT INTO analysis (story_id, version, data, created) VALUES (?, ?, ?, ?)",
                (story_id, version, json.dumps(data, ensure_ascii=False), utc_iso()),
            )
            conn.executemany(
                "INSERT INTO story_actors (story_id, name, kind, mentions) VALUES (?, ?, ?, ?)",
                [(story_id, name, kind, n) for (name, kind), n in actors.items()],
            )
            conn.executemany(
                "INSERT INTO story_dates (story_id, seq, value, granularity, sentence, event, "
                "upcoming, ends) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                dates,
            )

    def actors(self, *, limit: int = 200) -> list[ActorCount]:
        """Actors across the desk with the number of stories naming them, most first."""
        rows = self._query(
            "SELECT name, kind, stories FROM actor_stats ORDER BY stories DESC, name LIMIT ?",
            (limit,),
        )
        return [ActorCount(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    def upcoming_dates(
        self, *, start: str | None = None, end: str | None = None
    ) -> list[UpcomingDate]:
        """Upcoming date mentions across stories, soonest first (for the agenda).

        Upcoming as ``tui.timex.date_status`` says: future at publication and not
        over by ``start``, which is the desk's today unless a window is asked for.
        """
        clauses = ["d.upcoming = 1", "d.ends != ''", "d.ends >= ?"]
        params: list[Any] = [start or self.today().isoformat()]
        if end:
            clauses.append("d.value <= ?")
            params.append(end)
        rows = self._query(
            "SELECT d.story_id, d.seq, d.value, d.granularity, d.sentence, d.event, d.ends, "
            "s.title, s.url, s.uid FROM story_dates d JOIN stories s "
            f"ON s.id = d.story_id WHERE {' AND '.join(clauses)} ORDER BY d.value, d.story_id",
            params,
        )
        return [
            UpcomingDate(
                story_id=int(r[0]), seq=int(r[1]), value=str(r[2]), granularity=str(r[3]),
                sentence=int(r[4]), event=str(r[5]), ends=str(r[6]), title=str(r[7]),
                url=str(r[8]), uid=str(r[9]),
            )
            for r in rows
        ]  # fmt: skip
