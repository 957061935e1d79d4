"""Ground leases: long terms, land, a definitions article, leasehold provisions."""

from __future__ import annotations

import random

from .. import distractors, phrases
from .. import surface_forms as v
from ..bank_commercial import COMMERCIAL
from ..bank_other import GROUND
from ..boilerplate import provisions, roles
from ..deal import make_deal
from ..doc import Doc, Outline
from .common import exhibit_line, party_ref, render_provisions, signature_block

DEFINITIONS = {
    "signing_date": '"Effective Date" means {signing_date}.',
    "start_date": '"Commencement Date" means {start_date}.',
    "end_date": '"Term" means the period beginning on the Commencement Date and ending on '
    "{end_date}, unless extended as provided herein.",
    "expiration_date_of_lease": '"Expiration Date" means {expiration_date_of_lease}, or '
    "such later date to which the Term is extended.",
    "leased_space": '"Land" means {leased_space}.',
    "designated_use": '"Permitted Use" means {designated_use}.',
    "term_of_payment": '"Ground Rent" means {term_of_payment}.',
}
OTHER_DEFS = (
    '"Improvements" means all buildings, structures and facilities now or hereafter located '
    "on the Land.",
    '"Leasehold Mortgage" means any mortgage or deed of trust encumbering {T}\'s leasehold estate.',
    '"Impositions" means all taxes, assessments and governmental charges levied on the Land.',
    '"Unavoidable Delay" means delay caused by strikes, acts of God, war or other causes '
    "beyond the reasonable control of the party obligated to perform.",
)


def build(rng: random.Random, split: str) -> Doc:
    """One ground lease."""
    deal = make_deal(rng, "ground", split)
    lw, tw = rng.choice(
        (("Landlord", "Tenant"), ("Lessor", "Lessee"), ("Ground Lessor", "Ground Lessee"))
    )
    r = roles(rng, lw, tw, "ground")
    doc = Doc()
    has = {
        "signing_date": rng.random() < 0.75,
        "designated_use": rng.random() < 0.8,
        "extension_period": rng.random() < 0.65,
        "end": rng.random() < 0.65,
        "expiration_date_of_lease": rng.random() < 0.5,
    }
    ground_rent = rng.choice(
        (
            f"an annual ground rent of {deal.amount(deal.annual, rng)}, payable in equal monthly "
            "installments in advance",
            f"{deal.amount(deal.annual, rng)} per annum, payable annually in advance on each "
            "anniversary of the Commencement Date",
            f"annual rent of {deal.amount(deal.annual, rng)} for each Lease Year, payable in "
            "quarterly installments",
        )
    )
    vals = {
        **r,
        "lessor": deal.lessor.name,
        "lessee": deal.lessee.name,
        "ldesc": party_ref(deal.lessor.name, deal.lessor.descriptor, rng),
        "tdesc": party_ref(deal.lessee.name, deal.lessee.descriptor, rng),
        "signing_date": deal.d(deal.signing),
        "start_date": deal.d(deal.start),
        "end_date": deal.d(deal.end),
        "expiration_date_of_lease": deal.d(deal.end, alt=True),
        "leased_space": phrases.space_span(rng, deal, "ground"),
        "designated_use": phrases.use_span(rng, "ground"),
        "term_of_payment": ground_rent,
        "extension_period": phrases.extension_span(rng, deal),
        "dur": v.duration(deal.months, rng),
    }
    exhibit_line(doc, rng)
    doc.add(rng.choice(("GROUND LEASE", "GROUND LEASE AGREEMENT", "LONG-TERM GROUND LEASE")))
    doc.add("\n\n")
    if has["signing_date"]:
        doc.para(
            rng.choice(
                (
                    "This Ground Lease is made and entered into as of "
                    "{signing_date} by and between "
                    '{lessor}{ldesc} ("{L}") and {lessee}{tdesc} ("{T}").',
                    "THIS GROUND LEASE, dated {signing_date}, is between "
                    "{lessor}{ldesc}, as {L}, and "
                    "{lessee}{tdesc}, as {T}.",
                )
            ),
            vals,
        )
    else:
        doc.para(
            'This Ground Lease is made by and between {lessor}{ldesc} ("{L}") and '
            '{lessee}{tdesc} ("{T}").',
            vals,
        )
    outline = Outline(rng)
    defs = [DEFINITIONS[f] for f in DEFINITIONS if has.get(f, f not in ("end_date",))]
    if not has["end"]:
        defs = [d for d in defs if not d.startswith('"Term"')]
    defs += list(OTHER_DEFS)
    rng.shuffle(defs)
    doc.add(outline.heading("Definitions") + "\n\n")
    for d in defs:
        doc.para(d, vals)
    doc.add(outline.heading(rng.choice(("Demise", "Lease of Land", "Grant"))) + "\n\n")
    doc.para(
        "{L} hereby leases the Land to {T} for the Term, subject to the matters of record "
        "described in Exhibit B.",
        vals,
    )
    doc.add(outline.heading("Term") + "\n\n")
    if has["end"]:
        doc.para(
            "The Term shall be {dur}, commencing on the Commencement Date and ending on "
            "{end_date}.",
            vals,
        )
    else:
        doc.para("The Term shall commence on {start_date} and continue for {dur}.", vals)
    if has["extension_period"]:
        doc.para(
            "{T} shall have {extension_period}, each exercisable by notice given at least "
            "one (1) year before the then scheduled Expiration Date.",
            vals,
        )
    doc.add(outline.heading(rng.choice(("Rent", "Ground Rent"))) + "\n\n")
    doc.para(
        "{T} shall pay to {L} the Ground Rent. Ground Rent shall be adjusted every five (5) "
        "years by the change in the Consumer Price Index.",
        vals,
    )
    provs = provisions(rng, GROUND, r, 3) + provisions(rng, COMMERCIAL, r, rng.randint(4, 10))
    provs += [(t, [s]) for t, s in distractors.pick(rng, deal, r, rng.randint(2, 4))]
    rng.shuffle(provs)
    render_provisions(doc, outline, provs, rng)
    signature_block(doc, rng, deal, r)
    doc.add("EXHIBIT A\n\nLEGAL DESCRIPTION OF THE LAND\n\n")
    doc.add(
        f"All that certain real property situated in the County of {rng.choice(('Orange', 'King', 'Maricopa', 'Travis', 'Cook'))}, "  # noqa: E501
        f"being Parcel {rng.randint(1, 40)} of Parcel Map No. {rng.randint(1000, 99999)}, "
        f"containing {v.area(deal.area_value, 'acres', rng)}, more or less.\n\n"
    )
    return doc


__all__ = ["build"]
