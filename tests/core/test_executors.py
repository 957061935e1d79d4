"""Executors: one real extraction stage run by ``local``, ``processes`` and ``spark`` gives the
same output; a stage killed half-way on one executor resumes on another with only the
missing items sent; a failed Spark partition is retried, then recorded per item."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from leasebench.components import Executor, Trainer
from leasebench.corpus import lease_dataset
from leasebench.executors import LocalExecutor, MapWork, ProcessesExecutor, SparkExecutor
from leasebench.hashing import stable_hash
from leasebench.io import write_jsonl
from leasebench.plugin_manager import build_registry
from leasebench.records import Prediction
from leasebench.runner.extraction import extract_holdout, extract_stage
from leasebench.runner.run import make_env, prepare_data
from leasebench.testing.conformance import FailingExtractor, check_executor, make_context

REGISTRY = build_registry()
N_TRAIN, N_HOLD = 20, 40


class Interrupted(Exception):
    """Stands for a run killed while a stage was in flight."""


class Watched(Executor):
    """Delegates to another executor; records the items it is handed, may stop after n."""

    name = "watched"

    def __init__(self, inner: Executor, stop_after: int | None = None):
        super().__init__()
        self.inner, self.stop_after, self.sent = inner, stop_after, []

    def map(self, work: MapWork, items: Any):
        def tap():
            for item in items:
                self.sent.append(work.item_id(item))
                yield item

        for n, result in enumerate(self.inner.map(work, tap()), 1):
            yield result
            if self.stop_after is not None and n >= self.stop_after:
                raise Interrupted


@pytest.fixture(scope="module")
def experiment(tmp_path_factory) -> Path:
    """A manifest over 20 train and 40 hold-out documents of the built-in corpus."""
    root = tmp_path_factory.mktemp("exp")
    train, holdout = lease_dataset(N_TRAIN, N_HOLD, 11)
    write_jsonl(root / "train.jsonl", train)
    write_jsonl(root / "holdout.jsonl", holdout)
    manifest = {"name": "ex", "seed": 3, "data": {"train": "train.jsonl",
                                                  "holdout": "holdout.jsonl"},
                "trainer": {"name": "pattern"}, "rounds": [{"name": "r", "synthetic_batches": 0}],
                "tracking": {"mlflow": False}}
    (root / "m.yaml").write_text(yaml.safe_dump(manifest))
    return root


def executors(kind: str) -> Executor:
    if kind == "local":
        return LocalExecutor()
    if kind == "processes":
        return ProcessesExecutor.from_dict({"workers": 2, "min_items": 1, "chunk_size": 6})
    return SparkExecutor.from_dict({"partition_items": 7})


def extraction(experiment: Path, runs: Path, executor: Executor):
    """The env, stage and a function running the stage's extraction on ``executor``."""
    env = make_env(experiment / "m.yaml", runs_dir=runs, quiet=True, registry=REGISTRY)
    env.executor = executor
    splits, _ = prepare_data(env)
    train, holdout, holdout_hash = splits.train, splits.holdout, splits.holdout_hash
    trainer = env.component(Trainer, "pattern")
    model = trainer.train(train, [], make_context(runs / "model"))
    model_hash = stable_hash(model.model_dump(mode="json"))
    stage, _ = extract_stage(env, "b0", model, model_hash, holdout_hash)
    return env, stage, lambda: extract_holdout(env, "b0", model, model_hash, holdout,
                                               holdout_hash)


def output(stage) -> bytes:
    """The stage's output file: results only (usage and timings are kept beside it)."""
    return (stage.path / "predictions.jsonl").read_bytes()


@pytest.fixture(scope="module")
def reference(experiment, tmp_path_factory) -> bytes:
    _, stage, run = extraction(experiment, tmp_path_factory.mktemp("ref"), LocalExecutor())
    run()
    return output(stage)


@pytest.mark.parametrize(("first", "second"), [
    ("local", "processes"), pytest.param("processes", "spark", marks=pytest.mark.slow),
    ("spark", "local")])
def test_killed_stage_resumes_on_another_executor(first, second, experiment, reference,
                                                  tmp_path, request):
    if "spark" in (first, second):
        request.getfixturevalue("lb_spark")
    killed = Watched(executors(first), stop_after=9)
    env, stage, run = extraction(experiment, tmp_path, killed)
    with pytest.raises(Interrupted):
        run()
    kept = set(stage.done_offsets(Prediction, lambda p: p.id, lambda p: p.error is None))
    assert len(kept) >= 9
    resumed = Watched(executors(second))
    env.executor = resumed
    preds = run()
    assert len(resumed.sent) == N_HOLD - len(kept)  # only the missing documents were sent
    assert not set(resumed.sent) & kept
    ids = [json.loads(line)["id"] for line in reference.splitlines()]
    assert [p.id for p in preds] == ids and len(ids) == N_HOLD
    assert output(stage) == reference  # byte-identical, in hold-out order


