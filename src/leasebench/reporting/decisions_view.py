"""The decision sections as format-neutral tables and sentences, rendered by the Markdown,
terminal and HTML reports alike.

``measured``: use measured costs (hourly-priced training and serving, from timing.json);
the Markdown report, which holds nothing that varies between identical runs, passes
False and points to report.html for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..decisions.breakeven import Volume, break_even, describe_volume
from ..decisions.marginal import moved_fields
from ..results import RunResult
from ..results.decisions import BreakEven, Step
from ..scoring.stats import Difference
from .costs import cost_view
from .markdown_sections import CORRECTION_NAMES
from .summary import in_currency, p_text, pct


@dataclass
class ViewTable:
    head: list[str]
    rows: list[list[str]]
    left: int = 1  # leading text columns
    prose: bool = False  # the last column is free text (may wrap)


@dataclass
class ViewSection:
    key: str
    title: str
    hint: str
    tables: list[ViewTable] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _interval(d: Difference) -> str:
    mark = (" ▲" if d.delta > 0 else " ▼") if d.significant else ""
    return f"{pct(d.delta, True)} [{pct(d.low, True)}, {pct(d.high, True)}]{mark}"


def _money(x: float | None) -> str:
    return "-" if x is None else f"{x:,.4f}" if abs(x) < 100 else f"{x:,.0f}"


def proxy_section(result: RunResult) -> ViewSection | None:
    d = result.decisions
    if not d.proxy_audit:
        return None
    conf = round(100 * result.confidence)
    s = ViewSection("proxy-audit", "Proxy metrics: would they pick the best-F1 trial?",
                    f"Each sweep's trials scored on the {result.n_dev} real dev documents. Regret "
                    "= the best trial's dev micro F1 minus the proxy's trial's, in points, with a "
                    f"{conf}% interval over dev documents (simultaneous over the sweep's trials).")
    rows = []
    for a in d.proxy_audit:
        sweep = ", ".join(a.rounds)
        for p in a.picks:
            rows.append([sweep, p.proxy, str(p.trial), str(a.f1_trial), "yes" if p.agrees
                         else "no", pct(p.dev_f1), f"{pct(p.regret)} [{pct(p.low)}, "
                         f"{pct(p.high)}]"])
        if a.note:
            s.lines.append(f"{sweep}: {a.note}.")
    if rows:
        s.tables.append(ViewTable(["sweep", "proxy", "proxy's trial", "best-F1 trial",
                                   "same", "dev F1", "regret (points)"], rows, left=2))
    for g in d.proxy_agreement:
        other = "the best-F1 trial" if g.other == "eval_f1" else f"the trial {g.other} picked"
        s.lines.append(f"{g.proxy} picked {other} in {g.agreed} of {g.sweeps} sweep(s).")
    return s


def step_cost(result: RunResult, st: Step, measured: bool) -> float:
    """Data plus training cost of a step (with measured hourly training when asked)."""
    train = st.training_cost
    if measured:
        t = result.timing.get(st.after)
        if t is not None and t.train_cost is not None:
            train = t.train_cost
    return st.data_cost + train


def next_round_section(result: RunResult, measured: bool) -> ViewSection | None:
    d = result.decisions
    if not d.steps and not d.stopped:
        return None
    conf = round(100 * result.confidence)
    cost_head = in_currency(result, "cost" if measured else "cost (data + billed training)")
    rule = "the gain is significant" + (
        f" and at least {100 * d.min_gain:.1f} points" if d.min_gain else "")
    s = ViewSection("next-round", "Is the next synthetic round worth it?",
                    f"Each added round of a trained arm against the arm's round before it: "
                    f"micro F1 gain in points ({conf}% paired interval, seed variation "
                    f"included) and what the added round cost (generating and judging its "
                    f"batches, training it). Stop rule: go on while {rule}.")
    rows = [[st.arm, f"{st.before} → {st.after}", f"{st.added_samples:,}",
             _interval(st.comparison.micro), p_text(st.comparison.micro.p_value),
             _money(step_cost(result, st, measured)), st.verdict] for st in d.steps]
    if rows:
        s.tables.append(ViewTable(["arm", "step", "samples added", "Δ micro F1", "p",
                                   cost_head, "verdict"], rows, left=2))
    s.lines += [f"{st.arm}: {st.reason}." for st in d.steps]
    s.lines += [f"{x.round} was not trained: the stop rule said stop after {x.after_step}."
                for x in d.stopped]
    if not measured and any(step_cost(result, st, True) != step_cost(result, st, False)
                            for st in d.steps):
        s.lines.append("Hourly-priced training is measured: report.html and timing.json add it.")
    return s


def attribution_section(result: RunResult) -> ViewSection | None:
    d = result.decisions
    pairs = [(f"{st.before} → {st.after}", st.comparison) for st in d.steps]
    pairs += [(f"{p.a} → {p.b}", p.comparison) for p in d.families]
    if not pairs:
        return None
    s = ViewSection("attribution", "Which fields each change moves",
                    "Paired per-field differences in points between rounds of one family (the "
                    "same trained arm with more synthetic data, or untrained arms of the same "
                    "extractor); ▲/▼ significant after the "
                    f"{CORRECTION_NAMES.get(result.correction, result.correction)} "
                    "correction over fields.")
    rows = []
    for name in [*result.fields, "micro"]:
        cells = [name]
        for _, comp in pairs:
            diff = comp.micro if name == "micro" else comp.fields.get(name)
            cells.append("-" if diff is None else pct(diff.delta, True) + (
                (" ▲" if diff.delta > 0 else " ▼") if diff.significant else ""))
        rows.append(cells)
    s.tables.append(ViewTable(["field", *(label for label, _ in pairs)], rows))
    for label, comp in pairs:
        helped, hurt = moved_fields(comp)
        if not helped and not hurt:
            s.lines.append(f"{label}: no field moved significantly.")
            continue
        parts = [f"{verb} " + ", ".join(f"{f} {pct(comp.fields[f].delta, True)}"
                                        for f in names)
                 for verb, names in (("helped", helped), ("hurt", hurt)) if names]
        s.lines.append(f"{label}: " + "; ".join(parts) + ".")
    return s


def measured_volume(result: RunResult, b: BreakEven) -> tuple[Volume, float, float, float]:
    """Volume, one-off and costs per document with measured hourly prices (timing.json)."""
    trained, prompted = result.round(b.trained), result.round(b.prompted)
    tv, pv = cost_view(result, trained), cost_view(result, prompted)
    per_t = tv.per_1k_docs / 1000 if tv.per_1k_docs is not None else b.per_doc_trained
    per_p = pv.per_1k_docs / 1000 if pv.per_1k_docs is not None else b.per_doc_prompted
    one_off = tv.one_off if tv.train_cost is not None else b.one_off
    return break_even(one_off, b.months, per_t, per_p), one_off, per_t, per_p


def break_even_section(result: RunResult, measured: bool) -> ViewSection | None:
    entries = result.decisions.break_even
    if not entries:
        return None
    months = entries[0].months
    s = ViewSection("break-even", "Break-even volume",
                    f"Documents per month from which a trained round (one-off cost of its "
                    f"synthetic data and training spread over {months:g} months, plus its "
                    f"serving cost per document) costs less than prompting "
                    f"{entries[0].prompted}; next to the micro F1 difference. Never: the "
                    "trained round costs at least as much per document; always: it has no "
                    "one-off cost and costs less per document.")
    rows = []
    for b in entries:
        one_off, per_t, per_p = b.one_off, b.per_doc_trained, b.per_doc_prompted
        volume: Volume | None = Volume(b.docs_per_month, b.never) if not b.hourly else None
        if measured and b.hourly and result.timing:
            volume, one_off, per_t, per_p = measured_volume(result, b)
        if volume is None:  # hourly prices, not measured here
            rows.append([b.trained, _interval(b.delta), "-", "-", "-", "(hourly prices)"])
            continue
        rows.append([b.trained, _interval(b.delta), _money(one_off), _money(1000 * per_t),
                     _money(1000 * per_p), describe_volume(volume)])
    s.tables.append(ViewTable(
        ["trained round", f"Δ micro F1 vs {entries[0].prompted}",
         in_currency(result, "one-off"), in_currency(result, "per 1k docs"),
         in_currency(result, f"{entries[0].prompted} per 1k docs"), "cheaper"], rows,
        prose=True))
    if any(r[-1] == "(hourly prices)" for r in rows):
        s.lines.append("Hourly prices need measured latency and training time: report.html, "
                       "the terminal report and timing.json give these volumes.")
    return s


def _kappa(k: float | None) -> str:
    return "-" if k is None else f"{k:.2f}"


def judges_section(result: RunResult) -> ViewSection | None:
    d = result.decisions
    pairs = [*d.judges, *d.judge_gold]
    if not pairs:
        return None
    s = ViewSection("judge-agreement", "Do the judges agree?",
                    "Pairs of judges on the synthetic samples both scored (judges without "
                    "model calls score every sample; later judges only what earlier ones "
                    "passed), and each judge against the samples' gold validity where the "
                    "generator records it. Kappa: Cohen's, agreement beyond chance (1 = "
                    "always agree, 0 = chance, '-' = undefined: both pass everything).")
    rows = [[p.a, p.b, f"{p.n:,}", f"{p.both_pass:,}", f"{p.a_only:,}", f"{p.b_only:,}",
             f"{p.both_reject:,}", _kappa(p.kappa)] for p in pairs]
    s.tables.append(ViewTable(["judge a", "judge b", "samples", "both pass", "a only",
                               "b only", "both reject", "kappa"], rows, left=2))
    for p in pairs:  # examples where both sides reject something (not a pass-all judge)
        if p.a_only + p.both_reject == 0 or p.b_only + p.both_reject == 0:
            continue
        for x in p.disagreements[:3]:
            s.lines.append(f"{x.sample} (batch {x.batch}): {x.passed_by} passed, "
                           f"{x.rejected_by} rejected: {x.reason}")
    return s


def ablation_section(result: RunResult) -> ViewSection | None:
    entries = result.decisions.ablation
    if not entries:
        return None
    conf = round(100 * result.confidence)
    s = ViewSection("judge-ablation", "Does each judge earn its cost?",
                    f"{entries[0].round} against the same round trained again with each "
                    "judge's rejects put back (the samples only that judge rejected): Δ > 0 "
                    f"means the judge's filtering helped ({conf}% paired interval); its cost "
                    "is what the judge's calls cost over the round's batches.")
    rows = []
    for a in entries:
        helped, hurt = moved_fields(a.comparison)
        rows.append([a.judge, f"{a.put_back:,}", _money(a.cost),
                     _interval(a.comparison.micro) if a.put_back else "(nothing put back)",
                     ", ".join(helped) or "-", ", ".join(hurt) or "-"])
    s.tables.append(ViewTable(["judge", "put back", in_currency(result, "cost"),
                               "Δ micro F1", "fields it helps", "fields it hurts"], rows))
    return s


def decision_sections(result: RunResult, measured: bool) -> list[ViewSection]:
    """Every decision section the report has data for, in report order."""
    parts = [proxy_section(result), next_round_section(result, measured),
             attribution_section(result), break_even_section(result, measured),
             judges_section(result), ablation_section(result)]
    return [p for p in parts if p is not None]


__all__ = ["ViewSection", "ViewTable", "decision_sections", "measured_volume", "step_cost"]
