"""Data guards: hold-out documents copied into the real train set; a collapsed synthetic
batch; the near-dup judge."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.components import Context, Generator
from leasebench.hookspecs import hookimpl
from leasebench.judging.near_dup import NearDupJudge
from leasebench.plugin_manager import build_registry, get_plugin_manager
from leasebench.records import Origin, Record
from leasebench.runner import run_experiment
from leasebench.schema import builtin_schema

from .conftest import arms_manifest


def _leaky(tmp_path: Path, policy: str) -> Path:
    path = arms_manifest(tmp_path, guards={"leakage": policy})
    train, holdout = tmp_path / "tiny" / "train.jsonl", tmp_path / "tiny" / "holdout.jsonl"
    copies = []
    for line in holdout.read_text().splitlines()[:3]:
        rec = json.loads(line)
        rec["id"] = "copy-" + rec["id"]
        copies.append(json.dumps(rec))
    train.write_text(train.read_text() + "\n".join(copies) + "\n")
    return path


def test_holdout_copies_in_the_train_set_are_warned_about(tmp_path, registry):
    out = run_experiment(_leaky(tmp_path, "warn"), runs_dir=tmp_path / "runs", quiet=True,
                         registry=registry)
    holdout_ids = [json.loads(x)["id"] for x in
                   (tmp_path / "tiny" / "holdout.jsonl").read_text().splitlines()[:3]]
    assert sorted((p.train_id, p.holdout_id) for p in out.result.leakage) == sorted(
        (f"copy-{i}", i) for i in holdout_ids)
    assert all(p.similarity == 1.0 for p in out.result.leakage)
    assert any("near-duplicate hold-out documents" in w for w in out.result.warnings)
    assert "near-duplicate hold-out" in (out.run_dir / "report" / "report.md").read_text()


def test_holdout_copies_stop_the_run_with_the_error_policy(tmp_path):
    path = _leaky(tmp_path, "error")
    m = yaml.safe_load(path.read_text())
    m["trainers"]["rec"]["name"] = "pattern"  # the CLI loads only installed plugins
    path.write_text(yaml.safe_dump(m))
    result = CliRunner().invoke(make_cli(), ["run", str(path), "--runs-dir",
                                             str(tmp_path / "runs"), "-q"])
    assert result.exit_code == 2, result.output
    assert "3 real train document(s) near-duplicate hold-out documents" in result.output
    assert "copy-" in result.output and "guards.leakage: warn" in result.output
    assert not list((tmp_path / "runs").rglob("train-*")), "nothing trained"


def test_a_clean_split_has_no_leakage(tmp_path, registry):
    out = run_experiment(arms_manifest(tmp_path), runs_dir=tmp_path / "runs", quiet=True,
                         registry=registry)
    assert out.result.leakage == []
    assert not any("near-duplicate" in w for w in out.result.warnings)


class _CloneGenerator(Generator):
    """Every sample is the same copy of the first train record: a collapsed generator."""

    name = "lbtest/clone"

    def generate(self, tasks, ctx):
        first = sorted(ctx.train, key=lambda r: r.id)[0]
        for t in tasks:
            yield Record(id=t.sample_id, text=first.text, labels=first.labels,
                         origin=Origin(kind="synthetic", generator=self.name, batch=t.batch,
                                       source_id=t.source.id))


class _ClonePlugin:
    @hookimpl
    def register_generators(self, register):
        register(_CloneGenerator)


def _clone_run(tmp_path: Path, judges: list[dict]):
    pm = get_plugin_manager(entry_points=False)
    pm.register_plugin(_ClonePlugin(), "clone", "tests", "0")
    path = arms_manifest(tmp_path, generator={"name": "lbtest/clone", "batch_size": 6},
                         judges=judges)
    m = yaml.safe_load(path.read_text())
    m["trainers"] = {"pat": m["trainers"]["pat"]}
    m["rounds"] = [{"name": "prose", "extractor": "prose"},
                   {"name": "pat-synth-1", "trainer": "pat", "synthetic_batches": 1}]
    path.write_text(yaml.safe_dump(m))
    return run_experiment(path, runs_dir=tmp_path / "runs", quiet=True,
                          registry=build_registry(pm))


def test_a_collapsed_batch_is_flagged(tmp_path):
    out = _clone_run(tmp_path, [{"name": "schema"}, {"name": "grounding"}])
    batch = out.result.funnel[0]
    assert batch.accepted == 6
    d = batch.diversity
    assert d.collapsed and d.mean_similarity == 1.0 and d.distinct_labels == 1
    assert d.near_duplicates == 5
    assert any("synthetic batch 1 collapsed" in w for w in out.result.warnings)


def test_the_near_dup_judge_keeps_one_of_identical_samples(tmp_path):
    out = _clone_run(tmp_path, [{"name": "schema"},
                                {"name": "near-dup", "params": {"source_threshold": None}}])
    batch = out.result.funnel[0]
    assert batch.accepted == 1 and batch.passed["near-dup"] == 1
    assert any("near-duplicate of syn-b1-0000" in r for r in batch.reasons["near-dup"])
    assert not batch.diversity.collapsed


def _sample(i: int, text: str, source: str = "src") -> Record:
    return Record(id=f"syn-{i}", text=text, labels={},
                  origin=Origin(kind="synthetic", batch=1, source_id=source))


def test_near_dup_verdicts_do_not_depend_on_how_the_batch_is_split(tmp_path):
    words = " ".join(f"w{i}" for i in range(60))
    other = " ".join(f"v{i}" for i in range(60))
    source = Record(id="src", text="the source document " + other + " with its own ending")
    third = " ".join(f"u{i}" for i in range(60))
    batch = [_sample(0, words), _sample(1, third), _sample(2, words + " end"),
             _sample(3, source.text)]
    ctx = Context(schema=builtin_schema("lease"), seed=1, workdir=tmp_path, train=(source,),
                  batch=tuple(batch))
    judge = NearDupJudge()
    whole = {v.record_id: v for v in judge.judge(batch, ctx)}
    assert [whole[f"syn-{i}"].passed for i in range(4)] == [True, True, False, False]
    assert "near-duplicate of syn-0" in whole["syn-2"].reason
    assert "near-copy of its source src" in whole["syn-3"].reason
    part = {v.record_id: v for v in judge.judge(batch[2:], dataclasses.replace(ctx))}
    assert {k: v.passed for k, v in part.items()} == {"syn-2": False, "syn-3": False}
