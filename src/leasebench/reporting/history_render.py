"""One metric across past runs (``history.History``): terminal table with bars,
Markdown, JSON and an HTML page with a line chart."""

from __future__ import annotations

import time

from rich.console import RenderableType
from rich.text import Text

from .history import History
from .html_assets import CSS
from .html_env import render_page
from .summary import pct
from .svg import GRID, Chart, Scale, fmt_tick, line, nice_domain, shape, text, whisker
from .terminal import Col, min_width, table

BAR = 20  # characters of the terminal bar at 100


def _when(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(t))


def _title(h: History) -> str:
    return f"{h.metric} F1 of {h.round or 'the best round of each run'} across runs"


def _interval(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"[{pct(low)}, {pct(high)}]"


def _rows(h: History) -> list[list[str]]:
    return [[p.run_id, _when(p.finished), p.experiment, p.round, pct(p.value),
             _interval(p.low, p.high)] for p in h.points]


HEAD = ["run", "finished", "experiment", "round", "F1", "interval"]


def history_renderables(h: History, width: int) -> list[RenderableType]:
    """A table with a bar per run; the experiment column only when runs of several
    experiments are listed, the bar shortened (or left out) to fit ``width``."""
    several = len({p.experiment for p in h.points}) > 1
    keep = [i for i in range(len(HEAD)) if several or HEAD[i] != "experiment"]
    base = [[r[i] for i in keep] for r in _rows(h)]
    for bar in (BAR, BAR // 2, 0):
        rows = [[*r, "█" * round(bar * p.value)] if bar else r
                for r, p in zip(base, h.points, strict=True)]
        heads = [HEAD[i] for i in keep] + ([""] if bar else [])
        cols = [Col(x, justify="right" if x in ("F1", "interval") else "left") for x in heads]
        t = table(cols, rows, _title(h), width)
        if min_width(t) <= width:
            break
    out: list[RenderableType] = [t]
    out += [Text(f"skipped {s}", style="dim") for s in h.skipped]
    return out


def history_markdown(h: History) -> str:
    lines = [f"# {_title(h)}", "", "| " + " | ".join(HEAD) + " |",
             "| --- | --- | --- | --- | --: | --- |"]
    lines += ["| " + " | ".join(r) + " |" for r in _rows(h)]
    lines += [f"- skipped {s}" for s in h.skipped]
    return "\n".join(lines) + "\n"


def history_chart(h: History) -> Chart | None:
    """The metric (with interval whiskers) against runs in time order; None for no run."""
    if not h.points:
        return None
    width, height, left, top, bottom = 760, 320, 56, 20, 250
    right = width - 20
    vals = [v for p in h.points for v in (p.value, p.low, p.high) if v is not None]
    lo, hi, ticks = nice_domain(max(0.0, 100 * min(vals)), min(100.0, 100 * max(vals)), 5)
    ys = Scale(lo, hi, bottom, top)
    chart = Chart("history", _title(h), width, height)
    for t in ticks:
        chart.add(line(left, ys(t), right, ys(t), GRID),
                  text(left - 6, ys(t) + 4, fmt_tick(t), "tick", "end"))
    n = len(h.points)
    xs = Scale(0, max(n - 1, 1), left + 30, right - 30)
    path = " ".join(f"{'M' if i == 0 else 'L'}{xs(i):.1f},{ys(100 * p.value):.1f}"
                    for i, p in enumerate(h.points))
    chart.add(shape("path", d=path, fill="none", stroke="#4C78A8", stroke_width=2))
    for i, p in enumerate(h.points):
        x = xs(i)
        if p.low is not None and p.high is not None:
            chart.add(whisker(ys(100 * p.low), ys(100 * p.high), x, cap=4, vertical=True))
        chart.add(shape("circle", cx=x, cy=ys(100 * p.value), r=5, fill="#4C78A8",
                        title=f"{p.run_id} ({p.round}, {_when(p.finished)}): {pct(p.value)} "
                              f"{_interval(p.low, p.high)}"),
                  text(x, bottom + 16, p.run_id[:8], "tick", "middle"),
                  text(x, bottom + 30, _when(p.finished)[:10], "tick small", "middle"))
    return chart


def history_html(h: History) -> str:
    return render_page("history.html.j2", css=CSS, h=h, title=_title(h),
                       chart=history_chart(h), head=HEAD, rows=_rows(h))


__all__ = ["history_chart", "history_html", "history_markdown", "history_renderables"]
