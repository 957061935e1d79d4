"""What a leasebench run looks like in MLflow: names, metrics, descriptions and times.

- The parent run is named ``<experiment> <date> <short manifest hash>`` and carries the
  headline: per round ``micro_f1/<round>`` with its interval (``micro_f1_low/…``,
  ``micro_f1_high/…``) and the paired ``delta_micro_f1/<round>`` against the reference
  round, plus ``best_micro_f1`` and the ``best_round`` param, so the runs table compares
  runs without expanding them. Its description says what the run compared.
- A round run holds the hold-out metrics (``f1/<field>``, ``micro_f1``, ...) and how
  its answers parsed (``parse_rate``, ``partial_rate``, ``partial_answers``,
  ``salvaged_values``, ``micro_f1_without_salvage``; the rates for model answers only).
- A trial run holds what the trainer measured on the round's eval split, under its own
  prefixes: ``eval/…`` (``eval_f1`` becomes ``eval/f1``, ``f1/<field>`` ``eval/f1/<field>``)
  and ``train/…`` (``train_loss`` becomes ``train/loss``).
- Start and end times come from the stage log: a round run spans its training and
  extraction stages, a trial run its training stage, the parent the whole run.
- Every metric and param key goes through ``mlflow_keys``: a character MLflow refuses
  (a field named ``rent (€)``) becomes ``_``, a path part ``.``/``..`` or empty becomes
  ``_``, and keys that then coincide get ``_2``, ``_3``, ... so no stage's work is lost to
  a name MLflow rejects.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from typing import Any

from ..reporting.significance import Rule
from ..reporting.summary import best_round, headline, pct, round_cost, train_text
from ..results import RoundResult, RunResult, TrialResult

VIEW_KEY = "leasebench"  # the experiment's shared runs-table view
VIEW_TAG = f"mlflow.sharedViewState.{VIEW_KEY}"
ML_VIEW = f"viewStateShareKey={VIEW_KEY}&workflowType=machine_learning"  # MLflow 3's UI


def parent_name(result: RunResult, started_at: float, experiment: str | None = None) -> str:
    day = time.strftime("%Y-%m-%d", time.localtime(started_at))
    return f"{experiment or result.name} {day} {result.manifest_hash[:8]}"


def round_metrics(r: RoundResult, scorer: str) -> dict[str, float]:
    """A round run's hold-out metrics under ``scorer``."""
    s = r.scores[scorer]
    metrics: dict[str, float] = {}
    for field, m in s.fields.items():
        metrics |= {f"f1/{field}": m.f1, f"precision/{field}": m.precision,
                    f"recall/{field}": m.recall}
        if m.f1_low is not None and m.f1_high is not None:
            metrics |= {f"f1_low/{field}": m.f1_low, f"f1_high/{field}": m.f1_high}
    mi = s.micro
    metrics |= {"micro_f1": mi.f1, "micro_precision": mi.precision, "micro_recall": mi.recall,
                "macro_f1": s.macro_f1}
    for name, value in (("micro_f1_low", mi.f1_low), ("micro_f1_high", mi.f1_high),
                        ("macro_f1_low", s.macro_f1_low), ("macro_f1_high", s.macro_f1_high)):
        if value is not None:
            metrics[name] = value
    comp = r.vs_reference.get(scorer)
    if comp is not None:
        metrics |= {"delta_micro_f1": comp.micro.delta, "delta_macro_f1": comp.macro.delta}
        metrics |= {f"delta_f1/{f}": d.delta for f, d in comp.fields.items()}
    metrics |= {
        "parse_failures": r.parse_failures, "call_failures": r.call_failures,
        "partial_answers": r.partial_answers, "salvaged_values": r.salvaged_values,
        "tokens": r.usage.prompt_tokens + r.usage.completion_tokens, "cost": r.usage.cost,
        "n_train_synthetic": r.n_train_synthetic,
    }
    for name, value in (("parse_rate", r.parse_rate), ("partial_rate", r.partial_rate),
                        ("micro_f1_without_salvage", r.micro_f1_without_salvage)):
        if value is not None:  # model answers only (a CRF's predictions have no rates)
            metrics[name] = value
    return {k: float(v) for k, v in metrics.items()}


def headline_metrics(result: RunResult) -> dict[str, float]:
    """The parent run's metrics: every round's micro F1, interval and paired difference
    (rounded to 4 decimals, so the runs table shows them whole)."""
    return {k: round(v, 4) for k, v in _headline(result).items()}


