"""The walking-skeleton components, through the plugin registry."""

from __future__ import annotations

from pathlib import Path

from leasebench.components import Context
from leasebench.data.reader import read_records
from leasebench.plugin_manager import build_registry
from leasebench.records import ModelRef, Record
from leasebench.runner.synthetic import make_tasks
from leasebench.schema import builtin_schema
from leasebench.scoring.stats import summarize

from .conftest import FIXTURES

SCHEMA = builtin_schema("lease")
REGISTRY = build_registry()


def _ctx(tmp_path: Path, train=(), seed=0) -> Context:
    tmp_path.mkdir(parents=True, exist_ok=True)
    return Context(schema=SCHEMA, seed=seed, workdir=tmp_path, train=tuple(train))


def _component(family, name, **params):
    cls = REGISTRY.get(family, name)
    return cls(cls.Params.model_validate(params))


def test_perturb_keeps_labels_verbatim_and_changes_them(tmp_path):
    train = read_records(FIXTURES / "tiny" / "train.jsonl")
    gen = _component("generator", "perturb")
    for seed in range(5):
        tasks = make_tasks(train, 1, 12, seed)
        out = list(gen.generate(tasks, _ctx(tmp_path, train, seed)))
        assert [r.id for r in out] == [t.sample_id for t in tasks]
        for task, record in zip(tasks, out, strict=True):
            assert record.origin.kind == "synthetic" and record.origin.source_id == task.source.id
            for values in record.labels.values():
                assert all(v in record.text for v in values)
            assert record.labels["lessor"] != task.source.labels["lessor"] or (
                record.labels["start_date"] != task.source.labels["start_date"])


def test_judges_reject_bad_samples(tmp_path):
    good = Record(id="g", text="Lease by Acme LLC", labels={**SCHEMA.empty_labels(),
                                                             "lessor": ["Acme LLC"]})
    ungrounded = good.model_copy(update={"id": "u", "text": "Lease by somebody"})
    missing_key = good.model_copy(update={"id": "m", "labels": {"lessor": ["Acme LLC"]}})
    schema_j = _component("judge", "schema")
    ground_j = _component("judge", "grounding")
    ctx = _ctx(tmp_path)
    verdicts = {v.record_id: v for v in schema_j.judge([good, missing_key], ctx)}
    assert verdicts["g"].passed and not verdicts["m"].passed
    assert "'lessee' is a required property" in verdicts["m"].reason
    verdicts = {v.record_id: v for v in ground_j.judge([good, ungrounded], ctx)}
    assert verdicts["g"].passed and not verdicts["u"].passed
    assert "lessor: 'Acme LLC'" in verdicts["u"].reason


def test_pattern_trainer_learns_far_better_than_untrained(tmp_path):
    train = read_records(FIXTURES / "tiny" / "train.jsonl")
    holdout = read_records(FIXTURES / "tiny" / "holdout.jsonl")
    scorer = _component("scorer", "field-match", mode="exact")
    extractor = _component("extractor", "pattern")

    def f1(model: ModelRef) -> float:
        preds = list(extractor.extract(model, [r.unlabelled() for r in holdout], _ctx(tmp_path)))
        return summarize(scorer.score(holdout, preds, SCHEMA), iterations=0).micro.f1

    trained = _component("trainer", "pattern").train(train, [], _ctx(tmp_path / "a"))
    untrained = _component("trainer", "pattern").train([], [], _ctx(tmp_path / "b"))
    assert f1(trained) > 0.5 > f1(untrained) + 0.4
    again = _component("trainer", "pattern").train(train, [], _ctx(tmp_path / "c"))
    assert Path(again.uri).read_bytes() == Path(trained.uri).read_bytes()
