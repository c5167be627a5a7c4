"""Tests of the Textual-free core, one folder per area."""
