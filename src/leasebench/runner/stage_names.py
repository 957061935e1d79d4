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


def forces(token: str, stage: str) -> bool:
    """Whether ``--force token`` re-runs ``stage``: the same name, or ``token`` then '-'."""
    return stage == token or stage.startswith(token + "-")


def stage_names(m: Manifest) -> list[str]:
    """Every stage name the manifest can produce (a superset: all trials' seed stages)."""
    names = ["load", "split", "data-card"]
    for k in range(1, m.max_batches + 1):
        names.append(f"generate-b{k}")
        for position, spec in enumerate(m.judges):
            label = f"{position}{spec.name.replace('/', '_')}"
            names += [f"judge-b{k}-{label}", f"judge-all-b{k}-{label}"]
    trained: dict[tuple[str, int], None] = {}
    for r in m.rounds:
        arm = m.arm_of(r)
        if r.trained:
            trained[arm, r.synthetic_batches or 0] = None
        else:
            names.append(f"extract-{arm}")
    for arm, n in trained:
        spec = m.trainer_arms[arm]
        base = f"{'' if m.legacy_trainer else arm + '-'}b{n}"
        seeds = [f"-s{j}" if j else "" for j in range(spec.repeats)]
        for i in range(len(sweep_trials(spec.sweep))):
            names += [f"train-{base}-t{i}{s}" for s in seeds]
        if spec.select.refit:
            names += [f"train-{base}-refit-s{j}" for j in range(spec.repeats)]
        names += [f"{kind}-{base}{s}" for s in seeds for kind in ("finalize", "extract")]
    return list(dict.fromkeys(names))


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


__all__ = ["check_force", "families", "forces", "stage_names"]
