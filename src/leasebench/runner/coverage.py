"""How much of each hold-out document a round's model saw: windows, truncation, and the
gold values that lay in text it never saw (a warning names them)."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Prediction, Record
from ..results import Coverage, RoundResult, RunResult
from ..spans import Grounder

EXAMPLES = 5


def count_coverage(result: RoundResult, preds: Sequence[Prediction],
                   holdout: Sequence[Record]) -> None:
    """Set the round's ``coverage`` from its (first seed's) predictions; left unset when
    none records the text it saw."""
    texts = {r.id: r for r in holdout}
    seen = [p for p in preds if p.seen_chars is not None and p.id in texts and not p.error]
    if not seen:
        return
    total = sum(len(texts[p.id].text) for p in seen)
    cov = Coverage(documents=len(seen), chunked=sum(p.chunks > 1 for p in seen),
                   windows=sum(p.chunks for p in seen), truncated=sum(p.truncated for p in seen))
    shown = sum(min(p.seen_chars or 0, len(texts[p.id].text)) for p in seen)
    cov.seen_share = round(shown / total, 4) if total else 1.0
    for p in seen:
        record = texts[p.id]
        limit = p.seen_chars or 0
        if limit >= len(record.text):
            continue
        grounder = Grounder(record.text)
        for field, values in record.labels.items():
            for value in values:
                if grounder.seen(value, limit) is False:
                    cov.unseen_gold += 1
                    if len(cov.unseen_examples) < EXAMPLES:
                        cov.unseen_examples.append(f"{p.id}: {field}: {value}")
    result.coverage = cov


def coverage_warnings(result: RunResult) -> list[str]:
    """A round whose model never saw some gold values (documents cut to fit its context)."""
    out = []
    for r in result.rounds:
        cov = r.coverage
        if cov is None or not cov.unseen_gold:
            continue
        out.append(
            f"round {r.name}: {cov.unseen_gold} gold value(s) lay in text the model never saw "
            f"({cov.truncated} of {cov.documents} documents cut to fit its context; "
            f"e.g. {'; '.join(cov.unseen_examples[:3])}): let the extractor use windows "
            "(the default) or raise its context"
        )
    return out


__all__ = ["count_coverage", "coverage_warnings"]
