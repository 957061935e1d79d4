"""The decision sections in Markdown and the terminal: from a real (tiny) run, and a
break-even entry whose volume is measured (hourly prices) only where timing is known."""

from __future__ import annotations

from leasebench.reporting.decisions_render import decision_renderables, decisions_markdown
from leasebench.reporting.markdown import render_markdown
from leasebench.reporting.terminal import render_text
from leasebench.results import RoundTiming
from leasebench.results.decisions import BreakEven


def test_markdown_has_the_sections_the_run_has_data_for(tiny_run):
    _, result = tiny_run
    md = render_markdown(result)
    assert "## Decisions" in md
    assert "### Proxy metrics: would they pick the best-F1 trial?" in md
    assert "real-only: the trainer reports no proxy metric on the dev split." in md
    assert "### Is the next synthetic round worth it?" in md
    assert "| pattern | real-only → synth-1 |" in md
    assert "- pattern: batch 1 added " in md and "- pattern: batch 2 added " in md
    assert "### Which fields each change moves" in md
    assert "### Break-even volume" not in md  # no untrained round to break even against
    text = render_text(lambda w: decision_renderables(result, w), 80)
    assert "Is the next synthetic round worth it?" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_break_even_with_hourly_prices_is_measured_where_timing_is_known(tiny_run):
    _, result = tiny_run
    r = result.model_copy(deep=True)
    delta = r.round("synth-2").vs_reference[r.primary_scorer].micro
    r.decisions.break_even = [BreakEven(
        trained="synth-2", prompted="real-only", delta=delta, one_off=0.0,
        per_doc_trained=0.0, per_doc_prompted=0.0, months=12, hourly=True)]
    md = "\n".join(decisions_markdown(r))
    assert "| synth-2 |" in md and "(hourly prices)" in md
    assert "Hourly prices need measured latency" in md
    r.timing = {"synth-2": RoundTiming(serve_cost_per_1k_docs=1.0, train_cost=12.0),
                "real-only": RoundTiming(serve_cost_per_1k_docs=3.0)}
    text = render_text(lambda w: decision_renderables(r, w), 120)
    # 12 one-off over 12 months, 0.002 saved per document -> 500 documents a month
    assert "from ~500 docs/month" in text
    r.timing["real-only"] = RoundTiming(serve_cost_per_1k_docs=0.5)
    assert "never" in render_text(lambda w: decision_renderables(r, w), 120)
