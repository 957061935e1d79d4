"""A multi-arm run shows the proxy audit, next-round worth, per-field attribution and
break-even sections from its own data (as lease-arms does, on the tiny fixture), and the
shipped example manifests validate."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.reporting.decisions_render import decision_renderables
from leasebench.reporting.report_schema import validate_report
from leasebench.reporting.terminal import render_text
from leasebench.runner import run_experiment

from .conftest import ROOT, arms_manifest

PRICE = {"serve_per_hour": 0.1}
EXTRACTORS = {"prose": {"name": "rules", "params": {"layout": "prose"}, "pricing": PRICE},
              "labelled": {"name": "rules", "params": {"layout": "labelled"},
                           "pricing": PRICE}}
TRAINERS = {"crf": {"name": "crf", "params": {"max_iterations": 15},
                    "sweep": {"c1": [0.01, 1.0]},
                    "pricing": {"train_per_hour": 0.1, "serve_per_hour": 0.1}}}
ROUNDS = [{"name": "prose", "extractor": "prose"},
          {"name": "labelled", "extractor": "labelled"},
          {"name": "crf-real", "trainer": "crf", "synthetic_batches": 0},
          {"name": "crf-synth-2", "trainer": "crf", "synthetic_batches": 2}]


def test_a_multi_arm_run_answers_the_four_decisions(tmp_path, registry):
    path = arms_manifest(tmp_path, extractors=EXTRACTORS, trainers=TRAINERS, rounds=ROUNDS)
    out = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
    d = out.result.decisions
    (real, synth) = d.proxy_audit
    assert (real.arm, real.rounds, synth.rounds) == ("crf", ["crf-real"], ["crf-synth-2"])
    assert len(real.trial_f1) == 2 and real.f1_trial is not None
    (pick,) = real.picks
    assert pick.proxy == "token_accuracy" and 0 <= pick.low <= pick.regret <= pick.high
    assert {(a.proxy, a.other) for a in d.proxy_agreement} == {("token_accuracy", "eval_f1")}
    (step,) = d.steps
    assert (step.before, step.after, step.batches_after) == ("crf-real", "crf-synth-2", 2)
    assert step.added_samples == out.result.round("crf-synth-2").n_train_synthetic > 0
    assert [(p.family, p.a, p.b) for p in d.families] == [("rules", "prose", "labelled")]
    assert [(b.trained, b.prompted, b.hourly) for b in d.break_even] == [
        ("crf-real", "prose", True), ("crf-synth-2", "prose", True)]
    report = json.loads((out.run_dir / "report" / "report.json").read_text())
    validate_report(report)
    assert report["decisions"]["steps"][0]["verdict"] in ("continue", "stop")
    md = (out.run_dir / "report" / "report.md").read_text()
    for title in ("Proxy metrics", "Is the next synthetic round worth it?",
                  "Which fields each change moves", "Break-even volume"):
        assert f"### {title}" in md
    text = render_text(lambda w: decision_renderables(out.result, w), 160)
    assert "docs/month" in text or "never" in text or "always" in text


def test_the_example_manifests_validate():
    cli = make_cli()
    for name in ("lease-arms.yaml", "lease-judges.yaml"):
        path = Path(ROOT / "fixtures" / "manifests" / name)
        done = CliRunner().invoke(cli, ["validate", str(path)])
        assert done.exit_code == 0, done.output
