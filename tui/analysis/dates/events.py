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
from dataclasses import dataclass

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
    return _EventRules(named, common, frozenset(normalise(h) for h in heads), antecedent)


def _trim_links(g: Grammar, phrase: str) -> str:
    links = {normalise(x) for x in g.events.get("name_links", [])}
    words = phrase.split()
    while words and normalise(words[-1]) in links:
        words.pop()
    return " ".join(words)


def _named_events(g: Grammar, rules: _EventRules, text: str, sentence: Sentence):  # type: ignore[no-untyped-def]
    for m in rules.named.finditer(text, sentence.start, sentence.end):
        words = m.group().split()
        keys = [normalise(w) for w in words]
        hits = [i for i, k in enumerate(keys) if k in rules.heads]
        if not hits:
            continue
        first = 0
        # A capitalised sentence opener is not part of the name ("Alistan Reunión...").
        if m.start() == sentence.start and hits[0] > 0 and g.events.get("head_first", False):
            first = hits[0]
        if g.events.get("head_first", False) and hits[0] > first:
            first = hits[0]
        leading = {
            normalise(x)
            for x in (*g.events.get("determiners", []), *g.events.get("name_links", []))
        }
        while first < len(words) - 1 and normalise(words[first]) in leading:
            first += 1  # "The G20 Summit": the article is no part of the name
        phrase = _trim_links(g, " ".join(words[first:]))
        if len(phrase.split()) < 2:
            continue  # a lone capitalised noun is a sentence opener, not a name
        start = m.start() + m.group().find(words[first])
        yield start, start + len(phrase), phrase, True, ""


def _common_events(rules: _EventRules, text: str, sentence: Sentence):  # type: ignore[no-untyped-def]
    for m in rules.common.finditer(text, sentence.start, sentence.end):
        yield m.start(), m.end(), " ".join(m.group().split()), False, (m.group("det") or "")


def find_event(g: Grammar, text: str, sentence: Sentence, start: int, end: int) -> str:
    """The event phrase of the date at ``[start, end)`` in ``sentence``, or ``""``."""
    if not g.events.get("heads"):
        return ""
    rules = _rules(g)
    best: tuple[int, int, int, str, str] | None = None
    for s, e, phrase, named, det in (
        *_named_events(g, rules, text, sentence),
        *_common_events(rules, text, sentence),
    ):
        if s < end and e > start:
            continue
        distance = s - end if s >= end else start - e
        if distance > _MAX_DISTANCE:
            continue
        score = distance + (0 if named else _COMMON_PENALTY)
        if best is None or score < best[0]:
            best = (score, s, e, phrase, det)
    if best is None:
        return ""
    _, s, _, phrase, det = best
    relatives: dict[str, str] = g.events.get("relatives", {})
    if det and normalise(det) in relatives:
        return _with_antecedent(g, rules, text, sentence, s, phrase, det, relatives)
    return phrase


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
    owner = " ".join(x for x in (m.group("art") or "", m.group("np")) if x)
    of = str(g.events.get("of", ""))
    result = " ".join(x for x in (article, body, of, owner) if x)
    for old, new in g.events.get("contractions", {}).items():
        result = re.sub(rf"\b{re.escape(old)}\b", new, result)
    return result
