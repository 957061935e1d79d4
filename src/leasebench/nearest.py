"""'Did you mean ...?': the known name nearest to a mistyped one.

A name that differs only in case, spaces, hyphens or underscores is the same name
mistyped; otherwise the closest known name by difflib's ratio, if it is close (0.75).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

_FOLD = re.compile(r"[\s_-]+")
CUTOFF = 0.75


def _folded(name: str) -> str:
    return _FOLD.sub("", name).lower()


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The known name ``name`` most likely meant, or None."""
    known = [k for k in known if k != name]
    same = [k for k in known if _folded(k) == _folded(name)]
    if same:
        return same[0]
    by_fold = {_folded(k): k for k in known}
    close = difflib.get_close_matches(_folded(name), list(by_fold), n=1, cutoff=CUTOFF)
    return by_fold[close[0]] if close else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'lessor'?)', or '' when nothing is near."""
    hit = nearest(name, known)
    return f" (did you mean {hit!r}?)" if hit else ""


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold (through Optional, unions, lists, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, dict, set, frozenset) \
            or origin is not None:
        for arg in typing.get_args(annotation):
            out += _models(arg)
    return out


def keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts where ``loc`` (a pydantic error location, its last
    part the unknown key) points: a nested model's field names and aliases."""
    current = [model]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for m in current:
            field = m.model_fields.get(str(part))
            if field is None:  # a dict key (an arm's name) or a union's tag: stay here
                nxt.append(m)
                continue
            nxt += _models(field.annotation)
        current = nxt or current
    keys: list[str] = []
    for m in current:
        for name, f in m.model_fields.items():
            keys += [name, *([f.alias] if f.alias else [])]
    return list(dict.fromkeys(keys))


__all__ = ["did_you_mean", "keys_at", "nearest"]
