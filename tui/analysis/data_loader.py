"""The one way into ``tui/analysis/data/``: find, read, check and cache language data.

A language's rules are files in ``data/<lang>/`` (``data/common/`` applies to every
language): word lists (``*.txt``, any number of words a line, ``#`` comments) and
TOML tables (``actors``, ``aliases``, ``commitments``, ``dates``, ``readable``).
Every reader goes through here, so there is one data folder, one file format per
kind, one placeholder syntax and one cache:

- ``table(folder, kind)`` parses ``<folder>/<kind>.toml`` once and checks it against
  the kind's schema (``SCHEMAS``); a broken file fails with one line naming the file
  and the key (``DataError``), not with a ``KeyError`` deep in a rule compiler.
- ``word_list(folder, name)`` reads ``<folder>/<name>.txt`` once.
- ``expand(template, resolve)`` replaces ``<<name>>`` and ``<<name:modifier>>``
  placeholders in a pattern: the only placeholder syntax of the data files (it
  cannot clash with a regular expression's ``{2,4}``).

Reading the data never imports the analysis engine (the desk's date labels read
``readable.toml`` before anything is analysed). Results are immutable and cached per
folder, so threads share one copy; the per-language rule builders cache what they
compile on top.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, get_args

#: The data folder inside the package (``tui/analysis/data``).
DATA = Path(__file__).resolve().parent / "data"
#: The folder whose files apply to every language.
COMMON = "common"

#: ``<<name>>`` or ``<<name:modifier>>`` inside a pattern.
PLACEHOLDER = re.compile(r"<<([A-Za-z_]\w*)(?::(\w+))?>>")


class DataError(ValueError):
    """A language data file that is missing, unreadable or not of its kind's shape.

    The message is one line: ``<file>: <key>: <what is wrong>``.
    """


def folder(name: str) -> Path | None:
    """``data/<name>/`` (a language code or ``common``), or ``None`` when there is none.

    Only plain names are looked up: a language code from a feed never becomes a path.
    """
    if not name.isalpha() or not name.islower():
        return None
    path = DATA / name
    return path if path.is_dir() else None


def languages() -> tuple[str, ...]:
    """Every language with a data folder (``common`` aside), sorted."""
    return tuple(
        sorted(
            p.name for p in DATA.iterdir() if p.is_dir() and p.name.isalpha() and p.name != COMMON
        )
    )


@lru_cache(maxsize=256)
def has(name: str, kind: str) -> bool:
    """Whether ``data/<name>/<kind>.toml`` exists (asked once per document: cached,
    the package's data does not change while it runs)."""
    path = folder(name)
    return path is not None and (path / f"{kind}.toml").is_file()


# -- word lists ------------------------------------------------------------------


def read_lines(path: Path) -> tuple[str, ...]:
    """The non-empty lines of a word-list file, ``#`` comments and spacing removed
    (an empty tuple when there is no such file)."""
    if not path.is_file():
        return ()
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(out)


@lru_cache(maxsize=128)
def word_list(name: str, list_name: str) -> tuple[str, ...]:
    """The lines of ``data/<name>/<list_name>.txt`` (empty when there is none)."""
    path = folder(name)
    return read_lines(path / f"{list_name}.txt") if path is not None else ()


# -- TOML tables and their schemas ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shape:
    """What one value must look like (a tiny schema: enough to name a wrong key)."""

    #: ``str``, ``int``, ``bool``, ``list``, ``table`` or ``any``.
    type: str
    #: For ``list``: the shape of each item. For ``table`` with free keys: each value's.
    item: Shape | None = None
    #: For ``table``: the known keys and their shapes.
    keys: Mapping[str, Shape] = field(default_factory=dict)
    #: For ``table``: keys that must be present.
    required: frozenset[str] = frozenset()
    #: For ``table``: whether keys other than ``keys`` are allowed (then shaped by ``item``).
    open: bool = False
    #: For ``list``: the exact length, when it has one (twelve months).
    length: int | None = None
    #: For ``str``: the allowed values, when they are few.
    choices: frozenset[str] = frozenset()


ANY = Shape("any")
STR = Shape("str")
INT = Shape("int")
BOOL = Shape("bool")
STRS = Shape("list", item=STR)


def _table(
    keys: Mapping[str, Shape] | None = None,
    *,
    required: tuple[str, ...] = (),
    item: Shape | None = None,
) -> Shape:
    return Shape(
        "table",
        keys=dict(keys or {}),
        required=frozenset(required),
        open=item is not None,
        item=item,
    )


def _words_table(words: tuple[str, ...]) -> Shape:
    """A table of word lists with exactly these (optional) keys."""
    return _table(dict.fromkeys(words, STRS))


def _commitment_kinds() -> frozenset[str]:
    """Kinds a trigger may have: the model's ``CommitmentKind`` (imported when a
    commitments file is checked, so reading date words stays cheap)."""
    from tui.analysis.model import CommitmentKind

    return frozenset(get_args(CommitmentKind))


_CUES = (
    "action_lead",
    "capacity",
    "clause_split",
    "completed",
    "condition_after",
    "condition_before",
    "conditional_form",
    "forecasters",
    "govern",
    "hedge",
    "impersonal",
    "inverted",
    "negation",
    "passive",
    "past_anchor",
    "question",
    "reader",
    "relative_clause",
)
_SUBJECT_WORDS = (
    "possessive",
    "determiners",
    "noun_markers",
    "links",
    "coordination",
    "skip",
    "stop",
    "intro",
    "prepositions",
    "time_words",
    "relatives",
    "relatives_thing",
    "pronominal",
    "first_person",
    "pronouns_singular",
    "pronouns_plural",
    "agents",
    "nonagents",
    "verb_plural_suffixes",
    "neuter_pronouns",
    "contraction_endings",
)


def _actors_shape() -> Shape:
    # The word classes are listed once, by the lexicon that reads them.
    from tui.analysis.lexicon import WORD_SETS

    return _words_table((*WORD_SETS, "verb_suffixes"))


SCHEMAS: dict[str, Callable[[], Shape]] = {
    "actors": _actors_shape,
    "aliases": lambda: _table(
        {kind: _table(item=STRS) for kind in ("person", "organization", "place")}
    ),
    "readable": lambda: _table(
        {
            "months": Shape("list", item=STR, length=12),
            "weekdays": Shape("list", item=STR, length=7),
            "nth": STRS,
            "seasons": _table(item=STR),
            "parts": _table(item=STR),
            "refs": _table(item=STR),
            "units": _table(item=Shape("list", item=STR, length=2)),
        },
        required=("months", "weekdays", "nth", "seasons", "parts", "refs", "units"),
    ),
    "commitments": lambda: _table(
        {
            "lists": _table(item=STRS),
            "prefilter": _table({"stems": STRS, "endings": STRS}, required=("stems",)),
            "trigger": Shape(
                "list",
                item=_table(
                    {
                        "kind": Shape("str", choices=_commitment_kinds()),
                        "pattern": STR,
                        "context": STR,
                        "subject": Shape(
                            "str",
                            choices=frozenset({"before", "main", "after", "possessive", "none"}),
                        ),
                        "agent": BOOL,
                        "negated": BOOL,
                        "cancels": BOOL,
                        "conditional": BOOL,
                        "headline": BOOL,
                    },
                    required=("kind", "pattern"),
                ),
            ),
            "cues": _table(dict.fromkeys(_CUES, STR), required=_CUES),
            "subject": _table(
                {
                    **dict.fromkeys(_SUBJECT_WORDS, STRS),
                    "head": Shape("str", choices=frozenset({"first", "last"})),
                    "pro_drop": BOOL,
                    "impersonal_word": STR,
                    "adverb": STR,
                },
                required=("head", "pro_drop", "adverb"),
            ),
            "discourse": _table(
                dict.fromkeys(("say", "first_person_verb", "finite_verb"), STR),
                required=("say", "first_person_verb", "finite_verb"),
            ),
        },
        required=("lists", "prefilter", "trigger", "cues", "subject", "discourse"),
    ),
    "dates": lambda: _table(
        {
            "settings": _table(
                {
                    "weekday_default": INT,
                    "weekday_strict": BOOL,
                    "default_direction": INT,
                    "cue_after_penalty": INT,
                    "cue_reach": INT,
                    "cue_close": INT,
                    "clause_penalty": INT,
                    "clause_break": STR,
                    "merge_gap": STR,
                    "part_gap": STR,
                    "year_names": STRS,
                    "trigger_lists": STRS,
                    "trigger_words": STRS,
                    "weekday_noun_start": STR,
                    "weekday_noun_end": STR,
                }
            ),
            # word -> value (a number, a code such as "SP", or a list of codes)
            "lists": _table(item=_table(item=ANY)),
            "fragments": _table(item=STR),
            "patterns": Shape(
                "list",
                item=_table(
                    {
                        "kind": STR,
                        "regex": STR,
                        "capitalised": STRS,
                        "lowercase": STRS,
                        "name_part": STRS,
                        "capital_after": STR,
                        "range_start": BOOL,
                    },
                    required=("kind", "regex"),
                ),
            ),
            "cues": _table({"future": STRS, "past": STRS, "present": STRS}),
            "events": _table(
                {
                    "head_first": BOOL,
                    "heads": STRS,
                    "institutions": STRS,
                    "name_links": STRS,
                    "determiners": STRS,
                    "adjectives": STRS,
                    "complement_links": STRS,
                    "relatives": _table(item=STR),
                    "of": STR,
                    "contractions": _table(item=STR),
                }
            ),
        },
        required=("lists", "patterns"),
    ),
}

_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "bool": (bool,),
    "list": (list,),
    "table": (dict,),
}


