"""Short residential leases: numbered paragraphs with capitalised run-in headings."""

from __future__ import annotations

import random

from .. import distractors, phrases
from .. import surface_forms as v
from ..bank_extra import RESIDENTIAL_MORE
from ..bank_other import RESIDENTIAL
from ..boilerplate import provisions, roles
from ..deal import make_deal
from ..doc import Doc
from .extras import floor, residential_addenda, residential_notices, residential_signatures

TITLES = (
    "RESIDENTIAL LEASE AGREEMENT",
    "RESIDENTIAL LEASE",
    "APARTMENT LEASE",
    "LEASE AGREEMENT",
    "RENTAL AGREEMENT",
    "HOUSE LEASE",
)
PARTIES = (
    'This Lease is made on {signing_date} between {lessor} ("{L}") and {lessee} ("{T}").',
    "This Residential Lease Agreement is entered into as of {signing_date} by {lessor}, as "
    "{L}, and {lessee}, as {T}.",
    "{L}: {lessor}\n{T}: {lessee}\nDate: {signing_date}",
)
PARTIES_UNDATED = (
    'This Lease is between {lessor} ("{L}") and {lessee} ("{T}").',
    "{L}, {lessor}, agrees to rent to {T}, {lessee}, on the terms below.",
    "{L}: {lessor}\n{T}(s): {lessee}",
)
TERM = (
    "The term of this Lease begins on {start_date} and ends on {end_date}.",
    "The lease term shall be {dur}, beginning {start_date} and ending {end_date}.",
    "This is a fixed-term lease from {start_date} through {end_date}.",
)
TERM_OPEN = (
    "The tenancy shall begin on {start_date} and continue for {dur}.",
    "The tenancy begins on {start_date} and shall continue on a month-to-month basis until "
    "terminated by either party on thirty (30) days' written notice.",
)
RENT = (
    "{T} agrees to pay {term_of_payment}.",
    "Rent is {term_of_payment}. Rent shall be paid to {L} at the address above or by "
    "electronic transfer.",
    "{T} shall pay {L} {term_of_payment}, without demand.",
)


def build(rng: random.Random, split: str) -> Doc:
    """One residential lease, with addenda, of about 400 to 1,200 words."""
    deal = make_deal(rng, "residential", split)
    lw, tw = rng.choice((("Landlord", "Tenant"), ("Owner", "Resident"), ("Lessor", "Lessee")))
    r = roles(rng, lw, tw, "residential")
    doc = Doc()
    has_sign = rng.random() < 0.62
    has_use = rng.random() < 0.55
    has_ext = rng.random() < 0.2
    fixed = rng.random() < 0.8
    vals = {
        **r,
        "lessor": deal.lessor.name,
        "lessee": deal.lessee.name,
        "signing_date": deal.d(deal.signing),
        "start_date": deal.d(deal.start),
        "end_date": deal.d(deal.end),
        "leased_space": phrases.space_span(rng, deal, "residential"),
        "designated_use": phrases.use_span(rng, "residential"),
        "term_of_payment": phrases.payment_span(rng, deal, word="rent"),
        "extension_period": rng.choice(
            (
                f"the option to renew this Lease for an additional {v.duration(12, rng)}",
                f"one (1) renewal term of {v.duration(rng.choice((6, 12)), rng)}",
            )
        ),
        "dur": v.duration(deal.months, rng),
    }
    doc.add(rng.choice(TITLES) + "\n\n")
    sections: list[tuple[str, str]] = [
        ("PARTIES", rng.choice(PARTIES if has_sign else PARTIES_UNDATED)),
        (
            "PROPERTY",
            rng.choice(
                (
                    '{L} rents to {T} {leased_space} (the "{P}").',
                    "The {P} is {leased_space}, including any appliances listed below.",
                )
            ),
        ),
        ("TERM", rng.choice(TERM if fixed else TERM_OPEN)),
        ("RENT", rng.choice(RENT)),
    ]
    if has_use:
        sections.append(
            (
                "USE",
                rng.choice(
                    (
                        "The {P} shall be used as {designated_use}.",
                        "{T} shall use the {P} for {designated_use}.",
                    )
                ),
            )
        )
    if has_ext:
        sections.append(
            (
                "RENEWAL",
                "{T} shall have {extension_period}, upon written notice "
                "given sixty (60) days before the end of the term.",
            )
        )
    for title, text in distractors.pick(rng, deal, r, rng.randint(1, 3)):
        if title in ("Security Deposit", "Guaranty", "Prior Occupant", "Notice of Intent"):
            sections.append((title.upper(), text.replace("Base Rent", "rent")))
    for title, sentences in provisions(
        rng, {**RESIDENTIAL, **RESIDENTIAL_MORE}, r, rng.randint(8, 12), keep=0.85
    ):
        sections.append((title.upper(), " ".join(sentences)))
    if rng.random() < 0.6:
        sections.append(("NOTICES", residential_notices(rng, r)))
    head, tail = sections[:2], sections[2:]
    if rng.random() < 0.5:
        rng.shuffle(tail)
    style = rng.choice(("num", "num_paren", "plain"))
    for i, (title, text) in enumerate(head + tail, 1):
        prefix = {"num": f"{i}. {title}. ", "num_paren": f"{i}) {title}: ", "plain": ""}[style]
        doc.para(prefix + (title.title() + ". " if style == "plain" else "") + text, vals)
    residential_signatures(doc, rng, r)
    residential_addenda(doc, rng, r, floor(rng))
    return doc


__all__ = ["build"]
