"""Commitments: who agreed, promised, decided or is bound to do what.

``find_commitments`` applies the per-language rules of ``data/<lang>/commitments.toml``
(see ``lexicon``) sentence by sentence: only sentences that contain a trigger are
looked at closely. The committing actor is found in the text itself (``subjects``),
so the step works even when the actors step found nothing; ``result.actors`` only
adds canonical names.
"""

from __future__ import annotations

from tui.analysis.commitments.detect import find_commitments

__all__ = ["find_commitments"]
