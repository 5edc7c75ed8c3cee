"""One always-visible line naming the active step filters."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from jobtui.api.catalog import host_status
from jobtui.api.filters import StepFilter
from jobtui.core.sanitize import safe_text

_ORDER = ("status", "tag", "batch", "ip", "keyword", "retry")
_KEYS = {"status": "s", "tag": "t", "batch": "b", "ip": "/", "keyword": "k", "retry": "e"}


def describe(flt: StepFilter, *, ascii_only: bool = False) -> Content:
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
        parts.append(("   x clears", "$foreground-muted"))
    else:
        keys = " ".join(f"{_KEYS[name]} {name}" for name in _ORDER)
        parts.append((f"   {keys}", "$foreground-muted"))
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
        self.ascii_only = ascii_only
        self.show(flt)

    def show(self, flt: StepFilter) -> None:
        if flt == self._filter:
            return
        self._filter = flt
        self.update(describe(flt, ascii_only=self.ascii_only))
