"""Proxy-metric audit: which sweep trial each proxy (token accuracy, perplexity, loss)
would pick, whether that is the trial with the best dev micro F1, and the F1 regret of
trusting it, with an interval over dev documents.

Regret = max over trials of F1(t) - F1(p), p the proxy's trial (>= 0). Its interval comes
from simultaneous intervals of every paired difference F1(t) - F1(p): one document
resampling shared by all trials, each difference's percentile interval at the Bonferroni
level (1 - confidence) / (trials - 1); if every difference lies in its interval, the
regret lies in [max(0, max low), max(0, max high)]. See docs/metrics.md, "Decisions".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..outcomes import Outcomes
from ..results import TrialResult
from ..results.decisions import ProxyAgreement, ProxyPick, SweepAudit
from ..scoring.stats import _bootstrap_totals, _check, _f1_nan

#: Metrics trainers report on the dev split that stand in for F1, and which way is better.
KNOWN_PROXIES: dict[str, str] = {
    "token_accuracy": "max", "accuracy": "max", "eval_loss": "min", "cross_entropy": "min",
    "perplexity": "min", "loss": "min", "train_loss": "min",
}


def proxies_of(
    trials: Sequence[Mapping[str, float]], select_metric: str, select_mode: str,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The proxies every trial reports (finite), with their direction: the known ones,
    ``extra`` and the selection metric itself when it is not ``eval_f1``."""
    known = {**KNOWN_PROXIES, **(extra or {})}
    if select_metric != "eval_f1":
        known[select_metric] = select_mode
    return {name: mode for name, mode in known.items()
            if trials and all(_finite(t.get(name)) for t in trials)}


def _finite(x: object) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def pick(values: Sequence[float], mode: str) -> int:
    """Index of the best value (``max`` or ``min``); ties go to the first."""
    sign = 1.0 if mode == "max" else -1.0
    return max(range(len(values)), key=lambda i: (sign * values[i], -i))


def _micro(totals: np.ndarray) -> np.ndarray:
    """Micro F1 over (..., n_fields, 4) totals; 1.0 where vacuous."""
    return np.nan_to_num(_f1_nan(totals.sum(axis=-2)), nan=1.0)


def dev_f1(dev: Sequence[Outcomes]) -> list[float]:
    """Micro F1 of each trial on the dev split."""
    return [float(_micro(o.counts.sum(axis=0))) for o in dev]


def regret(
    dev: Sequence[Outcomes], trial: int, *, iterations: int = 1000, seed: int = 0,
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """Regret of picking ``trial`` (best dev micro F1 minus its), with its interval."""
    alpha = _check(iterations, confidence)
    docs = dev[0].doc_ids
    tables = [o.reindexed(docs).counts for o in dev]
    points = np.array([float(_micro(t.sum(axis=0))) for t in tables])
    point = max(0.0, float(np.max(points - points[trial])))
    if len(dev) < 2 or iterations == 0 or not docs:
        return point, point, point
    n_f = tables[0].shape[1]
    boot = _bootstrap_totals(np.concatenate(tables, axis=1), iterations, seed)
    f1 = _micro(boot.reshape(iterations, len(dev), n_f, 4))  # (B, trials)
    level = alpha / (len(dev) - 1)
    lows, highs = [], []
    for t in range(len(dev)):
        if t == trial:
            continue
        lo, hi = np.quantile(f1[:, t] - f1[:, trial], [level, 1 - level])
        lows.append(float(lo))
        highs.append(float(hi))
    low, high = max(0.0, max(lows)), max(0.0, max(highs))
    return point, min(low, point), max(high, point)


def audit_sweep(
    arm: str, synthetic_batches: int, rounds: list[str], trials: Sequence[TrialResult],
    dev: Sequence[Outcomes | None], select_metric: str, select_mode: str, n_dev: int,
    *, extra: Mapping[str, str] | None = None, iterations: int = 1000, seed: int = 0,
    confidence: float = 0.95,
) -> SweepAudit:
    """Each proxy's pick in one sweep against the pick by dev micro F1."""
    selected = next((t.index for t in trials if t.selected), 0)
    audit = SweepAudit(arm=arm, synthetic_batches=synthetic_batches, rounds=rounds,
                       n_dev=n_dev, select_metric=select_metric, selected=selected)
    proxies = proxies_of([t.metrics for t in trials], select_metric, select_mode, extra)
    if not proxies:
        audit.note = "the trainer reports no proxy metric on the dev split"
    recorded = [o for o in dev if o is not None]
    if len(recorded) != len(trials) or not trials:
        audit.trial_f1 = [None] * len(trials)
        if proxies:
            audit.note = ("dev F1 per trial not recorded: the trials were selected by a proxy "
                          "(set decisions.audit_proxies to score every trial on the dev split) "
                          "or trained before it was kept (--force train)")
        return audit
    f1 = dev_f1(recorded)
    audit.trial_f1 = list(f1)
    audit.f1_trial = pick(f1, "max")
    for name, mode in proxies.items():
        chosen = pick([t.metrics[name] for t in trials], mode)
        r, low, high = regret(recorded, chosen, iterations=iterations, seed=seed,
                              confidence=confidence)
        audit.picks.append(ProxyPick(
            proxy=name, mode="max" if mode == "max" else "min", trial=chosen,
            agrees=chosen == audit.f1_trial, dev_f1=f1[chosen], regret=r, low=low, high=high))
    return audit


def agreement(audits: Sequence[SweepAudit]) -> list[ProxyAgreement]:
    """Per proxy, across sweeps: agreement with the dev F1 pick and with each other proxy."""
    names = list(dict.fromkeys(p.proxy for a in audits for p in a.picks))
    out = []
    for i, name in enumerate(names):
        for other in ["eval_f1", *names[i + 1:]]:
            both = [(p.trial, _trial_of(a, other)) for a in audits for p in a.picks
                    if p.proxy == name and _trial_of(a, other) is not None]
            out.append(ProxyAgreement(proxy=name, other=other, sweeps=len(both),
                                      agreed=sum(x == y for x, y in both)))
    return [a for a in out if a.sweeps]


def _trial_of(audit: SweepAudit, name: str) -> int | None:
    if name == "eval_f1":
        return audit.f1_trial
    return next((p.trial for p in audit.picks if p.proxy == name), None)


__all__ = ["KNOWN_PROXIES", "agreement", "audit_sweep", "dev_f1", "pick", "proxies_of",
           "regret"]
