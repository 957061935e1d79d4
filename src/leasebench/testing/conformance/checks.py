"""The family checks: one call per family, plus a dispatcher by ``cls.family``."""

from __future__ import annotations

import contextlib
import pickle
import random
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from ...components import Component, Context, Extractor, GenerateTask, LoadedData, Trainer
from ...plugin_manager import NAME_RE
from ...records import ModelRef, Origin, Prediction, Record, Verdict
from .executor import check_executor
from .harness import (
    SEED,
    ConformanceError,
    ConformanceReport,
    Params,
    _check_metrics,
    _expect,
    _Harness,
    _local_path,
    run_result,
)

F = TypeVar("F", bound=Component[Any])
ComponentClass = type[Component[Any]]

# -- the family checks -----------------------------------------------------------------


def _sorted(items: Sequence[Any], key: str) -> list[Any]:
    return sorted(items, key=lambda item: getattr(item, key))


def check_generator(cls: ComponentClass, params: Params = None, *, seed: int = SEED, n: int = 3,
                    handler: Any = None) -> ConformanceReport:
    """One synthetic ``Record`` per task (``id == sample_id``), deterministic, resumable."""
    with _Harness("generator", cls, params, seed, handler) as h:
        h.check_class()
        rng = random.Random(seed)
        tasks = [GenerateTask(sample_id=f"b1-{i:03d}", batch=1, index=i, source=src,
                              seed=rng.randrange(2**31)) for i, src in enumerate(h.train[:n])]
        run = lambda todo: _sorted(list(h.make().generate(todo, h.ctx())), "id")  # noqa: E731
        first = h.call(lambda: run(tasks), "generate()")
        h.outputs_serialise(first, Record)
        h.ids_once([r.id for r in first], [t.sample_id for t in tasks], "record")
        sources = {t.sample_id: t.source.id for t in tasks}
        for r in first:
            _expect(r.origin.kind == "synthetic", cls, f"{r.id}: origin.kind must be 'synthetic'")
            _expect(r.origin.source_id == sources[r.id], cls,
                    f"{r.id}: origin.source_id must be the task's source record id")
            h.labels_shape(r.labels, r.id)
        h.passed("shape")
        h.deterministic(first, h.call(lambda: run(tasks), "generate()"), "generated records")
        resumed = h.call(lambda: run(tasks[1:]), "generate() on the remaining tasks")
        h.independent(resumed, first, "id", "a task must give the same record when generated "
                      "without the others (resume): derive randomness from task.seed")
        out = h.bad_input(lambda: run([]), "no tasks")
        _expect(not out, cls, "no tasks must yield no records")
        return h.report


def _judge_inputs(train: Sequence[Record]) -> list[Record]:
    syn = lambda r, **kw: r.model_copy(update={  # noqa: E731
        "origin": Origin(kind="synthetic", generator="conformance", batch=1, source_id=r.id),
        **kw})
    return [
        syn(train[0], id="s-good"),
        syn(train[1], id="s-ungrounded", labels={**train[1].labels,
                                                 "lessor": ["Nobody Anywhere Ltd"]}),
        syn(train[2], id="s-empty-text", text="", labels={}),
        syn(train[3], id="s-off-schema", labels={"no_such_field": ["x"]}),
    ]


def check_judge(cls: ComponentClass, params: Params = None, *, seed: int = SEED,
                handler: Any = None) -> ConformanceReport:
    """One ``Verdict`` per record, even for malformed records; deterministic."""
    with _Harness("judge", cls, params, seed, handler) as h:
        h.check_class()
        records = _judge_inputs(h.train)
        run = lambda todo: _sorted(list(h.make().judge(todo, h.ctx())), "record_id")  # noqa: E731
        first = h.call(lambda: run(records), "judge() on good and malformed records")
        h.outputs_serialise(first, Verdict)
        h.ids_once([v.record_id for v in first], [r.id for r in records], "verdict")
        for v in first:
            _expect(v.judge == cls.name, cls,
                    f"Verdict.judge must be {cls.name!r}, got {v.judge!r}")
        h.passed("shape")
        h.deterministic(first, h.call(lambda: run(records), "judge()"), "verdicts")
        alone = h.call(lambda: run(records[1:]), "judge() on fewer records")
        h.independent(alone, first, "record_id",
                      "a record's verdict must not depend on the other records judged with it")
        out = h.bad_input(lambda: run([]), "no records")
        _expect(not out, cls, "no records must yield no verdicts")
        return h.report