@pytest.mark.parametrize("kind", ["local", "processes", "spark"])
def test_builtin_executors_conform(kind, request):
    if kind == "spark":
        request.getfixturevalue("lb_spark")
    params = {"local": {}, "processes": {"workers": 2, "min_items": 1},
              "spark": {"partition_items": 3}}[kind]
    report = check_executor(type(executors(kind)), params)
    assert {"same as local: extraction", "same as local: generation",
            "same as local: judging"} <= set(report.checks)


def test_a_failing_spark_partition_is_retried_then_recorded_per_item(lb_spark, tmp_path):
    from leasebench.records import ModelRef, Record

    docs = [Record(id=f"d{i}", text="x") for i in range(6)] + [Record(id="boom", text="x")]
    work = MapWork("extract-x", FailingExtractor(), make_context(tmp_path), ModelRef(
        extractor="x"))
    out = {p.id: p for p in SparkExecutor.from_dict({"partition_items": 4}).map(work, docs)}
    assert set(out) == {d.id for d in docs}
    assert out["boom"].error == "DataError: document 'boom' cannot be read"
    assert work.failed(out["boom"]) and out["d0"].error is None


def test_llm_components_stay_in_the_driver_under_processes(lb_llm_server, lb_context):
    from leasebench.llm.extractor import LLMExtractor
    from leasebench.records import ModelRef, Record
    from leasebench.testing.conformance import loopback_endpoint

    server = lb_llm_server()
    extractor = LLMExtractor.from_dict({"endpoint": loopback_endpoint(server.url)})
    work = MapWork("extract-x", extractor, lb_context(), ModelRef(extractor="llm"))
    assert work.io_bound and extractor.concurrency_limit(None) == 4
    docs = [Record(id=f"d{i}", text="Lease.") for i in range(20)]
    ex = ProcessesExecutor.from_dict({"workers": 2, "min_items": 1})
    assert sorted(p.id for p in ex.map(work, docs)) == sorted(d.id for d in docs)
    assert work.for_workers(3).ctx.workers == 3


def test_a_third_party_executor_runs_a_manifest(lb_register, tmp_path):
    from leasebench.hookspecs import hookimpl
    from leasebench.runner import run_experiment

    stages: list[str] = []

    class Tracing(Executor):
        """Runs work in-process, noting each stage it is given."""

        name = "kit/tracing"

        def map(self, work, items):
            stages.append(work.stage)
            return work.run(list(items))

    class Plugin:
        @hookimpl
        def register_executors(self, register):
            register(Tracing)

    registry = lb_register(Plugin())
    m = yaml.safe_load((Path(__file__).parents[2] / "fixtures/manifests/tiny.yaml").read_text())
    m["data"] = {k: str(Path(__file__).parents[2] / "fixtures/tiny" / Path(v).name)
                 for k, v in m["data"].items()}
    m["rounds"], m["stats"] = m["rounds"][:2], {"bootstrap": 0}
    runs = {}
    for name in ("local", "kit/tracing"):
        path = tmp_path / f"{name.replace('/', '_')}.yaml"
        path.write_text(yaml.safe_dump({**m, "executor": {"name": name}}))
        runs[name] = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True,
                                    registry=registry, mlflow=False)
    assert not stages  # same results, same run id: every stage was cached
    assert runs["local"].run_dir == runs["kit/tracing"].run_dir
    again = run_experiment(path, runs_dir=tmp_path / "fresh", quiet=True, registry=registry,
                           mlflow=False)
    assert {"generate-b1", "extract-b0", "extract-b1"} <= set(stages)
    assert again.result.rounds[1].scores == runs["local"].result.rounds[1].scores


def test_llm_work_on_spark_keeps_the_endpoint_concurrency(lb_spark, lb_llm_server, lb_context):
    from leasebench.llm.extractor import LLMExtractor
    from leasebench.records import ModelRef, Record
    from leasebench.testing.conformance import loopback_endpoint

    server = lb_llm_server(latency=0.3)
    endpoint = {**loopback_endpoint(server.url), "concurrency": 2}
    work = MapWork("extract-x", LLMExtractor.from_dict({"endpoint": endpoint}), lb_context(),
                   ModelRef(extractor="llm"))
    docs = [Record(id=f"d{i}", text=f"Lease {i}.") for i in range(8)]
    out = list(SparkExecutor.from_dict({"partition_items": 1}).map(work, docs))
    assert sorted(p.id for p in out) == sorted(d.id for d in docs)
    assert all(p.error is None for p in out)
    spans = [(r.time, r.answered) for r in server.requests]
    most = max(sum(1 for a, b in spans if a <= t < b) for t, _ in spans)
    assert len(spans) == 8 and most <= 2  # across every partition, never above the endpoint's
