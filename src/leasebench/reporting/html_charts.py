"""The HTML report's charts as inline SVG strings, drawn from a ``RunResult``."""

from __future__ import annotations

from ..scoring.stats import Difference, FieldMetrics
from .costs import CostView, cost_view, money, number
from .html_svg import (
    BAD,
    GOOD,
    MUTED,
    Scale,
    color,
    esc,
    fmt_tick,
    legend,
    line,
    nice_ticks,
    svg_open,
    text,
    whisker,
)
from .results import RoundResult, RunResult
from .summary import pct


def _metric(result: RunResult, r: RoundResult, field: str) -> tuple[float, float, float] | None:
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


def _diff(result: RunResult, r: RoundResult, field: str) -> Difference | None:
    comp = r.vs_reference.get(result.primary_scorer)
    if comp is None:
        return None
    return comp.micro if field == "micro" else comp.macro if field == "macro" \
        else comp.fields.get(field)


def field_bars(result: RunResult) -> str:
    """Horizontal grouped bars: F1 per field and round, interval whiskers, paired deltas."""
    rounds, ref = result.rounds, result.reference_round
    rows = [*result.fields, "micro", "macro"]
    bar, gap, label_w, plot_w, delta_w = 11, 12, 200, 620, 80 * max(1, len(rounds) - 1)
    group_h = bar * len(rounds) + gap
    top, width = 58, label_w + plot_w + 30 + delta_w
    height = top + group_h * len(rows) + 40
    x = Scale(0, 1, label_w, label_w + plot_w)
    out = [svg_open(width, height, "F1 per field and round", "field-bars")]
    out.append(legend([(r.name, color(i)) for i, r in enumerate(rounds)], label_w, 16,
                      step=max(110, min(180, plot_w / max(1, len(rounds))))))
    for t in nice_ticks(0, 100, 5):
        px = x(t / 100)
        out.append(line(px, top - 6, px, height - 36, "#e3e6ea"))
        out.append(text(px, height - 20, fmt_tick(t), "tick", "middle"))
    out.append(text(label_w + plot_w / 2, height - 3, "F1 (%), bars: point estimate, "
                    "whiskers: bootstrap interval", "axis", "middle"))
    dx = label_w + plot_w + 30
    others = [r for r in rounds if r.name != ref]
    for j, r in enumerate(others):
        out.append(text(dx + 80 * j + 70, top - 14, f"Δ {r.name}", "th", "end"))
    for g, field in enumerate(rows):
        y0 = top + g * group_h
        if g % 2 == 0:
            out.append(f'<rect x="0" y="{y0 - gap / 2:.1f}" width="{width}" height="{group_h}" '
                       'fill="#f6f8fa"/>')
        cls = "lbl strong" if field in ("micro", "macro") else "lbl"
        out.append(text(label_w - 10, y0 + bar * len(rounds) / 2 + 4, field, cls, "end"))
        for i, r in enumerate(rounds):
            m = _metric(result, r, field)
            if m is None:
                continue
            f1, lo, hi = m
            y = y0 + i * bar
            out.append(f'<rect class="bar" x="{label_w}" y="{y + 1}" width="{x(f1) - label_w:.1f}" '
                       f'height="{bar - 2}" fill="{color(i)}"><title>{esc(r.name)} · '
                       f'{esc(field)}: F1 {pct(f1)} [{pct(lo)}, {pct(hi)}]</title></rect>')
            out.append(whisker(x(lo), x(hi), y + bar / 2, cap=3))
        for j, r in enumerate(others):
            d = _diff(result, r, field)
            if d is None:
                continue
            sig = d.significant
            col = (GOOD if d.delta > 0 else BAD) if sig else MUTED
            mark = (" ▲" if d.delta > 0 else " ▼") if sig else ""
            out.append(text(dx + 80 * j + 70, y0 + bar * len(rounds) / 2 + 4,
                            f"{pct(d.delta, True)}{mark}", "delta" + (" sig" if sig else ""),
                            "end", f' fill="{col}"'))
    out.append("</svg>")
    return "".join(out)


