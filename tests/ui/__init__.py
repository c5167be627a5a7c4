"""Tests of the desk as a user drives it: Pilot, SVG snapshots, a real terminal."""
