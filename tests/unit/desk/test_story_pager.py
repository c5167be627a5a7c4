"""The story pager returns the same rows whichever end or order they are read in."""

from __future__ import annotations

import datetime as dt
import random

from tui.desk.pager import StoryPager
from tui.store import Store, StoryFilter, StoryIn


def test_pager_rows_match_the_list_from_any_end(store: Store) -> None:
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    store.upsert_stories(
        None,
        [
            # Pairs share a timestamp so that ties are ordered by id at both ends.
            StoryIn(
                title=f"S{n}",
                text=f"t{n}",
                guid=f"g{n}",
                published=base + dt.timedelta(minutes=n // 2),
            )
            for n in range(537)
        ],
    )
    expected = [s.id for s in store.list_stories(limit=1000)]
    pager = StoryPager(store, StoryFilter(), page_size=50)
    assert pager.count == 537
    assert pager.get(536) is not None and pager.get(536).id == expected[-1]  # type: ignore[union-attr]
    order = list(range(537))
    random.Random(7).shuffle(order)
    for index in order:
        row = pager.get(index)
        assert row is not None and row.id == expected[index], index
    assert pager.get(537) is None
