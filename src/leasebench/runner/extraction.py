"""Stages ``extract-<round key>``: predictions for every hold-out document."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from ..components import Extractor
from ..io import read_jsonl
from ..records import ModelRef, Prediction, Record
from . import stages
from .accounting import read_results, write_results
from .env import RunEnv
from .store import Stage
from .streams import unlabelled


def extract_stage(
    env: RunEnv, label: str, model: ModelRef, model_hash: str, holdout_hash: str,
    train_hash: str = "", seed: int | None = None, serve: str | None = None,
) -> tuple[Stage, Extractor]:
    """The stage directory of one round's extraction, and the extractor.

    The key holds the train records' hash only for an extractor that reads them
    (``Extractor.uses_train``, e.g. few-shot examples), and the server's name for a
    served extraction (``extract-<label>-served``).
    """
    extractor = env.component(Extractor, model.extractor, model.params)
    key = stages.extract_key(model_hash, holdout_hash, env.identity(extractor),
                             env.seed if seed is None else seed,
                             train_hash if extractor.uses_train() else None, serve)
    return env.stage(stages.extract(label, served=serve is not None), key), extractor


def extract_holdout(
    env: RunEnv, label: str, model: ModelRef, model_hash: str,
    holdout: Sequence[Record], holdout_hash: str, *, train: Sequence[Record] = (),
    train_hash: str = "", seed: int | None = None, serve: str | None = None,
) -> list[Prediction]:
    """The round's predictions, in hold-out order; documents stream through the executor.

    ``train`` is what a few-shot extractor may draw examples from (real train records
    only); ``seed`` the training seed of a repeat's model; ``serve`` a server the
    extractor starts for the stage (``Extractor.serve``), read through the extractor it
    names.
    """
    stage, extractor = extract_stage(env, label, model, model_hash, holdout_hash, train_hash,
                                     seed, serve)
    if stage.complete:
        preds, accounts = read_results(stage.path / "predictions.jsonl", Prediction)
        env.book(stage, accounts)
        env.record(stage, cached=True)
        return preds
    ctx = env.context(stage, train if extractor.uses_train() else (), seed=seed)
    with contextlib.ExitStack() as stack:
        if serve is not None:
            model = stack.enter_context(extractor.serve(model, serve, ctx))
            extractor = env.component(Extractor, model.extractor, model.params)
        work = env.map_work(stage, extractor, ctx, model)
        env.run_map(stage, work, lambda: unlabelled(holdout), "predictions.jsonl")
    preds, accounts = write_results(
        stage.path / "predictions.jsonl", read_jsonl(stage.path / "predictions.jsonl", Prediction)
    )
    env.book(stage, accounts)
    stage.finish(["predictions.jsonl"], {"items": len(preds)})
    failed = sum(1 for p in preds if p.error or p.parse_error)
    env.record(stage, cached=False, note=f"{len(preds)} documents, {failed} failed")
    return preds


__all__ = ["extract_holdout", "extract_stage"]
