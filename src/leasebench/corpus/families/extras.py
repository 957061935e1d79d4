"""Label-free material that lengthens the short families: addenda, general provisions,
enclosures, closing provisions, and the length floor they are chosen against.

Optional blocks are kept at random; if the document is still under its floor (drawn per
document between :data:`MIN_WORDS` and ``MIN_WORDS + 60``), further blocks are added in
order until it is not. Noise only adds words, so the floor holds for the final text.
"""

from __future__ import annotations

import random

from ..bank_addenda import ADDENDA, NOTICES, RULES, RULES_INTROS, RULES_TITLES, SIGN_ACKS, Slots
from ..bank_closing import CN_GENERAL, CN_NOTES
from ..doc import Doc

MIN_WORDS = 410
UK_SCHEDULE = (
    "SCHEDULE\nRIGHTS GRANTED AND RESERVED\n\n1. The right for the Tenant and all persons "
    "authorised by it to pass over the Common Parts, in common with the Landlord and all "
    "others entitled, for access to and egress from the Property.\n\n2. The right to use the "
    "Service Media now or within the Perpetuity Period serving the Property.\n\n3. The "
    "Landlord reserves the right to enter the Property on reasonable prior notice (except in "
    "an emergency) to inspect, to carry out works to adjoining property and to comply with "
    "its obligations, causing as little disturbance as reasonably practicable and making good "
    "any damage caused.\n\n4. The Landlord reserves the right to erect scaffolding and to "
    "build on or alter any adjoining property even if this affects light or air to the "
    "Property.\n\n"
)


def word_count(doc: Doc) -> int:
    """Whitespace-separated words of the document so far."""
    return len(doc.text().split())


def floor(rng: random.Random) -> int:
    """This document's minimum length in words."""
    return rng.randint(MIN_WORDS, MIN_WORDS + 60)


def render_slots(rng: random.Random, slots: Slots, r: dict[str, str], keep: float) -> list[str]:
    """One alternative per slot, each slot kept with chance ``keep`` (the first always)."""
    out = []
    for i, alts in enumerate(slots):
        if i == 0 or rng.random() < keep:
            out.append(rng.choice(alts).format(**r))
    return out


def choose(rng: random.Random, blocks: list[str], p: float, have: int, target: int) -> list[bool]:
    """Which ``blocks`` to keep: each with chance ``p``, then more in order up to ``target``."""
    kept = [rng.random() < p for _ in blocks]
    total = have + sum(len(b.split()) for b, k in zip(blocks, kept, strict=True) if k)
    for i, b in enumerate(blocks):
        if total >= target:
            break
        if not kept[i]:
            kept[i] = True
            total += len(b.split())
    return kept


def residential_addenda(doc: Doc, rng: random.Random, r: dict[str, str], target: int) -> None:
    """Addenda and a rules schedule after the signatures, as many as the floor needs."""
    blocks = []
    for titles, slots in rng.sample(ADDENDA, len(ADDENDA)):
        title = rng.choice(titles)
        body = "\n\n".join(render_slots(rng, slots, r, 0.8))
        blocks.append(f"{title.upper() if rng.random() < 0.6 else title}\n\n{body}\n\n")
    rules = [rng.choice(alts).format(**r) for alts in rng.sample(RULES, rng.randint(6, 11))]
    numbered = "".join(f"{i}. {rule}\n" for i, rule in enumerate(rules, 1))
    rules_block = (
        f"{rng.choice(('SCHEDULE A', 'ATTACHMENT 1', 'ADDENDUM'))} - "
        f"{rng.choice(RULES_TITLES).upper()}\n\n{rng.choice(RULES_INTROS).format(**r)}\n\n"
        f"{numbered}\n"
    )
    blocks.insert(rng.randint(0, len(blocks)), rules_block)
    for block, keep in zip(blocks, choose(rng, blocks, 0.3, word_count(doc), target), strict=True):
        if keep:
            doc.add(block)


def residential_notices(rng: random.Random, r: dict[str, str]) -> str:
    """A notices clause for the body of a residential lease."""
    return " ".join(render_slots(rng, NOTICES, r, 0.7))


def residential_signatures(doc: Doc, rng: random.Random, r: dict[str, str]) -> None:
    """A signature page, sometimes with an acknowledgment and witness blocks."""
    lw, tw = r["L"], r["T"]
    if rng.random() < 0.5:
        doc.add("SIGNATURES\n\n")
        doc.add(f"{lw}: ____________________   Date: ________\n\n")
        doc.add(f"{tw}: ____________________   Date: ________\n\n")
        return
    doc.add(rng.choice(("SIGNATURE PAGE", "EXECUTION", "SIGNATURES")) + "\n\n")
    doc.add(rng.choice(SIGN_ACKS).format(**r) + "\n\n")
    for who in (lw, tw):
        doc.add(f"{who.upper()}\nSignature: ______________________   Date: __________\n")
        doc.add("Print name: ______________________\n")
        if rng.random() < 0.7:
            doc.add("Witness: ______________________   Print name: ______________\n")
        doc.add("\n")


def cn_general(rng: random.Random, r: dict[str, str], have: int, target: int) -> list[tuple]:
    """General-provision articles of a translated contract as (title, text)."""
    order = rng.sample(CN_GENERAL, len(CN_GENERAL))
    texts = [" ".join(render_slots(rng, slots, r, 0.75)) for _, slots in order]
    kept = choose(rng, texts, 0.35, have, target)
    return [
        (rng.choice(titles), text)
        for (titles, _), text, k in zip(order, texts, kept, strict=True)
        if k
    ]


def cn_notes(rng: random.Random, r: dict[str, str], have: int, target: int) -> list[str]:
    """Closing notes of a translated summary."""
    notes = [rng.choice(alts).format(**r) for alts in CN_NOTES]
    kept = choose(rng, notes, 0.4, have, target)
    return [n for n, k in zip(notes, kept, strict=True) if k]


__all__ = [
    "MIN_WORDS",
    "UK_SCHEDULE",
    "choose",
    "cn_general",
    "cn_notes",
    "floor",
    "render_slots",
    "residential_addenda",
    "residential_notices",
    "residential_signatures",
    "word_count",
]
