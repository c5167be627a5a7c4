"""Per-language date grammar, compiled once from ``data/<lang>/dates.toml``.

Every language rule lives in the data file: word lists (month names, weekdays,
relative words, numbers in words...) and regular-expression patterns that use
them through ``<<placeholders>>`` (``tui.analysis.data_loader.expand``). The code only knows the *meaning* of the named
groups a pattern captures (``day``, ``month``, ``shift``...), so adding a
language is adding a file. All patterns of a language are joined into one
alternation so that a text is scanned once, in C, by the ``re`` engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from tui.analysis import data_loader

#: Named groups a pattern may capture; the resolver gives each its meaning.
GROUPS = (
    "day",
    "month",
    "year",
    "year2",
    "yrel",
    "yshift",
    "yshift2",
    "sep",
    "weekday",
    "shift",
    "shift2",
    "unit",
    "unit2",
    "punit",
    "num",
    "dir",
    "dir2",
    "part",
    "quarter",
    "half",
    "nth",
    "season",
    "rel",
    "ref",
    "hour",
    "minute",
    "less",
    "ampm",
    "zone",
    "zone2",
    "zoneoff",
    "daypart",
    "clock",
    "holiday",
    "this",
)

_GROUP_NAME = re.compile(r"\(\?P<(\w+)>")
_GROUP = re.compile(r"\(\?P([<=])(\w+)(>|\))")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One surface pattern: what it means (``kind``) and its group names."""

    kind: str
    prefix: str
    #: Groups whose words must be capitalised in the text ("May", not "may").
    capitalised: frozenset[str] = frozenset()
    #: Groups that must not be capitalised inside a sentence (Spanish "Julio" is a name).
    lowercase: frozenset[str] = frozenset()
    #: Groups that are no date when they continue a capitalised name ("Arab Spring").
    name_part: frozenset[str] = frozenset()
    #: Words before a ``lowercase`` group that make its capital harmless ("en Marzo",
    #: "desde Febrero": people capitalise months; nobody lives "en Julio").
    capital_after: re.Pattern[str] | None = None
    #: (name in the compiled alternation, plain name) of each named group.
    groups: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Grammar:
    """A language's compiled date grammar and the word lists behind it."""

    language: str
    #: All patterns in one alternation, matched against ``fold(text)``.
    regex: re.Pattern[str]
    patterns: dict[str, Pattern]
    lists: dict[str, dict[str, Any]]
    cues: re.Pattern[str]
    merge_gap: re.Pattern[str]
    part_gap: re.Pattern[str]
    #: Words and marks that end a clause (a tense cue beyond them is weaker).
    clause_break: re.Pattern[str]
    settings: dict[str, Any]
    events: dict[str, Any]
    triggers: frozenset[str]
    #: Capitalised words a year may follow and still be a year ("Conference 2010").
    year_names: frozenset[str]
    #: A weekday mention that starts (``del jueves``) or is followed (``Thursday's``)
    #: by these is a noun's complement ("la marcha del jueves"), not the clause's time.
    weekday_noun_start: re.Pattern[str] | None = None
    weekday_noun_end: re.Pattern[str] | None = None

    def lookup(self, table: str, text: str) -> Any:
        """The value of ``text`` in word list ``table`` (case and spacing folded)."""
        return self.lists.get(table, {}).get(normalise(text))


#: Accented vowels folded away before matching ("proximo" reads as "próximo");
#: one character for one, so offsets do not move. "ñ" stays: "año" is no "ano".
FOLD = str.maketrans("áéíóúüàèìòùâêîôûäëïö", "aeiouuaeiouaeiouaeio")


def fold(text: str) -> str:
    """Lower-cased, accent-folded ``text`` of the same length (for matching)."""
    return text.lower().translate(FOLD)


def normalise(text: str) -> str:
    """Folded, single-spaced, without trailing dots: the key of word lists."""
    return " ".join(fold(text).replace("-", " ").split()).rstrip(".")


def _alternation(words: list[str]) -> str:
    forms: list[str] = []
    for word in sorted(words, key=len, reverse=True):
        word = fold(word)
        escaped = re.escape(word).replace(r"\ ", r"\s+").replace(" ", r"\s+")
        forms.append(escaped)
    return "(?:" + "|".join(forms) + ")"


def _expand(template: str, fragments: dict[str, str], lists: dict[str, dict[str, Any]]) -> str:
    def resolve(name: str, modifier: str | None) -> str:
        if modifier is not None:
            raise KeyError(f"placeholder <<{name}:{modifier}>>: date grammars take no modifiers")
        if name in fragments:
            return _expand(fragments[name], fragments, lists)
        if name in lists:
            return _alternation(list(lists[name]))
        raise KeyError(f"unknown placeholder <<{name}>> in date grammar")

    return data_loader.expand(template, resolve)


def _prefixed(regex: str, prefix: str) -> str:
    def rename(m: re.Match[str]) -> str:
        opener, name, closer = m.groups()
        if name not in GROUPS:
            raise KeyError(f"unknown group {name!r} in date grammar")
        return f"(?P{opener}{prefix}{name}{closer}"

    return _GROUP.sub(rename, regex)


