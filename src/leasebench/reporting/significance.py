"""What "significant" means in a report, in one wording, made from the correction applied.

Every reporter (terminal, Markdown, HTML, the MLflow description, the README's numbers)
takes its legend and its verdicts from here, so the sentence that explains ▲/▼ always
names the rule that set them. With a multiple-comparison correction a difference is
marked when its adjusted p-value is at most 1 - confidence; its interval and p-value stay
the raw ones, so a raw interval can exclude zero while the difference is not marked: the
adjusted p is shown beside them wherever both appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..results import RunResult
from ..scoring.stats import Comparison, Difference
from .summary import describe_diff

CORRECTION_NAMES = {"holm": "Holm", "bonferroni": "Bonferroni",
                    "fdr_bh": "Benjamini-Hochberg", "none": "none"}
MARKS = "▲/▼"


@dataclass(frozen=True)
class Rule:
    """How the paired differences of a run (or a comparison of runs) were judged."""

    correction: str = "none"
    confidence: float = 0.95
    family: str = "comparison"
    family_size: int = 0
    comparisons: int = 1

    @classmethod
    def of(cls, comps: list[Comparison], correction: str | None = None,
           confidence: float | None = None) -> Rule:
        """The rule the given comparisons were corrected with (all share it)."""
        first = comps[0] if comps else None
        return cls(
            correction=first.correction if first is not None else correction or "none",
            confidence=first.confidence if first is not None else confidence or 0.95,
            family=(first.family if first is not None and first.family else "comparison"),
            family_size=first.family_size if first is not None else 0,
            comparisons=max(1, len(comps)))

    @classmethod
    def of_run(cls, result: RunResult) -> Rule:
        comps = [r.vs_reference[result.primary_scorer] for r in result.rounds
                 if result.primary_scorer in r.vs_reference]
        return cls.of(comps, result.correction, result.confidence)

    @property
    def corrected(self) -> bool:
        return self.correction != "none"

    @property
    def name(self) -> str:
        return CORRECTION_NAMES.get(self.correction, self.correction)

    @property
    def alpha(self) -> str:
        return f"{1 - self.confidence:.2g}"

    def legend(self, marks: str = MARKS) -> str:
        """The sentence that says when a difference is marked significant."""
        return f"{marks} = significant: {self.criterion()}"

    def criterion(self) -> str:
        """When a difference is significant, and what the intervals shown are."""
        conf = round(100 * self.confidence)
        if not self.corrected:
            return (f"the {conf}% paired bootstrap interval of the difference excludes zero "
                    "(no correction for testing several fields).")
        tests = f"the {self.family_size} " if self.family_size else "the "
        scope = ("per-field tests of each comparison" if self.family != "run"
                 else "per-field tests of all comparisons together")
        micro = (f"; micro and macro: across the {self.comparisons} comparisons"
                 if self.comparisons > 1 else "")
        return (f"{self.name}-adjusted p ≤ {self.alpha}, correcting for {tests}{scope}"
                f"{micro}. Intervals and p are raw (uncorrected), so an interval that "
                "excludes zero can be unmarked.")

    def adjusted(self, d: Difference) -> str:
        """'Holm-adjusted p=0.004' ('' without a correction)."""
        if not self.corrected or d.p_adjusted is None:
            return ""
        p = p_value(d.p_adjusted)
        return f"{self.name}-adjusted p{'' if p.startswith('<') else '='}{p}"

    def describe(self, d: Difference) -> str:
        """'+7.4 [+3.8, +11.1], p=0.002, Holm-adjusted p=0.004': raw interval and p, then
        the adjusted p."""
        adjusted = self.adjusted(d)
        return describe_diff(d) + (f", {adjusted}" if adjusted else "")

    def verdict(self, d: Difference) -> str:
        """'significant' or 'not significant', with the rule when a correction applies."""
        if not self.corrected:
            return "significant" if d.significant else "not significant"
        return ("significant" if d.significant else "not significant") + \
            f" after {self.name} correction"


def p_value(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


__all__ = ["CORRECTION_NAMES", "MARKS", "Rule", "p_value"]
