"""The HTML report's charts as ``svg.Chart`` data, drawn from a ``RunResult``.

A chart whose data is empty (no costs recorded, one point on a curve) is ``None``; the
template says why in a sentence instead of drawing an empty frame. Value axes span
round ticks that contain every interval whisker.
"""

from __future__ import annotations

from ..results import RoundResult, RunResult
from ..scoring.stats import Difference, FieldMetrics
from .costs import CostView, cost_view
from .html_env import money, number
from .summary import pct
from .svg import (
    BAD,
    GOOD,
    GRID,
    MUTED,
    Chart,
    Scale,
    color,
    fmt_tick,
    label_width,
    legend,
    line,
    nice_domain,
    shape,
    text,
    whisker,
)

Triple = tuple[float, float, float]


def metric(result: RunResult, r: RoundResult, field: str) -> Triple | None:
    """(F1, low, high) of a field, 'micro' or 'macro' in round ``r`` (primary scorer)."""
    s = r.scores.get(result.primary_scorer)
    if s is None:
        return None
    if field == "macro":
        return s.macro_f1, _or(s.macro_f1_low, s.macro_f1), _or(s.macro_f1_high, s.macro_f1)
    m: FieldMetrics | None = s.micro if field == "micro" else s.fields.get(field)
    if m is None:
        return None
    return m.f1, _or(m.f1_low, m.f1), _or(m.f1_high, m.f1)


def _or(x: float | None, default: float) -> float:
    return default if x is None else x


def difference(result: RunResult, r: RoundResult, field: str) -> Difference | None:
    comp = r.vs_reference.get(result.primary_scorer)
    if comp is None:
        return None
    return comp.micro if field == "micro" else comp.macro if field == "macro" \
        else comp.fields.get(field)


def field_bars(result: RunResult) -> Chart:
    """Horizontal grouped bars: F1 per field and round, interval whiskers, and each round's
    paired difference to the reference at the end of its own bar's row. About 700 units
    wide whatever the number of rounds, so its text stays readable on an 800 px screen."""
    rounds, ref = result.rounds, result.reference_round
    rows = [*result.fields, "micro", "macro"]
    bar, gap, plot_w = 14, 12, 440
    label_w = max(120.0, max(label_width(f) for f in rows) + 24)
    head = f"Δ vs {ref}" if label_width(f"Δ vs {ref}") <= 130 else "Δ vs reference"
    delta_w = max(label_width(head), label_width("+00.0 ▲")) + 12
    width = label_w + plot_w + 12 + delta_w
    keys, legend_h = legend([(r.name, color(i)) for i, r in enumerate(rounds)], label_w, 16,
                            width - label_w)
    group_h = bar * len(rounds) + gap
    top = 16 + legend_h + 24
    height = top + group_h * len(rows) + 40
    chart = Chart("field-bars", "F1 per field and round", width, height)
    x = Scale(0, 1, label_w, label_w + plot_w)
    for g in range(0, len(rows), 2):  # zebra bands first, under everything
        chart.add(shape("rect", x=0, y=top + g * group_h - gap / 2, width=width,
                        height=group_h, fill="#f6f8fa"))
    chart.add(keys)
    for t in range(0, 101, 20):
        px = x(t / 100)
        chart.add(line(px, top - 6, px, height - 36, GRID),
                  text(px, height - 20, fmt_tick(t), "tick", "middle"))
    chart.add(text(label_w + plot_w / 2, height - 3, "F1 (%), bars: point estimate, "
                   "whiskers: bootstrap interval", "axis", "middle"))
    right = label_w + plot_w + 12 + delta_w - 4
    if len(rounds) > 1:
        chart.add(text(right, top - 14, head, "th", "end"))
    for g, field in enumerate(rows):
        y0 = top + g * group_h
        cls = "lbl strong" if field in ("micro", "macro") else "lbl"
        chart.add(text(label_w - 10, y0 + bar * len(rounds) / 2 + 4, field, cls, "end"))
        for i, r in enumerate(rounds):
            m = metric(result, r, field)
            if m is None:
                continue
            f1, lo, hi = m
            y = y0 + i * bar
            chart.add(shape("rect", cls="bar", x=label_w, y=y + 1, width=x(f1) - label_w,
                            height=bar - 2, fill=color(i),
                            title=f"{r.name} · {field}: F1 {pct(f1)} [{pct(lo)}, {pct(hi)}]"),
                      whisker(x(lo), x(hi), y + bar / 2, cap=3))
            d = difference(result, r, field) if r.name != ref else None
            if d is None:
                continue
            sig = d.significant
            col = (GOOD if d.delta > 0 else BAD) if sig else MUTED
            mark = (" ▲" if d.delta > 0 else " ▼") if sig else ""
            chart.add(text(right, y + bar / 2 + 4, f"{pct(d.delta, True)}{mark}",
                           "delta" + (" sig" if sig else ""), "end", fill=col,
                           title=f"{r.name} minus {ref} · {field}"))
    return chart


