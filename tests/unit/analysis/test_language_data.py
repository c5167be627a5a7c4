"""Every language folder loads and checks; a broken file fails with its name and key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tui.analysis import data_loader
from tui.analysis.commitments.lexicon import load as load_commitments
from tui.analysis.data_loader import DataError, check_folder, expand, languages, load_table
from tui.analysis.dates.grammar import build, grammar_for
from tui.analysis.lexicon import load_lexicon
from tui.readable_dates import words_for

FOLDERS = [data_loader.COMMON, *languages()]


def test_the_languages_with_data() -> None:
    assert {"en", "es", "de", "fr", "it", "pt"} <= set(languages())
    assert data_loader.COMMON not in languages()


@pytest.mark.parametrize("name", FOLDERS)
def test_every_file_of_every_language_folder_checks(name: str) -> None:
    path = data_loader.folder(name)
    assert path is not None
    checked = check_folder(path)
    assert "abbreviations.txt" in checked and "actors.toml" in checked
    assert all(f.name in checked for f in path.iterdir() if f.suffix in (".toml", ".txt"))


@pytest.mark.parametrize("name", languages())
def test_every_language_builds_its_rules(name: str) -> None:
    lex = load_lexicon(name)
    assert lex.sets["articles"], name
    assert words_for(name).months
    if data_loader.has(name, "dates"):
        grammar = grammar_for(name)
        assert grammar is not None and grammar.patterns
    if data_loader.has(name, "commitments"):
        assert load_commitments(name).triggers


def test_one_placeholder_syntax_in_every_data_file() -> None:
    """``<<name>>`` everywhere; ``{name}`` (the dates' old syntax) nowhere in a pattern."""
    old = re.compile(r"(?<![\\\w])\{[A-Za-z_]\w*\}")
    for path in sorted(data_loader.DATA.glob("*/*.toml")):
        lines = [x for x in path.read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
        assert not [x for x in lines if old.search(x)], path
    for lang in ("en", "es"):
        grammar = grammar_for(lang)
        assert grammar is not None and "<<" not in grammar.regex.pattern
        assert all("<<" not in t.regex.pattern for t in load_commitments(lang).triggers)


def test_tables_are_read_once_and_shared() -> None:
    assert data_loader.table("en", "dates") is data_loader.table("en", "dates")
    assert data_loader.word_list("en", "stopwords") is data_loader.word_list("en", "stopwords")
    assert data_loader.table("xx", "dates") == {}
    assert data_loader.table("../en", "dates") == {}  # a language code is never a path
    assert data_loader.word_list("EN", "stopwords") == ()


def test_expand_replaces_names_and_modifiers() -> None:
    def resolve(name: str, modifier: str | None) -> str:
        return f"[{name}|{modifier}]"

    assert expand(r"a<<DET>>\s+<<VOL:ing>>{2,3}", resolve) == r"a[DET|None]\s+[VOL|ing]{2,3}"
    assert expand("no placeholders {1,2}", resolve) == "no placeholders {1,2}"


def _copy(tmp_path: Path, lang: str = "en") -> Path:
    source = data_loader.folder(lang)
    assert source is not None
    target = tmp_path / lang
    shutil.copytree(source, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "readable.toml",
            "months = [",
            "months = 3\nold_months = [",
            "months: expected a list, found a number",
        ),
        ("readable.toml", "[units]", "[unitz]", "units: missing"),
        ("actors.toml", "articles =", "articlez =", "articlez: unknown key"),
        (
            "commitments.toml",
            'kind = "agreement"',
            'kind = "wish"',
            "trigger[0].kind: 'wish' is not one of",
        ),
        (
            "commitments.toml",
            "[discourse]",
            "[discourse]\nsay_more = 1",
            "discourse.say_more: unknown key",
        ),
        (
            "dates.toml",
            "[settings]\n",
            "[settings]\ncue_reach_x = 1\n",
            "settings.cue_reach_x: unknown key",
        ),
        (
            "dates.toml",
            "[[patterns]]\n",
            "[[patterns]]\nregexp = 'x'\n",
            "patterns[0].regexp: unknown key",
        ),
        (
            "aliases.toml",
            "[place]",
            "[place]\nnowhere = 'x'",
            "place.nowhere: expected a list, found a string",
        ),
        ("dates.toml", "[settings]", "[settings\n", "not valid TOML"),
    ],
)
def test_a_broken_file_fails_with_its_name_and_key(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    folder = _copy(tmp_path)
    _edit(folder / file, old, new)
    with pytest.raises(DataError) as caught:
        check_folder(folder)
    text = str(caught.value)
    assert text.startswith(f"{folder / file}: "), text
    assert message in text
    assert "\n" not in text


def test_a_missing_required_key_is_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "es")
    path = folder / "commitments.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^negation = .*$", "", text, count=1), encoding="utf-8")
    with pytest.raises(DataError, match=r"commitments\.toml: cues\.negation: missing"):
        load_table(path, "commitments")


def test_an_unknown_file_kind_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "de")
    (folder / "actor.toml").write_text("articles = []\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"actor\.toml: unknown data file"):
        check_folder(folder)


def test_an_unknown_placeholder_names_itself() -> None:
    data = dict(data_loader.table("en", "dates"))
    data["patterns"] = [{"kind": "date", "regex": "<<monthz>>"}]
    with pytest.raises(KeyError, match="<<monthz>>"):
        build("en", data)
