"""Stages ``extract-<round key>``: predictions for every hold-out document."""

from __future__ import annotations

from collections.abc import Sequence

from ..components import Extractor
from ..io import read_jsonl
from ..records import ModelRef, Prediction, Record
from .accounting import read_results, write_results
from .env import RunEnv
from .store import Stage
from .streams import unlabelled


def extract_stage(
    env: RunEnv, label: str, model: ModelRef, model_hash: str, holdout_hash: str
) -> tuple[Stage, Extractor]:
    """The stage directory of one round's extraction, and the extractor."""
    extractor = env.component(Extractor, model.extractor, model.params)
    stage = env.stage(f"extract-{label}", {
        "model": model_hash, "holdout": holdout_hash, "component": env.identity(extractor),
        "seed": env.seed,
    })
    return stage, extractor


def extract_holdout(
    env: RunEnv, label: str, model: ModelRef, model_hash: str,
    holdout: Sequence[Record], holdout_hash: str,
) -> list[Prediction]:
    """The round's predictions, in hold-out order; documents stream through the executor."""
    stage, extractor = extract_stage(env, label, model, model_hash, holdout_hash)
    if stage.complete:
        preds, accounts = read_results(stage.path / "predictions.jsonl", Prediction)
        env.book(stage, accounts)
        env.record(stage, cached=True)
        return preds
    work = env.map_work(stage, extractor, env.context(stage), model)
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
