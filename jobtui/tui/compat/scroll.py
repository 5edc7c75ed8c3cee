"""Growing a scroll view without re-laying-out the screen.

``Widget.virtual_size`` is a layout reactive: assigning it re-arranges the
whole screen and composites a second frame. A log view whose own box does not
change when lines arrive only needs its scroll bars updated.

Relies on (Textual 8.2.8): ``ScrollView._scroll_update(virtual_size)``, which
refreshes the scroll bars and asks for a layout itself only when a bar has to
appear or vanish. Fallback: the plain assignment (one layout per growth).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget

from jobtui.tui import compat


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Set ``view.virtual_size`` to ``size``, quietly when the private path allows."""
    update = getattr(view, "_scroll_update", None)
    if not compat.enabled() or update is None or not view.container_size:
        view.virtual_size = size
        return
    view.set_reactive(Widget.virtual_size, size)
    update(size)
