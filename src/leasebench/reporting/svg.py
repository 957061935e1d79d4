"""Charts as data: shapes with numeric geometry and plain text, drawn by a template.

A chart function returns a ``Chart``; ``templates/macros.html.j2`` turns it into inline
SVG with every attribute value and text autoescaped. Nothing here builds markup, so a
label (a round or field name, a judge's reason) cannot become markup.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756", "#72B7B2", "#9D755D",
           "#EECA3B")
GOOD, BAD, MUTED, GRID = "#1a7f37", "#c62828", "#8a8f98", "#e3e6ea"
TAGS = frozenset({"rect", "line", "text", "circle", "path"})
_ATTR = re.compile(r"^[a-z][a-z0-9-]*\Z")
CHAR_PX = 7.0  # average width of a 12px label character, for layout


@dataclass(frozen=True)
class Shape:
    """One SVG element: a tag from ``TAGS``, attributes, text content, a tooltip."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    text: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        if self.tag not in TAGS:
            raise ValueError(f"svg: unsupported element {self.tag!r}")
        bad = [k for k, _ in self.attrs if not _ATTR.match(k) or k.startswith("on")]
        if bad:
            raise ValueError(f"svg: unsupported attribute(s) {bad}")


@dataclass
class Chart:
    """A chart: its ``data-chart`` kind, accessible label, size and shapes."""

    kind: str
    label: str
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)

    def add(self, *shapes: Shape | Sequence[Shape]) -> None:
        for s in shapes:
            if isinstance(s, Shape):
                self.shapes.append(s)
            else:
                self.shapes.extend(s)


def _value(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.1f}" if abs(v - round(v)) > 1e-9 else str(round(v))
    return str(v)


def shape(tag: str, text: object = "", title: object = "", **attrs: object) -> Shape:
    """``shape("rect", x=1, fill="#fff", cls="bar")``: ``cls`` is ``class``, ``_`` is ``-``."""
    pairs = tuple((("class" if k == "cls" else k.replace("_", "-")), _value(v))
                  for k, v in attrs.items() if v is not None)
    return Shape(tag, pairs, str(text), str(title))


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


class Scale:
    """Linear map from a data domain to a pixel range."""

    def __init__(self, lo: float, hi: float, px0: float, px1: float):
        self.lo, self.hi = lo, (hi if hi > lo else lo + 1.0)
        self.px0, self.px1 = px0, px1

    def __call__(self, x: float) -> float:
        return round(self.px0 + (x - self.lo) / (self.hi - self.lo) * (self.px1 - self.px0), 2)


def tick_step(lo: float, hi: float, n: int = 5) -> float:
    raw = (hi - lo) / max(n, 1) if hi > lo else 1.0
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def nice_domain(lo: float, hi: float, n: int = 5) -> tuple[float, float, list[float]]:
    """A domain of round ticks that contains [lo, hi] (whiskers included), and its ticks."""
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    step = tick_step(lo, hi, n)
    start, stop = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    ticks = [round(start + i * step, 10) for i in range(round((stop - start) / step) + 1)]
    return ticks[0], ticks[-1], ticks


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    return nice_domain(lo, hi, n)[2]


def fmt_tick(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:g}" if abs(x) >= 0.01 or x == 0 else f"{x:.1e}"


def text(x: float, y: float, content: object, cls: str = "", anchor: str = "start",
         **attrs: object) -> Shape:
    return shape("text", content, x=x, y=y, text_anchor=anchor, cls=cls or None, **attrs)


def line(x1: float, y1: float, x2: float, y2: float, stroke: str = "#333",
         width: float = 1.0, **attrs: object) -> Shape:
    return shape("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, stroke_width=width, **attrs)


def whisker(a: float, b: float, at: float, cap: float = 3.0, stroke: str = "#222",
            vertical: bool = False) -> list[Shape]:
    """An interval from ``a`` to ``b`` with end caps: horizontal at y=``at``, or vertical
    at x=``at``."""
    if vertical:
        return [line(at, a, at, b, stroke, 1.3), line(at - cap, a, at + cap, a, stroke, 1.3),
                line(at - cap, b, at + cap, b, stroke, 1.3)]
    return [line(a, at, b, at, stroke, 1.3), line(a, at - cap, a, at + cap, stroke, 1.3),
            line(b, at - cap, b, at + cap, stroke, 1.3)]


def label_width(label: str) -> float:
    return CHAR_PX * len(label)


def legend(items: Sequence[tuple[str, str]], x: float, y: float,
           width: float) -> tuple[list[Shape], float]:
    """Swatches and labels, each label after its swatch and before the next swatch,
    wrapped onto new rows within ``width``; returns the shapes and the height used."""
    shapes: list[Shape] = []
    cx, cy, row = x, y, 18.0
    for label, col in items:
        w = 17 + label_width(label) + 18
        if cx > x and cx + w > x + width:
            cx, cy = x, cy + row
        shapes.append(shape("rect", x=cx, y=cy - 9, width=12, height=12, rx=2, fill=col))
        shapes.append(text(cx + 17, cy + 1, label, "lg"))
        cx += w
    return shapes, cy - y + row


__all__ = ["BAD", "GOOD", "GRID", "MUTED", "PALETTE", "TAGS", "Chart", "Scale", "Shape",
           "color", "fmt_tick", "label_width", "legend", "line", "nice_domain", "nice_ticks",
           "shape", "text", "tick_step", "whisker"]