def _type_name(value: object) -> str:
    return {str: "a string", bool: "a boolean", int: "a number", float: "a number",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)  # fmt: skip


def check(shape: Shape, value: object, where: str, source: str) -> None:
    """Raise ``DataError`` (``source: where: problem``) unless ``value`` has ``shape``."""
    if shape.type == "any":
        return
    wanted = _PYTHON_TYPES[shape.type]
    if not isinstance(value, wanted) or (shape.type == "int" and isinstance(value, bool)):
        article = "an" if shape.type == "int" else "a"
        label = {"str": "string", "int": "integer", "bool": "boolean"}.get(shape.type, shape.type)
        raise DataError(f"{source}: {where}: expected {article} {label}, found {_type_name(value)}")
    if isinstance(value, str) and shape.choices and value not in shape.choices:
        raise DataError(
            f"{source}: {where}: {value!r} is not one of {', '.join(sorted(shape.choices))}"
        )
    if isinstance(value, list):
        if shape.length is not None and len(value) != shape.length:
            raise DataError(f"{source}: {where}: expected {shape.length} items, found {len(value)}")
        if shape.item is not None:
            for i, item in enumerate(value):
                check(shape.item, item, f"{where}[{i}]", source)
    if isinstance(value, dict):
        for key in sorted(shape.required - value.keys()):
            raise DataError(f"{source}: {_join(where, key)}: missing")
        for key, item in value.items():
            sub = _join(where, key)
            if key in shape.keys:
                check(shape.keys[key], item, sub, source)
            elif shape.open and shape.item is not None:
                check(shape.item, item, sub, source)
            else:
                raise DataError(f"{source}: {sub}: unknown key")


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(DATA.parent.parent.parent))
    except ValueError:
        return str(path)


