"""report.json: the shipped schema matches the model, reports validate, output is stable."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from jsonschema import Draft202012Validator

from leasebench.errors import DataError
from leasebench.outcomes import Outcomes
from leasebench.reporting.outcomes_io import dump_outcomes, load_outcomes
from leasebench.reporting.report_schema import (
    report_schema,
    schema_text,
    shipped_schema,
    validate_report,
)

from .conftest import ROOT, run_tiny

SHIPPED = ROOT / "src" / "leasebench" / "schemas" / "report.schema.json"


def test_shipped_schema_equals_generated() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), (
        "report.schema.json is stale: run `python -m leasebench.reporting.report_schema`")
    assert shipped_schema() == report_schema()
    Draft202012Validator.check_schema(shipped_schema())


def test_report_json_validates_and_excludes_outcomes(tiny_run) -> None:
    run_dir = tiny_run[0]
    data = json.loads((run_dir / "report" / "report.json").read_text(encoding="utf-8"))
    validate_report(data)
    assert "outcomes" not in data
    assert "outcomes" not in shipped_schema()["properties"]


def test_invalid_report_is_rejected(tiny_run) -> None:
    data = json.loads((tiny_run[0] / "report" / "report.json").read_text(encoding="utf-8"))
    data["rounds"][0]["kind"] = "mystery"
    del data["fields"]
    with pytest.raises(DataError, match=r"fields.*|kind"):
        validate_report(data)


def test_report_json_is_byte_identical_for_identical_runs(tmp_path: Path, monkeypatch) -> None:
    texts = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        run_dir, _ = run_tiny(tmp_path / name, monkeypatch)
        texts.append([(run_dir / "report" / f).read_bytes()
                      for f in ("report.json", "outcomes.json", "report.md")])
    assert texts[0] == texts[1]


def test_outcomes_file_round_trips(tiny_run) -> None:
    run_dir, result = tiny_run
    loaded = load_outcomes(run_dir / "report" / "outcomes.json")
    assert set(loaded) == {r.name for r in result.rounds}
    for name, by_label in result.outcomes.items():
        for label, o in by_label.items():
            back = loaded[name][label]
            assert back.doc_ids == o.doc_ids and back.fields == o.fields
            assert np.array_equal(back.counts, o.counts)


def test_outcomes_dump_of_constructed_tables(tmp_path: Path) -> None:
    o = Outcomes(("d1", "d2"), ("a", "b"), np.arange(16).reshape(2, 2, 4), 1, 0, 0)
    path = tmp_path / "outcomes.json"
    path.write_text(dump_outcomes({"r": {"s": o}}), encoding="utf-8")
    back = load_outcomes(path)["r"]["s"]
    assert back.parse_failures == 1 and np.array_equal(back.counts, o.counts)
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(DataError, match="not a valid outcomes file"):
        load_outcomes(path)
