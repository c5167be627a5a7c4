"""Per-language commitment rules, loaded once from ``data/<lang>/commitments.toml``.

The rules are data, not code: triggers, frames, negation, hedge and condition
cues and the word lists used to find a subject all come from the TOML file, and
are compiled here into regular expressions once per language (``load`` is cached).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast, get_args

from tui.analysis import data_loader
from tui.analysis.model import CommitmentKind

_FLAGS = re.IGNORECASE | re.UNICODE
_KINDS: frozenset[str] = frozenset(get_args(CommitmentKind))


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger rule: a pattern whose group ``t`` is the trigger word(s)."""

    kind: CommitmentKind
    regex: re.Pattern[str]
    agent: bool = False
    negated: bool = False
    cancels: bool = False
    conditional: bool = False
    context: re.Pattern[str] | None = None
    #: Where the actor is: ``before`` the trigger (its subject), the ``main`` subject of
    #: the sentence (infinitive triggers), ``after`` a fronted "under the agreement",
    #: the ``possessive`` opening the trigger ("our commitment to"), or ``none``
    #: (impersonal "se acordó").
    subject: str = "before"
    #: Only in a headline (a line of its own without a full stop), where the
    #: historical present and "X to do" report commitments ("Boeing Pledges $1bn",
    #: "Airbus to Build Plant"), while in running text they are generic or promotional.
    headline: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled rules for one language."""

    language: str
    triggers: tuple[Trigger, ...]
    prefilter: re.Pattern[str]
    negation: re.Pattern[str]
    hedge: re.Pattern[str]
    govern: re.Pattern[str]
    forecasters: re.Pattern[str]
    condition_after: re.Pattern[str]
    reader: re.Pattern[str]
    inverted: re.Pattern[str]
    question: re.Pattern[str]
    passive: re.Pattern[str]
    completed: re.Pattern[str]
    condition_before: re.Pattern[str]
    capacity: re.Pattern[str]
    past_anchor: re.Pattern[str]
    relative_clause: re.Pattern[str]
    impersonal: re.Pattern[str]
    conditional_form: re.Pattern[str]
    action_lead: re.Pattern[str]
    clause_split: re.Pattern[str]
    head_first: bool
    pro_drop: bool
    possessive: frozenset[str]
    impersonal_word: str
    finite_verb: re.Pattern[str]
    first_person_verb: re.Pattern[str]
    say: re.Pattern[str]
    determiners: frozenset[str]
    noun_markers: frozenset[str]
    links: frozenset[str]
    coordination: frozenset[str]
    skip: frozenset[str]
    stop: frozenset[str]
    intro: frozenset[str]
    prepositions: frozenset[str]
    time_words: frozenset[str]
    pronouns_singular: frozenset[str]
    pronouns_plural: frozenset[str]
    first_person: frozenset[str]
    relatives: frozenset[str]
    relatives_thing: frozenset[str]
    pronominal: tuple[str, ...]
    adverb: re.Pattern[str]
    agents: frozenset[str]
    nonagents: frozenset[str]
    plural_suffixes: tuple[str, ...]
    #: Pronouns that stand for an organisation in either number ("it", "they").
    neuter_pronouns: frozenset[str]
    #: A verb contracted onto the end of an actor ("I’m" -> "I"), cut off.
    contraction: re.Pattern[str]
    #: Some trigger applies only to headlines: those are checked without the prefilter.
    headline_triggers: bool = False

    @property
    def pronouns(self) -> frozenset[str]:
        """Every subject pronoun (singular or plural)."""
        return self.pronouns_singular | self.pronouns_plural


_CVC = re.compile(r"[^aeiou]*[aeiou][bdgmnprt]")


def _ing(item: str) -> str:
    """The -ing form of a list item whose first word is a plain English verb ("hold
    talks" -> "holding talks", "cut" -> "cutting", "invite" -> "inviting"), so that a
    list of base forms also serves the progressive ("will be holding talks")."""
    word, sep, rest = item.partition(" ")
    if not word.isalpha():
        return item
    if word.endswith("ie"):
        stem = word[:-2] + "y"
    elif word.endswith("e") and not word.endswith(("ee", "ye", "oe")):
        stem = word[:-1]
    elif _CVC.fullmatch(word) and len(word) <= 4:
        stem = word + word[-1]
    else:
        stem = word
    return stem + "ing" + sep + rest


def _expand(pattern: str, lists: dict[str, list[str]]) -> str:
    """``<<NAME>>`` is the list NAME; ``<<NAME:ing>>`` its English -ing forms."""

    def resolve(name: str, modifier: str | None) -> str:
        if name not in lists:
            raise KeyError(f"unknown placeholder <<{name}>> in commitment rules")
        items = lists[name]
        if modifier == "ing":
            items = [_ing(item) for item in items]
        elif modifier is not None:
            raise KeyError(f"unknown placeholder modifier <<{name}:{modifier}>>")
        # Longest first so that alternation prefers "lay off" over "lay".
        return "(?:" + "|".join(sorted(items, key=len, reverse=True)) + ")"

    return data_loader.expand(pattern, resolve)


def _words(data: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.get(key, []))


def _kind(value: str) -> CommitmentKind:
    if value not in _KINDS:
        raise ValueError(f"unknown commitment kind {value!r}")
    return cast(CommitmentKind, value)


def available(language: str) -> bool:
    """True when rules exist for ``language``."""
    return data_loader.has(language, "commitments")


@lru_cache(maxsize=8)
def load(language: str) -> Lexicon:
    """Compile the rules of ``language`` (cached: built once per process)."""
    if not available(language):
        raise KeyError(f"no commitment rules for language {language!r}")
    data = data_loader.table(language, "commitments")
    lists: dict[str, list[str]] = {k: [str(v) for v in vs] for k, vs in data["lists"].items()}
    triggers = []
    for item in data["trigger"]:
        source = _expand(item["pattern"], lists)
        context = item.get("context")
        triggers.append(
            Trigger(
                kind=_kind(item["kind"]),
                regex=re.compile(source, _FLAGS),
                agent=bool(item.get("agent", False)),
                negated=bool(item.get("negated", False)),
                cancels=bool(item.get("cancels", False)),
                conditional=bool(item.get("conditional", False)),
                context=re.compile(_expand(context, lists), _FLAGS) if context else None,
                subject=str(item.get("subject", "before")),
                headline=bool(item.get("headline", False)),
            )
        )
    # The prefilter only needs to say "some trigger may be here": word beginnings and
    # endings from the data, one cheap regex instead of every trigger pattern.
    stems = sorted((re.escape(str(w)) for w in data["prefilter"]["stems"]), key=len, reverse=True)
    endings = [re.escape(str(w)) for w in data["prefilter"].get("endings", [])]
    parts = [r"\b(?:" + "|".join(stems) + ")"]
    if endings:
        parts.append("(?:" + "|".join(endings) + r")\b")
    prefilter = re.compile("|".join(parts), _FLAGS)
    cues = data["cues"]
    subject = data["subject"]
    return Lexicon(
        language=language,
        triggers=tuple(triggers),
        prefilter=prefilter,
        negation=re.compile(cues["negation"], _FLAGS),
        hedge=re.compile(cues["hedge"], _FLAGS),
        govern=re.compile(cues["govern"], _FLAGS),
        forecasters=re.compile(cues["forecasters"], _FLAGS),
        condition_after=re.compile(cues["condition_after"], _FLAGS),
        reader=re.compile(cues["reader"], _FLAGS),
        inverted=re.compile(cues["inverted"], _FLAGS),
        question=re.compile(cues["question"], _FLAGS),
        passive=re.compile(cues["passive"], _FLAGS),
        completed=re.compile(cues["completed"], _FLAGS),
        condition_before=re.compile(cues["condition_before"], _FLAGS),
        capacity=re.compile(cues["capacity"], _FLAGS),
        past_anchor=re.compile(cues["past_anchor"], _FLAGS),
        relative_clause=re.compile(cues["relative_clause"], _FLAGS),
        impersonal=re.compile(cues["impersonal"], _FLAGS),
        conditional_form=re.compile(cues["conditional_form"], _FLAGS),
        action_lead=re.compile(cues["action_lead"], _FLAGS),
        clause_split=re.compile(cues["clause_split"], _FLAGS),
        head_first=subject["head"] == "first",
        pro_drop=bool(subject["pro_drop"]),
        possessive=_words(subject, "possessive"),
        impersonal_word=str(subject.get("impersonal_word", "")).lower(),
        finite_verb=re.compile(data["discourse"]["finite_verb"], _FLAGS),
        first_person_verb=re.compile(data["discourse"]["first_person_verb"], _FLAGS),
        say=re.compile(data["discourse"]["say"], _FLAGS),
        determiners=_words(subject, "determiners"),
        noun_markers=_words(subject, "noun_markers"),
        links=_words(subject, "links"),
        coordination=_words(subject, "coordination"),
        skip=_words(subject, "skip"),
        stop=_words(subject, "stop"),
        intro=_words(subject, "intro"),
        prepositions=_words(subject, "prepositions"),
        time_words=_words(subject, "time_words"),
        pronouns_singular=_words(subject, "pronouns_singular"),
        pronouns_plural=_words(subject, "pronouns_plural"),
        first_person=_words(subject, "first_person"),
        relatives=_words(subject, "relatives"),
        relatives_thing=_words(subject, "relatives_thing"),
        pronominal=tuple(str(w).lower() for w in subject.get("pronominal", [])),
        adverb=re.compile(subject["adverb"], _FLAGS),
        agents=_words(subject, "agents"),
        nonagents=_words(subject, "nonagents"),
        plural_suffixes=tuple(str(s) for s in subject.get("verb_plural_suffixes", [])),
        headline_triggers=any(t.headline for t in triggers),
        neuter_pronouns=_words(subject, "neuter_pronouns"),
        contraction=_contraction(subject.get("contraction_endings", [])),
    )


def _contraction(endings: list[str]) -> re.Pattern[str]:
    if not endings:
        return re.compile("(?!)")
    forms = "|".join(sorted(map(re.escape, endings), key=len, reverse=True))
    return re.compile(rf"(?<=\w)['’](?:{forms})$", re.IGNORECASE)
