"""Derived views shared by the reporters: best round, costs, headline, wrong documents."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Usage
from ..results import PairDetail, RoundResult, RunResult
from ..scoring.stats import Difference

WRONG = ("fp", "fn", "mismatch")


def pct(x: float | None, signed: bool = False) -> str:
    """A fraction as a percentage with one decimal ('-' for None)."""
    if x is None:
        return "-"
    return f"{100 * x:+.1f}" if signed else f"{100 * x:.1f}"


def train_text(result: RunResult) -> str:
    """The real train documents as the rounds table counts them: '40 real + 10 dev' (the
    dev split, which sweep trials are selected on)."""
    if not result.n_dev:
        return f"{result.n_train} real"
    return f"{result.n_train - result.n_dev} real + {result.n_dev} dev"


def in_currency(result: RunResult, label: str) -> str:
    """A cost column's header with the run's currency: 'data cost (USD)'."""
    return f"{label} ({result.currency})" if result.currency else label


def best_round(result: RunResult) -> RoundResult:
    """The round with the highest micro F1 under the primary scorer (first on ties)."""
    scorer = result.primary_scorer
    return max(result.rounds, key=lambda r: r.scores[scorer].micro.f1 if scorer in r.scores
               else -1.0)


def data_usage(result: RunResult, r: RoundResult) -> Usage:
    """Generation and judging usage of the synthetic batches a round trained on."""
    return sum((b.usage for b in result.funnel if b.batch <= r.synthetic_batches), Usage())


@dataclass(frozen=True)
class RoundCost:
    """Inference (hold-out extraction) and synthetic-data usage of one round."""

    inference: Usage
    data: Usage

    @property
    def tokens(self) -> int:
        u = self.inference + self.data
        return u.prompt_tokens + u.completion_tokens

    @property
    def cost(self) -> float:
        return self.inference.cost + self.data.cost


def round_cost(result: RunResult, r: RoundResult) -> RoundCost:
    return RoundCost(r.usage, data_usage(result, r))


@dataclass
class Headline:
    """Which fields a round changed significantly against the reference round."""

    reference: str
    best: str
    improved: dict[str, Difference] = field(default_factory=dict)
    worse: dict[str, Difference] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    micro: Difference | None = None


def headline(result: RunResult, round_name: str | None = None) -> Headline:
    """Significant per-field changes of ``round_name`` (default: the best round)."""
    target = result.round(round_name) if round_name else best_round(result)
    h = Headline(reference=result.reference_round, best=target.name)
    comp = target.vs_reference.get(result.primary_scorer)
    if comp is None:
        h.unchanged = list(result.fields)
        return h
    h.micro = comp.micro
    for name in result.fields:
        d = comp.fields.get(name)
        if d is not None and d.significant and d.delta > 0:
            h.improved[name] = d
        elif d is not None and d.significant and d.delta < 0:
            h.worse[name] = d
        else:
            h.unchanged.append(name)
    return h


def describe_diff(d: Difference) -> str:
    """'+12.5 [+3.0, +22.0], p=0.010' in percentage points."""
    return f"{pct(d.delta, True)} [{pct(d.low, True)}, {pct(d.high, True)}], {p_text(d.p_value)}"


def p_text(p: float | None) -> str:
    if p is None:
        return ""
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def wrong_documents(r: RoundResult, limit: int = 3) -> list[tuple[str, list[PairDetail]]]:
    """Documents (in report order) with at least one wrong field in ``r``, worst first."""
    by_doc: dict[str, list[PairDetail]] = {}
    for d in r.details:
        if d.outcome in WRONG:
            by_doc.setdefault(d.id, []).append(d)
    ranked = sorted(by_doc.items(), key=lambda kv: -len(kv[1]))
    return ranked[:limit]


__all__ = [
    "WRONG",
    "Headline",
    "RoundCost",
    "best_round",
    "data_usage",
    "describe_diff",
    "headline",
    "in_currency",
    "p_text",
    "pct",
    "round_cost",
    "train_text",
    "wrong_documents",
]
