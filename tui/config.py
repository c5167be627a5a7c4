"""User configuration: one TOML file, validated into typed settings.

A missing file means defaults. Anything invalid stops with one ``ConfigError``
line naming the file, the line and the key, because a desk that silently
ignores a typo in a key binding is worse than one that refuses to start.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
import tomlkit

from tui.desk.keys import key_problems
from tui.timex import parse_today

APP_NAME = "newsdesk"
ENV_CONFIG = "NEWSDESK_CONFIG"
DEFAULT_THEME = "textual-dark"
#: Actor mentions below this confidence are not highlighted, listed or exported (the
#: same value as ``tui.analysis.model.DEFAULT_MIN_CONFIDENCE``; not imported from there
#: because importing the analysis package loads the engine).
DEFAULT_MIN_CONFIDENCE = 0.5


# Numbers past this are typos (or attempts to make a limit unbounded), not settings.
_MAX_NUMBER = 10**12
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
# Theme names are identifiers (textual-dark, nord, ...): never markup or escapes.
_THEME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Limits with a sane upper bound: a 1e9-second timeout disables the timeout.
_REFRESH_MAXIMA: dict[str, float] = {
    "concurrency": 256,
    "per_host": 64,
    "connect_timeout": 600,
    "read_timeout": 600,
    "total_timeout": 3600,
    "deadline": 86_400,
    "max_bytes": 1024**3,
    "interval_minutes": 7 * 24 * 60,
}


class ConfigError(ValueError):
    """An invalid configuration file; ``str()`` is one line: ``file:line: key: problem``."""


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """A feed listed in the config file (synchronised into the store at start)."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    full_text: bool = False
    refresh_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class RefreshConfig:
    """How feeds are fetched."""

    concurrency: int = 16
    # Requests a host gets at once at most (and at the start of a refresh); fewer
    # after a 429/503 or slow answers, growing back while it answers quickly.
    per_host: int = 6
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    interval_minutes: int = 0
    # A whole refresh stops starting requests after this many seconds; what is
    # left is reported as not fetched, never waited for.
    deadline: float = 300.0


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """How much of one story is analysed and shown (a 19 MB text froze the desk).

    Analysis is linear in text size, but a few seconds per megabyte is still
    too long to wait for one story; what is cut is said where it is shown.
    """

    analysis_chars: int = 50_000
    display_chars: int = 60_000


@dataclass(frozen=True, slots=True)
class RetentionConfig:
    """How long stories are kept (a rule left out: no limit). Saved, tagged and noted stories stay."""

    days: int = 0
    per_source: int = 0

    @property
    def active(self) -> bool:
        """Whether any rule is set."""
        return self.days > 0 or self.per_source > 0


