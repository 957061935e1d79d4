"""A finished tiny run's results, for the pure tracking tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from leasebench.results import RunResult
from leasebench.runner import run_experiment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def tiny_result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    out = run_experiment(ROOT / "fixtures" / "manifests" / "tiny.yaml",
                         runs_dir=tmp_path_factory.mktemp("tiny") / "runs", quiet=True,
                         mlflow=False)
    return out.result
