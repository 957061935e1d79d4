"""Field schemas: a JSON Schema object whose properties are the fields to extract.

Each property is an array of strings; the extension key ``x-kind`` names the field's
kind (party, date, money, area, duration, text) so scorers know how to normalise.
"""

from __future__ import annotations

import json
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

import jsonschema

from .errors import DataError
from .userfiles import read_text

FieldKind = Literal["party", "date", "money", "area", "duration", "text"]
KINDS: tuple[str, ...] = get_args(FieldKind)
BUILTIN_SCHEMAS = ("lease",)


class FieldSchema:
    """A validated field schema. Field order is the order of ``properties``."""

    def __init__(self, name: str, document: dict[str, Any]):
        self.name = name
        self.document = document
        problems = _check_document(document)
        if problems:
            raise DataError(f"schema {name}: " + "; ".join(problems))

    @cached_property
    def fields(self) -> list[str]:
        return list(self.document["properties"])

    def kind(self, field: str) -> str:
        return self.document["properties"][field].get("x-kind", "text")

    def contains(self, field: str) -> tuple[str, ...]:
        """Typed kinds (money, area, duration) a text field's values contain
        (``x-contains``): normalised where they occur inside the text."""
        return tuple(self.document["properties"][field].get("x-contains", ()))

    def description(self, field: str) -> str:
        return self.document["properties"][field].get("description", "")

    def output_json_schema(self) -> dict[str, Any]:
        """The JSON Schema an LLM's structured output must follow (no extension keys)."""
        props = {
            f: {"type": "array", "items": {"type": "string"}, "description": self.description(f)}
            for f in self.fields
        }
        return {
            "type": "object",
            "properties": props,
            "required": self.fields,
            "additionalProperties": False,
        }

    def label_errors(self, labels: Any) -> list[str]:
        """Every way ``labels`` breaks the schema (missing/extra keys, wrong types)."""
        validator = jsonschema.Draft202012Validator(self.output_json_schema())
        errors = []
        for err in sorted(validator.iter_errors(labels), key=lambda e: list(e.path)):
            where = ".".join(str(p) for p in err.path) or "labels"
            errors.append(f"{where}: {err.message}")
        return errors

    def empty_labels(self) -> dict[str, list[str]]:
        return {f: [] for f in self.fields}

    def __repr__(self) -> str:
        return f"FieldSchema({self.name!r}, fields={self.fields})"


FIELDS_MAX = 100
FIELD_NAME_MAX = 100
RESERVED_FIELDS = ("micro", "macro", "_micro", "_macro")
FORMULA_START = ("=", "+", "-", "@")


def field_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a field name (it ends up in CSV cells and metric names)."""
    if not name or len(name) > FIELD_NAME_MAX:
        return f"a field name has 1 to {FIELD_NAME_MAX} characters"
    if not name.isprintable() or name != name.strip():
        return "a field name is printable, without control characters or outer spaces"
    if name.startswith(FORMULA_START):
        return ("a field name may not start with = + - or @ (a spreadsheet would run the "
                "cell as a formula)")
    if name in RESERVED_FIELDS:
        return f"{name!r} names the pooled rows of every report"
    return None


def _check_document(doc: Any) -> list[str]:
    if not isinstance(doc, dict):
        return ["must be a JSON object"]
    props = doc.get("properties")
    if not isinstance(props, dict) or not props:
        return ["needs a non-empty 'properties' object (one per field)"]
    problems = []
    if len(props) > FIELDS_MAX:
        problems.append(f"properties: {len(props):,} fields; at most {FIELDS_MAX} are accepted")
    for field, spec in props.items():
        bad = field_name_problem(field)
        if bad:
            problems.append(f"properties[{field[:120]!r}]: {bad}")
            continue
        if not isinstance(spec, dict):
            problems.append(f"properties.{field}: must be an object")
            continue
        kind = spec.get("x-kind", "text")
        if kind not in KINDS:
            problems.append(f"properties.{field}.x-kind: {kind!r} is not one of {', '.join(KINDS)}")
        contains = spec.get("x-contains", [])
        if not isinstance(contains, list) or any(
                c not in ("money", "area", "duration") for c in contains):
            problems.append(f"properties.{field}.x-contains: a list of money, area, duration")
        elif contains and kind != "text":
            problems.append(f"properties.{field}.x-contains: only for x-kind text")
        if spec.get("type", "array") != "array":
            problems.append(f"properties.{field}.type: fields are arrays of strings")
    return problems


def builtin_schema(name: str) -> FieldSchema:
    if name not in BUILTIN_SCHEMAS:
        raise DataError(f"unknown built-in schema {name!r}; known: {', '.join(BUILTIN_SCHEMAS)}")
    text = resources.files("leasebench").joinpath("schemas", f"{name}.json").read_text("utf-8")
    return FieldSchema(name, json.loads(text))


def load_schema(
    spec: str, base_dir: Path | None = None, limit: int | None = None
) -> FieldSchema:
    """A built-in schema by name, or a JSON Schema file (relative to ``base_dir``).

    ``limit`` is the largest file size read (default: ``LEASEBENCH_MAX_FILE_MB``).
    """
    if spec in BUILTIN_SCHEMAS:
        return builtin_schema(spec)
    path = Path(spec)
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    if not path.exists():
        raise DataError(
            f"schema {spec!r}: no such file, and not a built-in schema "
            f"({', '.join(BUILTIN_SCHEMAS)})"
        )
    text = read_text(path, limit=limit, what="JSON Schema file")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"
        ) from exc
    except (ValueError, RecursionError) as exc:  # 4,300-digit integers, deep nesting
        raise DataError(f"{path}: not valid JSON: {type(exc).__name__}: {exc}") from None
    if not isinstance(document, dict):
        raise DataError(f"{path}: a JSON Schema must be an object")
    try:
        return FieldSchema(path.stem, document)
    except DataError as exc:
        raise DataError(f"{path}: {exc}") from None


__all__ = ["BUILTIN_SCHEMAS", "KINDS", "FieldKind", "FieldSchema", "builtin_schema", "load_schema"]
