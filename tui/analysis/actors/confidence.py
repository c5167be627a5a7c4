"""How sure we are of each actor mention: a number from 0 to 1 the desk filters on.

A mention is as good as its evidence. A gazetteer or an organisation list names it
(about 0.95); a cue in or next to the name (a first name, a title, "Ministerio de",
"Inc.") types it (0.85); a guess from context (an article before it, a verb of
saying after it) is likelier right than wrong (0.6-0.7). A capitalised word with
nothing for it but its capital letter is a guess that fails on modern feed text
(brands, products, Title-Case headline words), so it stays below the default
threshold unless the story supports it: a line-up or a list of people, a
parenthesis after it ("Vieri (Inter)"), a verb of saying.

All mentions of one name share the confidence of the best-supported one (one sense
per story), as they share its kind.
"""

from __future__ import annotations

from collections import Counter

from tui.analysis.actors.candidates import Candidate
from tui.analysis.actors.classify import Story
from tui.analysis.lexicon import Lexicon

#: Confidence by the strength of the deciding evidence (see ``classify``).
_BY_STRENGTH = (0.3, 0.7, 0.85, 0.95)
#: Rules whose decisions are weaker than their strength says, measured as typed
#: precision on newswire: an article before a run of capitals ("the White Sox" but
#: also "the Fight"), an acronym inside a longer run, a run with nothing else for it.
_BY_RULE = {
    "article-before": 0.6,
    "L119": 0.6,
    "acronym-in-name": 0.55,
    "L113": 0.7,
    "multi": 0.6,
    "headline-town": 0.45,
    "place-led": 0.55,
    "camel": 0.45,
    "multi-sport": 0.7,
    "quoted": 0.3,
    "results": 0.75,
    "standings": 0.7,
    "default-sport": 0.6,
}
#: A lone unknown capitalised word with no evidence: kept, but not shown.
_BARE = 0.35
#: Two or three capitalised words typed a person by their shape alone, with nothing
#: in the story that treats them as one: on newswire about half are people.
_UNCONFIRMED = 0.45
#: The same word where the story supports it (see ``_supported``).
_SUPPORTED = 0.6


def assign(found: list[Candidate], sentences: list[list[str]], lex: Lexicon, story: Story) -> None:
    """Set ``confidence`` on every candidate, in place."""
    # How many forms each name takes in the story: a person named in full and then by
    # surname has two; a firm or a site repeated in full has one.
    forms = Counter(name for name, _ in {(c.name, c.text) for c in found})
    for c in found:
        rule = c.rule.split("+", 1)[0]
        if c.strength >= 2:
            c.confidence = _BY_STRENGTH[min(c.strength, 3)]
            if rule in _BY_RULE and c.strength == 2:
                c.confidence = max(_BY_RULE[rule], 0.7)
        elif rule == "default":
            if len(c.words) > 1:
                c.confidence = 0.3  # a run typed by nothing (often a headline fragment)
            else:
                words = sentences[c.sentence]
                c.confidence = _SUPPORTED if _supported(c, words, lex, story) else _BARE
        else:
            c.confidence = _BY_RULE.get(rule, _BY_STRENGTH[c.strength])
            words = sentences[c.sentence]
            if rule in _TABLES and not story.sporty and sum(_figure(w) for w in words) < 2:
                c.confidence = _BARE  # "Aged 91, one of ...": a figure, not a score
            elif (
                rule == "L119"
                and not story.sporty
                and len(c.words) == 1
                and c.words[0].endswith("s")
                and not c.words[0].isupper()
            ):
                c.confidence = _BARE  # "the Archives", "the Singers of ...": plural nouns
            elif rule == "L115" and _emphasis(c, words, lex):
                c.confidence = _BARE  # "secretly MARRIES comedian": a shouted word
            elif rule == "multi" and any(w.casefold() in story.lowercase for w in c.words):
                c.confidence = _BARE  # "Long Covid" where the story writes "long"
            elif rule == "multi" and not _person_like(c, words, lex, forms):
                c.confidence = _UNCONFIRMED  # "Kwikset Obsidian", "Wonderful Plants"
        if "+list" in c.rule:
            c.confidence = max(c.confidence, 0.6)  # listed with names typed by a cue
    best: dict[tuple[str, str], float] = {}
    for c in found:
        key = (c.name, c.kind)
        best[key] = max(best.get(key, 0.0), c.confidence)
    for c in found:
        c.confidence = best[(c.name, c.kind)]


