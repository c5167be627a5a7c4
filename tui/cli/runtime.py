"""What every command shares: where the database and config are, and the debug switch."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tui.config import Config, config_path, load_config
from tui.store import Store, default_db_path
from tui.text_limits import configure as configure_limits


@dataclass(slots=True)
class Runtime:
    """Resolved global options; opens the store and config lazily."""

    db_path: Path = field(default_factory=default_db_path)
    config_file: Path = field(default_factory=config_path)
    debug: bool = False
    demo: bool = False
    _config: Config | None = None

    @property
    def config(self) -> Config:
        """The validated config (raises ``ConfigError`` with file:line: key)."""
        if self._config is None:
            self._config = load_config(self.config_file)
            configure_limits(self._config.limits)
        return self._config

    def open_store(self) -> Store:
        """Open the desk's database, subscribed to the feeds the config lists."""
        store = Store.open(self.db_path)
        feeds = self.config.feeds
        if feeds and not store.read_only:  # read-only: the desk says so; reading still works
            try:
                store.ensure_feeds(
                    (f.url, f.title, f.tags, {"full_text": f.full_text} if f.full_text else {})
                    for f in feeds
                )
            except BaseException:
                store.close()
                raise
        return store

    def use_throwaway_db(self) -> None:
        """Point at a fresh temporary database (``--demo``)."""
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-demo-"))
        self.db_path = folder / "demo.db"
