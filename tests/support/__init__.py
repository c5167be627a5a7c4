"""What the tests share, defined once: imported as ``tests.support.<module>``.

``paths`` (the repository, fixtures, golden files and the ``../shared`` data),
``pilot`` (``settle``: waiting for the desk's workers), ``desk`` (building the desk
under test, its notices, a small news site for it), ``analyses`` (hand-made
analyses), ``http_server`` (the loopback HTTP server), ``processes`` (newsdesk as
a process, terminal-safe output, process trees), ``terminal`` (a real terminal via
tmux), ``postgres`` (a throw-away PostgreSQL server). Fixtures built from them are
in ``tests/conftest.py``.
"""
