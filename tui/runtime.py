"""What every command shares: where the database and config are, and the debug switch."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tui.config import Config, config_path, load_config
from tui.store import Store, default_db_path
from tui.store.database import ENV_DB, env_db_url
from tui.store.opening import describe_target, open_store
from tui.store.users import default_user
from tui.text_limits import configure as configure_limits


@dataclass(slots=True)
class Runtime:
    """Resolved global options; opens the store and config lazily."""

    db_path: Path = field(default_factory=default_db_path)
    #: a ``postgresql://`` URL from ``--db`` or ``$NEWSDESK_DB`` (wins over ``db_path``)
    db_url: str | None = field(default_factory=env_db_url)
    #: ``--db`` was given: the config's ``[store] url`` does not apply
    db_chosen: bool = False
    config_file: Path = field(default_factory=config_path)
    debug: bool = False
    demo: bool = False
    #: ``--today``: the desk's clock for this run (else the config's ``today``).
    today_option: dt.date | None = None
    _config: Config | None = None

    @property
    def today(self) -> dt.date | None:
        """The day the desk counts "upcoming" from, when set (``--today``, then config)."""
        return self.today_option or self.config.today

    @property
    def config(self) -> Config:
        """The validated config (raises ``ConfigError`` with file:line: key)."""
        if self._config is None:
            self._config = load_config(self.config_file)
            configure_limits(self._config.limits)
        return self._config

    def set_db(self, target: str) -> None:
        """``--db``: a SQLite file path or a ``postgresql://`` URL."""
        from tui.store.urls import is_postgres_url

        self.db_chosen = True
        if is_postgres_url(target):
            self.db_url = target
        else:
            self.db_url = None
            self.db_path = Path(target).expanduser()

    @property
    def target(self) -> str | Path:
        """Where the desk lives: ``--db``, else ``$NEWSDESK_DB``, else ``[store] url``, else the file."""
        if self.db_url:
            return self.db_url
        if self.db_chosen or os.environ.get(ENV_DB):
            return self.db_path
        return self.config.store_url or self.db_path

    @property
    def target_label(self) -> str:
        """``target`` as it may be printed (a URL's password removed)."""
        return describe_target(self.target)

    @property
    def user(self) -> str:
        """Who is at this desk: ``[store] user``, else ``$NEWSDESK_USER``, else the login name."""
        return self.config.user or default_user()

    def open_store(self) -> Store:
        """Open the desk's database, subscribed to the feeds the config lists."""
        store = open_store(self.target, user=self.user)
        day = self.today
        if day is not None:
            store.clock = lambda: day
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

    def load_demo(self) -> None:
        """Fill the throw-away database with the samples, for ``--demo`` with a command.

        The desk's clock becomes the day after the newest sample (unless ``--today``
        says otherwise), so that ``newsdesk --demo agenda --format ics`` has entries.
        """
        from tui.samples import demo_today, load_samples

        with Store.open(self.db_path) as store:
            load_samples(store)
            if self.today_option is None:
                self.today_option = demo_today(store)

    def use_throwaway_db(self) -> None:
        """Point at a fresh temporary database (``--demo``)."""
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-demo-"))
        self.db_path = folder / "demo.db"
        self.db_url = None
        self.db_chosen = True
