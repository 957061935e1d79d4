"""Terminal tables that fit the console: 80 columns first, richer when wider.

Names (fields, rounds, stages, components) and numbers never wrap or get cut: their
columns are ``no_wrap`` with a minimum width of their longest cell (and longest header
word). A table is built in the richest layout that fits the width; when even the
compact cells do not fit in one table, the column groups (one per round, say) are
split over several tables, each repeating the key columns.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Console, JustifyMethod, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ..scoring.stats import Difference, FieldMetrics
from .summary import pct

Cell = str | Text
UP, DOWN = "▲", "▼"


@dataclass(frozen=True)
class Col:
    """A column: its header and how its cells sit. Only free text (``wrap``) may wrap."""

    header: str
    justify: JustifyMethod = "right"
    wrap: bool = False
    style: str | None = None


@dataclass(frozen=True)
class Group:
    """Columns that belong together (one round's F1 and Δ); never split across tables."""

    cols: Sequence[Col]
    cells: Sequence[Sequence[Cell]]  # per row, one cell per column


def plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def table(
    cols: Sequence[Col], rows: Sequence[Sequence[Cell]], title: str | None = None,
    width: int | None = None,
) -> Table:
    """A table whose columns are exactly as wide as their longest cell (headers wrap).

    Headers stay on one line when the table still fits ``width`` with every wrappable
    column unwrapped; otherwise headers wrap at spaces. Wrappable columns share
    what is left of ``width`` (rich alone may collapse a lone wrappable column to nothing).
    """
    t = _table(cols, rows, title, full_headers=True)
    if width is not None and min_width(t) > width:
        t = _table(cols, rows, title, full_headers=False)
    wraps = [i for i, col in enumerate(cols) if col.wrap]
    if width is not None and wraps:
        fixed = sum(c.width or 0 for i, c in enumerate(t.columns) if i not in wraps)
        room = width - (min_width(t) - sum(c.width or 0 for c in t.columns)) - fixed
        share = max(0, room) // len(wraps)
        for i in wraps:
            low, high = t.columns[i].min_width or 1, t.columns[i].max_width or 1
            t.columns[i].width = max(low, min(high, share))
    return t


def _table(
    cols: Sequence[Col], rows: Sequence[Sequence[Cell]], title: str | None, full_headers: bool
) -> Table:
    t = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
              pad_edge=False, show_edge=False, collapse_padding=True)
    for i, col in enumerate(cols):
        lines = [ln for row in rows for ln in plain(row[i]).splitlines()]
        head = col.header.splitlines() if full_headers else col.header.split()
        longest = max(cell_len(x) for x in [*head, *lines, ""])
        if col.wrap:
            word = max(cell_len(w) for w in [*col.header.split(), *" ".join(lines).split(), ""])
            t.add_column(col.header, justify=col.justify, style=col.style,
                         width=longest if full_headers else word, min_width=word,
                         max_width=longest, overflow="fold")
        else:
            t.add_column(col.header, justify=col.justify, style=col.style, width=longest,
                         overflow="fold")
    for row in rows:
        t.add_row(*row)
    return t


def min_width(renderable: RenderableType) -> int:
    """The narrowest the renderable can be drawn without wrapping a name or a number."""
    console = Console(width=100_000)
    return Measurement.get(console, console.options, renderable).minimum


def fitted(
    key: Group, layouts: Sequence[Sequence[Group]], width: int,
    title: str | Sequence[str] | None = None,
) -> list[Table]:
    """The first layout whose groups fit one table at ``width``; else the last layout's
    groups split over as few tables as fit (each repeating the ``key`` columns).

    ``title`` is one title, or one per layout (when the layouts show different things).
    """
    titles = [title] * len(layouts) if title is None or isinstance(title, str) else list(title)
    for groups, heading in zip(layouts, titles, strict=True):
        t = _joined(key, groups, heading, width)
        if min_width(t) <= width:
            return [t]
    title = titles[-1]
    groups = list(layouts[-1])
    tables: list[Table] = []
    chunk: list[Group] = []
    for group in groups:
        if chunk and min_width(_joined(key, [*chunk, group], None, width)) > width:
            tables.append(_joined(key, chunk, title if not tables else None, width))
            chunk = []
        chunk.append(group)
    tables.append(_joined(key, chunk, title if not tables else None, width))
    return tables


def _joined(key: Group, groups: Sequence[Group], title: str | None, width: int) -> Table:
    cols = [*key.cols, *(c for g in groups for c in g.cols)]
    rows = [
        [*key.cells[i], *(c for g in groups for c in g.cells[i])] for i in range(len(key.cells))
    ]
    return table(cols, rows, title, width)


def interval_cell(m: FieldMetrics | None, compact: bool) -> Cell:
    """'80.4 ±10' (compact: half the interval's width) or '80.4 [69.6, 89.4]'."""
    if m is None:
        return "-"
    return score_cell(m.f1, m.f1_low, m.f1_high, compact)


def score_cell(value: float, low: float | None, high: float | None, compact: bool) -> str:
    if low is None or high is None:
        return pct(value)
    if compact:
        return f"{pct(value)} ±{half_width(low, high)}"
    return f"{pct(value)} [{pct(low)}, {pct(high)}]"


def half_width(low: float, high: float) -> str:
    half = 50 * (high - low)
    return f"{half:.0f}" if half >= 9.95 else f"{half:.1f}"


def delta_cell(d: Difference | None, *, interval: bool = False, mark: bool = True) -> Cell:
    """'+12.1▲' (significant, coloured) or '+3.1' (dim); with ``interval``, '+12.1 ±10'."""
    if d is None:
        return ""
    text = pct(d.delta, True) + (f" ±{half_width(d.low, d.high)}" if interval else "")
    if not d.significant:
        return Text(text + (" " if mark else ""), style="dim")
    up = d.delta > 0
    return Text(text + ((UP if up else DOWN) if mark else ""), style="green" if up else "red")


def p_cell(d: Difference | None, *, adjusted: bool = False, mark: bool = True) -> Cell:
    """A difference's raw (or ``adjusted``) p-value, marked when it is significant."""
    if d is None:
        return ""
    value = d.p_adjusted if adjusted else d.p_value
    if value is None:
        return "-"
    p = "<0.001" if value < 0.001 else f"{value:.3f}"
    if not d.significant or not mark:
        return Text(p + " ", style="dim")
    return Text(p + (UP if d.delta > 0 else DOWN), style="green" if d.delta > 0 else "red")


def number(value: float) -> str:
    """A metric value: integers with thousands separators, otherwise 4 significant digits."""
    if float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:.4g}"


def print_all(console: Console, renderables: Sequence[RenderableType]) -> None:
    for r in renderables:
        console.print(r)


def render_text(build: Callable[[int], Sequence[RenderableType]], width: int) -> str:
    """What ``build(width)`` prints on a plain console ``width`` columns wide (for tests)."""
    console = Console(width=width, record=True, force_terminal=False, color_system=None,
                      file=_Null())
    print_all(console, build(width))
    return console.export_text()


class _Null(io.StringIO):
    """A text stream that keeps nothing (the console records what it prints)."""

    def write(self, _: str) -> int:
        return 0


__all__ = [
    "DOWN",
    "UP",
    "Cell",
    "Col",
    "Group",
    "delta_cell",
    "fitted",
    "half_width",
    "interval_cell",
    "min_width",
    "number",
    "p_cell",
    "plain",
    "print_all",
    "render_text",
    "score_cell",
    "table",
]
