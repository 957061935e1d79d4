"""Selects and words the standard provisions that make up most of a lease's length."""

from __future__ import annotations

import random

from . import surface_forms as v
from .bank_other import Bank

_SWAPS = (
    (" shall ", " will "),
    ("this Lease", "this Agreement"),
    ("prior written consent", "written approval"),
    ("reasonable", "commercially reasonable"),
)

PARAPHRASES = _SWAPS
"""Word-level paraphrases the families apply to boilerplate (``(old, new)`` pairs)."""

QUALIFIERS = (
    ", except to the extent caused by the gross negligence or willful misconduct of {L}",
    ", in each case at {T}'s sole cost and expense and in compliance with Applicable Laws",
    ", subject to the terms and conditions of this Lease and the rights of any Mortgagee",
    ", provided that no event of default has occurred and is continuing beyond any applicable "
    "notice and cure period",
    ", and the provisions of this Section shall survive the expiration or earlier termination "
    "of the Term",
    ", it being understood and agreed that the foregoing is a material inducement to {L} to "
    "enter into this Lease",
    ", without limiting any other right or remedy available to {L} at law or in equity",
    ", in a manner consistent with the standards of comparable first-class properties in the "
    "market in which the {B} is located",
    ", and {T} shall reimburse {L} for all reasonable costs incurred in connection therewith "
    "within thirty days after receipt of an invoice",
    ", notwithstanding anything to the contrary contained elsewhere in this Lease",
    ", unless otherwise agreed in writing by the parties",
    ", as reasonably determined by {L} from time to time",
)


def roles(rng: random.Random, lessor_word: str, lessee_word: str, kind: str) -> dict[str, str]:
    """Role words for one document: ``L``, ``T``, ``P`` (premises), ``B`` (building), ``N``."""
    premises = rng.choice(("Premises", "Premises", "Leased Premises", "Demised Premises"))
    building = {
        "retail": ("Shopping Center", "Center", "Project"),
        "industrial": ("Building", "Project", "Property"),
        "ground": ("Land", "Property", "Project Site"),
    }.get(kind, ("Building", "Building", "Project", "Property"))
    if kind == "residential":
        premises = rng.choice(("Premises", "Property", "Unit", "Residence"))
    notice = v.days(rng.choice((5, 10, 10, 15, 30)), rng)
    return {
        "L": lessor_word,
        "T": lessee_word,
        "P": premises,
        "B": rng.choice(building),
        "N": notice,
    }


def provisions(
    rng: random.Random,
    bank: Bank,
    r: dict[str, str],
    k: int,
    keep: float = 0.7,
    elaborate: float = 0.0,
) -> list[tuple[str, list[str]]]:
    """``k`` topics from ``bank`` as (title, sentences), each a random subset in near order.

    ``elaborate`` is the chance that a sentence gets a qualifying clause appended.
    """
    topics = rng.sample(list(bank), min(k, len(bank)))
    swaps = [s for s in _SWAPS if rng.random() < 0.25]
    out = []
    for topic in topics:
        titles, sentences = bank[topic]
        chosen = [s for s in sentences if rng.random() < keep] or [sentences[0]]
        if len(chosen) > 2 and rng.random() < 0.4:
            i, j = rng.sample(range(len(chosen)), 2)
            chosen[i], chosen[j] = chosen[j], chosen[i]
        words = []
        for s in chosen:
            if elaborate and s.endswith(".") and rng.random() < elaborate:
                s = s[:-1] + rng.choice(QUALIFIERS) + "."
            s = s.format(**r)
            for a, b in swaps:
                s = s.replace(a, b)
            words.append(s)
        out.append((rng.choice(titles), words))
    return out


def rules(rng: random.Random, bank: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(list(bank), min(k, len(bank)))


__all__ = ["PARAPHRASES", "provisions", "roles", "rules"]
