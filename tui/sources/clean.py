"""Make text from feeds and files safe to store and show.

Applied once, at the boundary where text enters newsdesk: terminal escape
sequences (CSI, OSC, DCS, ...), C0/C1 control characters and bidirectional
overrides are removed so that a hostile feed can neither drive the terminal nor
disguise text. Newlines survive (they separate paragraphs); tabs become spaces.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings
# terminated by BEL or ST, and two-byte escapes. Also their 8-bit C1 forms.
_ESCAPES_RE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[@-Z\\-_]"
    r"|\x1b",
    re.DOTALL,
)
# Controls, C1 included (U+009B is an 8-bit CSI); zero-width space and joiner, word
# joiner and invisible operators (they hide in text and break column alignment);
# bidirectional marks, embeddings, overrides and isolates; the BOM. (The zero-width
# NON-joiner U+200C stays: Persian and Indic spelling needs it.)
_CONTROLS_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b\u200d\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_SPACES = "\t\u00a0\u2000-\u200a\u202f\u205f\u3000"
# A run of two or more spaces, or one space that is not " ": what becomes " ".
# (A lone " " is left alone, which is the same and far cheaper.)
_SPACES_RE = re.compile(f"[ {_SPACES}]{{2,}}|[{_SPACES}]")
_BLANKS_RE = re.compile(r"\n\n\n+")


def clean_text(text: str) -> str:
    """Strip escapes and controls; normalise line ends and runs of spaces.

    Paragraphs (blank-line separated) are kept, with at most one blank line
    between them.

    Every feed entry passes through here, so each step is skipped when a cheap
    check shows it has nothing to do (most text has no controls, no carriage
    returns, no runs of spaces and is already NFC).
    """
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROLS_RE.search(text) is not None:  # every escape starts with a control
        text = _ESCAPES_RE.sub("", text)
        text = _CONTROLS_RE.sub("", text)
    if text.isascii():
        if "  " in text or "\t" in text:
            text = _SPACES_RE.sub(" ", text)
    else:
        text = _SPACES_RE.sub(" ", unicodedata.normalize("NFC", text))
    if "\n" in text:
        text = "\n".join(line.strip() for line in text.split("\n"))
        text = _BLANKS_RE.sub("\n\n", text)
    return text.strip()


MAX_TITLE_CHARS = 1000
"""A title longer than this is cut (a 10 MB title took 26 s to open)."""


def clip_title(title: str) -> str:
    """A title of at most ``MAX_TITLE_CHARS``, ending with "…" when cut."""
    if len(title) <= MAX_TITLE_CHARS:
        return title
    return title[: MAX_TITLE_CHARS - 1].rstrip() + "…"


def clean_line(text: str) -> str:
    """``clean_text`` folded onto one line (titles, authors, tags)."""
    if text.isascii() and text.isprintable():  # nothing for clean_text to do but fold
        return " ".join(text.split())
    return " ".join(clean_text(text).split())
