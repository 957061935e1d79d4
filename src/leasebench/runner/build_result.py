"""The run's results: scores pooled over seeds, intervals, paired comparisons corrected
for multiple comparisons, the funnel with diversity figures, timing and warnings."""

from __future__ import annotations

from ..components import Scorer
from ..data.columns import DEFAULT_ABSENT
from ..outcomes import Outcomes
from ..records import Usage
from ..results import RepeatScore, RunResult
from ..scoring.files import without_absent
from ..scoring.multiple import correct_comparisons
from ..scoring.seeds import compare_repeats, pool, summarize_repeats
from ..scoring.stats import summarize
from .answers import answer_warnings, score_without_salvage
from .coverage import coverage_warnings
from .decisions import build_decisions
from .env import RunEnv
from .guards import collapse_warning, diversity, leakage_warning, real_similarity
from .honesty import sample_warnings
from .resent import resent_calls
from .rounds import RoundRun, Splits
from .silent import silent_field_warnings
from .summary import funnel_batch, generation_usage, judging_usage, pair_details
from .synthetic import Batch


def build_result(
    env: RunEnv, splits: Splits, rounds: list[RoundRun], batches: list[Batch]
) -> RunResult:
    m = env.loaded.manifest
    stats = m.stats
    labels = [s.display_label for s in m.scorers]
    per_seed: dict[str, dict[str, list[Outcomes]]] = {}
    absent = getattr(m.data, "absent", DEFAULT_ABSENT)
    cleaned = {run.result.name: [without_absent(preds, absent) for preds in run.predictions]
               for run in rounds}
    for spec, label in zip(m.scorers, labels, strict=True):
        scorer = env.component(Scorer, spec)
        for run in rounds:
            outcomes = [scorer.score(splits.holdout, preds, env.schema)
                        for preds in cleaned[run.result.name]]
            per_seed.setdefault(run.result.name, {})[label] = outcomes
            run.result.scores[label] = summarize_repeats(
                outcomes, iterations=stats.bootstrap, seed=m.seed, confidence=stats.confidence)
            if label == labels[0]:
                score_without_salvage(run.result, scorer, splits.holdout,
                                      cleaned[run.result.name][0], env.schema)
    primary = labels[0]
    for run in rounds:
        first = per_seed[run.result.name][primary]
        run.result.details = pair_details(first[0], splits.holdout,
                                          cleaned[run.result.name][0], stats.details_docs)
        if len(first) > 1:
            run.result.repeats = [_repeat(seed, o) for seed, o in
                                  zip(run.result.seeds, first, strict=True)]
    ref = m.reference_round
    for label in labels:
        comparisons = {}
        for run in rounds:
            if run.result.name == ref:
                continue
            comparisons[run.result.name] = run.result.vs_reference[label] = compare_repeats(
                per_seed[ref][label], per_seed[run.result.name][label],
                iterations=stats.bootstrap, seed=m.seed, confidence=stats.confidence,
            )
        correct_comparisons(comparisons, method=stats.correction, family=stats.family,
                            confidence=stats.confidence, power=stats.power)
    funnel = [funnel_batch(b) for b in batches]
    warnings = []
    if env.leaks:
        warnings.append(leakage_warning(env.leaks, m.guards.leakage_threshold))
    for fb, b in zip(funnel, batches, strict=True):
        fb.diversity = diversity(b.accepted, m.guards, m.seed)
        if fb.diversity.collapsed:
            warnings.append(collapse_warning(b.index, fb.diversity, m.guards))
    usage = {
        "generate": sum((generation_usage(b) for b in batches), Usage()),
        "judge": sum((judging_usage(b) for b in batches), Usage()),
        "extract": sum((r.result.usage for r in rounds), Usage()),
    }
    result = RunResult(
        name=m.name, manifest_hash=env.loaded.hash, seed=m.seed, schema_name=env.schema.name,
        fields=env.schema.fields, n_train=len(splits.train), n_holdout=len(splits.holdout),
        n_dev=len(splits.dev), currency=m.currency, scorers=labels, primary_scorer=primary,
        reference_round=ref,
        confidence=stats.confidence, rounds=[r.result for r in rounds], funnel=funnel,
        usage=usage, correction=stats.correction, leakage=env.leaks,
        real_similarity=real_similarity(splits.train, m.seed) if batches else None,
        timing={r.result.name: r.timing for r in rounds}, resent_calls=resent_calls(env),
        outcomes={name: {label: pool(o) for label, o in by_label.items()}
                  for name, by_label in per_seed.items()},
    )
    result.decisions = build_decisions(env, rounds, result, per_seed, batches)
    result.warnings = (warnings + answer_warnings(result) + coverage_warnings(result)
                       + silent_field_warnings(result, splits.real,
                                               [b.accepted for b in batches])
                       + sample_warnings(result, m))
    for w in result.warnings:
        env.log.warn(f"  warning: {w}")
    return result


def _repeat(seed: int, outcomes: Outcomes) -> RepeatScore:
    s = summarize(outcomes, iterations=0)
    return RepeatScore(seed=seed, micro_f1=s.micro.f1, macro_f1=s.macro_f1,
                       fields={f: m.f1 for f, m in s.fields.items()})


__all__ = ["build_result"]
