"""A gate for CI: checks on one round of a run that fail a build.

* a floor on the round's micro F1, or on a field's F1 (in points, as reports show them);
* no significant regression against the same round (or a named one) of a baseline run:
  a paired bootstrap test where both runs scored the same hold-out documents (per-field
  tests corrected as the run says), otherwise an unpaired normal test on the two runs'
  own intervals.

``gate_failures`` returns one line per failed check; the CLI prints them and exits with
``GATE_EXIT``. See docs/reports.md, "A gate for CI".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

from ..errors import DataError
from ..results import RoundResult
from ..scoring.multiple import adjust
from ..scoring.stats import Difference, FieldMetrics
from .compare import LoadedRun, compare_runs, load_run
from .summary import p_text, pct

GATE_EXIT = 4


@dataclass(frozen=True)
class Gate:
    """What to check: floors in points (0-100) and an optional baseline run."""

    round: str | None = None
    min_f1: float | None = None
    min_field_f1: tuple[tuple[str, float], ...] = ()
    baseline: Path | None = None
    baseline_round: str | None = None

    @property
    def active(self) -> bool:
        return self.min_f1 is not None or bool(self.min_field_f1) or self.baseline is not None


def parse_floor(text: str) -> tuple[str, float]:
    """'lessor=70' -> ('lessor', 70.0); a bad value is a DataError."""
    name, sep, value = text.partition("=")
    try:
        points = float(value)
    except ValueError:
        points = -1.0
    if not sep or not name.strip() or not 0 <= points <= 100:
        raise DataError(f"--min-field-f1 {text!r}: give FIELD=POINTS with POINTS from 0 to 100")
    return name.strip(), points


def _round(run: LoadedRun, name: str | None, option: str) -> RoundResult:
    if name is None:
        return run.result.rounds[-1]
    try:
        return run.result.round(name)
    except KeyError:
        names = ", ".join(r.name for r in run.result.rounds)
        raise DataError(f"{option} {name!r}: {run.path} has no such round ({names})") from None


def _f1(m: FieldMetrics) -> str:
    ci = "" if m.f1_low is None or m.f1_high is None else f" [{pct(m.f1_low)}, {pct(m.f1_high)}]"
    return pct(m.f1) + ci


def unpaired(a: FieldMetrics, b: FieldMetrics, confidence: float) -> Difference:
    """``b - a`` from two independent intervals (normal approximation)."""
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    se = [((m.f1_high - m.f1_low) / (2 * z)) if m.f1_low is not None and m.f1_high is not None
          else 0.0 for m in (a, b)]
    s = (se[0] ** 2 + se[1] ** 2) ** 0.5
    delta = b.f1 - a.f1
    # without intervals the two values are exact: equal or not
    exact = 1.0 if delta == 0 else 0.0
    p = 2 * (1 - NormalDist().cdf(abs(delta) / s)) if s > 0 else exact
    return Difference(delta=delta, low=delta - z * s, high=delta + z * s, p_value=p,
                      significant=p <= 1 - confidence)


def _regressions(run: LoadedRun, r: RoundResult, base: LoadedRun, gate: Gate) -> list[str]:
    base_round = _round(base, gate.baseline_round or r.name, "--baseline-round")
    comp = compare_runs([base, run], [base_round.name, r.name])
    diff = comp.differences[0]
    where = f"{base.path} ({base_round.name})"
    scorer, conf = run.result.primary_scorer, base.result.confidence
    if diff.paired and diff.comparison is not None:
        c = diff.comparison
        how = f"paired on {c.n_docs} documents"
        checks = {"micro F1": c.micro, **{f"{f} F1": d for f, d in c.fields.items()}}
    else:
        how = f"unpaired: {diff.reason}"
        ours = r.scores[scorer]
        theirs = base_round.scores[base.result.primary_scorer]
        per_field = {f: unpaired(theirs.fields[f], ours.fields[f], conf) for f in comp.fields}
        method = run.result.correction
        for d, p in zip(per_field.values(), adjust([d.p_value for d in per_field.values()],
                                                    method), strict=True):
            d.p_adjusted = None if method == "none" else p
            d.significant = p <= 1 - conf if method != "none" else d.high < 0 or d.low > 0
        checks = {"micro F1": unpaired(theirs.micro, ours.micro, conf),
                  **{f"{f} F1": d for f, d in per_field.items()}}
    out = []
    for name, d in checks.items():
        if d.significant and d.delta < 0:
            p = d.p_adjusted if d.p_adjusted is not None else d.p_value
            out.append(f"gate: {r.name} is significantly worse than {where} on {name}: "
                       f"{pct(d.delta, True)} [{pct(d.low, True)}, {pct(d.high, True)}] "
                       f"points ({how}, {p_text(p)})")
    return out


def gate_failures(run: LoadedRun, gate: Gate) -> list[str]:
    """One line per failed check (empty: the gate passes). A gated round the stop rule
    left out fails the gate."""
    stopped = {x.round: x for x in run.result.decisions.stopped}
    if gate.round in stopped:
        return [f"gate: {gate.round} was not trained: the stop rule said stop after "
                f"{stopped[gate.round].after_step}"]
    r = _round(run, gate.round, "--gate-round")
    scores = r.scores[run.result.primary_scorer]
    out = []
    if gate.min_f1 is not None and 100 * scores.micro.f1 < gate.min_f1:
        out.append(f"gate: {r.name} micro F1 {_f1(scores.micro)} is below the floor "
                   f"{gate.min_f1:g}")
    for name, floor in gate.min_field_f1:
        m = scores.fields.get(name)
        if m is None:
            raise DataError(f"--min-field-f1 {name!r}: no such field "
                            f"({', '.join(run.result.fields)})")
        if 100 * m.f1 < floor:
            out.append(f"gate: {r.name} {name} F1 {_f1(m)} is below the floor {floor:g}")
    if gate.baseline is not None:
        out += _regressions(run, r, load_run(gate.baseline), gate)
    return out


def checks_run(gate: Gate) -> int:
    """How many checks the gate makes (a baseline counts once)."""
    return (gate.min_f1 is not None) + len(gate.min_field_f1) + (gate.baseline is not None)


__all__ = ["GATE_EXIT", "Gate", "checks_run", "gate_failures", "parse_floor", "unpaired"]
