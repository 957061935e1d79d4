"""Dataset components (hook ``register_datasets``) as a manifest's data source."""

from __future__ import annotations

import json

import yaml

from leasebench.runner import run_experiment
from leasebench.testing.conformance import check_dataset

from .conftest import FIXTURES, make_distribution

TABLE_PLUGIN = """
import json, os
from pathlib import Path
from typing import ClassVar
from pydantic import BaseModel, ConfigDict
from leasebench.components import Dataset, LoadedData
from leasebench.hookspecs import hookimpl
from leasebench.data.reader import read_records

CALLS = Path(os.environ["LBTEST_CALLS"])

class Table(Dataset):
    '''Records from a "table" (a JSONL file) with a version number.'''
    name: ClassVar[str] = "lbtest/table"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        path: str
        versioned: bool = True

    def load(self, ctx):
        CALLS.write_text(CALLS.read_text() + "load\\n" if CALLS.exists() else "load\\n")
        return LoadedData(train=read_records(Path(self.params.path)))

    def fingerprint(self, ctx):
        if not self.params.versioned:
            return None
        return Path(self.params.path).read_text().count("\\n").__str__()

@hookimpl
def register_datasets(register):
    register(Table)
"""


def _manifest(tmp_path, versioned: bool):
    source = tmp_path / "all.jsonl"
    source.write_text((FIXTURES / "tiny" / "train.jsonl").read_text()
                      + (FIXTURES / "tiny" / "holdout.jsonl").read_text())
    m = yaml.safe_load((FIXTURES / "manifests" / "tiny.yaml").read_text())
    m["data"] = {"dataset": "lbtest/table", "holdout_fraction": 0.4,
                 "params": {"path": str(source), "versioned": versioned}}
    m["rounds"] = m["rounds"][:2]
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(m))
    return path, source


def _ran(out):
    meta = json.loads((out.run_dir / "run.json").read_text())
    return {t["stage"] for t in meta["stages"] if not t["cached"]}


def test_dataset_with_fingerprint_is_not_reloaded(site, tmp_path, monkeypatch):
    monkeypatch.setenv("LBTEST_CALLS", str(tmp_path / "calls.txt"))
    make_distribution(site, "lbtest-table", "1.0", "lbtest_table", TABLE_PLUGIN,
                      {"table": "lbtest_table"})
    path, _ = _manifest(tmp_path, versioned=True)
    first = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, mlflow=False)
    assert first.result.n_train == 12 and first.result.n_holdout == 8
    again = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, mlflow=False)
    assert again.stages_run == 0
    assert (tmp_path / "calls.txt").read_text() == "load\n"  # the fingerprint sufficed


def test_dataset_without_fingerprint_is_keyed_by_content(site, tmp_path, monkeypatch):
    monkeypatch.setenv("LBTEST_CALLS", str(tmp_path / "calls.txt"))
    make_distribution(site, "lbtest-table", "1.0", "lbtest_table", TABLE_PLUGIN,
                      {"table": "lbtest_table"})
    path, source = _manifest(tmp_path, versioned=False)
    run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, mlflow=False)
    again = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, mlflow=False)
    assert again.stages_run == 0  # loaded again, same content: everything cached
    assert (tmp_path / "calls.txt").read_text() == "load\nload\n"
    lines = source.read_text().splitlines()
    record = json.loads(lines[0])
    record["text"] += " Amended."
    source.write_text("\n".join([json.dumps(record), *lines[1:]]) + "\n")
    changed = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, mlflow=False)
    assert {"load", "split"} <= _ran(changed)


def test_builtin_lease_dataset_conforms_and_matches_the_shorthand(tmp_path):
    from leasebench.corpus import lease_dataset
    from leasebench.corpus.dataset import LeaseDataset
    from leasebench.testing.conformance import make_context, tiny_schema

    check_dataset(LeaseDataset, {"train": 3, "holdout": 2})
    ctx = make_context(tmp_path, seed=614, schema=tiny_schema())
    loaded = LeaseDataset.from_dict({"train": 3, "holdout": 2}).load(ctx)
    assert (list(loaded.train), list(loaded.holdout)) == lease_dataset(3, 2, 614)
