"""Scorers for ``tui.analysis.evaluate``, one module per kind of annotation."""
