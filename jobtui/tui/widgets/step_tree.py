"""Blocks → steps, updated in place by step instance id.

The tree keeps a ``{step_instance_id: TreeNode}`` map: a poll relabels only the
lines whose row changed, and rebuilds only when the set or order of steps
changes (a retry can add none; a new job layout is rare), keeping the cursor on
the same step. It follows the active step until the user moves the cursor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from jobtui.api.catalog import Severity, run_status, step_type
from jobtui.api.models import Job
from jobtui.core.sanitize import safe_text
from jobtui.core.snapshot import (
    HostCounts,
    StepRow,
    changed_rows,
    followed_step,
    format_duration,
    show_blocks,
    step_rows,
)
from jobtui.core.waits import TREE_WORDS, step_wait
from jobtui.tui.glyphs import cut_mark, glyph, rich_colour


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """Rendering switches that do not come from the data."""

    ascii_only: bool = False
    colours: Mapping[Severity, str] | None = None  # severity → colour; None = Rich names


def row_label(row: StepRow, style: LabelStyle, width: int | None = None) -> Text:
    """One tree line: glyph, name, type, elapsed, retry, host counts; waits stand out.

    With a ``width`` the line fits it without losing what the tree is for: the
    type goes first, then the name is cut with a mark (never below a few
    cells), then the elapsed time and retry, and a long wait word shortens; the
    glyph, the state word and the host counts stay to the end.
    """
    info = run_status(row.status)
    tint = (style.colours or {}).get(info.severity) or rich_colour(info.severity)
    name = safe_text(row.name, max_len=48)
    kind_word = f"  {step_type(row.type)}"
    elapsed = f" {format_duration(row.elapsed)}"
    retry = f" r{row.execute_count}" if row.execute_count else ""
    counts = ""
    if row.counts is not None and row.counts.total and row.status != 1:  # 1: not started
        counts = _counts(row.counts, style.ascii_only)
    state, short_state, state_style = "", "", Style(color=tint)
    if row.waiting_for_person:
        kind = step_wait(row.type, row.status)
        state = f"  {(TREE_WORDS.get(kind) if kind else None) or 'WAITING'}"
        short_state = "  WAITING"
        state_style = Style(color=tint, bold=True, reverse=True)
    elif info.severity in (Severity.FAILED, Severity.UNKNOWN):
        state = short_state = f"  {info.label}"
    head = f"{glyph(info.severity, style.ascii_only)} "
    if width is not None:
        fixed = cell_len(head) + cell_len(counts)
        optional = [kind_word, elapsed + retry]
        while optional and fixed + cell_len(name + "".join(optional) + state) > width:
            optional.pop(0)  # the type, then the elapsed time and retry
            if fixed + cell_len(name + "".join(optional) + state) <= width:
                break
            room = width - fixed - cell_len("".join(optional) + state)
            if room >= MIN_NAME:
                name = _cut(name, room, style.ascii_only)
                break
        kind_word = kind_word if kind_word in optional else ""
        if elapsed + retry not in optional:
            elapsed, retry = "", ""
        if fixed + cell_len(name + kind_word + elapsed + retry + state) > width:
            state = short_state
        room = width - fixed - cell_len(kind_word + elapsed + retry + state)
        if cell_len(name) > room:
            name = _cut(name, max(room, MIN_NAME), style.ascii_only)
    text = Text()
    text.append(head, Style(color=tint, bold=True))
    text.append(name, Style(bold=row.waiting_for_person))
    text.append(kind_word, Style(dim=True))
    text.append(elapsed)
    if retry:
        text.append(retry, Style(color=rich_colour(Severity.ATTENTION)))
    text.append(counts)
    if state:
        text.append(state, state_style)
    return text


MIN_NAME = 6  # cells of a step name kept before the counts and state give way


def _cut(text: str, width: int, ascii_only: bool) -> str:
    """``text`` in at most ``width`` cells, ending with the cut mark when cut."""
    if cell_len(text) <= width:
        return text
    mark = cut_mark(ascii_only)
    out = ""
    for char in text:
        if cell_len(out + char + mark) > width:
            break
        out += char
    return out.rstrip() + mark


def _counts(counts: HostCounts, ascii_only: bool) -> str:
    """``✓ok ✗failed``, then ``▶running`` and ``·waiting`` when there are any.

    Running and waiting hosts are told apart: in a rolling pause the later
    batches' hosts wait (status 5) while nothing runs, and one "not done" glyph
    read as sixteen hosts running.
    """
    ok, bad, run, wait = ("+", "x", ">", ".") if ascii_only else ("✓", "✗", "▶", "·")
    shown = f"  {ok}{counts.ok:,} {bad}{counts.failed:,}"
    if counts.running:
        shown += f" {run}{counts.running:,}"
    if counts.waiting:
        shown += f" {wait}{counts.waiting:,}"
    return shown + (f" ({counts.scope})" if counts.scope else "")


class StepTree(Tree[int]):
    """The left pane. ``data`` is the step instance id (block nodes carry -1)."""

    HELP_SECTION: ClassVar[str] = "Step tree"
    HELP_STOCK: ClassVar[dict[str, str]] = {
        "cursor_up": "previous step (stops following)",
        "cursor_down": "next step (stops following)",
        "toggle_node": "expand / collapse a block",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("F", "follow", "Follow running step", show=False, tooltip="follow running step"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="previous step (stops following)"),
        Binding("j", "cursor_down", "Down", show=False, tooltip="next step (stops following)"),
    ]

    class StepChosen(Message):
        """The highlighted step changed (by the user or by following)."""

        def __init__(self, step_instance_id: int, by_user: bool) -> None:
            super().__init__()
            self.step_instance_id = step_instance_id
            self.by_user = by_user

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__("job", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.following = True
        self._style = LabelStyle(ascii_only=ascii_only)
        if ascii_only:  # the Linux console has no box drawing or triangles
            self.LINES = {name: ("  ", "| ", "`-", "|-") for name in Tree.LINES}
            self.ICON_NODE, self.ICON_NODE_EXPANDED = "> ", "v "
        self._by_step: dict[int, TreeNode[int]] = {}
        self._rows: dict[int, StepRow] = {}
        self._shape: tuple[tuple[int, int], ...] | None = None
        self._wanted: int | None = None  # the last step the cursor was sent to

    @property
    def selected_step_id(self) -> int | None:
        node = self.cursor_node
        if node is None or node.data is None or node.data < 0:
            return None
        return node.data

    def show_job(self, job: Job, counts: Mapping[int, HostCounts], now: datetime) -> int | None:
        """Apply a snapshot: relabel changed lines, rebuild only on a new shape.

        Returns the step the cursor is (or is about to be) on: the cursor moves
        lazily, so the caller must not read it back at once.
        """
        rows = step_rows(job, counts, now)
        shape = tuple((row.block, row.step_instance_id) for row in rows)
        if shape != self._shape:
            self._rebuild(job, rows)
            self._shape = shape
        else:
            changed, _ = changed_rows(self._rows, rows)
            for row in changed:  # the line is repainted; the shadow screen writes its changes
                self._by_step[row.step_instance_id].set_label(row_label(row, self._style))
        self._rows = {row.step_instance_id: row for row in rows}
        if self.following:
            target = followed_step(job)
            if target is not None:
                self._move_to(target.step_instance_id)
        if self._wanted is not None and self._wanted in self._by_step:
            return self._wanted
        return self.selected_step_id or (rows[0].step_instance_id if rows else None)

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        """A step's line made to fit the pane (see ``row_label``), not cut at its edge."""
        row = self._rows.get(node.data) if node.data is not None and node.data >= 0 else None
        if row is None or self.size.width <= 0:
            return super().render_label(node, base_style, style)
        depth, parent = 0, node.parent
        while parent is not None:  # the guides: one column group per ancestor
            depth, parent = depth + 1, parent.parent
        width = self.scrollable_content_region.width - depth * self.guide_depth
        label = row_label(row, self._style, width=max(width, 1))
        label.stylize(style)
        return label

    def _rebuild(self, job: Job, rows: tuple[StepRow, ...]) -> None:
        keep = self.selected_step_id
        self.clear()
        self._by_step.clear()
        blocks = show_blocks(job)
        parents: dict[int, TreeNode[int]] = {}
        for row in rows:
            parent = self.root
            if blocks:
                parent = parents.get(row.block) or self._block_node(job, row.block)
                parents[row.block] = parent
            label = row_label(row, self._style)
            self._by_step[row.step_instance_id] = parent.add_leaf(label, data=row.step_instance_id)
        if keep is not None and keep in self._by_step:
            self._move_to(keep)

    def _block_node(self, job: Job, index: int) -> TreeNode[int]:
        block = job.blocks[index]
        name = safe_text(block.name or f"block {block.order}", max_len=48)
        return self.root.add(Text(name, Style(bold=True)), data=-1, expand=True)

    def _move_to(self, step_instance_id: int) -> None:
        node = self._by_step.get(step_instance_id)
        if node is None:
            return
        self._wanted = step_instance_id
        if self.cursor_node is node:
            return
        self.get_node_at_line(0)  # builds the line index now, so the node knows its line
        self.move_cursor(node)

    def select_step(self, step_instance_id: int) -> bool:
        """Jump to a step on the user's behalf (palette, --step): stops following."""
        if step_instance_id not in self._by_step:
            return False
        self.following = False
        self._move_to(step_instance_id)
        return True

    def step_ids_by_name(self) -> list[tuple[int, str]]:
        return [(sid, row.name) for sid, row in self._rows.items()]

    def action_follow(self) -> None:
        """Follow the running step again."""
        self.following = True
        self.notify("Following the running step", timeout=2)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[int]) -> None:
        """Report the highlighted step; while following, transient highlights are ignored."""
        event.stop()
        sid = event.node.data
        if sid is None or sid < 0:
            return
        if self.following and sid != self._wanted:
            return  # a rebuild passing over line 0, not a choice
        self._wanted = sid
        self.post_message(self.StepChosen(sid, by_user=not self.following))

    # A cursor the user moves ends following; the tree moving it itself does not.
    def _user_moved(self) -> None:
        self.following = False

    def action_cursor_up(self) -> None:
        self._user_moved()
        super().action_cursor_up()

    def action_cursor_down(self) -> None:
        self._user_moved()
        super().action_cursor_down()

    def action_page_up(self) -> None:
        self._user_moved()
        super().action_page_up()

    def action_page_down(self) -> None:
        self._user_moved()
        super().action_page_down()

    def action_scroll_home(self) -> None:
        self._user_moved()
        super().action_scroll_home()

    def action_scroll_end(self) -> None:
        self._user_moved()
        super().action_scroll_end()

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor (Tree handles it): the user chose, so stop following."""
        self._user_moved()
