"""Lease renewals written as letters, and amendments to an existing lease.

The labelled term is the new (extended) term; the original lease's date and its old
expiration date appear as distractors. The extension granted is the extension period.
"""

from __future__ import annotations

import random
from datetime import timedelta

from .. import distractors, phrases
from .. import surface_forms as v
from ..bank_closing import (
    AMENDMENT_CLOSING,
    CC_LINES,
    ENCLOSURES,
    LETTER_CLOSING,
    LETTER_REFERENCE,
)
from ..bank_commercial import COMMERCIAL
from ..boilerplate import provisions, roles
from ..deal import make_deal, party_words
from ..doc import Doc, Plain
from ..parties import person_name
from .common import party_ref
from .extras import choose, floor, word_count

ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth")


def _setup(rng: random.Random, split: str) -> tuple:
    kind = rng.choice(("office", "office", "retail", "industrial"))
    deal = make_deal(rng, kind, split)
    lw, tw = party_words(rng, "us")
    r = roles(rng, lw, tw, kind)
    orig = deal.start - timedelta(days=30 * rng.randint(24, 120))
    new_months = deal.option_months
    vals = {
        **r,
        "lessor": deal.lessor.name,
        "lessee": deal.lessee.name,
        "ldesc": party_ref(deal.lessor.name, deal.lessor.descriptor, rng),
        "tdesc": party_ref(deal.lessee.name, deal.lessee.descriptor, rng),
        "signing_date": deal.d(deal.signing),
        "start_date": deal.d(deal.start),
        "end_date": deal.d(v.term_end(deal.start, new_months)),
        "expiration_date_of_lease": deal.d(v.term_end(deal.start, new_months)),
        "orig": deal.d(orig),
        "old_end": deal.d(deal.start - timedelta(days=1)),
        "leased_space": phrases.space_span(rng, deal, kind),
        "designated_use": phrases.use_span(rng, kind),
        "term_of_payment": phrases.payment_span(rng, deal),
        "extension_period": rng.choice(
            (
                f"an additional period of {v.duration(new_months, rng)}",
                f"a period of {v.duration(new_months, rng)}",
                f"{v.duration(new_months, rng)}",
            )
        ),
        "addr": deal.street_address,
        "contact": person_name(rng),
    }
    return deal, r, vals, kind


def renewal_letter(rng: random.Random, split: str) -> Doc:
    """A letter confirming (or exercising) a renewal of an existing lease."""
    deal, r, vals, _kind = _setup(rng, split)
    doc = Doc()
    dated = rng.random() < 0.8
    if rng.random() < 0.5:
        doc.add(f"{deal.lessor.name}\n{deal.lessor.address}\n\n")
    doc.line("{signing_date}" if dated else "", vals)
    doc.add("\n" + rng.choice(("VIA FEDEX AND EMAIL\n\n", "BY CERTIFIED MAIL\n\n", "")))
    doc.add(f"{deal.lessee.name}\n{deal.lessee.address}\nAttention: {vals['contact']}\n\n")
    doc.add(
        f"Re: {rng.choice(('Lease Renewal', 'Extension of Lease', 'Renewal Term'))} - "
        f"{deal.street_address}\n\nDear {vals['contact'].split(' ')[0]}:\n\n"
    )
    doc.para(
        rng.choice(
            (
                'Reference is made to the lease dated {orig} (the "Lease") between {lessor} '
                '("{L}") and {lessee} ("{T}") for {leased_space}.',
                'As you know, {lessor} ("{L}") leases to {lessee} ("{T}") {leased_space} under a '
                "lease agreement dated {orig}, which expires on {old_end}.",
            )
        ),
        vals,
    )
    doc.para(
        rng.choice(
            (
                "This letter confirms that the term of the Lease is renewed "
                "for {extension_period}, "
                "commencing on {start_date} and ending on {end_date}.",
                "The parties have agreed to extend the term of the Lease for {extension_period} "
                "beginning {start_date} and expiring on {expiration_date_of_lease}.",
                "{T} hereby exercises its option to renew the Lease for "
                "{extension_period} commencing "
                "{start_date}.",
            )
        ),
        vals,
    )
    if rng.random() < 0.1:
        vals["term_of_payment"] = Plain("the Base Rent provided for in the Lease")
    doc.para(
        rng.choice(
            (
                "During the renewal term, {T} shall pay {term_of_payment}.",
                "Rent for the renewal term shall be {term_of_payment}.",
            )
        ),
        vals,
    )
    if rng.random() < 0.35:
        doc.para("The {P} shall continue to be used for {designated_use}.", vals)
    for _title, text in distractors.pick(rng, deal, r, rng.randint(2, 4)):
        doc.para(text)
    for _title, sentences in provisions(rng, COMMERCIAL, r, rng.randint(3, 6), keep=0.6):
        doc.para(" ".join(sentences))
    confirm = (
        "Except as set forth in this letter, all terms and conditions of the Lease remain "
        "unchanged and in full force and effect. Please countersign below to confirm "
        f"{r['T']}'s agreement."
    )
    sign = (
        f"Sincerely,\n\n{deal.lessor.name}\n\nBy: /s/ {person_name(rng)}\n\n"
        f"AGREED AND ACCEPTED:\n\n{deal.lessee.name}\n\nBy: ______________\n"
    )
    enclosures = _letter_end(doc, rng, r, confirm, sign)
    doc.line("Date: {signing_date}" if not dated and rng.random() < 0.5 else "Date: _______", vals)
    if enclosures:
        doc.add("\n" + enclosures)
    return doc


