"""How much of one story is analysed and shown: the ``[limits]`` in force.

Kept apart from ``story_analysis`` (which loads the analysers and their word
lists) so that every command can apply the config cheaply at start.
"""

from __future__ import annotations

from tui.config import LimitsConfig

_limits = LimitsConfig()


def configure(limits: LimitsConfig) -> None:
    """Apply the config's ``[limits]`` (the runtime does, once the config is read)."""
    global _limits
    _limits = limits


def limits() -> LimitsConfig:
    """The limits in force (defaults until ``configure``)."""
    return _limits


def cut_at(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its start, ended at a space if one is near."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ", max(0, limit - 200))
    return head[:space] if space > 0 else head


def clip(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its start cut at a word and
    ended with "…" (for a quoted sentence or a lead paragraph in an export).

    The cut falls at the last space before ``limit`` when that keeps at least half
    of it (else mid-word at ``limit``), and drops trailing punctuation that would
    read as the sentence's own ("…, …"). Callers fold whitespace first if they need to.
    """
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"