def _headline(result: RunResult) -> dict[str, float]:
    scorer = result.primary_scorer
    metrics: dict[str, float] = {}
    for r in result.rounds:
        s = r.scores.get(scorer)
        if s is None:
            continue
        metrics[f"micro_f1/{r.name}"] = s.micro.f1
        if s.micro.f1_low is not None and s.micro.f1_high is not None:
            metrics[f"micro_f1_low/{r.name}"] = s.micro.f1_low
            metrics[f"micro_f1_high/{r.name}"] = s.micro.f1_high
        comp = r.vs_reference.get(scorer)
        if comp is not None:
            metrics[f"delta_micro_f1/{r.name}"] = comp.micro.delta
            metrics[f"significant_fields/{r.name}"] = float(
                sum(1 for d in comp.fields.values() if d.significant and d.delta > 0)
                - sum(1 for d in comp.fields.values() if d.significant and d.delta < 0))
    best = best_round(result)
    metrics["best_micro_f1"] = best.scores[scorer].micro.f1
    comp = best.vs_reference.get(scorer)
    if comp is not None:
        metrics["best_delta_micro_f1"] = comp.micro.delta
    cost = sum(round_cost(result, r).cost for r in result.rounds)
    metrics["cost"] = cost
    return metrics


RUN_NAME_COLUMN = "attributes.`Run Name`"


def runs_view(result: RunResult, current: str | None, run_name: str = "") -> str:
    """The experiment's shared view of the runs table: the headline columns, wide enough
    for their names, after the columns an earlier run chose (MLflow's UI loads it with
    ``?viewStateShareKey=…``)."""
    try:
        state = json.loads(current) if current else {}
    except ValueError:
        state = {}
    columns = list(state.get("selectedColumns") or [])
    ours = ["params.`best_round`", "metrics.`best_micro_f1`", "metrics.`best_delta_micro_f1`",
            *(f"metrics.`micro_f1/{r.name}`" for r in result.rounds),
            *(f"metrics.`delta_micro_f1/{r.name}`" for r in result.rounds
              if r.name != result.reference_round)]
    columns += [c for c in ours if c not in columns]
    order = list(state.get("columnOrder") or [RUN_NAME_COLUMN, "duration"])
    order += [c for c in columns if c not in order]
    widths = dict(state.get("columnWidths") or {})
    if run_name:  # the whole parent name, date and hash included
        widths[RUN_NAME_COLUMN] = max(widths.get(RUN_NAME_COLUMN, 0),
                                      min(420, 8 * len(run_name) + 64))
    for column in columns:
        widths.setdefault(column, min(320, 7 * len(column.split("`")[1]) + 30))
    return json.dumps({**state, "selectedColumns": columns, "columnOrder": order,
                       "columnWidths": widths})


_MLFLOW_BAD = re.compile(r"[^/\w.\- :]")
MLFLOW_KEY_MAX = 250


def mlflow_key(key: str) -> str:
    """``key`` as MLflow accepts a metric or param name (see the module notes)."""
    safe = _MLFLOW_BAD.sub("_", key)[:MLFLOW_KEY_MAX]
    return "/".join(p if p not in ("", ".", "..") else "_" for p in safe.split("/"))


def mlflow_keys(keys: Iterable[str]) -> dict[str, str]:
    """Each key's MLflow-safe name, distinct for distinct keys."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        safe = base = mlflow_key(key)
        n = 1
        while safe in taken:
            n += 1
            safe = f"{base[:MLFLOW_KEY_MAX - 8]}_{n}"
        taken.add(safe)
        out[key] = safe
    return out


def trial_metric_name(name: str) -> str:
    """A trainer's metric under the trial prefixes (``eval/…``, ``train/…``)."""
    if name.startswith("train_"):
        return "train/" + name.removeprefix("train_")
    if name == "learning_rate":
        return "train/learning_rate"
    if name.startswith("eval_"):
        return "eval/" + name.removeprefix("eval_")
    return "eval/" + name


def trial_metrics(t: TrialResult) -> dict[str, float]:
    return {trial_metric_name(k): float(v) for k, v in t.metrics.items()}


def trial_name(r: RoundResult, t: TrialResult) -> str:
    params = ", ".join(f"{k}={v}" for k, v in t.params.items())
    return f"{r.name} trial {t.index}" + (f": {params}" if params else "")