def _letter_end(doc: Doc, rng: random.Random, r: dict, confirm: str, sign: str) -> str:
    """Reference to the Lease, confirmation, closing and signatures; the enclosure list."""
    refs = [rng.choice(alts).format(**r) for alts in LETTER_REFERENCE]
    items = rng.sample(ENCLOSURES, rng.randint(2, 4))
    encl = rng.choice(("Enclosures:", "Enclosures", "Encl.:")) + "\n"
    bullet = rng.choice(("- ", "", "* ", "1. "))
    encl += "".join(
        f"{bullet.replace('1', str(i))}{e.format(**r)}\n" for i, e in enumerate(items, 1)
    )
    if rng.random() < 0.5:
        encl += "\ncc: " + "\n    ".join(rng.sample(CC_LINES, rng.randint(1, 2))) + "\n"
    blocks = [*refs, rng.choice(LETTER_CLOSING), encl]
    have = word_count(doc) + len(confirm.split()) + len(sign.split()) + 2
    kept = choose(rng, blocks, 0.45, have, floor(rng))
    if any(kept[: len(refs)]):
        doc.para(" ".join(b for b, k in zip(refs, kept, strict=False) if k))
    doc.para(confirm)
    if kept[-2]:
        doc.para(blocks[-2])
    doc.add(sign)
    return encl if kept[-1] else ""


def amendment(rng: random.Random, split: str) -> Doc:
    """A numbered amendment that extends the term and resets the rent."""
    deal, r, vals, kind = _setup(rng, split)
    doc = Doc()
    if rng.random() < 0.15:
        vals["leased_space"] = Plain(f"certain premises in the building located at {vals['addr']}")
    nth = rng.choice(ORDINALS)
    dated = rng.random() < 0.8
    if rng.random() < 0.5:
        doc.add(f"Exhibit 10.{rng.randint(1, 60)}\n\n")
    doc.add(
        f"{nth.upper()} AMENDMENT TO {rng.choice(('LEASE', 'OFFICE LEASE', 'LEASE AGREEMENT'))}\n\n"
    )
    vals["nth"] = nth.upper()
    doc.para(
        (
            'THIS {nth} AMENDMENT TO LEASE (this "Amendment") is made and entered into as of '
            "{signing_date}, "
            if dated
            else 'THIS {nth} AMENDMENT (this "Amendment") is made '
        )
        + 'by and between {lessor}{ldesc} ("{L}"), and {lessee}{tdesc} ("{T}").',
        vals,
    )
    doc.add("RECITALS\n\n")
    doc.para(
        'A. {L} and {T} are parties to that certain Lease dated as of {orig} (the "Original '
        'Lease"), pursuant to which {T} leases {leased_space} (the "{P}").',
        vals,
    )
    doc.para("B. The term of the Original Lease is scheduled to expire on {old_end}.", vals)
    doc.para(
        "C. {L} and {T} desire to extend the term of the Lease and to otherwise amend the "
        "Lease as set forth herein.",
        vals,
    )
    doc.add(
        "AGREEMENT\n\nNOW, THEREFORE, in consideration of the mutual covenants herein, the "
        "parties agree as follows:\n\n"
    )
    items = [
        rng.choice(
            (
                "Extension of Term. The term of the Lease is hereby extended "
                "for {extension_period} "
                '(the "Extended Term"), commencing on {start_date} and ending on {end_date}.',
                "Extended Term. The Term is extended for {extension_period} commencing {start_date}"
                ' and expiring on {expiration_date_of_lease} (the "New Expiration Date").',
            )
        ),
        rng.choice(
            (
                "Base Rent. Commencing on the first day of the Extended Term, {T} shall pay "
                "{term_of_payment}.",
                "Rent. During the Extended Term, Base Rent shall be {term_of_payment}.",
            )
        ),
    ]
    if rng.random() < 0.3:
        items.append(
            "Use. Section 6 of the Lease is amended to provide that the {P} shall be "
            "used for {designated_use}."
        )
    for _title, text in distractors.pick(rng, deal, r, rng.randint(2, 4)):
        items.append(f"{_title}. {text}")
    rng.shuffle(items)
    items += [
        "Ratification. Except as modified by this Amendment, the Lease remains unmodified and "
        "in full force and effect, and is hereby ratified and confirmed.",
        "Counterparts. This Amendment may be executed in counterparts and by electronic signature.",
    ]
    for i, text in enumerate(items, 1):
        doc.para(f"{i}. {text}", vals)
    for title, sentences in provisions(rng, COMMERCIAL, r, rng.randint(2, 5), keep=0.6):
        doc.para(f"{len(items) + 1}. {title}. " + " ".join(sentences))
        items.append(title)
    closing = [rng.choice(alts).format(**r) for alts in AMENDMENT_CLOSING]
    closing = [closing[0], *rng.sample(closing[1:], len(closing) - 1)]
    kept = choose(rng, closing, 0.4, word_count(doc), floor(rng))
    for text, keep in zip(closing, kept, strict=True):
        if keep:
            doc.para(f"{len(items) + 1}. {text}")
            items.append(text)
    doc.add(
        f"[Signature page follows]\n\n{deal.lessor.name}\n\nBy: ____________\n\n"
        f"{deal.lessee.name}\n\nBy: ____________\n"
    )
    _ = kind
    return doc


__all__ = ["amendment", "renewal_letter"]
