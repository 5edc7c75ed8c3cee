"""One always-visible line naming the active step filters."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.widgets import Static

from jobtui.api.catalog import host_status
from jobtui.api.filters import StepFilter
from jobtui.core.sanitize import safe_text
from jobtui.tui.keys import key_for

_ORDER = ("status", "tag", "batch", "ip", "keyword", "retry")
# The screen's action that edits each filter; its key is read from the bindings.
ACTIONS = {
    "status": "pick('status')",
    "tag": "pick('tag')",
    "batch": "pick('batch')",
    "ip": "pick('search_ip')",
    "keyword": "pick('keyword')",
    "retry": "pick('execute_count')",
    "clear": "clear_filters",
}


def describe(
    flt: StepFilter, *, ascii_only: bool = False, keys: Mapping[str, str] | None = None
) -> Content:
    """``status=Failed · tag=… · batch=all`` with the key that changes each."""
    active = flt.active
    if flt.statuses:
        active["status"] = ",".join(host_status(code).label for code in flt.statuses)
    if flt.tag == "":
        active["tag"] = "(empty)"
    sep = " |" if ascii_only else " ·"
    parts: list[str | tuple[str, str]] = [("Filters ", "bold")]
    if not active:
        parts.append(("none", "$foreground-muted"))
    for name in _ORDER:
        if name in active:
            parts += [f" {name}=", (safe_text(active[name], max_len=40), "bold $accent"), sep]
    if active:
        parts.pop()
        if keys and keys.get("clear"):
            parts.append((f"   {keys['clear']} clears", "$foreground-muted"))
    elif keys:
        hints = " ".join(f"{keys[name]} {name}" for name in _ORDER if keys.get(name))
        parts.append((f"   {hints}", "$foreground-muted"))
    return Content.assemble(*parts)


class FilterBar(Static):
    """Shows the filter; repaints only on change."""

    DEFAULT_CSS = """
    FilterBar {
        height: 1; padding: 0 1; background: $boost;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, flt: StepFilter, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self._filter: StepFilter | None = None
        self._keys: dict[str, str] = {}
        self.ascii_only = ascii_only
        self.show(flt)

    def on_mount(self) -> None:
        """The keys come from the screen's bindings (jobtui/tui/keys.py), once it is known."""
        screen = type(self.screen)
        self._keys = {name: key_for(screen, action) for name, action in ACTIONS.items()}
        if self._filter is not None:
            self.update(describe(self._filter, ascii_only=self.ascii_only, keys=self._keys))

    def show(self, flt: StepFilter) -> None:
        if flt == self._filter:
            return
        self._filter = flt
        self.update(describe(flt, ascii_only=self.ascii_only, keys=self._keys))
