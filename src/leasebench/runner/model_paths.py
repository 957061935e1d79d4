"""Model records (``model.json``) that travel with their run directory.

A trainer hands back a ``ModelRef`` whose ``uri``, ``params`` or ``metadata`` name files
it wrote under its stage's work directory (a CRF model file, a LoRA adapter, its curves),
as paths relative to wherever the run was started or absolute. ``write_model`` stores
every such path relative to the experiment directory and lists where they are in the
stage's ``_stage.json`` (``root_paths``, JSON pointers); ``load_model`` resolves them
against the experiment directory the stage is in now. A run moved or copied to another
directory, or resumed from another working directory, finds its models. Records written
before this keep their paths as they were.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..io import atomic_write_text
from ..records import ModelRef
from .store import Stage

MODEL_FILE = "model.json"
ROOT_PATHS = "root_paths"
_PARTS = ("uri", "params", "metadata")


def experiment_dir(stage: Stage) -> Path:
    """The experiment directory a stage is in (``<root>/stages/<stage>``)."""
    return stage.path.parent.parent


def _under(value: str, root: Path) -> str | None:
    """``value`` relative to ``root`` when it names an existing path strictly inside it."""
    if not value or len(value) > 4096 or "\n" in value or "\0" in value:
        return None
    if "/" not in value and os.sep not in value:
        return None
    path = Path(value)
    try:
        if not path.exists():
            return None
        for a, b in ((os.path.abspath(path), os.path.abspath(root)),
                     (path.resolve(), root.resolve())):
            a, b = Path(a), Path(b)
            if a != b and a.is_relative_to(b):
                return a.relative_to(b).as_posix()
    except (OSError, ValueError):
        return None
    return None


def _relative(value: Any, root: Path, pointer: str, found: list[str]) -> Any:
    if isinstance(value, str):
        rel = _under(value, root)
        if rel is None:
            return value
        found.append(pointer)
        return rel
    if isinstance(value, dict):
        return {k: _relative(v, root, f"{pointer}/{_escape(str(k))}", found)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_relative(v, root, f"{pointer}/{i}", found) for i, v in enumerate(value)]
    return value


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def relative_to_root(model: ModelRef, root: Path) -> tuple[ModelRef, list[str]]:
    """The model with every path inside ``root`` relative to it, and their JSON pointers."""
    found: list[str] = []
    data = model.model_dump(mode="json")
    for part in _PARTS:
        data[part] = _relative(data[part], root, f"/{part}", found)
    return ModelRef.model_validate(data), found


def resolved(model: ModelRef, root: Path, pointers: list[str]) -> ModelRef:
    """The model with the paths at ``pointers`` (relative to ``root``) made absolute."""
    data = model.model_dump(mode="json")
    base = Path(os.path.abspath(root))
    for pointer in pointers:
        parts = [_unescape(p) for p in pointer.split("/")[1:]]
        holder: Any = data
        try:
            for part in parts[:-1]:
                holder = holder[int(part) if isinstance(holder, list) else part]
            last: Any = int(parts[-1]) if isinstance(holder, list) else parts[-1]
            value = holder[last]
        except (KeyError, IndexError, ValueError, TypeError):
            continue  # a record edited by hand: leave it
        if isinstance(value, str) and not Path(value).is_absolute():
            holder[last] = str(base / value)
    return ModelRef.model_validate(data)


def write_model(stage: Stage, model: ModelRef) -> dict[str, Any]:
    """Write the stage's ``model.json`` with paths relative to the experiment directory;
    the ``_stage.json`` entries that say where they are (pass them to ``stage.finish``)."""
    portable, pointers = relative_to_root(model, experiment_dir(stage))
    stage.path.mkdir(parents=True, exist_ok=True)
    atomic_write_text(stage.path / MODEL_FILE, portable.model_dump_json(indent=2))
    return {ROOT_PATHS: pointers} if pointers else {}


def load_model(stage: Stage) -> ModelRef:
    """The stage's model, its paths resolved against the experiment directory it is in."""
    model = ModelRef.model_validate_json((stage.path / MODEL_FILE).read_text("utf-8"))
    pointers = stage.meta().get(ROOT_PATHS) if stage.complete else None
    if not isinstance(pointers, list):
        return model
    return resolved(model, experiment_dir(stage), [p for p in pointers if isinstance(p, str)])


__all__ = ["MODEL_FILE", "experiment_dir", "load_model", "relative_to_root", "resolved",
           "write_model"]
