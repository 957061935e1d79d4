"""Trainer ``crf`` and extractor ``crf``: a CRF tagger over tokens with field BIO tags."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..components import Context, Extractor, Trainer
from ..errors import DataError
from ..records import ModelRef, Prediction, Record
from .bio import bio_tags, gold_spans, segments
from .features import FEATURE_VERSION
from .groups import GROUPS_FILE, Resolver, merged_labels, shared_groups, train_resolver
from .model import Tagger, train_model, training_sequences

MODEL_FILE = "model.crfsuite"
META_FILE = "model.json"


def evaluate(
    tagger: Tagger, records: Sequence[Record], fields: Sequence[str], max_values: int = 0
) -> dict[str, float]:
    """Token accuracy and per-field exact-span F1 of ``tagger`` on labelled ``records``."""
    right = total = 0
    counts = {f: [0, 0, 0] for f in fields}  # tp, fp, fn
    groups = tagger.resolver.groups if tagger.resolver is not None else []
    for record in records:
        segs = segments(record.text)
        spans = gold_spans(record.text, merged_labels(record.labels, groups))
        tagged = tagger.tag_segments(record.text)
        for seg, (tags, _) in zip(segs, tagged, strict=False):
            gold = bio_tags(seg, spans)
            right += sum(a == b for a, b in zip(gold, tags, strict=False))
            total += len(gold)
        found = tagger.extract(record.text, fields, tagged, max_values)
        for f in fields:
            gold_values, pred = set(record.labels.get(f, [])), set(found[f])
            c = counts[f]
            c[0] += len(gold_values & pred)
            c[1] += len(pred - gold_values)
            c[2] += len(gold_values - pred)
    metrics = {"token_accuracy": right / total if total else 0.0}
    for f, (tp, fp, fn) in counts.items():
        metrics[f"f1/{f}"] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return metrics


class CRFTrainerParams(BaseModel):
    """Params of the ``crf`` trainer."""

    model_config = ConfigDict(extra="forbid")
    c1: float = Field(0.1, ge=0, description="L1 regularisation.")
    c2: float = Field(0.01, ge=0, description="L2 regularisation.")
    max_iterations: int = Field(50, ge=1, le=2000, description="L-BFGS iterations.")
    negatives: float = Field(
        0.2, ge=0, le=1, description="Share of label-free paragraphs kept for training."
    )
    min_freq: int = Field(1, ge=1, description="Drop features seen fewer times.")
    window: int = Field(3, ge=1, le=5, description="Context words on each side.")
    max_values: int = Field(
        1, ge=0, description="Values kept per field, most confident first (0: all)."
    )


class CRFTrainer(Trainer[CRFTrainerParams]):
    """Trains a linear-chain CRF (L-BFGS, L1 + L2) on BIO tags found from the label strings.

    Fields that share a value in some training record are tagged as one group, and a
    context model trained alongside says which field of the group a span is (:mod:`.groups`).
    """

    name: ClassVar[str] = "crf"
    version: ClassVar[str] = f"2.{FEATURE_VERSION}"

    def train(self, train: Sequence[Record], eval: Sequence[Record], ctx: Context) -> ModelRef:
        p = self.params
        if not train:
            raise DataError("crf trainer: no training records")
        started = time.perf_counter()
        groups = shared_groups(train, ctx.schema.fields)
        sequences = training_sequences(train, p.negatives, ctx.seed, p.window, groups)
        path = ctx.workdir / MODEL_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        ctx.progress(0, p.max_iterations, "iterations")
        train_model(
            sequences, path, c1=p.c1, c2=p.c2, max_iterations=p.max_iterations,
            min_freq=p.min_freq,
            on_step=lambda i: ctx.progress(i, p.max_iterations, "iterations"),
        )
        resolver = None
        if groups:
            resolver = train_resolver(train, groups, ctx.workdir / "groups.crfsuite")
            (ctx.workdir / GROUPS_FILE).write_text(resolver.to_json(), "utf-8")
        seconds = time.perf_counter() - started
        meta = {"window": p.window, "feature_version": FEATURE_VERSION,
                "groups": [list(g) for g in groups]}
        (ctx.workdir / META_FILE).write_text(json.dumps(meta), "utf-8")
        metrics: dict[str, float] = {
            "train_tokens": float(sum(len(tags) for _, tags in sequences)),
            "train_seconds": round(seconds, 3),
        }
        if eval:
            tagger = Tagger(path, p.window, resolver=resolver)
            metrics.update(evaluate(tagger, eval, ctx.schema.fields, p.max_values))
        training = {"tokens": int(metrics["train_tokens"]), "seconds": round(seconds, 3),
                    "device": "cpu"}
        return ModelRef(
            extractor="crf",
            uri=str(path),
            params={"max_values": p.max_values},
            metadata={"trainer": self.name, "n_train": len(train), "n_eval": len(eval), **meta,
                      "training": training},
            metrics=metrics,
        )


class CRFExtractorParams(BaseModel):
    """Params of the ``crf`` extractor."""

    model_config = ConfigDict(extra="forbid")
    max_values: int = Field(
        0, ge=0, description="Values kept per field, most confident first (0: all)."
    )


class CRFExtractor(Extractor[CRFExtractorParams]):
    """Tags documents with a trained ``crf`` model; per field, the spans in document order."""

    name: ClassVar[str] = "crf"
    version: ClassVar[str] = f"2.{FEATURE_VERSION}"

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context
    ) -> Iterator[Prediction]:
        if not model.uri or not Path(model.uri).exists():
            raise DataError(f"crf extractor: model file {model.uri!r} not found")
        window = int(model.metadata.get("window", 3))
        resolver = None
        if model.metadata.get("groups"):
            groups_path = Path(model.uri).with_name(GROUPS_FILE)
            try:
                resolver = Resolver.load(groups_path)
            except ValueError as e:
                raise DataError(f"crf extractor: {groups_path}: {e}") from e
        try:
            tagger = Tagger(Path(model.uri), window, resolver=resolver)
        except ValueError as e:  # pycrfsuite's and the compiled reader's "not a model"
            raise DataError(f"crf extractor: model file {model.uri!r} is not a crfsuite "
                            f"model ({e})") from e
        keep = self.params.max_values
        for record in records:
            started = time.perf_counter()
            found = tagger.extract(record.text, ctx.schema.fields, max_values=keep)
            yield Prediction(
                id=record.id, fields=found, latency_s=time.perf_counter() - started
            )


__all__ = ["CRFExtractor", "CRFTrainer", "evaluate"]
