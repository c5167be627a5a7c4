"""Sentence and token boundaries for news text.

A first, simple segmenter: paragraphs (blank-line or newline separated) are split
at sentence-final punctuation followed by whitespace and an upper-case letter,
except after known abbreviations. The actors issue refines it.
"""

from __future__ import annotations

import re

from tui.analysis.document import Document, Sentence, Token

_TOKEN_RE = re.compile(
    r"(?:[A-ZÁÉÍÓÚÑ]\.){2,}|\w+(?:[-'’.]\w+)*|[^\w\s]", re.UNICODE
)
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"'”»)]*\s+(?=[\"'“«(¿¡]?[A-ZÁÉÍÓÚÑ0-9])|\n+")
_ABBREVIATIONS = frozenset(
    "sr sra srta dr dra lic ing mr mrs ms prof gen gral st no núm art etc vs jr".split()
)


def tokenize(text: str, start: int, end: int) -> tuple[Token, ...]:
    """Tokens of ``text[start:end]`` with absolute offsets."""
    return tuple(
        Token(m.start(), m.end(), m.group())
        for m in _TOKEN_RE.finditer(text, start, end)
    )


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        before = text[start : m.start()].rsplit(None, 1)
        last_word = before[-1].lower().rstrip(".") if before else ""
        if "\n" not in m.group() and last_word in _ABBREVIATIONS:
            continue
        end = m.start() + len(m.group().rstrip())
        spans.append((start, end))
        start = m.end()
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
        Sentence(i, s, e, tokenize(text, s, e))
        for i, (s, e) in enumerate(_sentence_spans(text))
    )
    return Document(text=text, language=language, sentences=sentences)
