"""One wording of significance in every report, made from the correction actually applied:
the terminal, Markdown, HTML and the MLflow description carry the same legend, and where
a correction applies the raw interval and the adjusted p-value stand side by side."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from leasebench.reporting.html import render_html
from leasebench.reporting.markdown import render_markdown
from leasebench.reporting.significance import Rule
from leasebench.reporting.terminal import render_text
from leasebench.reporting.terminal_run import run_renderables
from leasebench.results import RunResult
from leasebench.scoring.multiple import CORRECTIONS, correct_comparisons
from leasebench.tracking.content import describe_run

ROOT = Path(__file__).resolve().parents[2]
STORED = ROOT / "docs" / "offline-results.json"


def corrected(method: str, family: str = "comparison") -> RunResult:
    """The stored offline results, their paired tests judged again with ``method``."""
    result = RunResult.model_validate_json(STORED.read_text(encoding="utf-8"))
    comps = {r.name: r.vs_reference[result.primary_scorer] for r in result.rounds
             if result.primary_scorer in r.vs_reference}
    for c in comps.values():
        for d in [*c.fields.values(), c.micro, c.macro]:
            d.significant, d.p_adjusted = bool(d.low > 0 or d.high < 0), None
    correct_comparisons(comps, method=method, family=family, confidence=result.confidence)
    result.correction = method
    return result


def flat(text: str) -> str:
    return " ".join(text.split())


def outputs(result: RunResult) -> dict[str, str]:
    page = html.unescape(re.sub(r"<[^>]+>", " ", render_html(result)))
    return {
        "terminal": render_text(lambda w: run_renderables(result, w), 4000),
        "markdown": render_markdown(result).replace("**", ""),
        "html": page,
        "mlflow": describe_run(result, {}),
    }


@pytest.mark.parametrize("method", CORRECTIONS)
def test_every_report_states_the_rule_that_set_the_marks(method):
    result = corrected(method)
    rule = Rule.of_run(result)
    assert rule.correction == method and rule.family_size == len(result.fields)
    criterion = flat(rule.criterion())
    for name, text in outputs(result).items():
        assert criterion in flat(text), name
    if method == "none":
        assert "excludes zero" in criterion and "adjusted" not in criterion
    else:
        assert f"{rule.name}-adjusted p ≤ 0.05" in criterion
        assert f"the {len(result.fields)} per-field tests of each comparison" in criterion


def test_the_legends_differ_with_the_correction_and_its_family():
    legends = {Rule.of_run(corrected(m)).legend() for m in CORRECTIONS}
    assert len(legends) == len(CORRECTIONS)
    run_family = Rule.of_run(corrected("holm", family="run"))
    rounds = len(corrected("holm").rounds) - 1
    assert f"the {rounds * 10} per-field tests of all comparisons together" in \
        run_family.criterion()


def test_raw_interval_and_adjusted_p_side_by_side_where_they_disagree():
    result = corrected("holm")
    scorer = result.primary_scorer
    disagree = [(r, f, d) for r in result.rounds if scorer in r.vs_reference
                for f, d in r.vs_reference[scorer].fields.items()
                if (d.low > 0 or d.high < 0) and not d.significant]
    assert disagree, "the stored results have a raw interval that Holm does not confirm"
    rule = Rule.of_run(result)
    md = render_markdown(result)
    term = render_text(lambda w: run_renderables(result, w), 4000)
    for _, field, d in disagree:
        described = rule.describe(d)
        assert f"[{100 * d.low:+.1f}, {100 * d.high:+.1f}]" in described
        assert f"Holm-adjusted p={d.p_adjusted:.3f}" in described
        row = next(line for line in md.splitlines() if line.startswith(f"| {field} |")
                   and "adjusted" in line)
        assert described in row and described + " ▲" not in row
        paired = term.split("Paired differences", 1)[1]
        term_row = next(line for line in paired.splitlines() if line.startswith(field))
        assert f"{d.p_adjusted:.3f}" in term_row and f"{d.p_value:.3f}" in term_row
    assert "p Holm" in term


def test_marks_follow_the_adjusted_p_value():
    result = corrected("bonferroni")
    md = render_markdown(result)
    table = md.split("## F1 per field", 1)[1].split("##", 1)[0]
    marked = table.count("▲") + table.count("▼")
    scorer = result.primary_scorer
    significant = sum(d.significant for r in result.rounds if scorer in r.vs_reference
                      for c in [r.vs_reference[scorer]]
                      for d in [*c.fields.values(), c.micro, c.macro])
    assert marked == significant
    for r in result.rounds:
        comp = r.vs_reference.get(scorer)
        for d in comp.fields.values() if comp is not None else []:
            assert d.significant == (d.p_adjusted is not None and d.p_adjusted <= 0.05)
