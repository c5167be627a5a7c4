"""The desk's logic without Textual.

``service.DeskService`` is what the desk screen asks and paints: the view and
filter, the story pages (``pager`` reads them, ``window`` holds what the list
paints), triage and the undo stack (``undo``, writes in key order with
``sequencer``), the counts snapshot (``snapshot``), the actor list, and which
story a key acts on (``targets``). Every method of it that calls the store runs
in a worker thread; the screen (``tui.screens.desk``) applies the results on the
UI thread. Also here: where ``n`` goes (``navigation``), the views and the words
that describe them (``views``), the key bindings (``keys``), plain error words
(``messages``) and how a link is opened (``browser``). Each is plain Python with
plain unit tests. The desk itself is started by ``tui.app.run_desk``.
"""
