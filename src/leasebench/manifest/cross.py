"""The manifest's cross-field problems, found even while some fields are invalid.

pydantic runs a model's own check (duplicate rounds, arms named but not defined, a
generator for synthetic rounds, ...) only once every field is valid, so a manifest with
one bad field and one bad cross-reference would show the second problem only after the
first is fixed. Here each failing leaf of a copy is left out, or replaced by the first
plain value that its own field accepts (its own problem is already reported), and the
copy validated again, so ``validate`` reports both at once. Problems about a replaced
leaf are side effects and are dropped; where no value fits, only field problems show.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from .models import Manifest

UNION_TAGS = ("BuiltinData", "FileData", "DatasetData", "builtin", "files", "dataset")


def _path(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    parts = tuple(p for p in loc if not (isinstance(p, str) and "[" in p))
    if len(parts) > 1 and parts[0] == "data" and parts[1] in UNION_TAGS:
        parts = (parts[0], *parts[2:])
    return parts


_DELETE = object()
CANDIDATES: tuple[Any, ...] = (_DELETE, 0, 1, "x", False, [], {})
REPAIRS = 20


def _set(raw: Any, path: tuple[Any, ...], value: Any) -> bool:
    """Set (or, for ``_DELETE``, remove) the leaf at ``path``; False where it is not there."""
    node = raw
    for part in path[:-1]:
        found = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if not found:
            return False
        node = node[part]
    last = path[-1]
    if isinstance(node, dict) and last in node:
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value
        return True
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        if value is _DELETE:
            return False  # removing an item would renumber the rest
        node[last] = value
        return True
    return False


def _leaves(exc: ValidationError) -> list[tuple[Any, ...]]:
    return [p for p in (_path(e["loc"]) for e in exc.errors()) if p]


def _touches(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """One path lies on the other (an ancestor, the same leaf, or a descendant)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _under(problem: str, repaired: list[tuple[Any, ...]]) -> bool:
    """Whether ``problem`` is about a leaf that was replaced (a side effect, not news)."""
    where = problem.split(":", 1)[0]
    for path in repaired:
        loc = _loc(path)
        if where == loc or where.startswith((f"{loc}.", f"{loc}[")):
            return True
    return False


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def cross_field_problems(raw: dict[str, Any], exc: ValidationError,
                         format_errors: Any) -> list[str]:
    """The model check's problems of ``raw`` with its invalid leaves repaired."""
    work = copy.deepcopy(raw)
    repaired: list[tuple[Any, ...]] = []
    for _ in range(REPAIRS):
        leaves = _leaves(exc)
        if not leaves:
            return [p for p in format_errors(exc) if not _under(p, repaired)]
        path, fixed = leaves[0], None
        for candidate in CANDIDATES:
            trial = copy.deepcopy(work)
            if not _set(trial, path, candidate):
                continue
            try:
                Manifest.model_validate(trial)
            except ValidationError as again:
                if not any(_touches(p, path) for p in _leaves(again)):
                    fixed, exc = trial, again
                    break
                continue
            return []  # valid once repaired: no cross-field problem
        if fixed is None:
            return []
        work = fixed
        repaired.append(path)
    return []


__all__ = ["cross_field_problems"]
