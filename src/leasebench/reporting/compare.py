"""Comparing runs: one round per run, field by field, paired where the hold-outs match.

Each run directory's ``report/report.json`` gives the scores; ``report/outcomes.json``
(written by the ``json`` reporter) gives per-document outcomes. When two runs scored the
same hold-out documents (same ids and the same gold), their difference is a paired
bootstrap test (``scoring.stats.compare``); otherwise the report shows each run's own
intervals and says why the comparison is unpaired.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from ..errors import DataError
from ..outcomes import FN, TP, Outcomes
from ..results import RoundResult, RoundTiming, RunResult
from ..scoring.multiple import correct_comparisons
from ..scoring.stats import Comparison, ScoreSummary, compare
from .history import RUN_FILE
from .json_report import TIMING_FILE
from .manifest_diff import ManifestDifference, manifest_differences, read_manifest
from .outcomes_io import OUTCOMES_FILE, load_outcomes
from .report_file import read_report, read_text, strict_loads
from .summary import best_round, round_cost


@dataclass
class LoadedRun:
    """One run directory's results and, where written, its per-document outcomes."""

    path: Path
    result: RunResult
    outcomes: dict[str, dict[str, Outcomes]] | None


def load_run(path: Path) -> LoadedRun:
    """Load a run from its directory, its report/ directory or its report.json."""
    path = Path(path)
    report = path if path.is_file() else path / "report.json" \
        if os.path.lexists(path / "report.json") else path / "report" / "report.json"
    if not os.path.lexists(report):
        raise DataError(f"{path}: no report/report.json (is this a run directory?)")
    result = read_report(report)
    timing_path = report.parent / TIMING_FILE
    if timing_path.exists():
        try:
            timing = strict_loads(read_text(timing_path, "timing file"))
            result.timing = {k: RoundTiming.model_validate(v) for k, v in timing.items()}
        except ValueError as exc:
            raise DataError(f"{timing_path}: not a leasebench timing file ({exc})") from exc
    result.resent_calls = resent_calls(report.parent.parent / RUN_FILE, result)
    outcomes_path = report.parent / OUTCOMES_FILE
    outcomes = load_outcomes(outcomes_path) if outcomes_path.exists() else None
    return LoadedRun(report.parent.parent, result, outcomes)


def resent_calls(path: Path, result: RunResult) -> dict[str, int]:
    """Per stage, the calls that may have been paid twice, from the run's ``run.json``
    (its ``usage``), when that file is this report's run's; else none."""
    if not path.is_file():
        return {}
    try:
        meta = strict_loads(read_text(path, "run file"))
        if not isinstance(meta, dict) or meta.get("manifest_hash") != result.manifest_hash:
            return {}
        usage = meta.get("usage")
        if usage is None:
            return {}
        if not isinstance(usage, dict):
            raise ValueError("its usage is not an object")
        out = {}
        for stage, entry in usage.items():
            n = entry.get("resent_calls", 0) if isinstance(entry, dict) else 0
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise ValueError(f"usage.{stage}.resent_calls is not a count")
            if n:
                out[str(stage)] = n
    except ValueError as exc:
        raise DataError(f"{path}: not a leasebench run file ({exc})") from exc
    return out


class RunEntry(BaseModel):
    """One compared (run, round)."""

    label: str
    run: str
    path: str
    manifest_hash: str
    round: str
    kind: str
    scorer: str
    n_docs: int
    n_train_synthetic: int
    cost: float
    tokens: int
    summary: ScoreSummary


class EntryDifference(BaseModel):
    """An entry against the reference entry: paired test, or unpaired point difference."""

    label: str
    paired: bool
    reason: str = ""
    fields: dict[str, float] = Field(default_factory=dict)
    micro: float = 0.0
    macro: float = 0.0
    comparison: Comparison | None = None


class RunComparison(BaseModel):
    """Runs compared field by field against the first one."""

    reference: str
    fields: list[str]
    confidence: float
    entries: list[RunEntry]
    differences: list[EntryDifference]
    notes: list[str] = Field(default_factory=list)
    manifest_differences: list[ManifestDifference] = Field(
        default_factory=list,
        description="Resolved-manifest keys whose values differ between the runs (one value "
        "per entry).")
    manifests_missing: list[str] = Field(
        default_factory=list, description="Entries whose run directory has no manifest.yaml.")
    currency: str = Field("", description="Currency of the costs (the first run's).")


def _pick_round(run: LoadedRun, name: str | None) -> RoundResult:
    if name is None:
        return best_round(run.result)
    try:
        return run.result.round(name)
    except KeyError:
        names = ", ".join(r.name for r in run.result.rounds)
        raise DataError(f"{run.path}: no round {name!r} (rounds: {names})") from None


def _subset(o: Outcomes, fields: Sequence[str]) -> Outcomes:
    idx = [o.fields.index(f) for f in fields]
    return Outcomes(o.doc_ids, tuple(fields), o.counts[:, idx], o.parse_failures,
                    o.call_failures, o.missing)


