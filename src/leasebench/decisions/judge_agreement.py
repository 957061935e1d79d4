"""Agreement between judges that scored the same synthetic samples, and between a judge
and the samples' gold validity where a generator records it (``meta["gold_valid"]``).

Counts per pair (both pass, only one passes, both reject), Cohen's kappa
``(p_o - p_e) / (1 - p_e)`` with ``p_o`` the observed agreement and ``p_e`` the agreement
expected from each judge's pass rate alone, and the disagreements listed. See
docs/metrics.md, "Decisions".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..records import Verdict
from ..results.decisions import JudgeDisagreement, JudgePair

GOLD = "gold"
GOLD_KEY = "gold_valid"
LISTED = 10

#: per batch: its index and, per judge, its verdicts by sample id
BatchVerdicts = tuple[int, Mapping[str, Mapping[str, Verdict]]]


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """Cohen's kappa of two pass/reject series (None when both always agree by chance:
    p_e = 1, e.g. one of them passes everything and the other too)."""
    n = len(a)
    if n == 0 or n != len(b):
        return None
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe >= 1 else (po - pe) / (1 - pe)


def pair(a: str, b: str, batches: Sequence[tuple[int, Mapping[str, Verdict],
                                                Mapping[str, Verdict]]]) -> JudgePair:
    """``a`` against ``b`` on the samples both scored, over every batch."""
    xs: list[bool] = []
    ys: list[bool] = []
    listed: list[JudgeDisagreement] = []
    for batch, va, vb in batches:
        for sample in sorted(set(va) & set(vb)):
            x, y = va[sample], vb[sample]
            xs.append(x.passed)
            ys.append(y.passed)
            if x.passed != y.passed and len(listed) < LISTED:
                rejected = y if x.passed else x
                listed.append(JudgeDisagreement(
                    sample=sample, batch=batch, passed_by=a if x.passed else b,
                    rejected_by=b if x.passed else a, reason=rejected.reason))
    return JudgePair(
        a=a, b=b, n=len(xs), both_pass=sum(x and y for x, y in zip(xs, ys, strict=True)),
        a_only=sum(x and not y for x, y in zip(xs, ys, strict=True)),
        b_only=sum(y and not x for x, y in zip(xs, ys, strict=True)),
        both_reject=sum(not x and not y for x, y in zip(xs, ys, strict=True)),
        kappa=cohen_kappa(xs, ys), disagreements=listed)


def judge_pairs(batches: Sequence[BatchVerdicts], judges: Sequence[str]) -> list[JudgePair]:
    """Every pair of judges (in manifest order) that scored at least one common sample."""
    out = []
    for i, a in enumerate(judges):
        for b in judges[i + 1:]:
            p = pair(a, b, [(k, v.get(a, {}), v.get(b, {})) for k, v in batches])
            if p.n:
                out.append(p)
    return out


def gold_verdicts(gold: Mapping[str, bool]) -> dict[str, Verdict]:
    """The gold validity of samples as verdicts of a judge named ``gold``."""
    return {sid: Verdict(record_id=sid, judge=GOLD, passed=ok,
                         reason="valid sample" if ok else "invalid sample")
            for sid, ok in gold.items()}


def gold_pairs(batches: Sequence[BatchVerdicts], judges: Sequence[str],
               gold: Sequence[tuple[int, Mapping[str, bool]]]) -> list[JudgePair]:
    """Each judge against the gold validity, on the samples that carry one."""
    by_batch = {k: gold_verdicts(g) for k, g in gold if g}
    if not by_batch:
        return []
    out = []
    for j in judges:
        p = pair(j, GOLD, [(k, v.get(j, {}), by_batch.get(k, {})) for k, v in batches])
        if p.n:
            out.append(p)
    return out


__all__ = ["GOLD", "GOLD_KEY", "BatchVerdicts", "cohen_kappa", "gold_pairs", "gold_verdicts",
           "judge_pairs", "pair"]
