"""Actors: people, organisations and places named in a story.

``find_actors`` runs four steps over the shared ``Document``: candidates (runs of
capitalised words, ``candidates``), trimming (sentence openers, roles), typing
(``classify``) and story-level grouping of aliases (``aliases``). Word lists come
from ``tui.analysis.lexicon`` (data files per language).
"""

from tui.analysis.actors.finder import find_actors

__all__ = ["find_actors"]
