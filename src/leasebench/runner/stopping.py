"""Rounds under the stop rule (``decisions.stop_rounds``): each trained arm adds its
synthetic rounds in increasing amounts, one wave at a time, and stops once a round's gain
over the arm's previous round fails the rule. Batches are generated only when a round
that runs needs them, so stopping saves their generation and judging too.

Untrained rounds always run, and so does the reference round. The report lists the
rounds left out (``decisions.stopped``)."""

from __future__ import annotations

from collections.abc import Callable

from ..components import Scorer
from ..data.columns import DEFAULT_ABSENT
from ..decisions.marginal import stop_verdict
from ..manifest.models import RoundSpec
from ..results.decisions import StoppedRound
from ..scoring.files import without_absent
from ..scoring.multiple import correct_comparisons
from ..scoring.seeds import compare_repeats
from .env import RunEnv
from .rounds import RoundRun, Splits, run_round, sweeps
from .synthetic import Batch
from .training import Trained, pretrain_sweeps


def step_verdict(env: RunEnv, splits: Splits, before: RoundRun, after: RoundRun) -> str:
    """The stop rule's verdict on ``after`` against ``before`` (primary scorer)."""
    m = env.loaded.manifest
    scorer = env.component(Scorer, m.scorers[0])
    absent = getattr(m.data, "absent", DEFAULT_ABSENT)

    def outcomes(run: RoundRun) -> list:
        return [scorer.score(splits.holdout, without_absent(p, absent), env.schema)
                for p in run.predictions]

    s = m.stats
    comp = compare_repeats(outcomes(before), outcomes(after), iterations=s.bootstrap,
                           seed=m.seed, confidence=s.confidence)
    correct_comparisons({after.result.name: comp}, method=s.correction,
                        confidence=s.confidence, power=s.power)
    verdict, _ = stop_verdict(comp, before.result.synthetic_batches,
                              after.result.synthetic_batches, len(splits.holdout),
                              m.decisions.min_gain / 100)
    return verdict


def run_rounds_stopping(
    env: RunEnv, splits: Splits, make_batch: Callable[[int], Batch],
) -> tuple[list[RoundRun], list[Batch], list[StoppedRound]]:
    """The rounds that run (in manifest order), the batches generated and the rounds the
    stop rule left out."""
    m = env.loaded.manifest
    batches: list[Batch] = []
    trained: dict[tuple[str, int], Trained] = {}
    done: dict[str, RoundRun] = {}

    def run(specs: list[RoundSpec]) -> None:
        need = max((s.synthetic_batches or 0 for s in specs), default=0)
        while len(batches) < need:
            batches.append(make_batch(len(batches) + 1))
        wave = {(m.arm_of(s), s.synthetic_batches or 0) for s in specs if s.trained}
        pretrain_sweeps(env, sweeps(env, splits, batches, wave))
        for s in specs:
            done[s.name] = run_round(env, s, splits, batches, trained)

    run([s for s in m.rounds if not s.trained])
    families: dict[str, list[int]] = {}
    for s in m.rounds:
        if s.trained:
            families.setdefault(m.arm_of(s), []).append(s.synthetic_batches or 0)
    families = {arm: sorted(set(ns)) for arm, ns in families.items()}
    active, stopped = set(families), []
    for k in range(max((len(ns) for ns in families.values()), default=0)):
        wave = {(arm, ns[k]) for arm, ns in families.items() if arm in active and k < len(ns)}
        run([s for s in m.rounds if s.trained and (m.arm_of(s), s.synthetic_batches) in wave])
        for arm, n in sorted(wave):
            if k == 0:
                continue
            ns = families[arm]
            first = {x: next(s.name for s in m.rounds if s.trained and m.arm_of(s) == arm
                             and s.synthetic_batches == x) for x in (ns[k - 1], n)}
            before, after = done[first[ns[k - 1]]], done[first[n]]
            if step_verdict(env, splits, before, after) == "stop":
                active.discard(arm)
                step = f"{before.result.name} -> {after.result.name}"
                stopped += [StoppedRound(round=s.name, arm=arm, synthetic_batches=x,
                                         after_step=step)
                            for s in m.rounds if s.trained and m.arm_of(s) == arm
                            and (x := s.synthetic_batches or 0) > n]
    required = [s for s in m.rounds if s.name == m.reference_round and s.name not in done]
    if required:
        run(required)
        stopped = [x for x in stopped if x.round not in done]
    return [done[s.name] for s in m.rounds if s.name in done], batches, stopped


__all__ = ["run_rounds_stopping", "step_verdict"]
