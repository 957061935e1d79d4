"""The run's decision sections, from what the run already has: the sweeps' dev outcomes,
the rounds' per-seed hold-out outcomes, the batches' verdicts and the prices."""

from __future__ import annotations

from ..decisions.breakeven import break_even
from ..decisions.judge_agreement import GOLD_KEY, BatchVerdicts, gold_pairs, judge_pairs
from ..decisions.marginal import family_pairs, steps
from ..decisions.proxy import agreement, audit_sweep
from ..outcomes import Outcomes
from ..reporting.summary import data_usage
from ..results import RoundResult, RunResult
from ..results.decisions import BreakEven, Decisions, SweepAudit
from ..scoring.multiple import correct_comparisons
from ..scoring.seeds import compare_repeats
from ..scoring.stats import Comparison
from .env import RunEnv
from .rounds import RoundRun
from .synthetic import Batch

PerSeed = dict[str, dict[str, list[Outcomes]]]


def sweep_audits(env: RunEnv, rounds: list[RoundRun]) -> list[SweepAudit]:
    """One proxy audit per sweep (trained arm and amount of synthetic data)."""
    m = env.loaded.manifest
    stats = m.stats
    runs: dict[tuple[str, int], list[RoundRun]] = {}
    for run in rounds:
        r = run.result
        if r.kind == "trained" and len(r.trials) > 1:
            runs.setdefault((r.arm, r.synthetic_batches), []).append(run)
    out = []
    for (arm, batches), group in runs.items():
        first = group[0].result
        spec = m.trainer_arms[arm].select
        out.append(audit_sweep(
            arm, batches, [g.result.name for g in group], first.trials, group[0].dev,
            spec.metric, spec.mode, first.n_dev, extra=m.decisions.proxies,
            iterations=stats.bootstrap, seed=m.seed, confidence=stats.confidence))
    return out


class RoundComparer:
    """Paired comparison of two rounds by name (``b`` minus ``a``, primary scorer), seed
    variation included, per-field tests corrected as the manifest says."""

    def __init__(self, env: RunEnv, per_seed: PerSeed, scorer: str):
        self.stats, self.seed = env.loaded.manifest.stats, env.seed
        self.per_seed, self.scorer = per_seed, scorer

    def __call__(self, a: str, b: str) -> Comparison:
        s = self.stats
        comp = compare_repeats(self.per_seed[a][self.scorer], self.per_seed[b][self.scorer],
                               iterations=s.bootstrap, seed=self.seed,
                               confidence=s.confidence)
        correct_comparisons({b: comp}, method=s.correction, confidence=s.confidence,
                            power=s.power)
        return comp


def prompted_round(env: RunEnv, result: RunResult) -> RoundResult | None:
    """The round break-even volumes are computed against."""
    named = env.loaded.manifest.decisions.break_even_against
    if named is not None:
        return result.round(named)
    untrained = [r for r in result.rounds if r.kind == "baseline"]
    ref = result.round(result.reference_round)
    if ref.kind == "baseline" or not untrained:
        return ref if ref.kind == "baseline" else None
    scorer = result.primary_scorer
    return max(untrained, key=lambda r: r.scores[scorer].micro.f1)


def _per_doc(run: RoundRun) -> float:
    served = sum(len(p) for p in run.predictions)
    return round(run.result.usage.cost / served, 9) if served else 0.0


def break_evens(env: RunEnv, rounds: list[RoundRun], result: RunResult,
                compare: RoundComparer) -> list[BreakEven]:
    """Each trained round against the prompted round, where prices are given."""
    m = env.loaded.manifest
    prompted = prompted_round(env, result)
    if prompted is None:
        return []
    runs = {run.result.name: run for run in rounds}
    p_pricing = m.extractor_arms[prompted.arm].pricing
    out = []
    for run in rounds:
        r = run.result
        if r.kind != "trained":
            continue
        t_pricing = m.trainer_arms[r.arm].pricing
        per_t, per_p = _per_doc(run), _per_doc(runs[prompted.name])
        if not (per_p or per_t or p_pricing.any or t_pricing.any):
            continue  # no prices: nothing to break even on
        hourly = any(x is not None for x in (
            p_pricing.serve_per_hour, t_pricing.serve_per_hour, t_pricing.train_per_hour))
        one_off = round(data_usage(result, r).cost + r.training.cost, 6)
        entry = BreakEven(
            trained=r.name, prompted=prompted.name,
            delta=compare(prompted.name, r.name).micro, one_off=one_off,
            per_doc_trained=per_t, per_doc_prompted=per_p,
            months=m.decisions.amortize_months, hourly=hourly)
        if not hourly:
            v = break_even(one_off, entry.months, per_t, per_p)
            entry.docs_per_month, entry.never = v.docs_per_month, v.never
        out.append(entry)
    return out


def judge_verdicts(batches: list[Batch]) -> tuple[list[BatchVerdicts], list[str]]:
    """Per batch, each judge's verdicts by sample (every sample where audited), and the
    judges in manifest order."""
    judges = list(dict.fromkeys(j for b in batches for j in b.verdicts))
    out: list[BatchVerdicts] = []
    for b in batches:
        maps = {j: {v.record_id: v for v in b.audit.get(j, vs)} for j, vs in b.verdicts.items()}
        out.append((b.index, maps))
    return out, judges


def gold_validity(batches: list[Batch]) -> list[tuple[int, dict[str, bool]]]:
    """Per batch, the samples whose generator recorded whether they are valid."""
    return [(b.index, {r.id: r.meta[GOLD_KEY] for r in b.generated
                       if isinstance(r.meta.get(GOLD_KEY), bool)}) for b in batches]


def build_decisions(env: RunEnv, rounds: list[RoundRun], result: RunResult,
                    per_seed: PerSeed, batches: list[Batch]) -> Decisions:
    """Every decision section the run's data supports."""
    m = env.loaded.manifest
    audits = sweep_audits(env, rounds)
    verdicts, judges = judge_verdicts(batches)
    compare = RoundComparer(env, per_seed, result.primary_scorer)
    min_gain = m.decisions.min_gain / 100
    return Decisions(
        proxy_audit=audits, proxy_agreement=agreement(audits),
        steps=steps(result.rounds, result.funnel, compare, result.n_holdout, min_gain),
        min_gain=min_gain,
        families=family_pairs(result.rounds, {a: s.name for a, s in m.extractor_arms.items()},
                              compare),
        break_even=break_evens(env, rounds, result, compare),
        judges=judge_pairs(verdicts, judges),
        judge_gold=gold_pairs(verdicts, judges, gold_validity(batches)),
    )


__all__ = ["RoundComparer", "build_decisions", "gold_validity", "judge_verdicts",
           "prompted_round", "sweep_audits"]
