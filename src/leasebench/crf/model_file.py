"""Reading a crfsuite CRF1d model file into arrays (python-crfsuite's own format).

The format (``lCRF``/``FOMC``, version 100): a 48-byte header of little-endian uint32
offsets; a ``FEAT`` chunk of 20-byte features (type, source, destination, float64
weight; type 0 is attribute -> label, type 1 label -> label); the label and attribute
names in CQDB chunks, whose backward array maps an id to its record (uint32 id, uint32
size, NUL-terminated name). Weights are read as stored, so sums over them can match
crfsuite's to the bit.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


class ModelFormatError(ValueError):
    """The file is not a crfsuite CRF1d model this reader knows."""


@dataclass(frozen=True)
class ModelWeights:
    """A crfsuite model as arrays: ``weights[row]`` per attribute (row 0 is zeros)."""

    labels: list[str]
    rows: dict[str, int]
    weights: np.ndarray
    trans: np.ndarray


def _cqdb_names(buf: bytes, offset: int, count: int) -> list[str]:
    """Names 0..count-1 of the CQDB chunk at ``offset``."""
    if buf[offset : offset + 4] != b"CQDB":
        raise ModelFormatError("no CQDB chunk where the header points")
    bwd_size, bwd_offset = struct.unpack_from("<II", buf, offset + 16)
    if bwd_size < count:
        raise ModelFormatError("a CQDB chunk has fewer names than the header counts")
    names = []
    for i in range(count):
        (rec,) = struct.unpack_from("<I", buf, offset + bwd_offset + 4 * i)
        size = struct.unpack_from("<I", buf, offset + rec + 4)[0]
        names.append(buf[offset + rec + 8 : offset + rec + 8 + size - 1].decode("utf-8"))
    return names


def read_model(path: Path) -> ModelWeights:
    """The label names, attribute rows, state weights and transitions of a crfsuite model."""
    buf = Path(path).read_bytes()
    try:
        return _parse(buf, path)
    except (struct.error, ValueError, IndexError) as e:  # truncated or garbled
        if isinstance(e, ModelFormatError):
            raise
        raise ModelFormatError(f"{path}: not a readable crfsuite model ({e})") from e


def _parse(buf: bytes, path: Path) -> ModelWeights:
    if len(buf) < 48 or buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
        raise ModelFormatError(f"{path}: not a crfsuite CRF1d model")
    (_, _, _, _, num_labels, num_attrs, off_features, off_labels, off_attrs, _, _) = (
        struct.unpack_from("<IIIIIIIIIII", buf, 4)
    )
    if buf[off_features : off_features + 4] != b"FEAT":
        raise ModelFormatError(f"{path}: no feature chunk")
    (count,) = struct.unpack_from("<I", buf, off_features + 8)
    feats = np.frombuffer(buf, dtype=_FEATURE, count=count, offset=off_features + 12)
    labels = _cqdb_names(buf, off_labels, num_labels)
    attrs = _cqdb_names(buf, off_attrs, num_attrs)
    weights = np.zeros((num_attrs + 1, num_labels), dtype=np.float64)
    trans = np.zeros((num_labels, num_labels), dtype=np.float64)
    state, edge = feats[feats["type"] == 0], feats[feats["type"] == 1]
    if (state["src"] >= num_attrs).any() or (feats["dst"] >= num_labels).any() or (
        edge["src"] >= num_labels
    ).any():
        raise ModelFormatError(f"{path}: a feature refers past the attributes or labels")
    weights[state["src"].astype(np.int64) + 1, state["dst"]] = state["weight"]
    trans[edge["src"], edge["dst"]] = edge["weight"]
    rows = {name: i + 1 for i, name in enumerate(attrs)}
    return ModelWeights(labels, rows, weights, trans)


__all__ = ["ModelFormatError", "ModelWeights", "read_model"]
