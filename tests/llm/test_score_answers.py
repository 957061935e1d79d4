"""Parse rates, partial rates and salvaged values outside the run's report: in
``leasebench score``'s summary (Markdown and JSON) and in the round runs' MLflow metrics.

The run is the partial-answers run (a real loopback server whose answers are cut off in
a repetition loop or name no field, see test_partial_answers.py), logged to a real MLflow
sqlite store; ``leasebench score`` then reads its stored predictions.
"""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from leasebench.cli.main import make_cli
from leasebench.reporting.results import RunResult

from .test_partial_answers import handler, write_manifest


@pytest.mark.slow
def test_score_and_mlflow_show_how_answers_parsed(serve, tmp_path):
    srv = serve(handler)
    path = write_manifest(tmp_path, srv.url)
    uri = f"sqlite:///{tmp_path / 'ml.db'}"
    m = yaml.safe_load(path.read_text())
    m["tracking"] = {"mlflow": True, "tracking_uri": uri}
    path.write_text(yaml.safe_dump(m, sort_keys=False))
    runs = tmp_path / "runs"
    cli = make_cli()
    out = CliRunner().invoke(cli, ["run", str(path), "--runs-dir", str(runs)])
    assert out.exit_code == 0, out.output
    [report] = (runs / "partial").glob("*/report/report.json")
    result = RunResult.model_validate_json(report.read_text("utf-8"))
    cut, chatty = result.round("cut"), result.round("chatty")

    # MLflow: each round run carries its answer counts and rates
    client = MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name("partial")
    by_round = {r.info.run_name: r.data.metrics for r in client.search_runs(
        [exp.experiment_id], filter_string="tags.`leasebench.level` = 'round'")}
    logged = by_round["cut"]
    assert (logged["parse_rate"], logged["partial_rate"]) == (0.875, 0.625)
    assert (logged["partial_answers"], logged["salvaged_values"]) == (5, cut.salvaged_values)
    assert logged["micro_f1_without_salvage"] == cut.micro_f1_without_salvage
    assert by_round["chatty"]["parse_rate"] == chatty.parse_rate == 0.125
    assert by_round["chatty"]["partial_answers"] == 0
    assert "micro_f1_without_salvage" not in by_round["chatty"]

    # leasebench score on the stored predictions: the same counts as the run's report
    [cut_preds] = (runs / "partial").glob("stages/extract-cut*/predictions.jsonl")
    [chatty_preds] = (runs / "partial").glob("stages/extract-chatty*/predictions.jsonl")
    gold = tmp_path / "tiny" / "holdout.jsonl"
    args = ["score", "--gold", str(gold), "--pred", str(cut_preds), "--mode", "exact",
            "--iterations", "20"]
    md = CliRunner().invoke(cli, [*args, "--against", str(chatty_preds)], terminal_width=200)
    assert md.exit_code == 0, md.output
    text = " ".join(md.output.split())
    micro = f"{cut.scores[result.primary_scorer].micro.f1:.3f}"
    assert ("## Answers - predictions.jsonl: 7 of 8 answers parsed (87.5%); 5 (62.5%) were "
            f"cut off or malformed and {cut.salvaged_values} complete values were salvaged "
            f"from them (micro F1 {micro}; {cut.micro_f1_without_salvage:.3f} without "
            "salvage).") in text
    assert "- predictions.jsonl (reference): 1 of 8 answers parsed (12.5%)." in text

    js = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert js.exit_code == 0, js.output
    answers = json.loads(js.output)["answers"]["predictions.jsonl"]
    assert answers["parse_rate"] == cut.parse_rate and answers["partial"] == 5
    assert answers["salvaged_values"] == cut.salvaged_values
    assert answers["micro_f1_without_salvage"] == cut.micro_f1_without_salvage

    # predictions without a model's answer text (a CRF's, say) have no rates to show
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(json.dumps({"id": r["id"], "fields": r["labels"]}) + "\n"
                             for r in map(json.loads, gold.read_text().splitlines())))
    none = CliRunner().invoke(cli, ["score", "--gold", str(gold), "--pred", str(plain),
                                    "--iterations", "0"])
    assert none.exit_code == 0, none.output
    assert "## Answers" not in none.output