def _value_axis(chart: Chart, lo: float, hi: float, box: tuple[float, float, float, float],
                title: str) -> Scale:
    """A percentage y axis over round ticks containing [lo, hi]; returns its scale."""
    left, top, right, bottom = box
    lo_t, hi_t, ticks = nice_domain(max(0.0, lo * 100), min(100.0, hi * 100), 5)
    ys = Scale(lo_t, hi_t, bottom, top)
    for t in ticks:
        chart.add(line(left, ys(t), right, ys(t), GRID),
                  text(left - 6, ys(t) + 4, fmt_tick(t), "tick", "end"))
    mid = (top + bottom) / 2
    chart.add(text(14, mid, title, "axis", "middle", transform=f"rotate(-90 14 {mid:.1f})"))
    return ys


def learning_curve(result: RunResult, field: str = "micro") -> Chart | None:
    """F1 (with intervals) against synthetic training samples, one line per trained arm;
    baselines as bands.

    ``None`` when there is no curve: no arm has two rounds with different amounts of
    synthetic data.
    """
    arms: dict[str, list[RoundResult]] = {}
    for r in sorted((r for r in result.rounds if r.kind == "trained"),
                    key=lambda r: r.n_train_synthetic):
        arms.setdefault(r.arm or "trained", []).append(r)
    if not any(len({r.n_train_synthetic for r in rs}) > 1 for rs in arms.values()):
        return None
    trained = [r for rs in arms.values() for r in rs]
    baselines = [r for r in result.rounds if r.kind == "baseline"]
    width, height, left, top, bottom = 560, 330, 56, 20, 282
    right = width - max([130.0, *(label_width(f"{r.name} 100.0") + 12 for r in baselines)])
    vals = [v for r in result.rounds if (m := metric(result, r, field)) for v in m]
    chart = Chart("learning-curve", f"Learning curve ({field})", width, height)
    ys = _value_axis(chart, min(vals), max(vals), (left, top, right, bottom), f"{field} F1 (%)")
    xmax = max(r.n_train_synthetic for r in trained)
    _, _, xticks = nice_domain(0, xmax, 5)
    xs = Scale(0, xticks[-1], left, right)
    for t in xticks:
        chart.add(text(xs(t), bottom + 16, fmt_tick(t), "tick", "middle"))
    chart.add(line(left, bottom, right, bottom, "#888"),
              text((left + right) / 2, height - 10, "synthetic training samples", "axis",
                   "middle"))
    index = {r.name: i for i, r in enumerate(result.rounds)}
    for r in baselines:
        m = metric(result, r, field)
        if m is None:
            continue
        c = color(index[r.name])
        y, ylo, yhi = ys(m[0] * 100), ys(m[1] * 100), ys(m[2] * 100)
        chart.add(shape("rect", x=left, y=yhi, width=right - left, height=max(ylo - yhi, 0.5),
                        fill=c, opacity=0.13),
                  line(left, y, right, y, c, 2, stroke_dasharray="6 4"),
                  text(right + 6, y + 4, f"{r.name} {pct(m[0])}", "lbl small", fill=c))
    for rounds in arms.values():
        points = [(r, m) for r in rounds if (m := metric(result, r, field))]
        path = " ".join(f"{'M' if i == 0 else 'L'}{xs(r.n_train_synthetic):.1f},"
                        f"{ys(m[0] * 100):.1f}" for i, (r, m) in enumerate(points))
        stroke = color(index[points[0][0].name]) if len(arms) > 1 else "#4a5568"
        chart.add(shape("path", d=path, fill="none", stroke=stroke, stroke_width=2))
        for k, (r, m) in enumerate(points):
            px, py, c = xs(r.n_train_synthetic), ys(m[0] * 100), color(index[r.name])
            # the label on the side of the point the curve does not leave from
            rising = k + 1 < len(points) and points[k + 1][1][0] > m[0]
            chart.add(whisker(ys(m[1] * 100), ys(m[2] * 100), px, cap=4, vertical=True),
                      shape("circle", cls="pt", cx=px, cy=py, r=5.5, fill=c,
                            stroke="#fff", stroke_width=1.5,
                            title=f"{r.name}: {r.n_train_synthetic} synthetic samples, F1 "
                                  f"{pct(m[0])} [{pct(m[1])}, {pct(m[2])}]"),
                      text(px + 8, py + 16 if rising else py - 8, r.name, "lbl small"))
    return chart