def learning_curve(result: RunResult, field: str = "micro") -> str:
    """F1 (with intervals) against synthetic training samples; baselines as bands."""
    trained = sorted((r for r in result.rounds if r.kind == "trained"),
                     key=lambda r: r.n_train_synthetic)
    baselines = [r for r in result.rounds if r.kind == "baseline"]
    width, height, left, right, top, bottom = 560, 330, 56, 130, 20, 48
    points = [(r, _metric(result, r, field)) for r in result.rounds]
    vals = [v for _, m in points if m for v in m]
    lo = max(0.0, (min(vals) if vals else 0) - 0.05)
    hi = min(1.0, (max(vals) if vals else 1) + 0.05)
    xmax = max([r.n_train_synthetic for r in trained] + [1])
    xs = Scale(0, xmax, left, width - right)
    ys = Scale(lo * 100, hi * 100, height - bottom, top)
    out = [svg_open(width, height, f"Learning curve ({field})", "learning-curve")]
    for t in nice_ticks(lo * 100, hi * 100, 5):
        out.append(line(left, ys(t), width - right, ys(t), "#e3e6ea"))
        out.append(text(left - 6, ys(t) + 4, fmt_tick(t), "tick", "end"))
    for t in nice_ticks(0, xmax, 5):
        if t == int(t):
            out.append(text(xs(t), height - bottom + 16, fmt_tick(t), "tick", "middle"))
    out.append(line(left, height - bottom, width - right, height - bottom, "#888"))
    out.append(text((left + width - right) / 2, height - 10, "synthetic training samples",
                    "axis", "middle"))
    out.append(text(14, (top + height - bottom) / 2, f"{field} F1 (%)", "axis", "middle",
                    f' transform="rotate(-90 14 {(top + height - bottom) / 2:.1f})"'))
    index = {r.name: i for i, r in enumerate(result.rounds)}
    for r in baselines:
        m = _metric(result, r, field)
        if m is None:
            continue
        c = color(index[r.name])
        y, ylo, yhi = ys(m[0] * 100), ys(m[1] * 100), ys(m[2] * 100)
        out.append(f'<rect x="{left}" y="{yhi:.1f}" width="{width - right - left}" '
                   f'height="{max(ylo - yhi, 0.5):.1f}" fill="{c}" opacity="0.13"/>')
        out.append(line(left, y, width - right, y, c, 2, ' stroke-dasharray="6 4"'))
        out.append(text(width - right + 6, y + 4, f"{r.name} {pct(m[0])}", "lbl small",
                        extra=f' fill="{c}"'))
    path = [(xs(r.n_train_synthetic), ys(m[0] * 100)) for r in trained
            if (m := _metric(result, r, field))]
    if len(path) > 1:
        d = " ".join(f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py) in
                     enumerate(path))
        out.append(f'<path d="{d}" fill="none" stroke="#4a5568" stroke-width="2"/>')
    for r in trained:
        m = _metric(result, r, field)
        if m is None:
            continue
        px, c = xs(r.n_train_synthetic), color(index[r.name])
        out.append(whisker(ys(m[1] * 100), ys(m[2] * 100), px, cap=4, vertical=True))
        out.append(f'<circle class="pt" cx="{px:.1f}" cy="{ys(m[0] * 100):.1f}" r="5.5" '
                   f'fill="{c}" stroke="#fff" stroke-width="1.5"><title>{esc(r.name)}: '
                   f'{r.n_train_synthetic} synthetic samples, F1 {pct(m[0])} '
                   f'[{pct(m[1])}, {pct(m[2])}]</title></circle>')
        out.append(text(px + 8, ys(m[0] * 100) - 8, r.name, "lbl small"))
    out.append("</svg>")
    return "".join(out)


