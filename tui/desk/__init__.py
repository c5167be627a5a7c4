"""The desk's logic without Textual.

The package holds what the desk screen decides but does not draw: which stories
a key acts on (``targets``), where ``n`` goes (``navigation``), the views and
the words that describe them (``views``), the story pager (``pager``), and how
a link is opened (``browser``). Each is plain Python with plain unit tests;
``tui.screens.desk`` calls them and renders what they return. The desk itself
is started by ``tui.app.run_desk``.
"""
