"""Trainer and extractor ``pattern``: the context-pattern model as components."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..components import Context, Extractor, NoParams, Trainer
from ..errors import DataError
from ..records import ModelRef, Prediction, Record
from .model import PatternModel

MODEL_FILE = "patterns.json"


class PatternTrainerParams(BaseModel):
    """Params of the ``pattern`` trainer."""

    model_config = ConfigDict(extra="forbid")
    context: int = Field(3, ge=1, le=8, description="Longest left context, in words.")
    min_precision: float = Field(0.5, ge=0, le=1, description="Keep patterns this precise.")
    min_count: int = Field(1, ge=1, description="Keep patterns seen this often.")


class PatternTrainer(Trainer[PatternTrainerParams]):
    """Learns left-context patterns per field from where the labels occur in the text."""

    name: ClassVar[str] = "pattern"
    version: ClassVar[str] = "1"

    def train(self, train: Sequence[Record], eval: Sequence[Record], ctx: Context) -> ModelRef:
        p = self.params
        started = time.perf_counter()
        model = PatternModel.learn(
            train, context=p.context, min_precision=p.min_precision, min_count=p.min_count
        )
        path = ctx.workdir / MODEL_FILE
        model.save(path)
        training = {"seconds": round(time.perf_counter() - started, 3), "device": "cpu"}
        return ModelRef(
            extractor="pattern",
            uri=str(path),
            metadata={"trainer": self.name, "n_train": len(train), "n_eval": len(eval),
                      "training": training},
            metrics={"patterns": float(sum(len(v) for v in model.patterns.values()))},
        )


class PatternExtractor(Extractor[NoParams]):
    """Applies a trained ``pattern`` model to documents."""

    name: ClassVar[str] = "pattern"
    version: ClassVar[str] = "1"

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context
    ) -> Iterator[Prediction]:
        if not model.uri or not Path(model.uri).exists():
            raise DataError(f"pattern extractor: model file {model.uri!r} not found")
        patterns = PatternModel.load(Path(model.uri))
        for record in records:
            started = time.perf_counter()
            found = patterns.extract(record.text)
            yield Prediction(
                id=record.id,
                fields={f: found.get(f, []) for f in ctx.schema.fields},
                latency_s=time.perf_counter() - started,
            )


__all__ = ["PatternExtractor", "PatternTrainer"]
