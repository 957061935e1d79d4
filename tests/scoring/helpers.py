"""Shared helpers for the scoring tests."""

from __future__ import annotations

from leasebench.records import Prediction, Record
from leasebench.schema import FieldSchema


def make_schema(**kinds: str) -> FieldSchema:
    props = {f: {"type": "array", "items": {"type": "string"}, "x-kind": k}
             for f, k in kinds.items()}
    return FieldSchema("test", {"properties": props})


def gold(id: str, **labels: list[str]) -> Record:
    return Record(id=id, text="", labels=labels)


def pred(id: str, **fields: list[str]) -> Prediction:
    return Prediction(id=id, fields=fields)


