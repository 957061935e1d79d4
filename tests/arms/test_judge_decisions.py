"""Judge agreement and ablation in a real run: judges without model calls score every
sample (their own stages), the ablated round is trained again per judge with only that
judge's rejects put back, and a re-run does no work."""

from __future__ import annotations

import json

from leasebench.records import Record, Verdict
from leasebench.runner import run_experiment
from leasebench.runner.ablation import put_back
from leasebench.runner.synthetic import Batch

from .conftest import arms_manifest

ROUNDS = [{"name": "prose", "extractor": "prose"},
          {"name": "pat-real", "trainer": "pat", "synthetic_batches": 0},
          {"name": "pat-synth-1", "trainer": "pat", "synthetic_batches": 1}]
TRAINERS = {"pat": {"name": "pattern", "sweep": {"min_precision": [0.3, 0.6]}}}
# the strict near-dup judge first: the later judges see only its survivors
JUDGES = [{"name": "near-dup", "params": {"threshold": 0.2}}, {"name": "schema"},
          {"name": "grounding"}]


def _v(judge: str, rid: str, ok: bool) -> Verdict:
    return Verdict(record_id=rid, judge=judge, passed=ok)


def test_put_back_takes_the_samples_only_that_judge_rejected():
    recs = [Record(id=f"s{i}", text="t") for i in range(4)]
    b = Batch(1, recs)
    b.verdicts = {"a": [_v("a", r.id, ok) for r, ok in zip(recs, [1, 0, 1, 0], strict=True)],
                  "b": [_v("b", "s0", True), _v("b", "s2", False)]}  # b saw a's survivors
    b.audit = {"b": [_v("b", r.id, ok) for r, ok in zip(recs, [1, 1, 0, 0], strict=True)]}
    assert [r.id for r in put_back([b], "a")] == ["s1"]
    assert [r.id for r in put_back([b], "b")] == ["s2"]
    b.audit = {}  # without b's verdict on s1, a's reject s1 cannot be put back
    assert put_back([b], "a") == []


def test_agreement_and_ablation_from_a_run(tmp_path, registry):
    path = arms_manifest(tmp_path, rounds=ROUNDS, trainers=TRAINERS, judges=JUDGES,
                         decisions={"ablate_judges": "pat-synth-1"})
    out = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
    d = out.result.decisions
    stages = {t["stage"] for t in json.loads((out.run_dir / "run.json").read_text())["stages"]}
    assert {"judge-all-b1-1schema", "judge-all-b1-2grounding"} <= stages
    assert "judge-all-b1-0near-dup" not in stages  # the first judge saw every sample
    funnel = out.result.funnel[0]
    rejected = funnel.generated - funnel.passed["near-dup"]
    assert rejected > 0, "the strict near-dup judge rejects something"
    pairs = {(p.a, p.b): p for p in d.judges}
    assert set(pairs) == {("near-dup", "schema"), ("near-dup", "grounding"),
                          ("schema", "grounding")}
    assert all(p.n == funnel.generated for p in pairs.values())
    nd = pairs["near-dup", "schema"]
    assert nd.b_only + nd.both_reject == rejected
    assert nd.disagreements and nd.disagreements[0].rejected_by == "near-dup"
    by_judge = {a.judge: a for a in d.ablation}
    assert list(by_judge) == ["near-dup", "schema", "grounding"]
    assert all(a.round == "pat-synth-1" for a in d.ablation)
    # put back: rejected by near-dup and passed by both other judges
    both_pass_others = pairs["schema", "grounding"].both_pass
    assert 0 < by_judge["near-dup"].put_back <= min(rejected, both_pass_others)
    if nd.both_reject == 0 and pairs["near-dup", "grounding"].both_reject == 0:
        assert by_judge["near-dup"].put_back == rejected
    assert {"train-pat-without-near-dup-b1-t0", "extract-pat-without-near-dup-b1"} <= stages
    for a in d.ablation:
        if a.put_back == 0:
            assert a.comparison.micro.delta == 0
    report = (out.run_dir / "report" / "report.md").read_text()
    assert "### Do the judges agree?" in report and "### Does each judge earn its cost?" \
        in report
    again = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
    assert again.stages_run == 0
    assert again.result.decisions == d
