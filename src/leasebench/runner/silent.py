"""Fields a round never predicted: a 0 in the tables is a model that said nothing, not one
that was always wrong, and the report says so with the likeliest reason."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Record
from ..results import RoundResult, RunResult

FEW = 20


def labelled(records: Sequence[Record], field: str) -> int:
    """How many of ``records`` give ``field`` a value."""
    return sum(any(v.strip() for v in r.labels.get(field, ())) for r in records)


def silent_fields(result: RunResult, r: RoundResult) -> list[str]:
    """Fields the hold-out has values for and ``r`` predicted none of (primary scorer)."""
    s = r.scores.get(result.primary_scorer)
    if s is None:
        return []
    return [f for f in result.fields
            if (m := s.fields.get(f)) is not None and m.support and not m.tp + m.fp]


def silent_field_warnings(result: RunResult, real: Sequence[Record],
                          synthetic: Sequence[Sequence[Record]]) -> list[str]:
    """One line per round that never predicted some field, with the reason per field.

    ``real``: the real records trained rounds learn from; ``synthetic[i]``: the records
    batch ``i + 1`` added.
    """
    out = []
    for r in result.rounds:
        silent = silent_fields(result, r)
        if not silent:
            continue
        train = [*real, *(x for batch in synthetic[:r.synthetic_batches] for x in batch)] \
            if r.kind == "trained" else []
        reasons = []
        for field in silent:
            gold = r.scores[result.primary_scorer].fields[field].support
            if r.kind != "trained":
                why = "the model answered no value for it (check its description in the schema)"
            elif not (n := labelled(train, field)):
                why = f"none of its {len(train)} training documents labels it"
            elif n < FEW:
                why = (f"only {n} of its {len(train)} training documents label it, too few "
                       "for the trainer to learn it")
            else:
                why = (f"its model never output it although {n} of its {len(train)} training "
                       "documents label it (can its extractor produce it?)")
            reasons.append(f"{field} ({gold} gold values): {why}")
        out.append(f"round {r.name} predicted no value at all for {'; '.join(reasons)}; "
                   "its 0 F1 there is silence, not wrong answers")
    return out


__all__ = ["labelled", "silent_field_warnings", "silent_fields"]
