"""Sentence and token boundaries for news text.

News text breaks naive splitters in predictable ways: dotted abbreviations
("EE.UU.", "U.S.", "D.C.", "a.m."), titles ("Sr.", "Dr."), initials ("George W.
Bush"), datelines ("La Coruña, 23 may (EFE).- El ..."), quotes around whole
sentences and headlines with no full stop. The rules here are general; the
per-language abbreviation lists live in ``data/<lang>/abbreviations.txt``.

Lines: a blank line always ends a sentence; a single newline does too, unless the
next line starts in lower case (a hard-wrapped paragraph), so a headline line
without a full stop is a sentence of its own.
"""

from __future__ import annotations

import re

from tui.analysis.document import Document, Sentence, Token
from tui.analysis.lexicon import abbreviations

_WORD_CHARS = r"[^\W_]"
# Order matters: dotted abbreviations first, then numbers, then words, then one mark.
_TOKEN_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]"  # URLs
    r"|[^\W_]+(?:[.-][^\W_]+)*\.(?:com|net|org|gov|edu|info|es|mx)\b"  # Wappup.com
    r"|[A-Z]{2,}(?:/[A-Z]{2,})+\b"  # PSE/EE
    r"|(?:[^\W\d_]{1,3}\.){2,}"  # EE.UU.  U.S.  D.C.  a.m.  S.A.  EE. (part of "EE. UU.")
    r"|\d+(?:[.,:/]\d+)*"  # 1.500,25  10:30  23/01
    r"|(?:[cdjlmnstCDJLMNST]|[Qq]u)['’](?=[^\W\d_])"  # French/Italian elision: l'ONU
    rf"|{_WORD_CHARS}+(?:-{_WORD_CHARS}+|['’](?!s\b){_WORD_CHARS}+)*"  # words, O'Brien
    r"|['’]s\b"  # English possessive, a token of its own
    r"|\.{3}|[^\w\s]",  # ellipsis or one mark
)
# A candidate end of sentence: final marks, closing quotes/brackets, an optional
# dateline dash (".-"), then space.
_END_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?:\s*[-–—]+(?=\s))?\s+|\n")
_OPENERS = "\"'“‘«(¿¡[-–—"
_WORD_RE = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?$")


def tokenize(text: str, start: int, end: int, language: str = "en") -> tuple[Token, ...]:
    """Tokens of ``text[start:end]`` with absolute offsets.

    A word followed by a full stop keeps the stop when it is a known abbreviation
    of ``language`` ("Sr.", "Gen.", "No.") or a single capital initial ("W.").
    """
    abbrevs = abbreviations(language)
    out: list[Token] = []
    append = out.append
    last_end, last_text = -1, ""
    for m in _TOKEN_RE.finditer(text, start, end):
        s = m.start()
        if s < last_end:
            continue  # the stop already taken by an abbreviation
        e = m.end()
        word = m.group()
        if (
            e < end
            and text[e] == "."
            and word[-1] != "."
            and word[0].isalpha()
            and ((len(word) == 1 and word.isupper()) or word.lower() in abbrevs)
        ):
            e += 1
            word += "."
        elif word == "." and s == last_end and last_text[-1:] == ".":
            continue  # "EE.UU.." : one stop is enough
        append(Token(s, e, word))
        last_end, last_text = e, word
    return tuple(out)


def _abbreviation_kind(text: str, dot: int, language: str) -> str:
    """What the word ending in the full stop at ``dot`` is: "dotted" ("EE.UU.",
    "a.m."), "abbreviation" ("Sr.", an initial "W.") or "" (an ordinary word)."""
    i = dot
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in _OPENERS:
        i -= 1
    word = text[i : dot + 1]
    if not _WORD_RE.match(word):
        return ""
    core = word[:-1]
    if "." in core:
        return "dotted"
    if (len(core) == 1 and core.isupper()) or core.lower() in abbreviations(language):
        return "abbreviation"
    return ""


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether the text at ``pos`` (after space) can open a sentence."""
    while pos < len(text) and text[pos] in _OPENERS:
        pos += 1
    if pos >= len(text):
        return False
    ch = text[pos]
    return ch.isupper() or ch.isdigit()


_CLEAR_OPENERS = frozenset(
    "el la los las un una en por para pero the a an in on but this it he she they we "
    "le les il elle o os as um uma der die das ein eine il lo gli".split()
)


def sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, without tokenising (exports quote sentences)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END_RE.finditer(text):
        gap = m.group()
        nxt = m.end()
        if gap == "\n":
            # A single newline: a boundary unless the next line continues in lower case.
            if nxt < len(text) and text[nxt].islower():
                continue
            spans.append((start, m.start()))
            start = nxt
            continue
        if "\n" not in gap and not _starts_sentence(text, nxt):
            continue  # "dijo. luego": no capital after the stop
        marks = gap.rstrip()
        if gap[0] == "." and len(marks) == 1 and "\n" not in gap:
            kind = _abbreviation_kind(text, m.start(), language)
            if kind == "abbreviation":
                continue
            if kind == "dotted":
                # "EE.UU. El presidente" ends a sentence; "U.S. Department" does not.
                following = text[nxt : nxt + 16].split(None, 1)
                if not following or following[0].lower() not in _CLEAR_OPENERS:
                    continue
        spans.append((start, m.start() + len(marks)))
        start = nxt
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def segment(text: str, language: str) -> Document:
    """Split ``text`` into sentences and tokens."""
    sentences = tuple(
        Sentence(i, s, e, tokenize(text, s, e, language))
        for i, (s, e) in enumerate(sentence_spans(text, language))
    )
    return Document(text=text, language=language, sentences=sentences)
