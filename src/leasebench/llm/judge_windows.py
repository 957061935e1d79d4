"""Judging a record whose prompt does not fit the model's context: parts, then one verdict.

A judge asks one question per record while its prompt fits the context (``context_tokens``,
or what the server reports at ``/models``, as for the ``llm`` extractor: see
``llm/context.py``); otherwise it asks several, each of which fits, and combines the
answers by the judge's own rule:

- ``llm-grounding`` (every label value appears in the document): the document is cut
  into overlapping windows (``leasebench.chunking``), and each window's request lists the
  values numbered and asks which of them appear in that part. A value is grounded when
  any window names it; the record passes when every value is grounded. A record with no
  values to check passes without a call.
- ``llm-labels`` (every schema key is present in the labels; it never sees the document):
  the keys are split into groups whose prompt fits, each asked with only its keys' labels.
  The record passes when every group passes.

A part whose call failed fails the verdict with the error (retried on resume; parts
already answered come from the response cache); an unreadable answer fails it unless the
other parts already settle it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..chunking import Window
from .client import Messages
from .context import prompt_tokens

LIST_TOKENS_PER_VALUE = 2
_NUMBERS = re.compile(r"\d+(?:\s*(?:,|;|\band\b|\s)\s*\d+)*")
_NONE = {"none", "0", "no", "-"}


@dataclass(frozen=True)
class Ask:
    """One request towards a verdict: its messages and call settings, and the part of
    the record it covers (a window of the document, or a group of keys)."""

    messages: Messages
    call: dict[str, Any]
    window: Window | None = None
    keys: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = field(default=())


def fits(messages: Messages, call: dict[str, Any], context: int | None) -> bool:
    """Whether ``messages`` and an answer of ``call["max_tokens"]`` fit ``context``."""
    return context is None or prompt_tokens(messages, None, False) + call["max_tokens"] <= context


def label_values(labels: Any) -> tuple[tuple[str, str], ...]:
    """Every ``(field, value)`` of ``labels``, in their order."""
    if not isinstance(labels, dict):
        return ()
    return tuple((str(f), str(v)) for f, values in labels.items()
                 if isinstance(values, list) for v in values)


def numbered(values: Sequence[tuple[str, str]]) -> str:
    """The values as a numbered list, ``N. field: value`` per line."""
    return "\n".join(f"{n}. {f}: {v}" for n, (f, v) in enumerate(values, 1))


def list_tokens(count: int) -> int:
    """A bound on an answer listing up to ``count`` value numbers."""
    return 4 + LIST_TOKENS_PER_VALUE * count


def read_numbers(text: str | None, count: int) -> set[int] | None:
    """The value numbers an answer names (``0``/``none``: none); None when it is not a
    list of numbers from 1 to ``count``."""
    answer = (text or "").strip().rstrip(".").strip().strip("\"'`").strip().rstrip(".")
    if answer.lower() in _NONE:
        return set()
    if not _NUMBERS.fullmatch(answer):
        return None
    numbers = {int(n) for n in re.findall(r"\d+", answer)} - {0}
    return numbers if all(1 <= n <= count for n in numbers) else None


def key_groups(keys: Sequence[str], fit: Callable[[list[str]], bool]) -> list[list[str]]:
    """``keys`` in order, in the fewest consecutive groups that each ``fit`` (a key that
    does not fit alone is a group of its own)."""
    groups: list[list[str]] = []
    current: list[str] = []
    for key in keys:
        if current and not fit([*current, key]):
            groups.append(current)
            current = []
        current.append(key)
    if current:
        groups.append(current)
    return groups


def missing_text(missing: Sequence[tuple[str, str]], shown: int = 5) -> str:
    """``field: value; ...`` for the first ``shown`` values, and how many more."""
    text = "; ".join(f"{f}: {v}" for f, v in missing[:shown])
    return text + (f" (and {len(missing) - shown} more)" if len(missing) > shown else "")


__all__ = [
    "LIST_TOKENS_PER_VALUE",
    "Ask",
    "fits",
    "key_groups",
    "label_values",
    "list_tokens",
    "missing_text",
    "numbered",
    "read_numbers",
]
