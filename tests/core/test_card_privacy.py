"""The terminal of a run shows the data card's counts and shares, never a gold value;
the run directory's card files list them unless `data_card.gold_values` is false."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.io import read_jsonl, write_jsonl
from leasebench.records import Record

HIDDEN = "Zebra Quarry Holdings"  # a gold value that is not in its document


def _run(manifest: Path, runs: Path) -> str:
    out = CliRunner().invoke(make_cli(), ["run", str(manifest), "--runs-dir", str(runs)],
                             terminal_width=120)
    assert out.exit_code == 0, out.output
    return out.output


def _gold_values(*paths: Path) -> set[str]:
    return {v for p in paths for r in read_jsonl(p, Record) for vs in r.labels.values()
            for v in vs}


def test_a_runs_terminal_output_holds_no_gold_value(tiny_manifest, tmp_path):
    data = tmp_path / "tiny"
    holdout = read_jsonl(data / "holdout.jsonl", Record)
    holdout[0].labels["lessor"] = [HIDDEN]
    write_jsonl(data / "holdout.jsonl", holdout)
    output = _run(tiny_manifest, tmp_path / "runs")
    assert "holdout: 8 documents," in output and "not in the text" in output
    assert "do not occur in their document" in output  # the warning, without its value
    gold = _gold_values(data / "train.jsonl", data / "holdout.jsonl")
    assert HIDDEN in gold and len(gold) > 50
    flat = re.sub(r"\s+", " ", output)
    shown = sorted(v for v in gold if v in output or v in flat)
    assert shown == []
    [run_dir] = (tmp_path / "runs" / "tiny").glob("*/data_card.md")
    assert HIDDEN in run_dir.read_text("utf-8")  # the files keep them

    m = yaml.safe_load(tiny_manifest.read_text())
    m["data_card"] = {"gold_values": False}
    tiny_manifest.write_text(yaml.safe_dump(m))
    output = _run(tiny_manifest, tmp_path / "runs2")
    assert not [v for v in gold if v in output]
    [card_dir] = {p.parent for p in (tmp_path / "runs2" / "tiny").glob("*/data_card.json")}
    card = json.loads((card_dir / "data_card.json").read_text("utf-8"))
    assert card["examples"] == [] and card["splits"][1]["gold"]["not_found"] >= 1
    assert HIDDEN not in (card_dir / "data_card.md").read_text("utf-8")
