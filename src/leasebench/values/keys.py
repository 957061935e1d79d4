"""Comparison keys: what two values must share to match in ``exact`` or ``normalized`` mode."""

from __future__ import annotations

from functools import lru_cache

from .normalize import NORMALIZERS, NULL_LIKE, exact_form, normalize_date, normalize_text
from .typed_text import typed_text_key


@lru_cache(maxsize=1 << 20)
def normalized_key(
    value: str, kind: str, day_first: bool = False, contains: tuple[str, ...] = ()
) -> str | None:
    """The comparison key of ``value`` in ``normalized`` mode, ``None`` when null-like.

    Values a kind's normaliser cannot parse fall back to their exact form. A ``text``
    value with ``contains`` (typed kinds inside it) gets those mentions in canonical form.
    """
    if value.strip().casefold() in NULL_LIKE:
        return None
    try:
        if kind == "text" and contains:
            out = typed_text_key(value, contains)
        elif kind == "date":
            out = normalize_date(value, day_first)
        else:
            fn = NORMALIZERS.get(kind, normalize_text)
            out = fn(value)
    except Exception:  # pragma: no cover - normalisers are written not to raise
        out = None
    return f"{kind}:{out}" if out is not None else "=" + exact_form(value)


@lru_cache(maxsize=1 << 20)
def exact_key(value: str) -> str | None:
    """The comparison key in ``exact`` and ``fuzzy`` mode, ``None`` when null-like."""
    if value.strip().casefold() in NULL_LIKE:
        return None
    return exact_form(value)


__all__ = ["exact_key", "normalized_key"]