def load_table(path: Path, kind: str) -> Mapping[str, Any]:
    """Parse and check one TOML file of ``kind`` (not cached: for tests and tools)."""
    source = _relative(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{source}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise DataError(f"{source}: cannot be read: {exc.strerror or exc}") from None
    check(SCHEMAS[kind](), data, "", source)
    return MappingProxyType(data)


@lru_cache(maxsize=64)
def table(name: str, kind: str) -> Mapping[str, Any]:
    """``data/<name>/<kind>.toml``, checked (an empty mapping when there is no such file).

    Cached per folder and kind. The mapping is read-only at the top; the rule builders
    copy what they keep.
    """
    if kind not in SCHEMAS:
        raise KeyError(f"no schema for data kind {kind!r}")
    path = folder(name)
    if path is None or not (path / f"{kind}.toml").is_file():
        return MappingProxyType({})
    return load_table(path / f"{kind}.toml", kind)


def check_folder(path: Path) -> list[str]:
    """Check every file of one data folder; the names of the files checked."""
    seen = []
    for file in sorted(path.iterdir()):
        if file.suffix == ".toml":
            if file.stem not in SCHEMAS:
                raise DataError(
                    f"{_relative(file)}: unknown data file (kinds: {', '.join(SCHEMAS)})"
                )
            load_table(file, file.stem)
        elif file.suffix == ".txt":
            read_lines(file)
        else:
            continue
        seen.append(file.name)
    return seen


# -- placeholders -------------------------------------------------------------------


def expand(template: str, resolve: Callable[[str, str | None], str]) -> str:
    """``template`` with each ``<<name>>`` / ``<<name:modifier>>`` replaced by
    ``resolve(name, modifier)`` (which raises ``KeyError`` for an unknown name)."""
    return PLACEHOLDER.sub(lambda m: resolve(m.group(1), m.group(2)), template)


def placeholders(template: str) -> list[str]:
    """The names used as placeholders in ``template``."""
    return [m.group(1) for m in PLACEHOLDER.finditer(template)]
