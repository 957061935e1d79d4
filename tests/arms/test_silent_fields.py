"""A field a round never predicts is flagged, with its reason, instead of sitting at 0."""

from __future__ import annotations

import json
from pathlib import Path

from leasebench.records import Record
from leasebench.results import RunResult
from leasebench.runner import run_experiment
from leasebench.runner.silent import silent_field_warnings


def test_a_field_no_training_document_labels_is_flagged_in_every_report(tiny_manifest):
    train = tiny_manifest.parent.parent / "tiny" / "train.jsonl"
    rows = [json.loads(line) for line in train.read_text().splitlines()]
    for row in rows:
        row["labels"]["designated_use"] = []
    train.write_text("".join(json.dumps(r) + "\n" for r in rows))
    outcome = run_experiment(tiny_manifest, runs_dir=tiny_manifest.parent / "runs",
                             quiet=True, mlflow=False)
    result = outcome.result
    flagged = [w for w in result.warnings if "predicted no value at all" in w]
    assert [w.split()[1] for w in flagged] == [r.name for r in result.rounds]
    for w in flagged:
        assert "designated_use (" in w and "none of its" in w and "labels it" in w
        assert "lessor" not in w
    md = (outcome.run_dir / "report" / "report.md").read_text()
    assert flagged[0] in md


def test_the_reason_counts_the_rounds_own_training_documents():
    stored = Path(__file__).resolve().parents[2] / "docs" / "offline-results.json"
    result = RunResult.model_validate_json(stored.read_text())
    scorer = result.primary_scorer
    for r in result.rounds:
        m = r.scores[scorer].fields["lessee"]
        m.tp, m.fp, m.fn = 0, 0, m.support
    real = [Record(id=f"r{i}", text="x", labels={"lessee": ["A"] if i < 3 else []})
            for i in range(40)]
    synthetic = [[Record(id=f"s{i}", text="x", labels={"lessee": ["B"]}) for i in range(50)]]
    lines = silent_field_warnings(result, real, synthetic)
    by_round = {line.split()[1]: line for line in lines}
    assert "only 3 of its 40 training documents label it" in by_round["real-only"]
    assert "never output it although 53 of its 90 training documents" in by_round["synth-1"]
    assert len(lines) == len(result.rounds)
