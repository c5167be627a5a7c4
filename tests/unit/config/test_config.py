"""Config: defaults when missing, typed settings, and one-line errors naming file, line, key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import ConfigError, load_config, save_setting


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert config.feeds == ()
    assert config.refresh.concurrency == 16 and config.refresh.per_host == 6
    assert config.theme == "textual-dark"


def test_full_config_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
theme = "nord"

[refresh]
concurrency = 8
per_host = 1
read_timeout = 5.5

[keys]
"desk.next_unread" = "n,ctrl+n"

[export]
path = "~/exports/desk.md"

[[feeds]]
url = "https://example.org/feed.xml"
title = "Example"
tags = ["mexico", "security"]
full_text = true
""",
    )
    config = load_config(path)
    assert config.theme == "nord"
    assert (config.refresh.concurrency, config.refresh.per_host) == (8, 1)
    assert config.refresh.read_timeout == 5.5
    assert config.keys == {"desk.next_unread": "n,ctrl+n"}
    assert config.export_path == "~/exports/desk.md"
    [feed] = config.feeds
    assert (feed.url, feed.title, feed.tags, feed.full_text) == (
        "https://example.org/feed.xml", "Example", ("mexico", "security"), True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'theme = "x"\n[refresh]\nconcurrency = "many"\n',
            ":3: refresh.concurrency: expected a whole number",
        ),
        ('theme = "x"\nbogus = 1\n', ":2: bogus: unknown setting"),
        ("[refresh]\nper_host = 0\n", ":2: refresh.per_host: must be greater than zero"),
        ('[[feeds]]\ntitle = "no url"\n', "feeds[0].url: a feed needs a url"),
        (
            '[[feeds]]\nurl = "https://e.org/f"\nfull_text = "yes"\n',
            ":3: feeds[0].full_text: expected true or false",
        ),
        (
            '[keys]\n"desk.next_unread" = ""\n',
            ":2: keys.desk.next_unread: expected keys as a string",
        ),
        ("theme = \n", ":1: invalid TOML"),
        ('theme = "x"\n[keys]\n"desk.sav" = "S"\n', ":3: keys.desk.sav: unknown binding id"),
        (
            '[keys]\n"desk.up" = "k"\n"desk.save" = "j"\n',
            ":3: keys.desk.save: key 'j' is already bound to desk.down",
        ),
        (
            '[keys]\n"desk.quit" = "ctrl+p"\n',
            ":2: keys.desk.quit: key 'ctrl+p' is already bound to app.command_palette",
        ),
        (
            '[store]\nfetcher = "robot"\n',
            ':2: store.fetcher: \'robot\' is not a fetcher (expected "desk" or "team")',
        ),
        (
            '[[feeds]]\nurl = "https://e.org/f"\nrefresh_minutes = -5\n',
            ":3: feeds[0].refresh_minutes: must be 0 (off) or more",
        ),
    ],
)
def test_invalid_config_is_one_line_with_file_line_and_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_save_setting_keeps_comments_and_other_keys(tmp_path: Path) -> None:
    path = _write(tmp_path, '# my desk\ntheme = "nord"\n\n[refresh]\nconcurrency = 4\n')
    save_setting(path, "theme", "gruvbox")
    save_setting(path, "export.path", "/tmp/out.md")
    text = path.read_text(encoding="utf-8")
    assert "# my desk" in text
    config = load_config(path)
    assert (config.theme, config.refresh.concurrency, config.export_path) == (
        "gruvbox", 4, "/tmp/out.md",
    )  # fmt: skip


def test_store_table_chooses_a_shared_desk_and_who_signs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.runtime import Runtime

    path = tmp_path / "config.toml"
    path.write_text('[store]\nurl = "postgresql://ann:pw@db/news"\nuser = " ann "\n')
    config = load_config(path)
    assert (config.store_url, config.user) == ("postgresql://ann:pw@db/news", "ann")
    monkeypatch.delenv("NEWSDESK_DB")
    runtime = Runtime(config_file=path)
    assert runtime.target == "postgresql://ann:pw@db/news"
    assert runtime.target_label == "postgresql://ann:***@db/news"
    assert runtime.user == "ann"
    runtime.set_db(str(tmp_path / "mine.db"))  # --db wins over the config
    assert runtime.target == tmp_path / "mine.db"
    monkeypatch.setenv("NEWSDESK_DB", "postgresql://bob@db/other")
    assert Runtime(config_file=path).target == "postgresql://bob@db/other"
    path.write_text('[store]\nurll = "x"\n')
    with pytest.raises(ConfigError, match=r"config.toml:2: store.urll: unknown setting"):
        load_config(path)


def test_fetching_can_be_left_to_the_team_fetcher(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml").fetcher == "desk"
    path = _write(tmp_path, '[store]\nfetcher = "team"\n[[feeds]]\nurl = "https://e.org/f"\n'
                  "refresh_minutes = 0\n")  # fmt: skip
    config = load_config(path)
    assert (config.fetcher, config.feeds[0].refresh_minutes) == ("team", 0)
    path.write_text("[refresh]\ninterval_minutes = 0\n")  # 0 is "off", as the default
    assert load_config(path).refresh.interval_minutes == 0
