"""Leases of England and Wales: prescribed clauses (LR1-LR6), definitions, the Landlord."""

from __future__ import annotations

import random
from datetime import timedelta

from .. import phrases
from .. import surface_forms as v
from ..bank_other import UK
from ..boilerplate import provisions, roles
from ..deal import make_deal
from ..doc import Doc, Outline
from ..parties import person_name
from .common import render_provisions
from .extras import UK_SCHEDULE, floor, word_count

DEFS = {
    "start_date": '"Term Commencement Date": {start_date}',
    "end_date": '"Contractual Term": a term of {dur} beginning on and including the Term '
    "Commencement Date and ending on and including {end_date}",
    "term_of_payment": '"Annual Rent": {term_of_payment}',
    "designated_use": '"Permitted Use": {designated_use}',
    "leased_space": '"Property": {leased_space}',
    "extension_period": '"Renewal Option": {extension_period}',
}
OTHER = (
    '"Break Date": {brk}',
    '"Rent Commencement Date": {rcd}',
    '"Review Date": {review}',
    '"Deposit": the sum of {dep}',
    '"Insured Risks": fire, lightning, explosion, storm, flood and such other risks as the '
    "Landlord may from time to time reasonably decide to insure against",
    '"Guarantor": {guarantor}',
)


def build(rng: random.Random, split: str) -> Doc:
    """One lease in the English style."""
    deal = make_deal(rng, "uk", split)
    r = roles(rng, "Landlord", "Tenant", "office")
    doc = Doc()
    has_sign = rng.random() < 0.7
    has_use = rng.random() < 0.8
    has_ext = rng.random() < 0.2
    has_end = rng.random() < 0.75
    lr = rng.random() < 0.5
    vals = {
        **r,
        "lessor": deal.lessor.name,
        "lessee": deal.lessee.name,
        "ldesc": deal.lessor.descriptor,
        "tdesc": deal.lessee.descriptor,
        "laddr": deal.lessor.address,
        "taddr": deal.lessee.address,
        "signing_date": deal.d(deal.signing),
        "start_date": deal.d(deal.start),
        "end_date": deal.d(deal.end),
        "leased_space": phrases.space_span(rng, deal, "uk"),
        "designated_use": phrases.use_span(rng, "uk"),
        "term_of_payment": phrases.payment_span(rng, deal),
        "extension_period": f"an option to renew this Lease for a further term of "
        f"{v.duration(deal.option_months, rng)}",
        "dur": v.duration(deal.months, rng),
        "brk": deal.d(v.add_months(deal.start, max(12, deal.months // 2))),
        "rcd": deal.d(deal.start + timedelta(days=rng.choice((90, 120, 180)))),
        "review": deal.d(v.add_months(deal.start, 60)),
        "dep": deal.amount(deal.deposit, rng),
        "guarantor": deal.guarantor.name,
    }
    doc.add(rng.choice(("DATED", "Dated", "THIS LEASE is dated")))
    doc.line(" {signing_date}" if has_sign else " ____________________ 20__", vals)
    doc.add("\n")
    if lr:
        _prescribed(doc, rng, vals, has_sign, has_end)
    doc.add("PARTIES\n\n")
    doc.para(
        '(1) {lessor} {ldesc} whose registered office is at {laddr} (the "Landlord"); and', vals
    )
    doc.para('(2) {lessee} {tdesc} whose registered office is at {taddr} (the "Tenant").', vals)
    outline = Outline(rng, rng.choice(("decimal", "plain_caps", "section")))
    doc.add(outline.heading("Definitions and Interpretation") + "\n\n")
    doc.para("In this Lease the following definitions apply:")
    defs = [DEFS["start_date"], DEFS["term_of_payment"], DEFS["leased_space"]]
    defs.append(
        DEFS["end_date"]
        if has_end
        else '"Contractual Term": a term of {dur} from and including the Term Commencement Date'
    )
    if has_use:
        defs.append(DEFS["designated_use"])
    if has_ext:
        defs.append(DEFS["extension_period"])
    defs += rng.sample(OTHER, rng.randint(2, len(OTHER)))
    defs.sort(key=lambda d: d.lower())
    for d in defs:
        doc.para(d + ";", vals)
    doc.add(outline.heading(rng.choice(("Grant", "Demise", "Letting"))) + "\n\n")
    doc.para(
        rng.choice(
            (
                "The Landlord lets the Property to the Tenant for the "
                "Contractual Term at the Annual Rent.",
                "The Landlord with full title guarantee lets the Property to the Tenant for the "
                "Contractual Term, the Tenant paying the Annual Rent.",
            )
        ),
        vals,
    )
    if rng.random() < 0.6:
        doc.para(
            "The Tenant may terminate this Lease on the Break Date by giving the Landlord "
            "not less than six months' written notice.",
            vals,
        )
    provs = provisions(rng, UK, r, rng.randint(5, 7), keep=0.85)
    rng.shuffle(provs)
    render_provisions(doc, outline, provs, rng)
    doc.add("This Lease has been entered into on the date stated at the beginning of it.\n\n")
    if rng.random() < 0.3 or word_count(doc) < floor(rng):
        doc.add(UK_SCHEDULE)
    doc.add(
        f"Executed as a deed by {deal.lessor.name} acting by a director in the presence of a "
        f"witness:\n\nDirector: {person_name(rng, 'uk')}\n\n"
    )
    doc.add(f"Executed as a deed by {deal.lessee.name} acting by two directors.\n\n")
    return doc


def _prescribed(doc: Doc, rng: random.Random, vals: dict, has_sign: bool, has_end: bool) -> None:
    doc.add("PRESCRIBED CLAUSES\n\n")
    if has_sign:
        doc.line("LR1. Date of lease\t{signing_date}", vals)
    else:
        doc.line("LR1. Date of lease", vals)
    doc.add(
        f"LR2.1 Landlord's title number(s)\t{rng.choice('ABCDEGHKLMNS')}"
        f"{rng.choice('LGKNY')}{rng.randint(10000, 999999)}\n"
    )
    doc.add("LR2.2 Other title numbers\tNone\n")
    doc.line("LR3. Parties to this lease\nLandlord: {lessor}\nTenant: {lessee}", vals)
    doc.line(
        "LR4. Property\tIn the case of a conflict between this clause and the remainder of "
        "this lease then, for the purposes of registration, this clause shall prevail. "
        "{leased_space}",
        vals,
    )
    doc.line("LR5. Prescribed statements etc.\tNone", vals)
    if has_end:
        doc.line(
            "LR6. Term for which the Property is leased\tFrom and including {start_date} to "
            "and including {end_date}",
            vals,
        )
    else:
        doc.line(
            "LR6. Term for which the Property is leased\tThe term as specified in this "
            'lease at clause 1.1 in the definition of "Contractual Term"',
            vals,
        )
    doc.add("\n")


__all__ = ["build"]