def _component(manifest: dict[str, Any], key: str) -> str:
    spec = manifest.get(key)
    return spec.get("name", "") if isinstance(spec, dict) else ""


def describe_run(result: RunResult, manifest: dict[str, Any]) -> str:
    """The parent run's description (Markdown): what it compared and what it found."""
    scorer = result.primary_scorer
    trainer = manifest.get("trainer") or {}
    sweep = ", ".join(f"{k}: {', '.join(map(str, v))}"
                      for k, v in (trainer.get("sweep") or {}).items())
    rounds = "; ".join(_round_summary(r) for r in result.rounds)
    lines = [
        f"**{result.name}**: does synthetic data beat real data alone, field by field? "
        f"Rounds compared on {result.n_holdout} hold-out documents (train: "
        f"{train_text(result)}): {rounds}.",
        "",
        "- components: " + ", ".join(
            f"{key} `{name}`" for key, name in (
                ("generator", _component(manifest, "generator")),
                ("trainer", _component(manifest, "trainer")),
                ("baseline", _component(manifest, "baseline"))) if name)
        + (f" (sweep {sweep})" if sweep else "") + f"; scorer `{scorer}`",
    ]
    best, h = best_round(result), headline(result)
    micro = best.scores[scorer].micro
    found = f"- best round **{best.name}**: micro F1 {pct(micro.f1)}"
    if micro.f1_low is not None:
        found += f" [{pct(micro.f1_low)}, {pct(micro.f1_high)}]"
    rule = Rule.of_run(result)
    if h.micro is not None and best.name != result.reference_round:
        found += f", {rule.describe(h.micro)} vs {result.reference_round}"
        found += f" ({rule.verdict(h.micro)})"
    lines.append(found)
    if h.improved or h.worse:
        lines.append(f"- significantly better: {', '.join(h.improved) or 'none'}; "
                     f"worse: {', '.join(h.worse) or 'none'}")
    if any(r.vs_reference for r in result.rounds):
        lines.append(f"- significant: {rule.criterion()}")
    lines.append(f"- manifest hash `{result.manifest_hash}`, seed {result.seed}")
    return "\n".join(lines) + "\n"


def _round_summary(r: RoundResult) -> str:
    if r.kind == "baseline":
        return f"{r.name} (prompted baseline)"
    return f"{r.name} ({r.n_train_real} real + {r.n_train_synthetic} synthetic)"


def describe_round(r: RoundResult, result: RunResult) -> str:
    """A round run's description: its training data, selected trial and hold-out result."""
    scorer = result.primary_scorer
    text = _round_summary(r).replace(f"{r.name} (", "", 1).rstrip(")")
    parts = [f"**{r.name}**: {text}."]
    selected = next((t for t in r.trials if t.selected), None)
    if selected is not None:
        params = ", ".join(f"{k}={v}" for k, v in selected.params.items()) or "default params"
        parts.append(f"Selected trial {selected.index} ({params}) of {len(r.trials)}.")
    s = r.scores.get(scorer)
    if s is not None:
        parts.append(f"Hold-out micro F1 {pct(s.micro.f1)}.")
    comp = r.vs_reference.get(scorer)
    if comp is not None:
        rule = Rule.of_run(result)
        parts.append(f"vs {result.reference_round}: {rule.describe(comp.micro)} "
                     f"({rule.verdict(comp.micro)}).")
    return " ".join(parts) + "\n"


def window(timings: Iterable[dict[str, Any]], stages: Iterable[str] = (),
           prefixes: Iterable[str] = ()) -> tuple[int, int] | None:
    """(start, end) in epoch milliseconds of the named stages in the stage log."""
    names, prefixes = set(stages), tuple(prefixes)
    hits = [t for t in timings if "started_at" in t and (
        t["stage"] in names or (prefixes and t["stage"].startswith(prefixes)))]
    if not hits:
        return None
    return (int(1000 * min(t["started_at"] for t in hits)),
            int(1000 * max(t["ended_at"] for t in hits)))


__all__ = [
    "ML_VIEW",
    "VIEW_TAG",
    "describe_round",
    "describe_run",
    "headline_metrics",
    "mlflow_key",
    "mlflow_keys",
    "parent_name",
    "round_metrics",
    "runs_view",
    "trial_metric_name",
    "trial_metrics",
    "trial_name",
    "window",
]
