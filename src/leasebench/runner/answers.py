"""How a round's answers parsed: whole, salvaged from a cut-off or malformed object
(``partial``), or not at all; what salvage changed; and the warnings when most answers
of a round or of a sweep trial's dev extraction do not parse."""

from __future__ import annotations

from collections.abc import Sequence

from ..components import Scorer
from ..records import Prediction, Record
from ..results import RoundResult, RunResult
from ..schema import FieldSchema
from ..scoring.answers import count_answers as answer_counts
from ..scoring.answers import without_salvage
from ..scoring.stats import summarize

#: under this share of parsed answers a round or a sweep trial is flagged
MIN_PARSE_RATE = 0.5
#: the trial metric: share of the dev answers that gave labels (model answers only)
PARSE_RATE = "eval_parse_rate"


def parse_rate(preds: Sequence[Prediction]) -> float | None:
    """Share of the answers (call failures left out) that gave labels, whole or salvaged;
    ``None`` when no prediction holds a model's answer text (e.g. a CRF's)."""
    answered = [p for p in preds if not p.error]
    if not answered or all(p.raw is None for p in answered):
        return None
    return sum(1 for p in answered if not p.parse_error) / len(answered)


def count_answers(result: RoundResult, preds: Sequence[Prediction]) -> None:
    """Set the round's answer counts from its (first seed's) predictions, and the rates
    where they hold model answers (``raw`` text; a CRF's have none)."""
    c = answer_counts(preds)
    result.n_predictions = c.predictions
    result.call_failures, result.parse_failures = c.call_failures, c.parse_failures
    result.partial_answers, result.salvaged_values = c.partial, c.salvaged_values
    if c.parse_rate is not None:
        result.parse_rate, result.partial_rate = c.parse_rate, c.partial_rate


def score_without_salvage(
    result: RoundResult, scorer: Scorer, holdout: Sequence[Record],
    preds: Sequence[Prediction], schema: FieldSchema,
) -> None:
    """The round's micro F1 with its salvaged answers counted as parse failures."""
    if result.partial_answers:
        outcomes = scorer.score(holdout, without_salvage(preds), schema)
        result.micro_f1_without_salvage = summarize(outcomes, iterations=0).micro.f1


def answer_warnings(result: RunResult) -> list[str]:
    """A round whose answers mostly do not parse, or were mostly salvaged; sweep trials
    whose dev answers mostly do not parse."""
    out = []
    for r in result.rounds:
        answered = r.n_predictions - r.call_failures
        if r.parse_rate is not None and r.parse_rate < MIN_PARSE_RATE:
            out.append(
                f"round {r.name}: only {answered - r.parse_failures} of {answered} answers "
                f"parsed (under {MIN_PARSE_RATE:.0%}): its scores measure the answer format "
                "more than the extraction; look at the raw answers in its predictions.jsonl"
            )
        if r.partial_rate is not None and r.partial_rate >= MIN_PARSE_RATE:
            score = r.scores.get(result.primary_scorer)
            effect = "" if r.micro_f1_without_salvage is None or score is None else (
                f" (micro F1 {score.micro.f1:.1%}; {r.micro_f1_without_salvage:.1%} "
                "without salvage)")
            out.append(
                f"round {r.name}: {r.partial_answers} of {answered} answers were cut off or "
                f"malformed; their complete fields ({r.salvaged_values} values) were "
                f"salvaged{effect}"
            )
        low = [t.index for t in r.trials
               if t.metrics.get(PARSE_RATE, 1.0) < MIN_PARSE_RATE]
        if low:
            out.append(
                f"round {r.name}: sweep trial(s) {', '.join(map(str, low))} parsed under "
                f"{MIN_PARSE_RATE:.0%} of their dev answers (selection ranks them last)"
            )
    return out


def parses(metrics: dict[str, float]) -> bool:
    """Whether a trial's dev answers mostly parsed (true when it reports no parse rate)."""
    return metrics.get(PARSE_RATE, 1.0) >= MIN_PARSE_RATE


__all__ = ["MIN_PARSE_RATE", "PARSE_RATE", "answer_warnings", "count_answers", "parse_rate",
           "parses", "score_without_salvage", "without_salvage"]
