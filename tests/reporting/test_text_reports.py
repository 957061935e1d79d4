"""Markdown and CSV reports of a real tiny run; the reporters are registered."""

from __future__ import annotations

import csv
import io

from leasebench.plugin_manager import build_registry
from leasebench.reporting.csv_report import COLUMNS, render_csv
from leasebench.reporting.markdown import render_markdown
from leasebench.reporting.summary import best_round, headline, wrong_documents


def test_markdown_has_every_section(tiny_significant) -> None:
    result = tiny_significant
    text = render_markdown(result)
    for heading in ("## F1 per field", "## Precision / recall per field",
                    "## Paired differences vs `real-only`", "## Rounds", "## Synthetic data",
                    "## Sweeps"):
        assert heading in text
    assert "Best round: **synth-2**" in text
    assert "**+100.0 ▲**" in text  # lessor improves significantly
    assert "| parse failures | call failures | tokens | inference cost (USD) | data cost (USD) |" \
        in text
    assert "passed grounding" in text and "| real-only | 0 | 0.3 |" in text
    assert text.count("**✓**") == sum(1 for r in result.rounds if r.trials)  # one per round
    for field in result.fields:
        assert f"| {field} |" in text


def test_headline_and_best_round(tiny_significant) -> None:
    result = tiny_significant
    best = best_round(result)
    assert best.name == "synth-2"
    h = headline(result)
    assert "lessor" in h.improved and not h.worse
    assert set(h.improved) | set(h.unchanged) == set(result.fields)
    docs = wrong_documents(best, 3)
    assert 0 < len(docs) <= 3
    assert all(d.outcome in ("fp", "fn", "mismatch") for _, ds in docs for d in ds)


def test_csv_rows_and_values(tiny_significant) -> None:
    result = tiny_significant
    rows = list(csv.DictReader(io.StringIO(render_csv(result))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(result.rounds) * len(result.scorers) * (len(result.fields) + 2)
    by = {(r["round"], r["field"]): r for r in rows}
    s = result.round("synth-2").scores[result.primary_scorer]
    row = by[("synth-2", "lessee")]
    assert int(row["tp"]) == s.fields["lessee"].tp
    assert float(row["f1"]) == s.fields["lessee"].f1
    assert by[("synth-2", "micro")]["significant"] == "true"
    assert by[("real-only", "micro")]["delta"] == ""  # the reference round itself
    assert by[("synth-2", "macro")]["tp"] == "" and by[("synth-2", "macro")]["f1"]


def test_reporters_registered() -> None:
    assert {"markdown", "json", "csv", "html"} <= set(build_registry().names("reporter"))
