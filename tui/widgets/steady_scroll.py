"""Scrollbars that are repainted when what they show changes, not at every layout pass.

Textual (8.x) hands a ``ScrollView`` the size of its region as its virtual size
at every layout pass; that never equals the view's own virtual size (a million
rows, or an option list's height), so every pass re-measured and repainted its
scrollbars: 2-4 ms per scrollbar per frame at 160x50, the largest single cost of
the frame that shows an opened story (issue 17). ``SteadyScrollbars`` lets a pass
through only when the size, the container, the view's own virtual size, which
scrollbars are shown or the styles that place them changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.geometry import Size

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView

    _Base = ScrollView
else:  # a plain mixin: Textual takes CSS, component classes and type names from the
    _Base = object  # first base that is a widget, which must stay the widget's own base


class SteadyScrollbars(_Base):
    """Mixin for a ``ScrollView`` (listed first among the bases): its scrollbars are only
    updated when their inputs change."""

    _scrollbar_inputs: tuple[Any, ...] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        styles = self.styles
        inputs = (
            size,
            container_size,
            self.virtual_size,
            # a scrollbar that just appeared or went changes the gutter, so the container
            # the view measures itself against: one more pass, as Textual does it
            self.show_vertical_scrollbar,
            self.show_horizontal_scrollbar,
            styles.overflow_x,
            styles.overflow_y,
            styles.scrollbar_size_vertical,
            styles.scrollbar_size_horizontal,
            styles.scrollbar_gutter,
        )
        if inputs == self._scrollbar_inputs:
            return False  # nothing a scrollbar shows has changed: no repaint, no resize
        self._scrollbar_inputs = inputs
        return super()._size_updated(size, virtual_size, container_size, layout)
