"""Model answers built to make a parser slow or crash, at any size (tests, benchmarks).

``answers(size)`` maps a shape's name to an answer of about ``size`` characters;
``normal_answer(size)`` is an ordinary labels object of the same size to compare with.
"""

from __future__ import annotations

import json


def normal_answer(size: int, fields: tuple[str, ...] = ("lessor", "leased_space")) -> str:
    """A valid labels object of about ``size`` characters (many values in one field)."""
    value = "Suite 100, 1200 Harbor Point Boulevard, Springfield"
    n = max(1, size // (len(value) + 4))
    labels = {fields[0]: ["Harbor Point Properties LLC"], fields[-1]: [value] * n}
    return json.dumps(labels)


def answers(size: int) -> dict[str, str]:
    """Adversarial answers of about ``size`` characters, by shape."""
    return {
        "backticks": "`" * size,
        "fence openers": ("```json" + "x" * 3 + "\n") * (size // 11),
        "fenced normal": "Here you are:\n```json\n" + normal_answer(size - 40) + "\n```\n",
        "{'a',": "{'a'," * (size // 5),
        "nested objects": '{"a":' * (size // 5),
        "nested arrays": "[" * size,
        "open braces": "{" * size,
        "closed braces": "{}" * (size // 2),
        "bad objects": "{x}" * (size // 3),
        "5,000-digit ints": '{"lessor": [' + ",".join(["9" * 5000] * max(1, size // 5001))
        + "]}",
        "single quotes": "{" + "'" * size,
        "quoted commas": "{" + "', " * (size // 3),
        "backslashes": '{"a": "' + "\\" * size,
        "trailing commas": '{"a": [' + ", " * (size // 2),
        "prose with braces": "I think the answer's {not here} " * (size // 32),
    }


__all__ = ["answers", "normal_answer"]
