"""The log pane: a title/badge line, the log (or file-transfer table) and a find bar.

The app hands it the selected host and that host's latest log on every poll;
the pane decides whether that is more of the same log (append the suffix) or
another host (start over), so the caller never has to.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from jobtui.api.models import HostLog, HostResult, LogKind
from jobtui.core.ansi import parse_line
from jobtui.core.numfmt import plural
from jobtui.core.sanitize import safe_text
from jobtui.tui.breakpoints import presize
from jobtui.tui.glyphs import dots
from jobtui.tui.widgets.filelog import FileLog
from jobtui.tui.widgets.log_view import LogView

__all__ = ["FullLineScreen", "LogPane"]

#: A finished log at least this big gets its search index built ahead of a search.
PREPARE_SEARCH_AT = 512 * 1024
#: Seconds after the log is shown: after its first paint, while the screen is idle.
PREPARE_SEARCH_DELAY = 0.2


class FullLineScreen(ModalScreen[None]):
    """A cut line shown whole, sanitised and wrapped, in a scrollable box."""

    DEFAULT_CSS = """
    FullLineScreen { align: center middle; }
    FullLineScreen > VerticalScroll {
        width: 90%; height: 80%; border: round $accent; background: $surface;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss", "Close"),
    ]

    def __init__(self, line: str, title: str) -> None:
        super().__init__()
        self._line = line
        self._title = title

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = self._title
            yield Static(Text(self._line), id="full-line")


IDLE_TEXT = "select a host"


