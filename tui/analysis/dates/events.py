"""The event a sentence places at a date: "Reunión Ministerial de Seguridad".

Two kinds of phrase name an event: a capitalised name that contains an event
noun ("Reunión Ministerial de Seguridad", "G20 Summit") and a common noun
phrase headed by one ("la próxima reunión del Grupo de Implementación"). The
event nouns, determiners and linking words come from the language's data file;
the nearest phrase to the date wins, names before common nouns. A relative
possessive ("cuya próxima reunión", "whose next meeting") is rewritten with its
antecedent so that the event reads on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from tui.analysis.dates.grammar import Grammar, normalise
from tui.analysis.document import Sentence

_UPPER = "A-ZÁÉÍÓÚÜÑÀÈÌÒÙÇ"
_CAPWORD = rf"(?-i:[{_UPPER}][\w'’-]*)"
#: Beyond this many characters from the date, a phrase is about something else.
_MAX_DISTANCE = 140
#: Common noun phrases rank after names unless this much closer.
_COMMON_PENALTY = 45


@dataclass(frozen=True, slots=True)
class _EventRules:
    named: re.Pattern[str]
    common: re.Pattern[str]
    heads: frozenset[str]
    antecedent: re.Pattern[str]
    #: Words a name neither starts nor ends with ("The", "de").
    leading: frozenset[str]
    links: frozenset[str]
    head_first: bool
    #: Names of bodies built on an event noun ("Audiencia Nacional", "Conference Board").
    institutions: frozenset[str]


class EventPhrase(NamedTuple):
    """A phrase naming an event, its offsets and whether it is a capitalised name."""

    start: int
    end: int
    phrase: str
    named: bool
    determiner: str


def _alt(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


_CACHE: dict[str, _EventRules] = {}


def _rules(g: Grammar) -> _EventRules:
    cached = _CACHE.get(g.language)
    if cached is None:
        cached = _CACHE[g.language] = _compile(g)
    return cached


def _compile(g: Grammar) -> _EventRules:
    ev = g.events
    heads = [str(h) for h in ev.get("heads", [])]
    links = [str(x) for x in ev.get("name_links", [])]
    dets = [str(x) for x in ev.get("determiners", [])] + list(ev.get("relatives", {}))
    adjs = [str(x) for x in ev.get("adjectives", [])]
    of = [str(x) for x in ev.get("complement_links", [])]
    link_alt = _alt(links) or "(?!)"
    name = rf"{_CAPWORD}(?:\s+(?:(?:{link_alt})\s+)*{_CAPWORD})*"
    named = re.compile(rf"(?<!\w){name}", re.U)
    common = re.compile(
        rf"(?<!\w)(?:(?P<det>{_alt(dets) or '(?!)'})\s+)?"
        rf"(?:(?:{_alt(adjs) or '(?!)'})\s+)?"
        # Event nouns are common nouns: "March" the month is no "march".
        rf"(?P<head>(?-i:{_alt(heads) or '(?!)'}))"
        rf"(?:\s+(?:{_alt(of) or '(?!)'})\s+(?:{name}|(?!(?:{_alt(dets) or '(?!)'})\b)[^\W\d]\w*))?"
        rf"(?!\w)",
        re.I | re.U,
    )
    antecedent = re.compile(
        rf"(?:(?P<art>{_alt(dets) or '(?!)'})\s+)?(?P<np>{name})(?:\s+\w+)?\s*,\s*$", re.I | re.U
    )
    return _EventRules(
        named=named,
        common=common,
        heads=frozenset(normalise(h) for h in heads),
        antecedent=antecedent,
        leading=frozenset(normalise(x) for x in (*dets, *links)),
        links=frozenset(normalise(x) for x in (*links, *of)),
        head_first=bool(ev.get("head_first", False)),
        institutions=frozenset(normalise(str(x)) for x in ev.get("institutions", [])),
    )


def _named_events(rules: _EventRules, text: str, sentence: Sentence) -> Iterator[EventPhrase]:
    """Capitalised names that contain an event noun."""
    for m in rules.named.finditer(text, sentence.start, sentence.end):
        words = m.group().split()
        hits = [i for i, w in enumerate(words) if normalise(w) in rules.heads]
        if not hits:
            continue
        # Spanish names start with their noun: "Alistan Reunión..." drops the verb.
        first = hits[0] if rules.head_first else 0
        while first < len(words) - 1 and normalise(words[first]) in rules.leading:
            first += 1  # "The G20 Summit": the article is no part of the name
        last = len(words)
        while last > first and normalise(words[last - 1]) in rules.links:
            last -= 1
        if last - first < 2:
            continue  # a lone capitalised noun is a sentence opener, not a name
        phrase = " ".join(words[first:last])
        key = normalise(phrase)
        if any(key == body or key.startswith(body + " ") for body in rules.institutions):
            continue  # a body that meets, not a meeting ("Conferencia Episcopal Española")
        start = m.start() + m.group().find(words[first])
        yield EventPhrase(start, start + len(phrase), phrase, True, "")


def _common_events(rules: _EventRules, text: str, sentence: Sentence) -> Iterator[EventPhrase]:
    """Noun phrases headed by an event noun ("la próxima reunión del Grupo")."""
    for m in rules.common.finditer(text, sentence.start, sentence.end):
        phrase = " ".join(m.group().split())
        yield EventPhrase(m.start(), m.end(), phrase, False, m.group("det") or "")


def event_phrases(g: Grammar, text: str, sentence: Sentence) -> list[EventPhrase]:
    """Every phrase of ``sentence`` that names an event (found once per sentence)."""
    if not g.events.get("heads"):
        return []
    rules = _rules(g)
    return [*_named_events(rules, text, sentence), *_common_events(rules, text, sentence)]


def _before_date(rules: _EventRules, text: str, c: EventPhrase, start: int) -> EventPhrase | None:
    """A phrase that runs into the date ("a hearing on Oct. 12", "Conference on
    June 5") cut where the date begins; ``None`` when no event noun is left."""
    words = " ".join(text[c.start : start].split()).split()
    while words and normalise(words[-1]) in rules.links:
        words.pop()
    if not any(normalise(w) in rules.heads for w in words):
        return None
    phrase = " ".join(words)
    return EventPhrase(c.start, c.start + len(phrase), phrase, c.named, c.determiner)


def _is_name(c: EventPhrase, names: Sequence[tuple[int, int]]) -> bool:
    """Whether the phrase is (inside) the name of a person or an organisation."""
    return any(s <= c.start and c.end <= e for s, e in names)


def find_event(
    g: Grammar,
    text: str,
    sentence: Sentence,
    start: int,
    end: int,
    phrases: list[EventPhrase] | None = None,
    names: Sequence[tuple[int, int]] = (),
) -> str:
    """The event phrase of the date at ``[start, end)`` in ``sentence``, or ``""``.

    ``phrases`` are the sentence's ``event_phrases`` when the caller has them;
    ``names`` are spans of people and organisations the actor finder found: an
    event is what happens ("la próxima reunión del Grupo"), never a bare name
    ("Audiencia Nacional" is a court, though "audiencia" is a hearing).
    """
    if phrases is None:
        phrases = event_phrases(g, text, sentence)
    if not phrases:
        return ""
    rules = _rules(g)
    best: tuple[int, EventPhrase] | None = None
    for c in phrases:
        if c.start < end and c.end > start:
            trimmed = _before_date(rules, text, c, start) if c.start < start else None
            if trimmed is None:
                continue
            c = trimmed
        if c.named and _is_name(c, names):
            continue
        distance = c.start - end if c.start >= end else start - c.end
        if distance > _MAX_DISTANCE:
            continue
        score = distance + (0 if c.named else _COMMON_PENALTY)
        if best is None or score < best[0]:
            best = (score, c)
    if best is None:
        return ""
    c = best[1]
    relatives: dict[str, str] = g.events.get("relatives", {})
    if c.determiner and normalise(c.determiner) in relatives:
        return _with_antecedent(
            g, rules, text, sentence, c.start, c.phrase, c.determiner, relatives
        )
    return c.phrase


def _with_antecedent(
    g: Grammar,
    rules: _EventRules,
    text: str,
    sentence: Sentence,
    s: int,
    phrase: str,
    det: str,
    relatives: dict[str, str],
) -> str:
    """ "cuya próxima reunión" after "el Grupo X," reads "la próxima reunión del Grupo X"."""
    body = phrase[len(det) :].strip()
    article = relatives[normalise(det)]
    m = rules.antecedent.search(text[max(sentence.start, s - 120) : s])
    if not m:
        return f"{article} {body}"
    # "El Grupo X, cuya próxima reunión": "la próxima reunión del Grupo X".
    owner = " ".join(x for x in ((m.group("art") or "").lower(), m.group("np")) if x)
    of = str(g.events.get("of", ""))
    result = " ".join(x for x in (article, body, of, owner) if x)
    for old, new in g.events.get("contractions", {}).items():
        result = re.sub(rf"\b{re.escape(old)}\b", new, result)
    return result
