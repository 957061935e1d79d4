"""The JSON Schema of report.json: generated from ``RunResult``, shipped with the package.

The shipped file (``leasebench/schemas/report.schema.json``) is the contract for tools
that read report.json; a test keeps it equal to the generated schema. Regenerate with
``python -m leasebench.reporting.report_schema``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from ..errors import DataError
from ..results import RunResult

SCHEMA_RESOURCE = "report.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def report_schema() -> dict[str, Any]:
    """The JSON Schema of report.json, generated from ``RunResult``."""
    schema = RunResult.model_json_schema(mode="serialization")
    return {"$schema": DIALECT, **schema}


def schema_text() -> str:
    """``report_schema()`` as the exact text of the shipped file."""
    return json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def shipped_schema() -> dict[str, Any]:
    """The schema file shipped in the package."""
    text = resources.files("leasebench").joinpath("schemas", SCHEMA_RESOURCE).read_text("utf-8")
    return json.loads(text)


def validate_report(data: Any) -> None:
    """Raise ``DataError`` listing every way ``data`` breaks the shipped report schema."""
    validator = Draft202012Validator(shipped_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    if errors:
        lines = [f"  {'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:20]]
        raise DataError("report does not match report.schema.json:\n" + "\n".join(lines))


def write_schema(path: Path | None = None) -> Path:
    """Write the generated schema to the package's schemas directory (or ``path``)."""
    target = path or Path(__file__).resolve().parent.parent / "schemas" / SCHEMA_RESOURCE
    target.write_text(schema_text(), encoding="utf-8")
    return target


if __name__ == "__main__":  # pragma: no cover
    print(write_schema())


__all__ = ["report_schema", "schema_text", "shipped_schema", "validate_report", "write_schema"]
