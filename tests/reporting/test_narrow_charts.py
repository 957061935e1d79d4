"""The HTML report's charts are drawn about 760 units wide whatever the number of rounds,
so on an 800 px screen (750 px of card content) they shrink by at most a few percent and
their 11-12 px text stays readable."""

from __future__ import annotations

from pathlib import Path

from leasebench.reporting import html_charts
from leasebench.results import RunResult

STORED = Path(__file__).resolve().parents[2] / "docs" / "offline-results.json"
CONTENT_AT_800 = 750  # 800 px minus the narrow layout's page and card padding


def with_rounds(n: int) -> RunResult:
    """The stored offline results with ``n`` rounds (copies of synth-2, long names)."""
    result = RunResult.model_validate_json(STORED.read_text(encoding="utf-8"))
    extra = [result.rounds[-1].model_copy(update={"name": f"synthetic-round-{i}-long-name"})
             for i in range(n - len(result.rounds))]
    rounds = [*result.rounds, *extra]
    if n > 6:  # a comparison's labels: long reference names
        ref = "lease-offline/synth-1@a0773e31"
        rounds[0] = rounds[0].model_copy(update={"name": ref})
        return result.model_copy(update={"rounds": rounds, "reference_round": ref})
    return result.model_copy(update={"rounds": rounds})


def test_charts_fit_an_800_px_screen_whatever_the_rounds():
    for n in (3, 6, 9):
        result = with_rounds(n)
        charts = [html_charts.field_bars(result), html_charts.funnel_chart(result),
                  html_charts.learning_curve(result, "micro")]
        for chart in charts:
            if chart is None:
                continue
            assert chart.width <= CONTENT_AT_800 / 0.95, (n, chart.kind, chart.width)


def test_each_rounds_difference_sits_beside_its_own_bar():
    result = with_rounds(3)
    chart = html_charts.field_bars(result)
    deltas = [s for s in chart.shapes if s.tag == "text" and "delta" in dict(s.attrs).get(
        "class", "")]
    assert len(deltas) == (len(result.fields) + 2) * 2  # every field, micro, macro; 2 rounds
    assert any("synth-2 minus real-only · lessor" in s.title for s in deltas)
