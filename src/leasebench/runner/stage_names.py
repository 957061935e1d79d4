"""The names of a manifest's stages, known before it runs, for ``--force``.

``--force NAME`` re-runs the stages called NAME and every stage whose name continues it
after a dash: ``train`` (a family), ``train-b1`` (every trial of batch 1's round:
``train-b1-t0``, ``train-b1-t1-s2``, ...), ``judge-b2-0schema`` (one stage). A NAME that
matches no stage of the manifest is an error that lists the names, so a typo cannot
silently re-run nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import LeasebenchError
from ..manifest.load import sweep_trials
from ..manifest.models import Manifest
from . import stages


def forces(token: str, stage: str) -> bool:
    """Whether ``--force token`` re-runs ``stage``: the same name, or ``token`` then '-'."""
    return stage == token or stage.startswith(token + "-")


def stage_names(m: Manifest) -> list[str]:
    """Every stage name the manifest can produce (a superset: every trial's seed stages,
    every judge's audit, the judge ablation's stages)."""
    names = [stages.LOAD, stages.SPLIT, stages.DATA_CARD]
    for k in range(1, m.max_batches + 1):
        names.append(stages.generate(k))
        for position, spec in enumerate(m.judges):
            names += [stages.judge(k, position, spec.name),
                      stages.judge_all(k, position, spec.name)]
    trained: dict[tuple[str, int, bool], None] = {}
    for r in m.rounds:
        arm = m.arm_of(r)
        if r.trained:
            trained[arm, r.synthetic_batches or 0, r.serve is not None] = None
        else:
            names.append(stages.extract(arm, served=r.serve is not None))
    for arm, n, served in trained:
        names += _trained(m, arm, arm, n, served)
    ablated = next((r for r in m.rounds if r.name == m.decisions.ablate_judges), None)
    if ablated is not None and ablated.trained:
        arm = m.arm_of(ablated)
        for key in verdict_keys(m):
            names += _trained(m, arm, stages.ablation_arm(arm, key), ablated.synthetic_batches or 0)
    return list(dict.fromkeys(names))


def _trained(m: Manifest, arm: str, label_arm: str, n: int, served: bool = False) -> list[str]:
    spec = m.trainer_arms[arm]
    return stages.trained_round(stages.label_of(m, label_arm, n), len(sweep_trials(spec.sweep)),
                                spec.repeats, refits=spec.select.refit, served=served)


def verdict_keys(m: Manifest) -> list[str]:
    """Each judge's name in a batch's verdicts: its own, or its place and name when an
    earlier judge has the same name."""
    keys: list[str] = []
    for position, spec in enumerate(m.judges):
        keys.append(spec.name if spec.name not in keys else stages.judge_label(position, spec.name))
    return keys


def families(names: Iterable[str]) -> list[str]:
    """The names every stage name continues: 'train', 'train-b1', 'judge-b1', ..."""
    out: dict[str, None] = {}
    for name in names:
        parts = name.split("-")
        for i in range(1, len(parts)):
            out["-".join(parts[:i])] = None
    return [f for f in out if f not in names]


def check_force(m: Manifest, tokens: Iterable[str]) -> None:
    """Raise naming the stages and families when a ``--force`` name matches no stage."""
    names = stage_names(m)
    unknown = [t for t in tokens if not any(forces(t, n) for n in names)]
    if unknown:
        raise LeasebenchError(
            f"--force {', '.join(repr(t) for t in unknown)}: no stage of {m.name} has that "
            f"name or starts with it; stages: {', '.join(names)}; families: "
            f"{', '.join(families(names))}")


__all__ = ["check_force", "families", "forces", "stage_names", "verdict_keys"]