def check_extractor(cls: ComponentClass, params: Params = None, *, model: ModelRef | None = None,
                    trainer: type[Trainer[Any]] | None = None, trainer_params: Params = None,
                    bad_model: ModelRef | None = None, seed: int = SEED,
                    handler: Any = None) -> ConformanceReport:
    """One ``Prediction`` per unlabelled record, schema fields only; deterministic.

    The model is ``model``, else what ``trainer`` trains on the tiny corpus, else
    ``ModelRef(extractor=cls.name)``. ``bad_model``, when given, must raise.
    """
    with _Harness("extractor", cls, params, seed, handler) as h:
        h.check_class()
        if model is None and trainer is not None:
            t = trainer(trainer.Params.model_validate(dict(trainer_params or {})))
            model = h.call(lambda: t.train(h.train, (), h.ctx()), "the trainer")
        ref = model or ModelRef(extractor=cls.name)
        records = [r.unlabelled() for r in h.holdout]
        run = lambda todo: _sorted(list(h.make().extract(ref, todo, h.ctx())), "id")  # noqa: E731
        first = h.call(lambda: run(records), "extract()")
        h.outputs_serialise(first, Prediction)
        h.ids_once([p.id for p in first], [r.id for r in records], "prediction")
        for p in first:
            h.labels_shape(p.fields, p.id)
        h.passed("shape")
        h.deterministic(first, h.call(lambda: run(records), "extract()"), "predictions")
        alone = h.call(lambda: run(records[1:]), "extract() on fewer records")
        h.independent(alone, first, "id",
                      "a document's prediction must not depend on the other documents")
        _expect(not h.bad_input(lambda: run([]), "no records"), cls, "no records: no predictions")
        blank = [Record(id="blank", text="")]
        out = h.bad_input(lambda: run(blank), "an empty document")
        _expect(out is None or [p.id for p in out] == ["blank"], cls,
                "an empty document must get one prediction (or a clear error)")
        if bad_model is not None:
            h.bad_input(lambda: list(h.make().extract(bad_model, records, h.ctx())),
                        "a model it cannot load", must_raise=True)
        return h.report


def _registered(family: type[F], name: str) -> type[F] | None:
    """The registered ``family`` component (entry points included, if they load), else None."""
    from ...plugin_manager import build_registry, get_plugin_manager

    for entry_points in (True, False):
        with contextlib.suppress(Exception):
            cls = build_registry(get_plugin_manager(entry_points=entry_points)).get(
                family.family, name)
            return cls if issubclass(cls, family) else None
    return None


