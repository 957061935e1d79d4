"""Dataset ``lease``: the built-in corpus as a dataset component."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from .. import __version__
from ..components import Context, Dataset, LoadedData
from .build import DEFAULT_NOISE, iter_leases


class LeaseDatasetParams(BaseModel):
    """Params of the ``lease`` dataset."""

    model_config = ConfigDict(extra="forbid")
    train: int = Field(50, ge=1, description="Train documents.")
    holdout: int = Field(50, ge=1, description="Hold-out documents.")
    noise: float = Field(DEFAULT_NOISE, ge=0, le=1, description="PDF-extraction noise.")
    seed: int | None = Field(None, description="Corpus seed; defaults to the run seed.")


class LeaseDataset(Dataset[LeaseDatasetParams]):
    """The built-in synthetic lease corpus; train and hold-out never share a document."""

    name: ClassVar[str] = "lease"
    version: ClassVar[str] = "1"

    def _seed(self, ctx: Context) -> int:
        return self.params.seed if self.params.seed is not None else ctx.seed

    def load(self, ctx: Context) -> LoadedData:
        p, seed = self.params, self._seed(ctx)
        total = p.train + p.holdout
        parts: dict[str, list] = {"train": [], "holdout": []}
        for split, n in (("train", p.train), ("holdout", p.holdout)):
            for record in iter_leases(n, seed, split=split, noise=p.noise):
                parts[split].append(record)
                ctx.progress(len(parts["train"]) + len(parts["holdout"]), total, "documents")
        return LoadedData(train=parts["train"], holdout=parts["holdout"])

    def fingerprint(self, ctx: Context) -> str:
        """The corpus is a pure function of its params, the seed and the package version."""
        p = self.params
        return f"{__version__}|{self._seed(ctx)}|{p.train}|{p.holdout}|{p.noise}"


__all__ = ["LeaseDataset"]
