"""Small helpers for hand-written inline SVG: escaping, scales, ticks, palette."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756", "#72B7B2", "#9D755D",
           "#EECA3B")
GOOD, BAD, MUTED = "#1a7f37", "#c62828", "#8a8f98"


def esc(text: object) -> str:
    """Text escaped for HTML and SVG content and attributes."""
    return escape(str(text), quote=True)


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


class Scale:
    """Linear map from a data domain to a pixel range."""

    def __init__(self, lo: float, hi: float, px0: float, px1: float):
        self.lo, self.hi = lo, (hi if hi > lo else lo + 1.0)
        self.px0, self.px1 = px0, px1

    def __call__(self, x: float) -> float:
        return round(self.px0 + (x - self.lo) / (self.hi - self.lo) * (self.px1 - self.px0), 2)


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t <= hi + step * 1e-9:
        if t >= lo - step * 1e-9:
            ticks.append(round(t, 10))
        t += step
    return ticks


def fmt_tick(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:g}" if abs(x) >= 0.01 or x == 0 else f"{x:.1e}"


def svg_open(width: int, height: int, label: str, chart: str) -> str:
    return (f'<svg class="chart" data-chart="{esc(chart)}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{esc(label)}" '
            'xmlns="http://www.w3.org/2000/svg">')


def text(x: float, y: float, content: object, cls: str = "", anchor: str = "start",
         extra: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{c}{extra}>'
            f"{esc(content)}</text>")


def line(x1: float, y1: float, x2: float, y2: float, stroke: str = "#333",
         width: float = 1.0, extra: str = "") -> str:
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{stroke}" stroke-width="{width}"{extra}/>')


def whisker(x1: float, x2: float, y: float, cap: float = 3.0, stroke: str = "#222",
            vertical: bool = False) -> str:
    """An interval line with end caps; horizontal at ``y`` or vertical at x=``y``."""
    if vertical:
        return (line(y, x1, y, x2, stroke, 1.3) + line(y - cap, x1, y + cap, x1, stroke, 1.3)
                + line(y - cap, x2, y + cap, x2, stroke, 1.3))
    return (line(x1, y, x2, y, stroke, 1.3) + line(x1, y - cap, x1, y + cap, stroke, 1.3)
            + line(x2, y - cap, x2, y + cap, stroke, 1.3))


def legend(items: Sequence[tuple[str, str]], x: float, y: float, step: float = 150) -> str:
    """A one-row legend of (label, colour) swatches."""
    out = []
    for i, (label, col) in enumerate(items):
        lx = x + i * step
        out.append(f'<rect x="{lx:.1f}" y="{y - 9:.1f}" width="12" height="12" rx="2" '
                   f'fill="{col}"/>' + text(lx + 17, y + 1, label, "lg"))
    return "".join(out)


__all__ = ["BAD", "GOOD", "MUTED", "PALETTE", "Scale", "color", "esc", "fmt_tick", "legend",
           "line", "nice_ticks", "svg_open", "text", "whisker"]