@dataclass(frozen=True, slots=True)
class Config:
    """All settings; ``path`` is where they were (or would be) read from."""

    path: Path
    theme: str = DEFAULT_THEME
    feeds: tuple[FeedConfig, ...] = ()
    refresh: RefreshConfig = field(default_factory=RefreshConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    keys: dict[str, str] = field(default_factory=dict)
    export_path: str = ""
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    #: The desk's clock (``today = "2021-10-06"``): review an old desk as of that
    #: day; unset, the real date. ``--today`` overrides it.
    today: dt.date | None = None
    browser: str = ""
    """Command that opens a link (``firefox %s``); empty means ``$BROWSER``, then the system's."""
    #: ``[store] url``: a ``postgresql://`` URL for a shared desk ("" = the SQLite file)
    store_url: str = ""
    #: ``[store] user``: who signs tags and notes on a shared desk ("" = the login name)
    user: str = ""
    #: ``[store] fetcher``: who fetches the feeds of this database: ``"desk"`` (each desk,
    #: on ``r`` and on its timer) or ``"team"`` (only ``newsdesk fetch --every``; desks show
    #: what it brings and ``r`` says when it last ran)
    fetcher: str = "desk"
    limits: LimitsConfig = field(default_factory=LimitsConfig)


def config_path() -> Path:
    """``$NEWSDESK_CONFIG`` if set, else ``config.toml`` in the platform config dir."""
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def _line_of(text: str, key: str, table: str | None = None) -> int:
    """Best-effort line number of ``key`` (inside ``[table]`` when given)."""
    lines = text.splitlines()
    start = 0
    if table:
        header = re.compile(rf"^\s*\[+\s*{re.escape(table)}\s*\]+")
        for i, line in enumerate(lines):
            if header.match(line):
                start = i
                break
    key_re = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for i in range(start, len(lines)):
        if key_re.match(lines[i]):
            return i + 1
    return start + 1 if table else 1


class _Checker:
    """Type checks that report ``file:line: key: problem``."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def fail(self, key: str, problem: str, table: str | None = None, item: str = "") -> ConfigError:
        line = _line_of(self.text, key, table)
        return ConfigError(f"{self.path}:{line}: {item or key}: {problem}")

    def get(
        self, data: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any,
        table: str | None = None, item: str = "", *, zero: bool = False,
    ) -> Any:  # fmt: skip
        """``data[key]`` checked to be of ``kind``; numbers must be positive (or 0 when
        ``zero``: the "off" of an interval)."""
        if key not in data:
            return default
        value = data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(key, f"expected {_names(kinds)}, got a boolean", table, item)
        if not isinstance(value, kinds):
            raise self.fail(
                key, f"expected {_names(kinds)}, got {type(value).__name__}", table, item
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(key, f"must be a finite number, not {value}", table, item)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if zero and value < 0:
                raise self.fail(key, "must be 0 (off) or more", table, item)
            if not zero and value <= 0:
                raise self.fail(key, "must be greater than zero", table, item)
        if isinstance(value, int) and not isinstance(value, bool) and value > _MAX_NUMBER:
            raise self.fail(key, f"is too large (at most {_MAX_NUMBER})", table, item)
        if isinstance(value, str) and _CONTROL_RE.search(value):
            raise self.fail(key, "contains control characters", table, item)
        return value


def _names(kinds: tuple[type, ...]) -> str:
    words = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
             list: "a list", dict: "a table"}  # fmt: skip
    return " or ".join(words.get(k, k.__name__) for k in kinds)


_TOP_KEYS = {
    "theme",
    "feeds",
    "refresh",
    "keys",
    "export",
    "analysis",
    "today",
    "browser",
    "store",
    "retention",
    "limits",
}
_STORE_KEYS = {"url", "user", "fetcher"}
FETCHERS = ("desk", "team")
_LIMIT_MAXIMA = {"analysis_chars": 50_000_000, "display_chars": 50_000_000}
_FEED_KEYS = {"url", "title", "tags", "full_text", "refresh_minutes"}


def _feed_url_problem(url: str) -> str:
    """Why ``url`` cannot be a feed (only http(s) with a host), or ``""``."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError:
        return f"{url!r} is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{url!r} is not an http(s) URL"
    if not parts.hostname:
        return f"{url!r} has no host"
    return ""


def load_config(path: Path | None = None) -> Config:
    """Read and validate the config file; defaults when it does not exist."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = match.group(1) if match else "1"
        raise ConfigError(f"{path}:{line}: invalid TOML: {exc}") from exc
    check = _Checker(path, text)
    for key in data:
        if key not in _TOP_KEYS:
            raise check.fail(key, f"unknown setting (known: {', '.join(sorted(_TOP_KEYS))})")
    theme = check.get(data, "theme", str, DEFAULT_THEME)
    if not _THEME_RE.match(theme):
        raise check.fail("theme", f"{theme!r} is not a theme name (letters, digits, - and _)")
    refresh_data = check.get(data, "refresh", dict, {})
    defaults = RefreshConfig()
    refresh_kwargs: dict[str, Any] = {}
    for name in RefreshConfig.__dataclass_fields__:
        default = getattr(defaults, name)
        kind: tuple[type, ...] = (int, float) if isinstance(default, float) else (int,)
        if name in refresh_data:
            refresh_kwargs[name] = check.get(
                refresh_data, name, kind, default, "refresh", f"refresh.{name}",
                zero=name == "interval_minutes",
            )  # fmt: skip
            if refresh_kwargs[name] > _REFRESH_MAXIMA[name]:
                raise check.fail(
                    name,
                    f"is too large (at most {_REFRESH_MAXIMA[name]:g})",
                    "refresh",
                    f"refresh.{name}",
                )
    for key in refresh_data:
        if key not in RefreshConfig.__dataclass_fields__:
            raise check.fail(key, "unknown setting", "refresh", f"refresh.{key}")
    retention_data = check.get(data, "retention", dict, {})
    for key in retention_data:
        if key not in RetentionConfig.__dataclass_fields__:
            raise check.fail(key, "unknown setting", "retention", f"retention.{key}")
    retention = RetentionConfig(
        **{
            name: check.get(retention_data, name, int, 0, "retention", f"retention.{name}")
            for name in RetentionConfig.__dataclass_fields__
        }
    )
    limits_data = check.get(data, "limits", dict, {})
    limits_kwargs: dict[str, int] = {}
    for key in limits_data:
        if key not in _LIMIT_MAXIMA:
            raise check.fail(key, "unknown setting", "limits", f"limits.{key}")
        value = check.get(limits_data, key, int, 0, "limits", f"limits.{key}")
        if value > _LIMIT_MAXIMA[key]:
            raise check.fail(
                key, f"is too large (at most {_LIMIT_MAXIMA[key]})", "limits", f"limits.{key}"
            )
        limits_kwargs[key] = value
    keys = check.get(data, "keys", dict, {})
    for binding_id, spec in keys.items():
        if not isinstance(spec, str) or not spec.strip():
            raise check.fail(
                binding_id, "expected keys as a string like 'j,down'", "keys", f"keys.{binding_id}"
            )
    today_text = check.get(data, "today", (str, dt.date), "")
    today: dt.date | None = None
    if isinstance(today_text, dt.datetime):
        today = today_text.date()
    elif isinstance(today_text, dt.date):  # TOML's own date literal: today = 2021-10-06
        today = today_text
    elif today_text:
        try:
            today = parse_today(today_text)
        except ValueError:
            raise check.fail("today", "expected a date like '2021-10-06'") from None
    for clash in key_problems(keys):
        raise check.fail(clash.binding_id, clash.problem, "keys", f"keys.{clash.binding_id}")
    browser = check.get(data, "browser", str, "")
    export = check.get(data, "export", dict, {})
    export_path = check.get(export, "path", str, "", "export", "export.path")
    min_confidence = _min_confidence(check, check.get(data, "analysis", dict, {}))
    store = check.get(data, "store", dict, {})
    for key in store:
        if key not in _STORE_KEYS:
            raise check.fail(
                key, "unknown setting (known: url, user, fetcher)", "store", f"store.{key}"
            )
    store_url = check.get(store, "url", str, "", "store", "store.url")
    user = check.get(store, "user", str, "", "store", "store.user").strip()
    fetcher = check.get(store, "fetcher", str, "desk", "store", "store.fetcher").strip()
    if fetcher not in FETCHERS:
        raise check.fail(
            "fetcher",
            f'{fetcher!r} is not a fetcher (expected "desk" or "team")',
            "store",
            "store.fetcher",
        )
    feeds = []
    for index, feed in enumerate(check.get(data, "feeds", list, [])):
        item = f"feeds[{index}]"
        if not isinstance(feed, dict):
            raise check.fail("feeds", "each feed must be a table with a url", None, item)
        for key in feed:
            if key not in _FEED_KEYS:
                raise check.fail(key, "unknown feed setting", "feeds", f"{item}.{key}")
        url = check.get(feed, "url", str, "", "feeds", f"{item}.url")
        if not url:
            raise check.fail("feeds", "a feed needs a url", None, f"{item}.url")
        problem = _feed_url_problem(url)
        if problem:
            raise check.fail("url", problem, "feeds", f"{item}.url")
        tags = check.get(feed, "tags", list, [], "feeds", f"{item}.tags")
        if not all(isinstance(t, str) for t in tags):
            raise check.fail("tags", "tags must be strings", "feeds", f"{item}.tags")
        refresh_minutes = check.get(
            feed, "refresh_minutes", int, None, "feeds", f"{item}.refresh_minutes", zero=True
        )
        if refresh_minutes is not None and refresh_minutes > _REFRESH_MAXIMA["interval_minutes"]:
            raise check.fail(
                "refresh_minutes",
                f"is too large (at most {_REFRESH_MAXIMA['interval_minutes']:g})",
                "feeds",
                f"{item}.refresh_minutes",
            )
        feeds.append(
            FeedConfig(
                url=url,
                title=check.get(feed, "title", str, "", "feeds", f"{item}.title"),
                tags=tuple(tags),
                full_text=check.get(feed, "full_text", bool, False, "feeds", f"{item}.full_text"),
                refresh_minutes=refresh_minutes,
            )
        )
    return Config(
        path=path,
        theme=theme,
        feeds=tuple(feeds),
        refresh=RefreshConfig(**refresh_kwargs),
        retention=retention,
        keys=dict(keys),
        export_path=export_path,
        min_confidence=min_confidence,
        today=today,
        browser=browser,
        store_url=store_url,
        user=user,
        fetcher=fetcher,
        limits=LimitsConfig(**limits_kwargs),
    )


def _min_confidence(check: _Checker, analysis: dict[str, Any]) -> float:
    """``[analysis] min_confidence``: a number from 0 (show every mention) to 1."""
    for key in analysis:
        if key != "min_confidence":
            raise check.fail(key, "unknown setting", "analysis", f"analysis.{key}")
    value = analysis.get("min_confidence", DEFAULT_MIN_CONFIDENCE)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise check.fail(
            "min_confidence", "expected a number from 0 to 1", "analysis", "analysis.min_confidence"
        )
    if not 0 <= value <= 1:
        raise check.fail(
            "min_confidence", "must be from 0 to 1", "analysis", "analysis.min_confidence"
        )
    return float(value)


def save_setting(path: Path, dotted_key: str, value: str) -> None:
    """Set one value (``"theme"``, ``"export.path"``) keeping the file's comments."""
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        doc = tomlkit.document()
    *tables, key = dotted_key.split(".")
    node: Any = doc
    for table in tables:
        if table not in node:
            node[table] = tomlkit.table()
        node = node[table]
    node[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)
