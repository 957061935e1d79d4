"""Cell values as label values: strings or lists, absent markers dropped, types checked.

Each function returns its result, or a ``str`` problem message; nothing raises.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

Absent = Callable[[Any], bool]


def label_values(value: Any, is_absent: Absent, json_lists: bool = False) -> list[str] | str:
    """A field's value as a list of strings.

    Absent markers (and null) give ``[]`` or are dropped from lists; numbers and booleans
    become strings. With ``json_lists`` (one column per field) a string that is a JSON
    array, e.g. ``["a", "b"]``, is read as that list.
    """
    if isinstance(value, bytes):
        value = _utf8(value)
        if value is None:
            return "not valid UTF-8"
    if is_absent(value):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if not (json_lists and stripped.startswith("[") and stripped.endswith("]")):
            return [value]
        try:
            value = json.loads(stripped)
        except (ValueError, RecursionError):
            return [value]
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            if isinstance(item, (list, tuple, dict)):
                return ("expected a string or a list of strings, got a list containing "
                        f"{kind_of(item)}")
            one = label_values(item, is_absent)
            if isinstance(one, str):
                return one
            out.extend(one)
        return out
    if isinstance(value, dict):
        return "expected a string or a list of strings, got an object"
    return scalar_text(value)


def scalar_text(value: Any) -> list[str] | str:
    """A non-string scalar (number, boolean, date) as a one-element list of strings."""
    if isinstance(value, bool):
        return [str(value).lower()]
    if isinstance(value, float) and math.isinf(value):
        return f"expected a string, got {value}"
    try:
        return [str(value)]
    except ValueError:  # an integer over Python's 4,300-digit limit
        return "an integer with more than 4,300 digits"


def labels_object(cell: Any, is_absent: Absent) -> dict[str, Any] | str:
    """A labels cell (an object, a JSON string of one, an Arrow map) as a dict."""
    if isinstance(cell, bytes):
        cell = _utf8(cell)
        if cell is None:
            return "not valid UTF-8"
    if is_absent(cell):
        return {}
    if isinstance(cell, str):
        text = cell.strip()
        try:
            cell = json.loads(text)
        except json.JSONDecodeError as exc:
            hint = ""
            if text.startswith("{") and "'" in text and '"' not in text:
                hint = "; it looks like a Python dict (single quotes): write it with json.dumps"
            return f"not valid JSON: {exc.msg} (character {exc.pos + 1}){hint}"
        except ValueError:
            return "not valid JSON: an integer with more than 4,300 digits"
        except RecursionError:
            return "not valid JSON: nested too deeply"
    if isinstance(cell, list) and all(isinstance(p, tuple) and len(p) == 2 for p in cell):
        cell = dict(cell)  # an Arrow map column reads as (key, value) pairs
    if not isinstance(cell, dict):
        return f"expected a JSON object of field -> value(s), got {kind_of(cell)}"
    return cell


def plain(value: Any) -> Any:
    """A JSON-safe copy of an extra column's value for ``meta``."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, bytes):
        text = _utf8(value)
        return text if text is not None else value.hex()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


def _utf8(value: bytes) -> str | None:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


def kind_of(value: Any) -> str:
    """What a value is, for messages: 'no value', 'a number', 'an object', ..."""
    if value is None:
        return "no value"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


__all__ = ["kind_of", "label_values", "labels_object", "plain", "scalar_text"]
