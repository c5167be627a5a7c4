"""The committed action as a span of text: where its clause ends.

The action is the clause after the trigger, short. Numbers keep their separators
("20.000 pisos", "$0.30", "1,5 millones") and a quotation the action opens is part
of it ('una "revolución verde" en el transporte'): neither ends the clause.
"""

from __future__ import annotations

import re

from tui.analysis.commitments.lexicon import Lexicon

_ACTION_WORDS = 12
#: Where an action's clause ends. A point or comma between digits ("20.000 pisos",
#: "$0.30", "1,5 millones") and a colon in a time ("10:30") are part of a number.
_CLAUSE_END = re.compile(r"[;!?]|(?<!\d):|:(?!\d)|\.(?!\d)|,[\s\"”»']|\s[-–—]{1,2}\s|[\"”»]\s")
_OPENING_QUOTES = "“«"


def action_text(lex: Lexicon, text: str, start: int, end: int) -> str:
    """What was committed: the clause after the trigger, without relative-clause
    insertions ("el Grupo ..., cuya próxima reunión ..., debe seguir ..."), short."""
    rest = text[start:end].strip()
    rest = lex.action_lead.sub("", rest)
    for m in reversed(list(lex.relative_clause.finditer(rest))):
        after = m.end() + 1 if rest[m.end() : m.end() + 1] == "," else m.end()
        rest = rest[: m.start()] + rest[after:]
    cut = clause_end(rest)
    if cut > 0:
        rest = rest[:cut]
    words = rest.split()
    return " ".join(words[:_ACTION_WORDS]).strip(" \"'“”«»")


def open_quote(prefix: str) -> int:
    """Offset of the quotation mark that opens a quotation still open at the end of
    ``prefix`` (-1: none is open)."""
    curly = max(prefix.rfind(q) for q in _OPENING_QUOTES)
    if curly >= 0 and not any(q in prefix[curly:] for q in "”»"):
        return curly
    if prefix.count('"') % 2 == 1:
        return prefix.rfind('"')
    return -1


def clause_end(rest: str) -> int:
    """Where the action's clause ends (-1: it runs to the end). Punctuation inside a
    quotation the action itself opened ('una "revolución verde" en', "«paz, pan y
    trabajo»") does not end it: quoted material is part of the action."""
    for m in _CLAUSE_END.finditer(rest):
        before = rest[: m.start()]
        straight_open = before.count('"') % 2 == 1
        curly_open = sum(before.count(q) for q in _OPENING_QUOTES) > sum(
            before.count(q) for q in "”»"
        )
        if straight_open or curly_open:
            continue
        return m.start()
    return -1
