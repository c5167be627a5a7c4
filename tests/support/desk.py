"""The desk under test: how Pilot tests build it, and a small news site for it.

The desk under test runs on a real SQLite file with the sample desk loaded, a frozen
clock (so ages and snapshots are stable) and background analysis off unless a test
asks for it. It records every notification through Textual's public ``notify``, so
tests read ``app.notices`` instead of Textual's private notification store.
``serve_border_desk`` is a small news site for the desk's refresh and add-feed tests.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.notifications import SeverityLevel

from tests.support.http_server import LoopbackServer, Reply, send
from tui.app import NewsDeskApp
from tui.runtime import Runtime
from tui.samples import load_samples
from tui.store import Store

DESK_NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Notice:
    """One notification the desk showed."""

    message: str
    severity: SeverityLevel
    title: str = ""
    markup: bool = True


class DeskUnderTest(NewsDeskApp):
    """The desk, recording its notifications (``notices``) as they are raised."""

    def __init__(self, runtime: Runtime, **options: Any) -> None:
        super().__init__(runtime, **options)
        self.notices: list[Notice] = []

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.notices.append(Notice(message, severity, title, markup))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


def sample_runtime(folder: Path) -> Runtime:
    """A runtime on a fresh database in ``folder`` holding the sample desk, with its own config."""
    runtime = Runtime(db_path=folder / "desk.db", config_file=folder / "config.toml")
    with Store.open(runtime.db_path) as opened:
        load_samples(opened)
    return runtime


def first_run_runtime(folder: Path) -> Runtime:
    """A runtime on a database in ``folder`` that does not exist yet (first run)."""
    return Runtime(db_path=folder / "empty.db", config_file=folder / "config.toml")


def build_desk(runtime: Runtime, **options: Any) -> DeskUnderTest:
    """The desk on ``runtime`` with the frozen clock and no background analysis by default.

    ``app_class`` picks a subclass of ``DeskUnderTest``; other options go to the app.
    """
    options.setdefault("clock", lambda: DESK_NOW)
    options.setdefault("background_analysis", False)
    app_class: type[DeskUnderTest] = options.pop("app_class", DeskUnderTest)
    return app_class(runtime, **options)


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Border desk</title><link>http://example.test/</link>
<description>test feed</description>
<item><title>Talks resume in Washington</title><link>{base}/article</link>
<guid>border-1</guid><pubDate>Fri, 09 Jan 2026 10:00:00 GMT</pubDate>
<description>Short summary.</description></item>
<item><title>[bold]Not markup[/bold] in a title</title><link>{base}/other</link>
<guid>border-2</guid><pubDate>Fri, 09 Jan 2026 09:00:00 GMT</pubDate>
<description>Another summary.</description></item>
</channel></rss>"""

ARTICLE = """<html><head><title>Talks resume</title></head><body><article>
<h1>Talks resume in Washington</h1>
<p>The delegations met on Thursday in Washington to resume the security talks that stalled
last year, officials said, and agreed to meet again in February to review progress.</p>
<p>Both sides promised to publish a joint statement after the next round, according to a
spokesperson who asked not to be named because the talks are private.</p>
<p>Analysts said the meeting was the most substantive since the spring, when the previous
round ended without agreement on extradition requests or on the exchange of intelligence.</p>
</article></body></html>"""


def serve_border_desk(server: LoopbackServer) -> None:
    """A small news site on ``server``: ``/feed.xml`` (two stories, one title with markup
    characters), ``/slow.xml`` (the same after a second), ``/article`` (the full text of the
    first story); any other path answers 500.
    """

    def feed(_headers: dict[str, str]) -> Reply:
        return (
            200,
            {"Content-Type": "application/rss+xml"},
            FEED.format(base=server.url("")).encode(),
        )

    def slow(headers: dict[str, str]) -> Reply:
        time.sleep(1.0)
        return feed(headers)

    server.answer("/feed.xml", feed)
    server.answer("/slow.xml", slow)
    server.reply("/article", 200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE.encode())
    server.fallback = lambda handler: send(handler, 500, b"broken", {"Content-Type": "text/plain"})
