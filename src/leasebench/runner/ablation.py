"""Judge ablation (``decisions.ablate_judges: ROUND``): the round's arm trained again once
per judge with the samples only that judge rejected put back, extracted and scored like
the round; the per-field difference (round minus retrained copy) is what the judge's
filtering gained, next to what the judge cost.

Stages: ``train-<arm>-without-<judge>-b<n>-t<i>`` (and seeds), ``extract-<arm>-without-
<judge>-b<n>[-s<j>]``. A judge that alone rejected nothing is reported without training.
"""

from __future__ import annotations

from ..components import Scorer
from ..data.columns import DEFAULT_ABSENT
from ..outcomes import Outcomes
from ..records import Record
from ..results.decisions import JudgeAblation
from ..scoring.files import without_absent
from ..scoring.multiple import correct_comparisons
from ..scoring.seeds import compare_repeats
from . import stages
from .env import RunEnv
from .extraction import extract_holdout
from .rounds import RoundRun, Splits
from .synthetic import Batch
from .training import TrainData, train_round


def put_back(batches: list[Batch], judge: str) -> list[Record]:
    """Samples ``judge`` rejected that every other judge passed (each judge's verdict on
    every sample is needed: ``Batch.audit``)."""
    out = []
    for b in batches:
        maps = {j: {v.record_id: v for v in b.audit.get(j, vs)} for j, vs in b.verdicts.items()}
        for r in b.generated:
            mine = maps[judge].get(r.id)
            if mine is None or mine.passed:
                continue
            others = [maps[j].get(r.id) for j in maps if j != judge]
            if all(v is not None and v.passed for v in others):
                out.append(r)
    return out


def run_ablation(env: RunEnv, splits: Splits, rounds: list[RoundRun],
                 batches: list[Batch]) -> list[JudgeAblation]:
    """One entry per judge for the round ``decisions.ablate_judges`` names (none when the
    round did not run, e.g. left out by the stop rule)."""
    m = env.loaded.manifest
    name = m.decisions.ablate_judges
    run = next((r for r in rounds if r.result.name == name), None)
    if run is None:
        return []
    r = run.result
    arm, n = r.arm, r.synthetic_batches
    spec = m.trainer_arms[arm]
    used = batches[:n]
    scorer = env.component(Scorer, m.scorers[0])
    absent = getattr(m.data, "absent", DEFAULT_ABSENT)

    def score(predictions: list) -> list[Outcomes]:
        return [scorer.score(splits.holdout, without_absent(p, absent), env.schema)
                for p in predictions]

    original = score(run.predictions)
    accepted = [s for b in used for s in b.accepted]
    out = []
    for judge in dict.fromkeys(j for b in used for j in b.verdicts):
        back = put_back(used, judge)
        cost = sum(v.usage.cost for b in used for v in b.verdicts.get(judge, []))
        ablated = original
        if back:
            without = stages.ablation_arm(arm, judge)
            data = TrainData(splits.real, splits.dev, [*accepted, *back])
            t = train_round(env, without, spec, n, data)
            label = stages.label_of(m, without, n)
            ablated = score([
                extract_holdout(env, label + stages.seed_suffix(j), model, model_hash,
                                splits.holdout, splits.holdout_hash, seed=seed)
                for j, ((model, model_hash), seed) in enumerate(zip(t.models, t.seeds,
                                                                    strict=True))])
        s = m.stats
        comp = compare_repeats(ablated, original, iterations=s.bootstrap, seed=m.seed,
                               confidence=s.confidence)
        correct_comparisons({judge: comp}, method=s.correction, confidence=s.confidence,
                            power=s.power)
        out.append(JudgeAblation(judge=judge, round=r.name, put_back=len(back),
                                 cost=round(cost, 6), comparison=comp))
    return out


__all__ = ["put_back", "run_ablation"]