#: Rules that read tables of results, which only sports stories have.
_TABLES = frozenset({"results", "standings"})


#: Words after a name within which a pronoun may refer back to it.
_PRONOUN_REACH = 12


def _person_like(c: Candidate, words: list[str], lex: Lexicon, forms: Counter[str]) -> bool:
    """Whether the story treats a run of capitalised words as a person: named again
    in another form (by surname), next to a verb of saying, an apposition of age, role or a
    relative pronoun ("Ana Ruiz, 41,", "Ana Ruiz, a lawyer", "Ana Ruiz (PP)"), or
    referred back to by a personal pronoun soon after."""
    if forms[c.name] > 1:
        return True
    n = len(words)
    nxt = words[c.last + 1].lower() if c.last + 1 < n else ""
    prev = words[c.first - 1].lower() if c.first else ""
    verbs = lex.sets["person_verbs"]
    if nxt in verbs or prev in verbs or nxt == "(":
        return True
    if nxt == "," and c.last + 2 < n:
        # An apposition or a list of names ("Ana Ruiz, 41,", "Ana Ruiz, a lawyer",
        # "Ana Ruiz, Luis Gil and ..."), unless what follows speaks of a thing
        # ("Torrente Digital, cuyo premio", "Kwikset Obsidian, which", "X, the app").
        after = words[c.last + 2].lower()
        if after in lex.sets["thing_relatives"]:
            return False
        if after in lex.sets["articles"] and c.last + 3 < n:
            return words[c.last + 3].lower() in lex.sets["roles"]
        return True
    pronouns = lex.sets["person_pronouns"]
    return any(w.lower() in pronouns for w in words[c.last + 1 : c.last + 1 + _PRONOUN_REACH])


def _emphasis(c: Candidate, words: list[str], lex: Lexicon) -> bool:
    """A long all-capitals word between two content words in lower case, as tabloid
    headlines shout a verb ("star secretly MARRIES comedian"); an acronym follows an
    article or a preposition, or opens the clause ("la CONFIEP", "de ASAJA en")."""
    if len(c.words) != 1 or len(c.words[0]) < 5 or c.first == 0 or c.last + 1 >= len(words):
        return False
    prev, nxt = words[c.first - 1], words[c.last + 1]
    small = lex.sets["function_words"] | lex.sets["particles"] | lex.sets["articles"]
    return (
        prev.isalpha()
        and prev.islower()
        and prev not in small
        and prev not in lex.sets["place_preps"]
        and nxt.isalpha()
        and nxt.islower()
    )


def _figure(word: str) -> bool:
    return word[:1].isdigit()


_OPEN = frozenset({"(", "["})


def _supported(c: Candidate, words: list[str], lex: Lexicon, story: Story) -> bool:
    """Whether the story supports a lone capitalised word as a name: a sports story
    (line-ups and scorers), a bracket after it ("Iturbe (7)", "Vieri (Inter)"), a
    list of names around it, or a verb of saying next to it ("said Drazek")."""
    if story.sporty:
        return True
    n = len(words)
    nxt = words[c.last + 1] if c.last + 1 < n else ""
    prev = words[c.first - 1].lower() if c.first else ""
    if nxt in _OPEN:
        return True
    verbs = lex.sets["person_verbs"]
    if prev in verbs or nxt.lower() in verbs:
        return True
    after = words[c.last + 2] if c.last + 2 < n else ""
    before = words[c.first - 2] if c.first >= 2 else ""
    listed_after = nxt in {",", ";"} or nxt.lower() in lex.sets["joiners"]
    listed_before = prev in {",", ";"} or prev in lex.sets["joiners"]
    return (listed_after and after[:1].isupper()) and (listed_before and before[:1].isupper())