def _pairing(ref: LoadedRun, rr: RoundResult, other: LoadedRun, orr: RoundResult,
             scorer: str, fields: list[str]) -> tuple[Outcomes, Outcomes] | str:
    """Both outcome tables (same docs and gold), or why the pair cannot be paired."""
    tables = []
    for run, r in ((ref, rr), (other, orr)):
        table = (run.outcomes or {}).get(r.name, {}).get(scorer)
        if table is None:
            return f"{run.path.name}: no per-document outcomes ({OUTCOMES_FILE}) for {r.name}"
        tables.append(_subset(table, fields))
    a, b = tables
    if set(a.doc_ids) != set(b.doc_ids):
        shared = len(set(a.doc_ids) & set(b.doc_ids))
        return (f"hold-out documents differ ({a.n_docs} vs {b.n_docs} documents, "
                f"{shared} shared ids)")
    b = b.reindexed(a.doc_ids)
    gold_a = a.counts[..., TP] + a.counts[..., FN] > 0
    gold_b = b.counts[..., TP] + b.counts[..., FN] > 0
    gold_vals = {(d.id, d.field): d.gold for d in rr.details}
    clash = any(gold_vals.get((d.id, d.field), d.gold) != d.gold for d in orr.details)
    if not np.array_equal(gold_a, gold_b) or clash:
        return "hold-out documents differ (same ids, different gold labels)"
    return a, b


def compare_runs(
    runs: Sequence[LoadedRun], rounds: Sequence[str] = (), scorer: str | None = None,
    iterations: int | None = None,
) -> RunComparison:
    """Compare one round of each run (default: each run's best) against the first run."""
    if not runs:
        raise DataError("no runs to compare")
    if rounds and len(rounds) not in (1, len(runs)):
        raise DataError(f"give one --round for all runs or one per run ({len(runs)})")
    names: list[str | None] = [None] * len(runs)
    if rounds:
        names = [rounds[0] for _ in runs] if len(rounds) == 1 else [*rounds]
    picked = [_pick_round(run, n) for run, n in zip(runs, names, strict=True)]
    ref_run, ref_round = runs[0], picked[0]
    scorer = scorer or ref_run.result.primary_scorer
    notes: list[str] = []
    fields = [f for f in ref_run.result.fields if all(f in r.result.fields for r in runs)]
    if any(r.result.fields != ref_run.result.fields for r in runs):
        notes.append("the runs' schemas differ: only fields common to all runs are compared")
    labels = _labels(runs, picked)
    entries = []
    for run, r, label in zip(runs, picked, labels, strict=True):
        used = scorer if scorer in r.scores else run.result.primary_scorer
        if used != scorer:
            notes.append(f"{label}: no scorer {scorer!r}; using its primary scorer {used!r}")
        cost = round_cost(run.result, r)
        entries.append(RunEntry(
            label=label, run=run.result.name, path=str(run.path),
            manifest_hash=run.result.manifest_hash, round=r.name, kind=r.kind, scorer=used,
            n_docs=r.scores[used].n_docs, n_train_synthetic=r.n_train_synthetic,
            cost=cost.cost, tokens=cost.tokens, summary=r.scores[used],
        ))
    ref_summary = entries[0].summary
    diffs = []
    for run, r, entry in zip(runs[1:], picked[1:], entries[1:], strict=True):
        s = entry.summary
        diff = EntryDifference(
            label=entry.label, paired=False,
            fields={f: s.fields[f].f1 - ref_summary.fields[f].f1 for f in fields},
            micro=s.micro.f1 - ref_summary.micro.f1, macro=s.macro_f1 - ref_summary.macro_f1,
        )
        pair = _pairing(ref_run, ref_round, run, r, scorer, fields) \
            if entry.scorer == scorer == entries[0].scorer else "different scorers"
        if isinstance(pair, str):
            diff.reason = pair
            notes.append(f"{entry.label} vs {entries[0].label}: unpaired, {pair}; "
                         "compare each run's own intervals")
        else:
            n_iter = iterations if iterations is not None else (ref_summary.iterations or 1000)
            comp = compare(*pair, iterations=n_iter, seed=ref_run.result.seed,
                           confidence=ref_run.result.confidence)
            diff.paired, diff.comparison = True, comp
            diff.fields = {f: d.delta for f, d in comp.fields.items()}
            diff.micro, diff.macro = comp.micro.delta, comp.macro.delta
        diffs.append(diff)
    paired = {d.label: d.comparison for d in diffs if d.comparison is not None}
    correct_comparisons(paired, method=ref_run.result.correction,
                        confidence=ref_run.result.confidence)
    manifests = [read_manifest(run.path) for run in runs]
    missing = [e.label for e, m in zip(entries, manifests, strict=True) if m is None]
    return RunComparison(reference=entries[0].label, fields=fields,
                         confidence=ref_run.result.confidence, entries=entries,
                         differences=diffs, notes=notes,
                         manifest_differences=[] if missing else manifest_differences(
                             [m for m in manifests if m is not None]),
                         manifests_missing=missing,
                         currency=ref_run.result.currency)


def _labels(runs: Sequence[LoadedRun], picked: Sequence[RoundResult]) -> list[str]:
    """``name/round`` per entry, made unique with the manifest hash, then the position."""
    labels = [f"{run.result.name}/{r.name}" for run, r in zip(runs, picked, strict=True)]
    for suffix in (lambda i: f"@{runs[i].result.manifest_hash[:8]}", lambda i: f"#{i + 1}"):
        dupes = {label for label in labels if labels.count(label) > 1}
        labels = [label + suffix(i) if label in dupes else label
                  for i, label in enumerate(labels)]
    return labels


__all__ = ["EntryDifference", "LoadedRun", "RunComparison", "RunEntry", "compare_runs",
           "load_run", "resent_calls"]