def cost_scatter(result: RunResult) -> str:
    """Micro F1 (with intervals) against each round's serving cost per 1,000 documents
    (or, when no round has a price, its p50 latency); the one-off cost in the labels."""
    width, height, left, right, top, bottom = 560, 330, 56, 40, 20, 48
    items = []
    for i, r in enumerate(result.rounds):
        m = _metric(result, r, "micro")
        if m is not None:
            items.append((i, r, cost_view(result, r), m))
    priced = any(c.per_1k_docs for _, _, c, _ in items)
    def x_of(c: CostView) -> float:
        return (c.per_1k_docs or 0.0) if priced else (c.latency_p50_ms or 0.0)
    costs = [x_of(c) for _, _, c, _ in items]
    cmax = max([*costs, 0.0]) or 1.0
    vals = [v for *_, m in items for v in m]
    lo = max(0.0, (min(vals) if vals else 0) - 0.05)
    hi = min(1.0, (max(vals) if vals else 1) + 0.05)
    xs = Scale(0, cmax * 1.1, left, width - right)
    ys = Scale(lo * 100, hi * 100, height - bottom, top)
    out = [svg_open(width, height, "Cost against micro F1", "cost-f1")]
    for t in nice_ticks(lo * 100, hi * 100, 5):
        out.append(line(left, ys(t), width - right, ys(t), "#e3e6ea"))
        out.append(text(left - 6, ys(t) + 4, fmt_tick(t), "tick", "end"))
    for t in nice_ticks(0, cmax * 1.1, 5):
        out.append(text(xs(t), height - bottom + 16, fmt_tick(t), "tick", "middle"))
    out.append(line(left, height - bottom, width - right, height - bottom, "#888"))
    axis = "serving cost per 1,000 documents" if priced else \
        "latency p50 (ms; no prices given)"
    out.append(text((left + width - right) / 2, height - 10, axis, "axis", "middle"))
    out.append(text(14, (top + height - bottom) / 2, "micro F1 (%)", "axis", "middle",
                    f' transform="rotate(-90 14 {(top + height - bottom) / 2:.1f})"'))
    if not any(costs):
        out.append(text((left + width - right) / 2, top + 14, "no costs or latencies "
                        "recorded", "note", "middle"))
    labels: list[Label] = []
    for i, r, c, m in items:
        px = xs(x_of(c))
        out.append(whisker(ys(m[1] * 100), ys(m[2] * 100), px, cap=4, vertical=True))
        out.append(f'<circle class="pt" cx="{px:.1f}" cy="{ys(m[0] * 100):.1f}" r="6" '
                   f'fill="{color(i)}" stroke="#fff" stroke-width="1.5"><title>{esc(r.name)}: '
                   f'per 1,000 docs {money(c.per_1k_docs)}, latency p50 '
                   f'{number(c.latency_p50_ms)} ms, one-off {c.one_off:.4f} (training '
                   f'{money(c.train_cost)}, data {c.data_cost:.4f}), F1 {pct(m[0])}'
                   "</title></circle>")
        name = r.name + (f" (+{c.one_off:.2f} once)" if c.one_off else "")
        labels.append((px, ys(m[0] * 100), name))
    out += [text(x + 9, y + 4, name, "lbl small") for x, y, name in _spread(labels)]
    out.append("</svg>")
    return "".join(out)


Label = tuple[float, float, str]


def _spread(labels: list[Label], gap: float = 13) -> list[Label]:
    """Labels moved apart vertically where points at nearly the same x would overlap."""
    placed: list[Label] = []
    for x, y, name in sorted(labels, key=lambda t: t[1]):
        for px, py, _ in placed:
            if abs(px - x) < 60 and y - py < gap:
                y = py + gap
        placed.append((x, y, name))
    return placed


def funnel_chart(result: RunResult) -> str:
    """Per synthetic batch: generated -> passed each judge -> used, as horizontal bars."""
    judges = list(dict.fromkeys(j for b in result.funnel for j in b.passed))  # judge order
    stages = ["generated", *(f"passed {j}" for j in judges), "used"]
    bar, gap, label_w, plot_w = 16, 14, 80, 640
    group_h = bar * len(stages) + gap
    top = 34
    height = top + group_h * len(result.funnel) + 10
    width = label_w + plot_w + 260
    vmax = max([b.generated for b in result.funnel] + [1])
    x = Scale(0, vmax, label_w, label_w + plot_w)
    cols = ["#9aa5b1", *("#6b8fc7" for _ in judges), "#2f855a"]
    out = [svg_open(width, height, "Synthetic data funnel", "funnel")]
    out.append(legend([("generated", cols[0]), ("passed judge", "#6b8fc7"),
                       ("used for training", cols[-1])], label_w, 14, step=150))
    for g, b in enumerate(result.funnel):
        y0 = top + g * group_h
        out.append(text(label_w - 10, y0 + bar * len(stages) / 2 + 4, f"batch {b.batch}",
                        "lbl strong", "end"))
        values = [b.generated, *(b.passed.get(j, 0) for j in judges), b.accepted]
        for i, (stage, v) in enumerate(zip(stages, values, strict=True)):
            y = y0 + i * bar
            share = f"{100 * v / b.generated:.0f}%" if b.generated else "-"
            out.append(f'<rect class="bar" x="{label_w}" y="{y + 1}" '
                       f'width="{max(x(v) - label_w, 0.5):.1f}" height="{bar - 2}" '
                       f'fill="{cols[i]}"><title>batch {b.batch} · {esc(stage)}: {v} '
                       f'({share})</title></rect>')
            out.append(text(x(v) + 6, y + bar - 3, f"{stage}: {v} ({share})", "small"))
    out.append("</svg>")
    return "".join(out)


__all__ = ["cost_scatter", "field_bars", "funnel_chart", "learning_curve"]
