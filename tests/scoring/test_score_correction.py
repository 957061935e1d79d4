"""``leasebench score --against`` corrects its per-field tests as ``run`` does: the same
corrections, the same default, and on a run's own prediction files the same fields
significant, with the same adjusted p-values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.cli.score import score
from leasebench.manifest.models import StatsSpec

ROOT = Path(__file__).resolve().parents[2]

#: per field: documents only the prediction gets right, then documents only the
#: reference gets right (the rest both get wrong)
SPLITS = {"f1": (13, 1), "f2": (10, 2), "f3": (10, 2), "f4": (10, 2), "f5": (3, 3)}


def write(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str, str]:
    gold, pred, ref = [], [], []
    for d in range(40):
        def value(f: str, right: bool, d: int = d) -> list[str]:
            return [f"{f}-{d}"] if right else ["wrong"]

        gold.append({"id": f"d{d}", "labels": {f: value(f, True) for f in SPLITS}})
        pred.append({"id": f"d{d}", "fields": {f: value(f, d < a) for f, (a, _) in
                                               SPLITS.items()}})
        ref.append({"id": f"d{d}", "fields": {f: value(f, a <= d < a + b) for f, (a, b) in
                                              SPLITS.items()}})
    return (write(tmp_path / "gold.jsonl", gold), write(tmp_path / "pred.jsonl", pred),
            write(tmp_path / "ref.jsonl", ref))


def compared(files: tuple[str, str, str], *args: str) -> dict:
    gold, pred, ref = files
    out = CliRunner().invoke(score, ["--gold", gold, "--pred", pred, "--against", ref,
                                     "--format", "json", *args])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)["comparison"]


def test_the_default_is_the_runs_and_corrects_the_per_field_tests(files):
    default, none = compared(files), compared(files, "--correction", "none")
    assert StatsSpec().correction == "holm" == default["correction"]
    assert none["correction"] == "none"
    assert none["significant_fields"] == ["f1", "f2", "f3", "f4"]  # raw intervals
    assert default["significant_fields"] == ["f1"]  # Holm over 5 tests
    assert all(d["p_adjusted"] is None for d in none["fields"].values())
    p = {f: (d["p_value"], d["p_adjusted"]) for f, d in default["fields"].items()}
    assert all(adj >= raw for raw, adj in p.values())
    assert p["f2"][1] == pytest.approx(4 * p["f2"][0])  # Holm: (m - rank + 1) p
    assert compared(files, "--correction", "bonferroni")["significant_fields"] == ["f1"]
    assert compared(files, "--correction", "bh") == compared(files, "--correction", "fdr_bh")


def test_markdown_and_csv_show_the_adjusted_p_and_the_rule(files):
    gold, pred, ref = files
    base = ["--gold", gold, "--pred", pred, "--against", ref]
    md = CliRunner().invoke(score, base).output
    assert "| p | adjusted p | McNemar p | significant |" in md
    assert "significant fields: f1\n" in md
    assert "Significant: Holm-adjusted p ≤ 0.05, correcting for the 5 per-field tests" in md
    plain = CliRunner().invoke(score, [*base, "--correction", "none"]).output
    assert "adjusted p" not in plain and "significant fields: f1, f2, f3, f4\n" in plain
    csv = CliRunner().invoke(score, [*base, "--format", "csv"]).output.splitlines()
    assert "p_value,p_adjusted,mcnemar_p" in csv[0]


def test_an_unknown_correction_exits_2(files):
    gold, pred, ref = files
    out = CliRunner().invoke(score, ["--gold", gold, "--pred", pred, "--against", ref,
                                     "--correction", "sidak"])
    assert out.exit_code == 2 and "sidak" in out.output


@pytest.mark.slow
def test_score_and_run_mark_the_same_fields_on_the_quick_starts_predictions(tmp_path):
    """The quick start's manifest, reduced; every round against the reference."""
    data = yaml.safe_load((ROOT / "fixtures" / "manifests" / "lease-offline.yaml").read_text())
    data["name"] = "quick"
    data["data"].update(train=16, holdout=24)
    data["generator"]["batch_size"] = 12
    data["trainer"]["params"]["max_iterations"] = 10
    data["trainer"]["sweep"] = {"c1": [0.05, 0.3]}
    manifest = tmp_path / "quick.yaml"
    manifest.write_text(yaml.safe_dump(data), "utf-8")
    runs = tmp_path / "runs"
    out = CliRunner().invoke(make_cli(), ["run", str(manifest), "--runs-dir", str(runs), "-q",
                                          "--no-mlflow"])
    assert out.exit_code == 0, out.output
    report = json.loads(next(runs.glob("quick/*/report/report.json")).read_text())
    run_dir = next(runs.glob("quick/*/report")).parent
    gold = next(runs.glob("quick/stages/split-*/holdout.jsonl"))
    stats, reference = data.get("stats", {}), report["reference_round"]
    mode = data["scorers"][0]["params"]["mode"]
    checked = 0
    for r in report["rounds"]:
        if r["name"] == reference:
            continue
        run_says = r["vs_reference"][report["primary_scorer"]]
        scored = CliRunner().invoke(score, [
            "--gold", str(gold), "--pred", str(run_dir / "predictions" / f"{r['name']}.jsonl"),
            "--against", str(run_dir / "predictions" / f"{reference}.jsonl"),
            "--mode", mode, "--seed", str(data["seed"]),
            "--iterations", str(stats.get("bootstrap", 1000)), "--format", "json"])
        assert scored.exit_code == 0, scored.output
        score_says = json.loads(scored.output)["comparison"]
        assert score_says["correction"] == run_says["correction"] == "holm"
        assert score_says["significant_fields"] == run_says["significant_fields"]
        for field, d in run_says["fields"].items():
            assert score_says["fields"][field]["p_adjusted"] == pytest.approx(d["p_adjusted"])
        checked += 1
    assert checked == 2