def cost_scatter(result: RunResult, currency: str = "") -> Chart | None:
    """Micro F1 (with intervals) against each round's serving cost per 1,000 documents
    (or, when no round has a price, its p50 latency); the one-off cost in the labels.

    ``None`` when no round has either (nothing priced, nothing timed).
    """
    items = [(i, r, cost_view(result, r), m) for i, r in enumerate(result.rounds)
             if (m := metric(result, r, "micro")) is not None]
    priced = any(c.per_1k_docs for _, _, c, _ in items)

    def x_of(c: CostView) -> float:
        return (c.per_1k_docs or 0.0) if priced else (c.latency_p50_ms or 0.0)

    if not any(x_of(c) for _, _, c, _ in items):
        return None
    width, height, left, top, right, bottom = 560, 330, 56, 20, 430, 282
    chart = Chart("cost-f1", "Cost against micro F1", width, height)
    vals = [v for *_, m in items for v in m]
    ys = _value_axis(chart, min(vals), max(vals), (left, top, right, bottom), "micro F1 (%)")
    _, xmax, xticks = nice_domain(0, max(x_of(c) for _, _, c, _ in items), 5)
    xs = Scale(0, xmax, left, right)
    for t in xticks:
        chart.add(text(xs(t), bottom + 16, fmt_tick(t), "tick", "middle"))
    unit = f" ({currency})" if currency else ""
    axis = f"serving cost per 1,000 documents{unit}" if priced else \
        "latency p50 (ms; no prices given)"
    chart.add(line(left, bottom, right, bottom, "#888"),
              text((left + right) / 2, height - 10, axis, "axis", "middle"))
    labels: list[tuple[float, float, str]] = []
    for i, r, c, m in items:
        px, py = xs(x_of(c)), ys(m[0] * 100)
        chart.add(whisker(ys(m[1] * 100), ys(m[2] * 100), px, cap=4, vertical=True),
                  shape("circle", cls="pt", cx=px, cy=py, r=6, fill=color(i), stroke="#fff",
                        stroke_width=1.5,
                        title=f"{r.name}: per 1,000 docs {money(c.per_1k_docs, currency)}, "
                              f"latency p50 {number(c.latency_p50_ms)} ms, one-off "
                              f"{money(c.one_off, currency)} (training "
                              f"{money(c.train_cost, currency)}, data "
                              f"{money(c.data_cost, currency)}), F1 {pct(m[0])}"))
        once = f" (+{money(c.one_off)} once)" if c.one_off else ""
        labels.append((px, py, r.name + once))
    chart.add([text(lx + 9, ly + 4, name, "lbl small") for lx, ly, name in spread(labels)])
    return chart


def spread(labels: list[tuple[float, float, str]],
           gap: float = 13) -> list[tuple[float, float, str]]:
    """Labels moved apart vertically where points at nearly the same x would overlap."""
    placed: list[tuple[float, float, str]] = []
    for x, y, name in sorted(labels, key=lambda t: t[1]):
        for px, py, _ in placed:
            if abs(px - x) < 60 and y - py < gap:
                y = py + gap
        placed.append((x, y, name))
    return placed


def funnel_chart(result: RunResult) -> Chart | None:
    """Per synthetic batch: generated -> passed each judge -> used, as horizontal bars."""
    if not result.funnel:
        return None
    judges = list(dict.fromkeys(j for b in result.funnel for j in b.passed))  # judge order
    stages = ["generated", *(f"passed {j}" for j in judges), "used"]
    bar, gap, label_w, plot_w = 16, 14, 80, 440  # about 760 wide: readable at 800 px
    longest = max(label_width(f"{s}: 10000 (100%)") for s in stages)
    width = label_w + plot_w + longest + 20
    cols = ["#9aa5b1", *("#6b8fc7" for _ in judges), "#2f855a"]
    keys, legend_h = legend([("generated", cols[0]), ("passed judge", "#6b8fc7"),
                             ("used for training", cols[-1])], label_w, 14, plot_w)
    group_h = bar * len(stages) + gap
    top = 14 + legend_h + 6
    height = top + group_h * len(result.funnel) + 10
    chart = Chart("funnel", "Synthetic data funnel", width, height)
    chart.add(keys)
    vmax = max([b.generated for b in result.funnel] + [1])
    x = Scale(0, vmax, label_w, label_w + plot_w)
    for g, b in enumerate(result.funnel):
        y0 = top + g * group_h
        chart.add(text(label_w - 10, y0 + bar * len(stages) / 2 + 4, f"batch {b.batch}",
                       "lbl strong", "end"))
        values = [b.generated, *(b.passed.get(j, 0) for j in judges), b.accepted]
        for i, (stage, v) in enumerate(zip(stages, values, strict=True)):
            y = y0 + i * bar
            share = f"{100 * v / b.generated:.0f}%" if b.generated else "-"
            chart.add(shape("rect", cls="bar", x=label_w, y=y + 1,
                            width=max(x(v) - label_w, 0.5), height=bar - 2, fill=cols[i],
                            title=f"batch {b.batch} · {stage}: {v} ({share})"),
                      text(x(v) + 6, y + bar - 3, f"{stage}: {v} ({share})", "small"))
    return chart


__all__ = ["cost_scatter", "difference", "field_bars", "funnel_chart", "learning_curve",
           "metric", "spread"]
