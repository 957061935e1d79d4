"""outcomes.json: per-document outcome tables of every round, for paired cross-run tests.

Layout: ``{"format_version": 2, "rounds": {round: {scorer_label: {"doc_ids": [...],
"fields": [...], "counts": [[[tp, fp, fn, tn], ...], ...], "parse_failures": n,
"call_failures": n, "missing": n}}}}`` with ``counts[doc][field]`` in ``doc_ids`` x
``fields`` order (a file without ``format_version`` is format 1, read the same).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError
from ..outcomes import Outcomes
from ..results.formats import OUTCOMES_FORMAT, upgrade_outcomes
from .report_file import strict_loads

OUTCOMES_FILE = "outcomes.json"


def outcomes_to_dict(o: Outcomes) -> dict[str, Any]:
    """One outcome table as plain JSON-able data."""
    return {
        "doc_ids": list(o.doc_ids),
        "fields": list(o.fields),
        "counts": o.counts.tolist(),
        "parse_failures": o.parse_failures,
        "call_failures": o.call_failures,
        "missing": o.missing,
    }


def outcomes_from_dict(data: dict[str, Any]) -> Outcomes:
    """Inverse of ``outcomes_to_dict``."""
    n_fields = len(data["fields"])
    counts = np.asarray(data["counts"], dtype=np.int64).reshape(len(data["doc_ids"]), n_fields, 4)
    return Outcomes(
        tuple(data["doc_ids"]), tuple(data["fields"]), counts,
        int(data.get("parse_failures", 0)), int(data.get("call_failures", 0)),
        int(data.get("missing", 0)),
    )


def dump_outcomes(outcomes: dict[str, dict[str, Any]]) -> str:
    """outcomes.json text for round -> scorer label -> ``Outcomes``."""
    rounds = {
        name: {label: outcomes_to_dict(o) for label, o in by_label.items()}
        for name, by_label in outcomes.items()
    }
    return json.dumps({"format_version": OUTCOMES_FORMAT, "rounds": rounds},
                      separators=(",", ":")) + "\n"


def load_outcomes(path: Path) -> dict[str, dict[str, Outcomes]]:
    """Read outcomes.json (this or an older format) back into round -> scorer label ->
    ``Outcomes``."""
    try:
        data = strict_loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: not a valid outcomes file ({exc})") from exc
    data = upgrade_outcomes(data, path)
    try:
        return {
            name: {label: outcomes_from_dict(t) for label, t in by_label.items()}
            for name, by_label in data["rounds"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, OverflowError) as exc:
        raise DataError(f"{path}: not a valid outcomes file ({exc})") from exc


__all__ = ["OUTCOMES_FILE", "dump_outcomes", "load_outcomes", "outcomes_from_dict",
           "outcomes_to_dict"]
