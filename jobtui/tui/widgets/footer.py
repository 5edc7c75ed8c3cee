"""A Footer that does not leak its old keys.

Textual 8.2.8's ``Footer`` recomposes on every bindings change (each focus
move) and binds every new ``FooterKey`` to ``Footer.compact`` with
``data_bind``. That registers a watcher on the footer which Textual prunes only
when ``compact`` itself changes, so every key ever shown stays referenced: a
monitor left running for days grew by hundreds of MB (found by the 10,000-refresh
soak). After each recompose this subclass drops the watchers of closed widgets.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class LeanFooter(Footer):
    """``Footer`` with its data-binding watchers pruned after each recompose."""

    async def recompose(self) -> None:
        await super().recompose()
        self.prune_watchers()

    def prune_watchers(self) -> int:
        """Forget watchers whose widget has been removed; return how many were dropped."""
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, "__watchers", {})
        dropped = 0
        for entries in watchers.values():
            alive = [(node, cb) for node, cb in entries if not (node._closing or node._closed)]
            dropped += len(entries) - len(alive)
            entries[:] = alive
        return dropped
