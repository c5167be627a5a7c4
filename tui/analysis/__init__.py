"""The analysis engine: actors, commitments and upcoming dates in a story.

Never imports Textual or the store: it is pure text in, ``Analysis`` out.
"""

from tui.analysis.model import Actor, Analysis, Commitment, DateMention
from tui.analysis.pipeline import ANALYSER_VERSION, analyze

__all__ = ["ANALYSER_VERSION", "Actor", "Analysis", "Commitment", "DateMention", "analyze"]