class LogPane(Widget, can_focus=False):
    """Focusable log area for the selected host (see ``show_log``)."""

    # `z` on any widget inside (tab bar, table, find bar) maximises the whole pane.
    ALLOW_MAXIMIZE = True

    DEFAULT_CSS = """
    LogPane { layout: vertical; width: 1fr; height: 1fr; }
    LogPane > #log-title { height: 1; background: $panel; color: $foreground; }
    LogPane > LogView { height: 1fr; }
    LogPane > FileLog { height: 1fr; }
    LogPane > #log-find { dock: bottom; height: 3; }
    """

    HELP_SECTION: ClassVar[str] = "Log"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "toggle_follow", "Follow", tooltip="follow on / off"),
        Binding("w", "toggle_wrap", "Wrap", tooltip="wrap on / off"),
        Binding(
            "ctrl+f", "find", "Find", tooltip="find (enter searches; escape clears the search)"
        ),
        Binding("n", "next_match", "Next match", tooltip="next match"),
        Binding("N", "previous_match", "Previous match", tooltip="previous match"),
        Binding("g", "top", "Top", tooltip="top"),
        Binding("G", "bottom", "Bottom", tooltip="bottom (resumes following)"),
        Binding("end", "resume", "Resume follow", tooltip="bottom and resume following"),
        Binding("enter", "expand", "Full line", show=False, tooltip="show a cut line in full"),
        # One level at a time, as in less, k9s, lazygit: a search on screen (or the
        # open find bar) is cleared first; only a later Escape leaves the monitor.
        Binding(
            "escape",
            "close_find",
            "Clear search",
            show=False,
            tooltip="clear the search and close the find bar (then: back)",
        ),
    ]

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.host: HostResult | None = None
        self.kind: LogKind | None = None
        self.running = False
        self._key: str | None = None
        self._title: Text | None = None  # last title shown, so an unchanged poll skips it
        self._prepare: Timer | None = None  # the pending search-index build
        self._log_error: str | None = None  # the last log request failed (see log_failed)
        self._idle = IDLE_TEXT  # what to say with no host (see set_idle_text)
        self._run_note: str | None = None  # see set_run_note

    def compose(self) -> ComposeResult:
        yield Static(id="log-title")
        yield LogView()
        yield FileLog(id="log-files")
        yield Input(placeholder="find in log (Enter: search, Esc: clear)", id="log-find")

    def on_mount(self) -> None:
        view = self.view
        for name in ("follow", "wrap", "pending", "match_total", "match_index"):
            self.watch(view, name, self._refresh_title, init=False)
        self._show("empty", self._idle)
        self.query_one("#log-find").display = False
        self._refresh_title()

    @property
    def view(self) -> LogView:
        """The script-log view."""
        return self.query_one(LogView)

    @property
    def files(self) -> FileLog:
        """The file-transfer table."""
        return self.query_one(FileLog)

    # ------------------------------------------------------------------ data in

    def show_log(
        self,
        host: HostResult | None,
        log: HostLog | None,
        *,
        running: bool,
        loading: bool = False,
    ) -> None:
        """Show ``log`` of ``host``: append to the same host's log, start over for another.

        ``loading`` (with no log) says the fetch is under way: another host's log
        must not stay on screen under the new host's name while it is.
        """
        self.running = running and host is not None
        key = host.ref.key if host is not None else None
        if log is not None or host is None or key != self._key:
            self._log_error = None  # a good answer, or another host
        if key != self._key:
            self._key = key
            self.view.clear()
            self.files.clear_transfers()
            self.view.follow = True
        self.host = host
        if host is None or log is None:
            self.kind = None
            if host is None:
                self._show("empty", self._idle)
            elif loading:
                self._show("empty", f"loading log{dots(self.ascii_only)}")
            else:
                self._show("empty", "no log yet")
        elif log.kind is LogKind.FILE:
            self.kind = LogKind.FILE
            self._show("files")
            self.files.show_transfers(log.files)
        elif not log.content:
            # An agent-abnormal host, or a script that printed nothing: say so rather
            # than a blank pane under a FOLLOW badge, which reads as "still loading".
            self.kind = None
            self._show(
                "empty", f"no output yet{dots(self.ascii_only)}" if self.running else "no output"
            )
        else:
            self.kind = LogKind.SCRIPT
            self._show("view")
            self.view.load(log.content)
            if not self.running and len(log.content) >= PREPARE_SEARCH_AT:
                # A big finished log will not change: index it for search once the
                # screen is idle, so the first search answers at once.
                if self._prepare is not None:
                    self._prepare.stop()
                self._prepare = self.set_timer(PREPARE_SEARCH_DELAY, self._prepare_search)
        self._refresh_title()

    def host_moved(self, host: HostResult, *, running: bool) -> None:
        """The shown host's row changed (a new status): the title follows at once.

        Its log comes at the next fetch (asked for at once by the monitor); until
        then the title must not say "running" beside a host table that says the
        host timed out.
        """
        if host.ref.key != self._key:
            return
        self.host = host
        self.running = running
        said = self.empty_text
        if self.kind is None and said is not None and said.startswith("no output"):
            self._show("empty", f"no output yet{dots(self.ascii_only)}" if running else "no output")
        self._refresh_title()

    def set_idle_text(self, text: str | None) -> None:
        """What to say while no host is selected (``None``: "select a host").

        A confirmation step has no host to select: saying "select a host" there
        sends the operator looking for one.
        """
        self._idle = text or IDLE_TEXT
        if self.host is None:
            self._show("empty", self._idle)

    def set_run_note(self, note: str | None) -> None:
        """A title badge for a log from another run than the hosts listed.

        bk-job's log APIs have no ``execute_count``: the log is always the latest
        run's, also while the host list shows an older retry.
        """
        if note != self._run_note:
            self._run_note = note
            self._refresh_title()

    def _prepare_search(self) -> None:
        self._prepare = None
        self.view.buffer.prepare_search()

    def log_failed(self, reason: str) -> None:
        """Say why the selected host's log did not come.

        Without a log yet the "loading" placeholder says it; a log on screen stays
        and the title gets a ``log not updated`` badge until the next good answer.
        """
        if self.host is None:
            return
        if self.kind is not None:
            self._log_error = safe_text(reason, max_len=120)
            self._refresh_title()
            return
        dash = "-" if self.ascii_only else "—"
        text = f"log not loaded {dash} {safe_text(reason, max_len=200)}; retrying"
        self._show("empty", Text(text))

    @property
    def empty_text(self) -> str | None:
        """What the pane says instead of a log, or None while it shows one (or a file table)."""
        return self.view.placeholder if self.view.display else None

    def _show(self, which: str, empty: str | Text | None = None) -> None:
        """``empty``: the view says ``empty`` instead of lines; ``view``: the log; ``files``."""
        self.view.set_placeholder(empty if which == "empty" else None)
        self.view.display = which != "files"
        self.files.display = which == "files"

    # ------------------------------------------------------------------ title

    def title_text(self) -> Text:
        """The one-line title: host, badges for running, follow/paused, wrap and matches."""
        text = Text(no_wrap=True, overflow="ellipsis")
        host = self.host
        if host is None:
            text.append(" log", style="bold")
            return text
        container = host.ref.container
        if container is not None:  # "container web-7d9f8 3f2a… on host 1901"
            text.append(" container", style="dim")
        text.append(f" {safe_text(host.ref.display, max_len=45)}", style="bold")
        if container is not None:
            if container.short_id and container.short_id != host.ref.display:
                text.append(f" {safe_text(container.short_id)}", style="dim")
            if container.node_host_id is not None:
                text.append(f" on host {container.node_host_id}", style="dim")
        elif host.ref.ipv6 and host.ref.ipv6 != host.ref.display:
            text.append(f" {safe_text(host.ref.ipv6, max_len=45)}", style="dim")
        if self.running:
            text.append("  ▶ running" if not self.ascii_only else "  > running", style="cyan")
        view = self.view
        if self.kind is LogKind.SCRIPT:
            self._append_view_badges(text, view)
        if self._run_note is not None:
            text.append(f"  {self._run_note}", style="bold yellow")
        if self._log_error is not None:
            mark = "!" if self.ascii_only else "⚠"
            text.append(f"  {mark} log not updated: {self._log_error}", style="bold yellow")
        return text

    def _append_view_badges(self, text: Text, view: LogView) -> None:
        # Following means something only while the host runs: a finished host's log
        # does not grow. "FOLLOW off", not "PAUSED": PAUSED is the header's word for
        # polling stopped (one meaning per word).
        if self.running and view.follow:
            text.append("  FOLLOW", style="green")
        elif self.running:
            sep = " |" if self.ascii_only else " ·"
            waiting = f"{sep} {view.pending:,} new" if view.pending else ""
            text.append(f"  FOLLOW off{waiting}", style="bold yellow")
        if view.wrap:
            text.append("  WRAP", style="dim")
        if view.query_text:
            label = safe_text(view.query_text, max_len=20)
            if view.match_total:
                index = f"{view.match_index:,}" if view.match_index else "-"
                found = f"{index}/{view.match_total:,}"
            else:
                found = "no match"
            quoted = f'"{label}"' if self.ascii_only else f"“{label}”"
            text.append(f"  {quoted} {found}", style="magenta")

    def _refresh_title(self, *_: object) -> None:
        """Repaint the title only when it changed; it is one row, so never re-layout."""
        title = self.title_text()
        if title == self._title:
            return
        self._title = title
        self.query_one("#log-title", Static).update(title, layout=False)

    # ------------------------------------------------------------------ actions

    def action_toggle_follow(self) -> None:
        self.view.follow = not self.view.follow

    def action_resume(self) -> None:
        self.view.follow = True

    def action_toggle_wrap(self) -> None:
        self.view.wrap = not self.view.wrap

    def action_top(self) -> None:
        self.view.follow = False
        self.view.scroll_home(animate=False, immediate=True, x_axis=False)

    def action_bottom(self) -> None:
        self.view.scroll_end(animate=False, immediate=True, x_axis=False)
        self.view.follow = True

    def action_find(self) -> None:
        find = self.query_one("#log-find", Input)
        find.display = True
        find.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Let Escape reach the screen (back to the list) unless there is a search to clear."""
        if action == "close_find":
            return self.searching
        return True

    @property
    def searching(self) -> bool:
        """The find bar is open or a search is on screen (matches, a count in the title)."""
        return bool(self.query_one("#log-find", Input).display or self.view.query_text)

    def action_close_find(self) -> None:
        self.clear_search()

    def clear_search(self) -> bool:
        """Escape: drop the search (its highlights and count) and close the find bar.

        Returns whether there was anything to clear, so the screen's Escape can
        pop one level at a time.
        """
        if not self.searching:
            return False
        find = self.query_one("#log-find", Input)
        had_focus = find.has_focus
        find.display = False
        if self.view.query_text:
            self.view.search("")
            self._refresh_title()
        if had_focus:
            self.view.focus()
        return True

    def action_next_match(self) -> None:
        self.view.next_match()
        self._refresh_title()

    def action_previous_match(self) -> None:
        self.view.next_match(backwards=True)
        self._refresh_title()

    def action_expand(self) -> None:
        line = self.view.line_at_cursor()
        if line is None:
            self.notify("no cut line on screen", timeout=2)
            return
        full = parse_line(self.view.buffer.full(line)).text
        title = f"line {line + 1:,} · {plural(len(full), 'char')}"
        self.app.push_screen(presize(self.app, FullLineScreen(full, title)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "log-find":
            return
        event.stop()
        self.view.search(event.value)
        self._refresh_title()
        event.input.display = False
        self.view.focus()
