"""Cues around a candidate name: the words and figures next to it that say what it is.

Each helper reads the sentence's words around a candidate and answers one question
(is this a results line, a market table, a dateline, a place or organisation noun
before it?); ``classify`` decides in which order the answers count.
"""

from __future__ import annotations

import re

from tui.analysis.actors.candidates import Candidate, is_cap
from tui.analysis.lexicon import Lexicon

_SCORE = re.compile(r"\d{1,3}(?:-\d{1,2})?$")
#: Marks that may follow a score (the words are ``score_followers`` in the data).
_SCORE_AFTER = frozenset({"", "-", ",", ";", "(", ")", "."})


def results_line(c: Candidate, words: list[str], lex: Lexicon, commas: bool = True) -> bool:
    """A name in a line of results or standings: it opens the line or follows a
    score, and a score follows it, then a break or more figures ("Bristol 28",
    "Ulsan 1 0 2 8 9", "Surrey 429-7 (C. Lewis 80)"). Towns there are teams, even
    where the part of the story that says which sport is far away. ``commas`` also
    takes "Gales, 0 - Brasil, 3", which line-ups share ("11 - Tayfun Korkut, 9 -
    Hakan Sukur"): only for known places."""
    n = len(words)
    nxt = words[c.last + 1] if c.last + 1 < n else ""
    k = c.last + 1
    if commas and nxt == "," and k + 1 < n and _SCORE.match(words[k + 1]):
        # "Gales, 0 - Brasil, 3 (0-0)": a score after a comma, then the other side
        return k + 2 >= n or words[k + 2] in {"-", "("}
    if not _SCORE.match(nxt):
        return False
    after = words[c.last + 2] if c.last + 2 < n else ""
    if (
        after not in _SCORE_AFTER
        and after not in lex.sets["score_followers"]
        and not after.isdigit()
        and not scored_opponent(words, c.last + 2)
    ):
        return False
    if after == "-" and words[c.last + 3 : c.last + 5] == [words[c.last + 3], "-"]:
        return False  # bowling figures "10-0-41-2", not a score ("Kent 108-3" is one)
    if c.first == 0:
        return True
    prev = words[c.first - 1]
    return prev in {",", ";", "-"} or (prev.isdigit() and len(prev) <= 3)


def scored_opponent(words: list[str], k: int) -> bool:
    """Whether a name of up to three words and its score start at ``k``
    ("... 2 Chonbuk 1", "... 25 West Hartlepool 20")."""
    end = k
    while end < len(words) and end - k < 3 and is_cap(words[end]):
        end += 1
    return end > k and end < len(words) and _SCORE.match(words[end]) is not None


_DECIMAL = re.compile(r"[+-]?\d+[.,]\d+$")


def quote_line(words: list[str], last: int) -> bool:
    """A name followed by a price and its change, as in market tables ("Jazztel 28,00
    - 6,00", "Astra 2,52 -3,0", "Siderca 1,67 +0"): a listed company."""
    n = len(words)
    if last + 2 >= n or not _DECIMAL.match(words[last + 1]):
        return False
    after = words[last + 2]
    if after in {"-", "+"}:
        return last + 3 < n and words[last + 3][:1].isdigit()
    return after[:1] in {"-", "+"} and after[1:2].isdigit()


def org_noun_before(words: list[str], first: int, lex: Lexicon) -> bool:
    """An organisation noun a few words before the name, with only modifiers between:
    "la empresa de telefonía móvil Amena", "el banco de negocios Paribas", "los
    fabricantes de teléfonos Motorola", "el grupo chiíta Hizbulá". A verb or a
    function word between ("la empresa contrató a ...") breaks the link."""
    k = first - 1
    nouns = lex.sets["org_context"]
    if k < 0 or words[k] in lex.sets["place_of"] or words[k] in lex.sets["articles"]:
        return False  # "el equipo de Scariolo": whose team, not which
    for _ in range(4):
        if k < 1:
            return False
        w = words[k]
        if not w.isalpha() or not w.islower() or w in lex.sets["not_names"]:
            if w not in lex.sets["place_of"] and w not in lex.sets["articles"]:
                return False
        elif w.endswith(lex.verb_suffixes) and w not in lex.sets["demonyms"]:
            return False
        k -= 1
        if words[k] in nouns:
            return True
    return False


def place_context(words: list[str], first: int, lex: Lexicon) -> int:
    """The token of a common noun of places that introduces the name ("el estadio
    Bentegodi", "la isla de Sicilia", "el departamento sureño de Nariño", "the town
    of Tavildara"), or -1."""
    nouns = lex.sets["place_context"]
    k = first - 1
    if k < 0:
        return -1
    if words[k] in nouns:
        return k
    if words[k] not in lex.sets["place_of"]:
        return -1
    k -= 1
    for _ in range(3):  # up to two adjectives: "estado occidental indio de"
        if k < 0 or not words[k].isalpha() or not words[k].islower():
            return -1
        if words[k] in nouns:
            return k
        k -= 1
    return -1


def dateline_end(words: list[str], lex: Lexicon) -> int:
    """Last token of the place of a dateline that opens the sentence ("Sao Paulo
    (Brasil), 23 may", "Madrid, 23 may"), or -1 when the sentence has none."""
    k = 0
    n = len(words)
    if not n or not is_cap(words[0]) or words[0].lower() in lex.sets["not_names"]:
        return -1
    while k < n and k < 6 and (is_cap(words[k]) or words[k] in lex.sets["particles"]):
        k += 1
    end = k - 1
    if k + 2 < n and words[k] == "(" and is_cap(words[k + 1]):
        k += 1
        while k < n and k < 12 and is_cap(words[k]):
            k += 1
        if k >= n or words[k] != ")":
            return -1
        end = k - 1
        k += 1
    if k + 2 < n and words[k] == "," and words[k + 1].isdigit() and words[k + 2][:1].isalpha():
        return end  # a day and a month; "Yeltsin, 65, has" is an age
    return -1


def verb_opener(word: str, nxt: str, lex: Lexicon, capitalised: frozenset[str]) -> bool:
    """A clause-opening word that is a verb, not a name: a verbal ending and a
    lower-case word that follows verbs ("Coinciden en", "Acuerdan que", "Says the"),
    and never capitalised elsewhere in the story."""
    key = word.casefold()
    if nxt not in lex.sets["verb_followers"] or key in capitalised:
        return False
    if key in lex.first_names or key in lex.places or key in lex.sets["surnames"]:
        return False
    low = word.lower()
    return any(low.endswith(s) for s in lex.verb_suffixes if len(low) > len(s) + 2)