def check_trainer(cls: ComponentClass, params: Params = None, *,
                  extractor: type[Extractor[Any]] | None = None,
                  extractor_params: Params = None, seed: int = SEED) -> ConformanceReport:
    """A ``ModelRef`` saved under ``ctx.workdir``; the same model for the same seed.

    When the extractor the ``ModelRef`` names is given (or registered), both trained models
    must also predict the same on the hold-out documents.
    """
    with _Harness("trainer", cls, params, seed) as h:
        h.check_class()
        train, evals = h.train[:8], h.train[8:]
        ctxs = [h.ctx(), h.ctx()]

        def train_in(c: Context) -> ModelRef:
            return h.make().train(train, evals, c)

        refs = [h.call(partial(train_in, c), "train()") for c in ctxs]
        h.outputs_serialise(refs, ModelRef)
        for ref, c in zip(refs, ctxs, strict=True):
            _expect(bool(NAME_RE.match(ref.extractor)), cls,
                    f"ModelRef.extractor must name an extractor, got {ref.extractor!r}")
            path = _local_path(ref.uri)
            _expect(path is None or (path.exists() and path.resolve().is_relative_to(
                c.workdir.resolve())), cls, f"ModelRef.uri {ref.uri!r} must exist under "
                "ctx.workdir (the runner keeps only that directory)")
            _check_metrics(cls, ref.metrics)
        h.passed("shape")
        h.deterministic(refs[0], refs[1], "ModelRefs")
        extractor = extractor or _registered(Extractor, refs[0].extractor)
        if extractor is not None:
            ex = extractor(extractor.Params.model_validate(dict(extractor_params or {})))
            docs = [r.unlabelled() for r in h.holdout]

            def predict(ref: ModelRef) -> list[Prediction]:
                return _sorted(list(ex.extract(ref, docs, h.ctx())), "id")

            preds = [h.call(partial(predict, ref),
                            f"extractor {refs[0].extractor!r} on the trained model")
                     for ref in refs]
            h.deterministic(preds[0], preds[1], "predictions of two models trained with one seed")
        out = h.bad_input(lambda: h.make().train([], (), h.ctx()), "no training records")
        _expect(out is None or isinstance(out, ModelRef), cls, "no records: a ModelRef or an error")
        return h.report


def check_scorer(
    cls: ComponentClass, params: Params = None, *, seed: int = SEED
) -> ConformanceReport:
    """Outcomes for every gold document x schema field; gold against itself has no errors."""
    from ...outcomes import FN, FP, TP, Outcomes

    with _Harness("scorer", cls, params, seed) as h:
        h.check_class()
        gold, schema = h.holdout, h.schema
        perfect = [Prediction(id=r.id, fields=r.labels) for r in gold]
        empty = [Prediction(id=r.id) for r in gold]
        mixed = [*perfect[:3], Prediction(id=gold[3].id, parse_error="not JSON"),
                 *empty[4:-1]]  # the last document has no prediction

        def score(preds: Sequence[Prediction], g: Sequence[Record] = gold) -> Any:
            return h.make().score(g, preds, schema)

        outs = {k: h.call(partial(score, p), f"score() on {k} predictions")
                for k, p in (("perfect", perfect), ("empty", empty), ("mixed", mixed))}
        for k, o in outs.items():
            _expect(isinstance(o, Outcomes), cls, f"score() must return Outcomes, got {o!r}")
            _expect(o.doc_ids == tuple(r.id for r in gold), cls,
                    f"{k}: Outcomes.doc_ids must be every gold id in gold order")
            _expect(o.fields == tuple(schema.fields), cls,
                    f"{k}: Outcomes.fields must be the schema's fields in order")
            _expect(pickle.loads(pickle.dumps(o)).to_rows() == o.to_rows(), cls,
                    "Outcomes must pickle")
        h.passed("shape")
        h.passed("serialise")
        c = outs["perfect"].counts
        _expect(c[..., FP].sum() == 0 and c[..., FN].sum() == 0, cls,
                "gold scored against itself must have no FP and no FN")
        c = outs["empty"].counts
        _expect(c[..., TP].sum() == 0 and c[..., FP].sum() == 0, cls,
                "empty predictions must have no TP and no FP")
        h.passed("semantics")
        rows = lambda o: (o.to_rows(), o.parse_failures, o.call_failures, o.missing)  # noqa: E731
        h.deterministic(rows(outs["mixed"]), rows(h.call(lambda: score(mixed), "score()")),
                        "outcomes")
        stray = [*perfect, Prediction(id="not-in-gold")]
        h.bad_input(lambda: score(stray), "a prediction for an id not in gold", must_raise=True)
        h.bad_input(lambda: score([], []), "no documents")
        return h.report


