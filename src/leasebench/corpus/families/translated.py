"""English translations and summaries of PRC lease contracts ("Party A / Party B")."""

from __future__ import annotations

import random

from .. import phrases
from .. import surface_forms as v
from ..bank_extra import CN_MORE
from ..bank_other import CN
from ..boilerplate import provisions, roles
from ..deal import make_deal, party_words
from ..doc import Doc
from .extras import cn_general, cn_notes, floor, word_count

HEADERS = (
    "English Translation\n\nHOUSE LEASE CONTRACT",
    "Summary of Lease Agreement (English Translation)",
    "[English Translation for Reference Only]\n\nPREMISES LEASE CONTRACT",
    "FACTORY LEASE AGREEMENT\n(Translation)",
    "Summary English Translation of Lease Contract",
)
INTRO = (
    "{L} (Lessor): {lessor}\nAddress: {laddr}\n\n{T} (Lessee): {lessee}\nAddress: {taddr}",
    'Lessor: {lessor} ("{L}")\nLessee: {lessee} ("{T}")',
    'This contract is entered into by {lessor} (hereinafter "{L}") and {lessee} '
    '(hereinafter "{T}") through friendly negotiation in accordance with the Contract Law '
    "of the People's Republic of China.",
)
SUMMARY_INTRO = (
    "The following is a summary of the material terms of the lease agreement, the original of "
    "which is in Chinese:"
)


def build(rng: random.Random, split: str) -> Doc:
    """One translated contract (article style) or an English summary (bullet style)."""
    deal = make_deal(rng, "cn", split)
    lw, tw = party_words(rng, "cn")
    r = roles(rng, lw, tw, "office")
    r["P"] = rng.choice(("premises", "leased premises", "House"))
    doc = Doc()
    summary = rng.random() < 0.4
    has_sign = rng.random() < 0.7
    has_use = rng.random() < 0.7
    has_ext = rng.random() < 0.4
    has_end = rng.random() < 0.85
    vals = {
        **r,
        "lessor": deal.lessor.name,
        "lessee": deal.lessee.name,
        "laddr": deal.lessor.address,
        "taddr": deal.lessee.address,
        "signing_date": deal.d(deal.signing),
        "start_date": deal.d(deal.start),
        "end_date": deal.d(deal.end),
        "leased_space": phrases.space_span(rng, deal, "cn"),
        "designated_use": phrases.use_span(rng, "cn"),
        "term_of_payment": phrases.payment_span(rng, deal),
        "extension_period": rng.choice(
            (
                f"the right to renew the lease for {v.duration(deal.option_months, rng)} under "
                "equal conditions",
                f"priority to renew for a further {v.duration(deal.option_months, rng)}",
            )
        ),
        "dur": v.duration(deal.months, rng),
        "dep": deal.amount(deal.deposit, rng),
        "notice": v.duration(rng.choice((1, 2, 3)), rng),
    }
    items: list[tuple[str, str]] = [
        (
            "Leased Premises",
            rng.choice(
                (
                    "{L} agrees to lease to {T} {leased_space}.",
                    "The premises leased are {leased_space}, and {L} holds the "
                    "real estate ownership "
                    "certificate for the premises.",
                )
            ),
        ),
        (
            "Lease Term",
            rng.choice(
                (
                    "The lease term is from {start_date} to {end_date}.",
                    "The lease term is {dur}, from {start_date} to {end_date}.",
                )
            )
            if has_end
            else "The lease term is {dur}, starting from {start_date}.",
        ),
        (
            "Rent and Payment",
            "{term_of_payment}. "
            + rng.choice(
                (
                    "Party B shall pay the rent by bank transfer to the account "
                    "designated by Party A.",
                    "Party A shall issue a formal invoice upon receipt of each payment.",
                )
            ),
        ),
        (
            "Deposit",
            "{T} shall pay a deposit of {dep} to {L} upon signing this contract, which "
            "shall be refunded without interest upon expiry.",
        ),
    ]
    if has_use:
        items.append(("Purpose", "The premises shall be used for {designated_use}."))
    if has_ext:
        items.append(
            (
                "Renewal",
                "Upon expiry of the lease term, {T} shall have {extension_period}"
                ", provided that {T} notifies {L} in writing {notice} in advance.",
            )
        )
    if rng.random() < 0.6:
        items.append(
            (
                "Rent-free Period",
                "{L} grants {T} a rent-free decoration period of "
                f"{v.duration(rng.choice((1, 2, 3)), rng)} after delivery.",
            )
        )
    for title, sentences in provisions(rng, {**CN, **CN_MORE}, r, rng.randint(5, 9), keep=0.8):
        items.append((title, " ".join(sentences)))
    head, tail = items[:1], items[1:]
    rng.shuffle(tail)
    doc.add(rng.choice(HEADERS) + "\n\n")
    if summary:
        doc.para(SUMMARY_INTRO)
        doc.line("Parties: {lessor} (Lessor) and {lessee} (Lessee)", vals)
        if has_sign:
            doc.line("Date of Agreement: {signing_date}", vals)
        bullet = rng.choice(("• ", "- ", "* ", ""))
        for title, text in head + tail:
            doc.line(f"{bullet}{title}: {text}", vals)
        notes = cn_notes(rng, r, word_count(doc), floor(rng))
        if notes:
            doc.add("\n" + "\n".join(bullet + n for n in notes) + "\n")
        return doc
    doc.para(rng.choice(INTRO), vals)
    numbering = rng.choice(("Article {n}", "{n}.", "Clause {n}", "ARTICLE {n}"))
    for n, (title, text) in enumerate(head + tail, 1):
        doc.para(f"{numbering.format(n=n)} {title}\n{text}", vals)
    general = cn_general(rng, r, word_count(doc), floor(rng))
    for n, (title, text) in enumerate(general, len(items) + 1):
        doc.add(f"{numbering.format(n=n)} {title}\n{text}\n\n")
    doc.add(f"{lw} (seal): {deal.lessor.name}\nLegal representative: ______\n\n")
    doc.add(f"{tw} (seal): {deal.lessee.name}\nLegal representative: ______\n\n")
    if has_sign:
        doc.line(
            rng.choice(
                (
                    "Signing date: {signing_date}",
                    "Date: {signing_date}",
                    "This contract is signed on {signing_date}.",
                )
            ),
            vals,
        )
    return doc


__all__ = ["build"]
