"""The bundled sample desk: demo stories that show newsdesk working without a network.

Attribution for every file is in ``ATTRIBUTION.md`` beside this module (CC BY 4.0
for the Wikinews stories).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tui.sources.files import ImportReport, import_paths
from tui.store import Store

SAMPLES_DIR = Path(__file__).resolve().parent
SAMPLE_SOURCE_TITLE = "Sample desk"
SEED_STORY = SAMPLES_DIR / "rubio-de-la-fuente-call.es.md"
OFFERED_KEY = "samples_offered"


def load_samples(store: Store) -> ImportReport:
    """Import the sample stories under one source called "Sample desk"."""
    files = [SEED_STORY, SAMPLES_DIR / "wikinews"]
    report = import_paths(store, files)
    for path in files:
        source = store.source_by_url(str(path.resolve()))
        if source is not None:
            title = "Sample desk: seed story" if path == SEED_STORY else "Sample desk: Wikinews"
            store.update_source(source.id, title=title)
    store.set_meta(OFFERED_KEY, "loaded")
    return report


def demo_today(store: Store) -> dt.date | None:
    """The demo desk's clock: the day after its newest story (``None`` when empty).

    The sample stories are old; counted from the real date none of their dates
    is upcoming, and a newcomer would never see the agenda work.
    """
    newest = store.newest_published()
    if not newest:
        return None
    try:
        day = dt.date.fromisoformat(newest[:10])
    except ValueError:
        return None
    return day + dt.timedelta(days=1)
