"""`data check` prints tables on a terminal and Markdown when piped; the tables fit the
terminal, keep every name whole and show values literally (no console markup)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from leasebench.data.card import build_card
from leasebench.data.reader import read_records
from leasebench.reporting.terminal import render_text
from leasebench.reporting.terminal_card import card_renderables
from leasebench.schema import builtin_schema

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "fixtures" / "tiny"


def test_card_tables_fit_80_columns_and_show_values_literally(tmp_path):
    rows = [json.loads(line) for line in (TINY / "train.jsonl").read_text().splitlines()]
    rows[0]["labels"]["lessor"] = ["[bold]Not In Text[/bold]"]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    splits = [("train", read_records(path)), ("holdout", read_records(TINY / "holdout.jsonl"))]
    card = build_card(splits, builtin_schema("lease"))
    for width in (80, 120):
        text = render_text(lambda w: card_renderables(card, "Data card", w), width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert "expiration_date_of_lease" in text and "[p10," in text
        assert "[bold]Not In Text[/bold]" in text
        assert "|---" not in text


@pytest.mark.slow
def test_piped_data_check_prints_markdown_and_table_on_request():
    args = [sys.executable, "-m", "leasebench", "data", "check", str(TINY / "train.jsonl")]
    piped = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout.startswith("# Data card:")
    table = subprocess.run([*args, "--format", "table"], capture_output=True, text=True,
                           timeout=120)
    assert table.returncode == 0 and "Splits" in table.stdout and "|---" not in table.stdout
