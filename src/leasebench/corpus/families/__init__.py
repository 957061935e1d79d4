"""The document families and how often each is drawn."""

from __future__ import annotations

import random
from collections.abc import Callable

from ..doc import Doc
from . import commercial, ground, letters, residential, translated, uk

Builder = Callable[[random.Random, str], Doc]

FAMILIES: dict[str, tuple[float, Builder]] = {
    "office": (0.17, lambda rng, split: commercial.build(rng, split, "office")),
    "retail": (0.10, lambda rng, split: commercial.build(rng, split, "retail")),
    "industrial": (0.10, lambda rng, split: commercial.build(rng, split, "industrial")),
    "residential": (0.12, residential.build),
    "ground": (0.08, ground.build),
    "renewal_letter": (0.10, letters.renewal_letter),
    "amendment": (0.11, letters.amendment),
    "translated": (0.11, translated.build),
    "uk": (0.11, uk.build),
}
_NAMES = list(FAMILIES)
_WEIGHTS = [w for w, _ in FAMILIES.values()]


def pick_family(rng: random.Random) -> str:
    """A family name, drawn by weight."""
    return rng.choices(_NAMES, weights=_WEIGHTS)[0]


__all__ = ["FAMILIES", "Builder", "pick_family"]
