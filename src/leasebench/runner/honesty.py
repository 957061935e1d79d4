"""Sample-size honesty: what the hold-out and dev split are too small to claim, tied
sweeps, and intervals that leave out seed variation."""

from __future__ import annotations

from ..manifest.models import Manifest
from ..results import RunResult
from ..scoring.multiple import smallest_adjusted_p

MIN_HOLDOUT = 30
MIN_DEV = 20


def sample_warnings(result: RunResult, m: Manifest) -> list[str]:
    """Warnings, in report order; each says what limits which claim."""
    out = []
    scorer = result.primary_scorer
    claims = [f"{r.name}: {', '.join(r.vs_reference[scorer].significant_fields)}"
              for r in result.rounds
              if scorer in r.vs_reference and r.vs_reference[scorer].significant_fields]
    if result.n_holdout < MIN_HOLDOUT:
        out.append(
            f"the hold-out has {result.n_holdout} documents (under {MIN_HOLDOUT}): bootstrap "
            "intervals from so few documents are too narrow and p-values too small; "
            + (f"read the significant fields ({'; '.join(claims)}) as indicative only"
               if claims else "no difference can be called reliable")
        )
    trained = [r for r in result.rounds if r.selection is not None]
    for r in trained:
        assert r.selection is not None
        if len(r.trials) > 1 and r.selection.n_dev < MIN_DEV:
            out.append(
                f"round {r.name}: {len(r.trials)} trials were selected on {r.selection.n_dev} "
                f"dev documents (under {MIN_DEV}): one document moves the dev F1 by about "
                f"{100 / max(1, r.selection.n_dev):.0f} points, so the choice is mostly noise"
            )
        if r.selection.tied:
            chosen = next(t for t in r.trials if t.selected)
            tied = ", ".join(str(i) for i in r.selection.tied)
            value = chosen.metrics.get(r.selection.metric)
            out.append(
                f"round {r.name}: sweep tied: trial(s) {tied} reached the same "
                f"{r.selection.metric} ({value:.4g}) as trial {chosen.index} on "
                f"{r.selection.n_dev} dev documents; the first in grid order was picked"
            )
    single = sorted({r.arm for r in trained if len(r.seeds) < 2})
    if single and len(result.rounds) > 1:
        out.append(
            f"trained arm(s) {', '.join(single)} ran with one training seed: if their training "
            "depends on the seed, their intervals and tests leave out seed-to-seed variation "
            "(set `repeats: 3` or more)"
        )
    family = len(result.fields) * (max(1, len(result.rounds) - 1) if m.stats.family == "run"
                                   else 1)
    floor = smallest_adjusted_p(m.stats.bootstrap, family, m.stats.correction)
    if m.stats.bootstrap and len(result.rounds) > 1 and floor > 1 - m.stats.confidence:
        out.append(
            f"{m.stats.bootstrap} bootstrap iterations cannot give an adjusted p-value below "
            f"{floor:.3f} for {family} tests with `{m.stats.correction}`: no field can be "
            "significant; raise `stats.bootstrap`"
        )
    return out


__all__ = ["MIN_DEV", "MIN_HOLDOUT", "sample_warnings"]
