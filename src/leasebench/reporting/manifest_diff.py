"""What differs between the resolved manifests of compared runs, key by key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

ABSENT = "(absent)"


class ManifestDifference(BaseModel):
    """One manifest key whose value is not the same in every compared run."""

    key: str
    values: list[str]


def read_manifest(run_dir: Path) -> dict[str, Any] | None:
    """The resolved ``manifest.yaml`` of a run directory (None when there is none)."""
    path = Path(run_dir) / "manifest.yaml"
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted keys of nested mappings; lists of mappings by position (``rounds.1.name``)."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out |= flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = {}
        for i, item in enumerate(value):
            out |= flatten(item, f"{prefix}.{i}")
        return out
    return {prefix: value}


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def manifest_differences(manifests: list[dict[str, Any]]) -> list[ManifestDifference]:
    """Every key (in first-seen order) whose value differs between ``manifests``.

    A key set to null or to an empty mapping or list is the same as an absent key (a
    newer version writing its defaults is not a difference between the runs).
    """
    flat = [{k: v for k, v in flatten(m).items() if v not in (None, {}, [])}
            for m in manifests]
    keys = list(dict.fromkeys(k for f in flat for k in f))
    out = []
    for key in keys:
        values = [_show(f[key]) if key in f else ABSENT for f in flat]
        if len(set(values)) > 1:
            out.append(ManifestDifference(key=key, values=values))
    return out


__all__ = ["ABSENT", "ManifestDifference", "flatten", "manifest_differences", "read_manifest"]