def _words(raw: dict[str, Any]) -> dict[str, Any]:
    return {normalise(k): v for k, v in raw.items()}


def build(language: str, data: Mapping[str, Any]) -> Grammar:
    """Compile a grammar from parsed TOML ``data`` (exposed for tests)."""
    lists = {name: _words(table) for name, table in data.get("lists", {}).items()}
    # Placeholders keep the surface forms (with accents and dots), keyed as written.
    surface = {name: dict(table) for name, table in data.get("lists", {}).items()}
    fragments: dict[str, str] = dict(data.get("fragments", {}))
    alternatives: list[str] = []
    patterns: dict[str, Pattern] = {}
    for i, entry in enumerate(data.get("patterns", [])):
        name = f"p{i}"
        prefix = f"{name}_"
        expanded = _expand(entry["regex"], fragments, surface)
        body = _prefixed(expanded, prefix)
        # A date ends at a word boundary; "a principios de", "mid-" lead into one.
        # ("range_start": the pattern ends where a range goes on, "2024-2025").
        open_end = entry["kind"] in ("part", "weekof") or entry.get("range_start", False)
        tail = "" if open_end else r"(?![\w/]|-\w)"
        alternatives.append(f"(?P<{name}>{body}){tail}")
        patterns[name] = Pattern(
            kind=entry["kind"],
            prefix=prefix,
            capitalised=frozenset(entry.get("capitalised", [])),
            lowercase=frozenset(entry.get("lowercase", [])),
            name_part=frozenset(entry.get("name_part", [])),
            capital_after=re.compile(
                r"(?<!\w)(?:" + _expand(entry["capital_after"], fragments, surface) + r")\s+$",
                re.I,
            )
            if entry.get("capital_after")
            else None,
            groups=tuple((prefix + g, g) for g in dict.fromkeys(_GROUP_NAME.findall(expanded))),
        )
    # Patterns are written in lower case; accents are folded like the text.
    source = (r"(?<![\w/])(?:" + "|".join(alternatives) + ")").translate(FOLD)
    cue_data = data.get("cues", {})
    cue_parts = []
    for direction in ("future", "past", "present"):
        items = cue_data.get(direction, [])
        if items:
            body = "|".join(_expand(x, fragments, surface) for x in items)
            cue_parts.append(f"(?P<{direction}>{body})")
    # Cues are written in lower case and read lower-cased text: case-blind
    # matching (re.I) made them twice as slow.
    cues = re.compile(r"(?<!\w)(?:" + "|".join(cue_parts or ["(?!)"]) + r")(?!\w)")
    settings = dict(data.get("settings", {}))
    # Words at least one of which every pattern contains (digits aside): a
    # sentence is only scanned around them.
    trigger_words: set[str] = {normalise(w) for w in settings.get("trigger_words", [])}
    for name in settings.get("trigger_lists", []):
        for key in lists.get(name, {}):
            # The longest word (the last of equals: "end" in "the end of").
            words = key.split()
            trigger_words.add(max(reversed(words), key=len))
    return Grammar(
        language=language,
        regex=re.compile(source),
        patterns=patterns,
        lists=lists,
        cues=cues,
        merge_gap=re.compile(_expand(settings.get("merge_gap", r"\s*"), fragments, surface), re.I),
        clause_break=re.compile(
            _expand(settings.get("clause_break", "(?!)"), fragments, surface), re.I
        ),
        part_gap=re.compile(_expand(settings.get("part_gap", r"\s*"), fragments, surface), re.I),
        settings=settings,
        events=dict(data.get("events", {})),
        triggers=frozenset(trigger_words),
        year_names=frozenset(
            normalise(w)
            for w in (*settings.get("year_names", []), *data.get("events", {}).get("heads", []))
        ),
        weekday_noun_start=_optional(settings.get("weekday_noun_start")),
        weekday_noun_end=_optional(settings.get("weekday_noun_end")),
    )


def _optional(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.I) if pattern else None


#: How ambiguous expressions lean when no tense cue says: ``"news"`` reads them
#: the way news is written (a bare weekday is the last one, a bare month the
#: nearest); ``"future"`` the way a scheduling assistant (or Duckling) does: a
#: bare "Monday", "March" or "Christmas" is the next one, never today's.
Lean = Literal["news", "future"]
_LEAN_SETTINGS: dict[str, dict[str, Any]] = {
    "news": {},
    "future": {"default_direction": 1, "weekday_default": 1, "weekday_strict": True},
}


@lru_cache(maxsize=16)
def grammar_for(language: str, lean: Lean = "news") -> Grammar | None:
    """The compiled grammar of ``language``, or ``None`` when there is no data file.

    ``lean`` overlays the settings that decide the direction of a date without
    a tense cue (see ``Lean``); the patterns are shared with the news grammar.
    """
    if lean != "news":
        base = grammar_for(language)
        if base is None:
            return None
        return replace(base, settings={**base.settings, **_LEAN_SETTINGS[lean]})
    if not data_loader.has(language, "dates"):
        return None  # no grammar (or not a language code: never a path)
    return build(language, data_loader.table(language, "dates"))
