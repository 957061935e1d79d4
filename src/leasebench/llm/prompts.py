"""Prompt templates: package files under ``leasebench/prompts``, overridable by a path.

Templates use ``{{name}}`` placeholders, filled in a single pass (a value that itself
contains ``{{...}}`` is left alone), so prompts can hold JSON braces freely.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import DataError
from ..schema import FieldSchema

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=64)
def _read(name: str, override: str | None) -> str:
    if override is not None:
        path = Path(override).expanduser()
        if not path.is_file():
            raise DataError(f"prompt file {override!r} not found (for the {name!r} prompt)")
        return path.read_text("utf-8")
    return resources.files("leasebench").joinpath("prompts", f"{name}.txt").read_text("utf-8")


def load_prompt(name: str, override: str | None = None) -> str:
    """The template ``name`` from the package, or the file at ``override``."""
    return _read(name, override)


def render(template: str, **values: str) -> str:
    """Fill ``{{name}}`` placeholders; an unknown placeholder is an error."""

    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            known = ", ".join(sorted(values))
            raise DataError(f"prompt placeholder {{{{{key}}}}} is unknown (known: {known})")
        return values[key]

    return _PLACEHOLDER.sub(sub, template)


def describe_fields(schema: FieldSchema) -> str:
    """One line per field: ``- name: description``."""
    return "\n".join(
        f"- {f}: {schema.description(f)}" if schema.description(f) else f"- {f}"
        for f in schema.fields
    )


__all__ = ["describe_fields", "load_prompt", "render"]
