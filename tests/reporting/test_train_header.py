"""The header's count of real train documents is the rounds table's: the dev split is
named apart, in the terminal, Markdown, HTML and the MLflow description."""

from __future__ import annotations

from pathlib import Path

from leasebench.reporting.html import render_html
from leasebench.reporting.markdown import render_markdown
from leasebench.reporting.terminal import render_text
from leasebench.reporting.terminal_run import run_renderables
from leasebench.results import RunResult
from leasebench.tracking.content import describe_run

STORED = Path(__file__).resolve().parents[2] / "docs" / "offline-results.json"


def test_the_header_counts_train_documents_as_the_rounds_table_does():
    result = RunResult.model_validate_json(STORED.read_text(encoding="utf-8"))
    real = result.n_train - result.n_dev
    assert result.n_dev and all(r.n_train_real == real for r in result.rounds)
    said = f"{real} real + {result.n_dev} dev"
    term = render_text(lambda w: run_renderables(result, w), 200)
    assert f"train {said};" in term and f"{real} + 0" in term
    assert f"train {result.n_train} real" not in term
    assert f"train: {said}." in render_markdown(result)
    assert f"train: {said}" in render_html(result)
    assert f"(train: {said})" in describe_run(result, {})