def check_reporter(
    cls: ComponentClass, params: Params = None, *, seed: int = SEED
) -> ConformanceReport:
    """Files written under ``out_dir`` and returned; byte-identical for one result."""
    with _Harness("reporter", cls, params, seed) as h:
        h.check_class()
        result = run_result(h.schema, h.holdout, seed)

        def write(out_dir: Path) -> dict[str, bytes]:
            files = h.call(lambda: h.make().report(result, out_dir), "report()")
            _expect(isinstance(files, list) and bool(files), cls, "report() must return the files")
            got = {}
            for f in files:
                path = Path(f)
                _expect(path.is_file(), cls, f"returned {f!r}, which is not a written file")
                _expect(path.resolve().is_relative_to(out_dir.resolve()), cls,
                        f"wrote {f!r} outside out_dir")
                got[str(path.resolve().relative_to(out_dir.resolve()))] = path.read_bytes()
            return got

        dirs = [h.tmp / name / "report" for name in ("a", "b")]
        for d in dirs:
            d.mkdir(parents=True)
        first, second = write(dirs[0]), write(dirs[1])
        h.passed("shape")
        _expect(first == second, cls, "two reports of one result must be byte-identical "
                "(no timestamps, no absolute paths)")
        h.passed("deterministic")
        h.bad_input(lambda: h.make().report(result, h.tmp / "new" / "report"),
                    "an out_dir that does not exist yet")
        return h.report


def check_dataset(
    cls: ComponentClass, params: Params = None, *, seed: int = SEED
) -> ConformanceReport:
    """``LoadedData`` of Records with unique ids; the same records and fingerprint per seed."""
    with _Harness("dataset", cls, params, seed) as h:
        h.check_class()

        def load() -> LoadedData:
            out = h.call(lambda: h.make().load(h.ctx()), "load()")
            _expect(isinstance(out, LoadedData), cls, f"load() must return LoadedData, got {out!r}")
            return out

        first = load()
        records = [*first.train, *(first.holdout or [])]
        _expect(bool(first.train), cls, "load() returned no train records")
        h.outputs_serialise(records, Record)
        ids = [r.id for r in records]
        _expect(len(ids) == len(set(ids)), cls,
                "record ids must be unique (train and hold-out never share a document)")
        h.passed("shape")
        dump = lambda d: ([r.model_dump(mode="json") for r in d.train],  # noqa: E731
                          None if d.holdout is None
                          else [r.model_dump(mode="json") for r in d.holdout])
        h.deterministic(dump(first), dump(load()), "records")
        prints = [h.call(lambda: h.make().fingerprint(h.ctx()), "fingerprint()")
                  for _ in range(2)]
        _expect(all(p is None or isinstance(p, str) for p in prints), cls,
                "fingerprint() must return a str or None")
        _expect(prints[0] == prints[1], cls, "fingerprint() must be stable for unchanged data")
        h.passed("fingerprint")
        fields = list(cls.Params.model_fields)
        if fields:
            h.bad_input(lambda: cls.Params.model_validate({**h.params, fields[0]: object()}),
                        f"a param of the wrong type ({fields[0]})", must_raise=True)
        else:
            h.passed("bad-input: no params")
        return h.report


CHECKS: dict[str, Callable[..., ConformanceReport]] = {
    "dataset": check_dataset,
    "generator": check_generator, "judge": check_judge, "trainer": check_trainer,
    "extractor": check_extractor, "scorer": check_scorer, "reporter": check_reporter,
    "executor": check_executor,
}


def check_component(
    cls: ComponentClass, params: Params = None, **options: Any
) -> ConformanceReport:
    """The check of ``cls.family``. An extractor with a same-named trainer is trained first."""
    family = getattr(cls, "family", "")
    if family not in CHECKS:
        raise ConformanceError(f"{cls!r}: 'family' must be one of {', '.join(CHECKS)}")
    if family == "extractor" and "model" not in options and "trainer" not in options:
        trainer = _registered(Trainer, cls.name)
        if trainer is not None:
            options["trainer"] = trainer
            options.setdefault("bad_model", ModelRef(
                extractor=cls.name, uri=str(Path(tempfile.gettempdir()) / "lb-missing-model")))
    return CHECKS[family](cls, params, **options)
