"""The HTML report: self-contained, every chart present, error browser data, stable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from leasebench.reporting.html import HtmlReporter, render_html
from leasebench.reporting.html_tables import error_data

from .conftest import run_tiny


def _payload(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="lb-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def test_html_is_self_contained(tiny_run) -> None:
    html = render_html(tiny_run[1])
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html)
    assert "@import" not in html and "url(http" not in html
    assert "<script src" not in html and "<link rel=\"stylesheet\"" not in html


def test_html_has_every_chart_and_section(tiny_significant) -> None:
    result = tiny_significant
    html = render_html(result)
    for chart in ("field-bars", "learning-curve", "funnel", "cost-f1"):
        assert f'data-chart="{chart}"' in html
    assert "latency p50 (ms; no prices given)" in html  # no prices: F1 against latency
    for section in ("headline", "fields", "learning", "cost", "funnel", "rounds", "still-wrong",
                    "errors", "sweeps"):
        assert f'id="{section}"' in html
    assert "Fields significantly improved in synth-2 vs real-only" in html
    assert 'class="chip up"' in html and "lessor" in html
    # one learning curve per field plus micro and macro, only micro visible at first
    assert html.count('data-chart="learning-curve"') == len(result.fields) + 2
    assert html.count("<svg") == html.count("</svg>")


def test_error_browser_data(tiny_run) -> None:
    _, result = tiny_run
    data = _payload(render_html(result))["errors"]
    assert data == error_data(result)
    assert data["rounds"] == [r.name for r in result.rounds] and data["best"] == "synth-2"
    pairs = {(d.id, d.field) for r in result.rounds for d in r.details}
    assert {(row[0], row[1]) for row in data["rows"]} == pairs
    for row in data["rows"]:
        assert len(row[3]) == len(result.rounds)
        for name, (outcome, pred, ctx) in zip(data["rounds"], row[3], strict=True):
            detail = [d for d in result.round(name).details if (d.id, d.field) == tuple(row[:2])]
            assert outcome == (detail[0].outcome if detail else "tn")
            assert pred == (detail[0].pred if detail else [])
            if outcome in ("tp", "tn"):
                assert ctx is None
            elif ctx is not None:  # the text around the values, their spans inside it
                start, text, gold, predicted, _ = ctx
                assert gold or predicted
                assert all(start <= a < b <= start + len(text) for a, b in gold + predicted)
    contexts = [c[2] for row in data["rows"] for c in row[3] if c[2] is not None]
    assert contexts, "wrong pairs whose values are in the text come with their context"


def test_html_reporter_writes_file_and_is_deterministic(tiny_run, tmp_path: Path) -> None:
    _, result = tiny_run
    files = HtmlReporter().report(result, tmp_path)
    assert files == [tmp_path / "report.html"]
    assert files[0].read_text(encoding="utf-8") == render_html(result)


def test_run_with_every_reporter(tmp_path: Path, monkeypatch) -> None:
    reporters = [{"name": n} for n in ("markdown", "json", "csv", "html")]
    run_dir, _ = run_tiny(tmp_path, monkeypatch, reporters=reporters)
    names = {p.name for p in (run_dir / "report").iterdir()}
    assert {"report.md", "report.json", "fields.csv", "report.html"} <= names
    assert yaml.safe_load((run_dir / "manifest.yaml").read_text())["reporters"][3]["name"] \
        == "html"


def test_cost_chart_is_a_sentence_without_prices_or_latencies(tiny_run) -> None:
    result = tiny_run[1].model_copy(deep=True)
    result.timing = {}  # e.g. a report.json read back without its timing.json
    html = render_html(result)
    assert 'data-chart="cost-f1"' not in html and "No prices and no latencies" in html


def test_axes_contain_their_whiskers(tiny_run) -> None:
    from leasebench.reporting.html_charts import learning_curve

    chart = learning_curve(tiny_run[1], "lessee")
    ticks = [float(dict(s.attrs)["y"]) for s in chart.shapes
             if s.tag == "text" and ("class", "tick") in s.attrs
             and ("text-anchor", "end") in s.attrs]
    lines = [dict(s.attrs) for s in chart.shapes if s.tag == "line"]
    whisker_ys = [float(a[k]) for a in lines if a["x1"] == a["x2"] for k in ("y1", "y2")]
    top_tick, bottom_tick = min(ticks) - 4, max(ticks) - 4  # label baseline is 4px lower
    assert all(top_tick - 0.01 <= y <= bottom_tick + 0.01 for y in whisker_ys)
