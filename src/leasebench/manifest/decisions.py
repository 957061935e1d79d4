"""The manifest's `decisions` section: what the decision sections of the report may cost
(extra dev scoring, judge ablation), the stop rule for synthetic rounds and the prices'
amortisation. See docs/metrics.md, "Decisions"."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .arms import Strict


class DecisionsSpec(Strict):
    """Proxy audit, next-round stop rule, break-even volume and judge ablation."""

    audit_proxies: bool = Field(
        False, description="Score every sweep trial on the dev split even when `select.metric` "
        "is a proxy (token accuracy, loss), so the report can say what trusting the proxy "
        "cost in F1. Extracts the dev split once per trial (model calls for LLM trainers). "
        "Trials selected by `eval_f1` are audited without it.",
    )
    proxies: dict[str, Literal["max", "min"]] = Field(
        default_factory=dict, description="Further trial metrics to audit as proxies, with "
        "whether larger (`max`) or smaller (`min`) is better (token accuracy, accuracy, "
        "eval/train loss, cross-entropy and perplexity are known).",
    )
    stop_rounds: bool = Field(
        False, description="Stop adding synthetic rounds to a trained arm once a round's gain "
        "over the arm's previous round fails the stop rule (not significant, or under "
        "`min_gain`): the arm's later rounds are not trained and the report lists them.",
    )
    min_gain: float = Field(
        0.0, ge=0, le=100, description="Points of micro F1 a synthetic round must add (on top "
        "of being significant) for the rule to go on.",
    )
    amortize_months: float = Field(
        12.0, gt=0, description="Months the one-off cost of a trained round (synthetic data, "
        "training) is spread over in the break-even volume.",
    )
    break_even_against: str | None = Field(
        None, description="The prompted (untrained) round the trained rounds' break-even "
        "volume is computed against; default: the reference round when it is untrained, else "
        "the untrained round with the best micro F1.",
    )
    ablate_judges: str | None = Field(
        None, description="A trained round with synthetic batches to train again once per "
        "judge with that judge's rejects put back, to report each judge's per-field effect "
        "next to its cost. Every judge then scores every generated sample (judge calls for "
        "LLM judges) and each copy trains and extracts like the round.",
    )

    def problems(self, rounds: list[Any], judges: int) -> list[str]:
        """Problems with the round names given here (``rounds``: the manifest's rounds)."""
        by_name = {r.name: r for r in rounds}
        out = []
        against = self.break_even_against
        if against is not None and against not in by_name:
            out.append(f"decisions.break_even_against: {against!r} is not a round")
        elif against is not None and by_name[against].trained:
            out.append(f"decisions.break_even_against: {against!r} is a trained round; name "
                       "an untrained (prompted) one")
        name = self.ablate_judges
        if name is not None and name not in by_name:
            out.append(f"decisions.ablate_judges: {name!r} is not a round")
        elif name is not None and not (by_name[name].synthetic_batches or 0):
            out.append(f"decisions.ablate_judges: {name!r} trains on no synthetic batch")
        elif name is not None and not judges:
            out.append("decisions.ablate_judges: the manifest has no judges")
        return out


__all__ = ["DecisionsSpec"]
