"""US commercial leases (office, retail, industrial): a summary table and numbered articles."""

from __future__ import annotations

import random

from .. import distractors, phrases
from .. import surface_forms as v
from ..bank_commercial import COMMERCIAL
from ..bank_exhibits import DEFINITIONS, FORMS
from ..bank_extra import MORE, OPEX_IN, OPEX_OUT, WORK_LETTER
from ..bank_other import RULES
from ..boilerplate import provisions, roles, rules
from ..deal import Deal, make_deal, party_words
from ..doc import TABLE_STYLES, Doc, Outline, Plain, table_row
from .common import exhibit_line, exhibits, party_ref, render_provisions, signature_block

TITLES = {
    "office": (
        "OFFICE LEASE",
        "LEASE AGREEMENT",
        "OFFICE BUILDING LEASE",
        "LEASE",
        "OFFICE LEASE AGREEMENT",
    ),
    "retail": ("SHOPPING CENTER LEASE", "RETAIL LEASE", "LEASE AGREEMENT", "STORE LEASE"),
    "industrial": (
        "INDUSTRIAL LEASE",
        "STANDARD INDUSTRIAL LEASE - NET",
        "WAREHOUSE LEASE",
        "MULTI-TENANT INDUSTRIAL BUILDING LEASE",
    ),
}
TABLE_TITLES = (
    "BASIC LEASE INFORMATION",
    "SUMMARY OF BASIC LEASE TERMS",
    "BASIC LEASE PROVISIONS",
    "FUNDAMENTAL LEASE PROVISIONS",
    "LEASE SUMMARY",
    "REFERENCE PAGE",
)
PREAMBLES = (
    'THIS {title} (this "Lease") is made and entered into as of {signing_date}, by and between '
    '{lessor}{ldesc} ("{L}"), and {lessee}{tdesc} ("{T}").',
    "This {title} is dated {signing_date} and is entered into between {lessor}{ldesc} "
    '("{L}") and {lessee}{tdesc} ("{T}").',
    "THIS {title} is made this {signing_date} by and between {lessor}{ldesc}, as {L}, and "
    "{lessee}{tdesc}, as {T}.",
)
UNDATED = (
    'THIS {title} (the "Lease") is made and entered into by and between {lessor}{ldesc} '
    '("{L}") and {lessee}{tdesc} ("{T}").',
    "THIS {title} is made as of the ____ day of __________, 20__, between {lessor}{ldesc} "
    '("{L}") and {lessee}{tdesc} ("{T}").',
    "{L}: {lessor}{ldesc}\n{T}: {lessee}{tdesc}\n\nThe parties agree as follows.",
)


def build(rng: random.Random, split: str, kind: str) -> Doc:
    """One office, retail or industrial lease."""
    deal = make_deal(rng, kind, split)
    lw, tw = party_words(rng, "us")
    r = roles(rng, lw, tw, kind)
    doc = Doc()
    has_sign = rng.random() < 0.72
    has_use = rng.random() < 0.78
    has_ext = rng.random() < 0.55
    end_mode = rng.choices(("end", "exp", "dur"), weights=(0.45, 0.35, 0.2))[0]
    floating = rng.random() < 0.08
    if floating:
        end_mode = "dur"
    long = rng.random() < 0.2
    table = rng.random() < {"office": 0.75, "retail": 0.8, "industrial": 0.6}[kind]
    vals = {
        **r,
        "title": rng.choice(TITLES[kind]),
        "lessor": deal.lessor.name,
        "lessee": deal.lessee.name,
        "ldesc": party_ref(deal.lessor.name, deal.lessor.descriptor, rng),
        "tdesc": party_ref(deal.lessee.name, deal.lessee.descriptor, rng),
        "signing_date": deal.d(deal.signing),
        "start_date": deal.d(deal.start),
        "end_date": deal.d(deal.end),
        "expiration_date_of_lease": deal.d(deal.end),
        "leased_space": phrases.space_span(rng, deal, kind),
        "designated_use": phrases.use_span(rng, kind),
        "term_of_payment": phrases.payment_span(rng, deal),
        "extension_period": phrases.extension_span(rng, deal),
        "dur": v.duration(deal.months, rng),
        "notice": v.duration(deal.notice_months, rng),
    }
    exhibit_line(doc, rng)
    doc.add(vals["title"] + "\n\n")
    if rng.random() < 0.4:
        doc.add(f"{deal.street_address}\n\n")
    preambles = PREAMBLES if has_sign else UNDATED
    doc.para(rng.choice(preambles), vals)
    if rng.random() < 0.5:
        doc.para(
            f"RECITALS\n\nA. {lw} is the owner of the real property located at "
            f'{deal.street_address} (the "{r["B"]}").\n\nB. {lw} desires to lease to {tw}, '
            f"and {tw} desires to lease from {lw}, the {r['P']} on the terms set forth below."
        )
    if table:
        _table(doc, rng, deal, vals, kind, has_sign, has_use, has_ext, end_mode)
    if floating:
        vals["start_date"] = Plain(
            "the date on which Landlord's Work is Substantially Complete (estimated to be "
            f"{deal.d(deal.start)})".replace("Landlord", lw)
        )
    art = dict(vals)
    restate = not table or rng.random() < 0.5
    if restate:
        for f in (
            ("end_date", "expiration_date_of_lease")
            if floating
            else ("start_date", "end_date", "expiration_date_of_lease")
        ):
            art[f] = deal.d(getattr(deal, "start" if f == "start_date" else "end"), alt=True)
    outline = Outline(rng)
    core = _core(rng, vals, art, restate, has_use, has_ext, end_mode)
    extras = [(t, [s]) for t, s in distractors.pick(rng, deal, r, rng.randint(3, 8 + 2 * long))]
    k = {"office": (8, 27), "retail": (7, 22), "industrial": (6, 20)}[kind]
    bank = {**COMMERCIAL, **MORE}
    n_topics = len(bank) if long else rng.randint(*k)
    keep = rng.uniform(0.85, 1.0) if long else rng.uniform(0.5, 0.95)
    elaborate = rng.uniform(0.4, 0.9) if long else rng.uniform(0.0, 0.3)
    extras += provisions(rng, bank, r, n_topics, keep=keep, elaborate=elaborate)
    if long or rng.random() < 0.6:
        extras.append(_opex(rng, r))
    rng.shuffle(extras)
    if long or rng.random() < 0.45:
        defs = sorted(rng.sample(DEFINITIONS, rng.randint(6 + 8 * long, len(DEFINITIONS))))
        core.insert(0, (rng.choice(("Definitions", "Certain Definitions")), defs))
    for title, templates in core:
        doc.add(outline.heading(title) + "\n\n")
        for t in templates:
            doc.para(outline.sub() + t if len(templates) > 1 else t, art)
    render_provisions(doc, outline, extras, rng)
    signature_block(doc, rng, deal, r)
    appendices = []
    if long or rng.random() < 0.35:
        work = [s.replace("Landlord", lw).replace("Tenant", tw) for s in WORK_LETTER]
        appendices.append(("Work Letter", rules(rng, tuple(work), rng.randint(5, 10))))
    if long or rng.random() < 0.4:
        appendices.append(("Rules and Regulations", rules(rng, RULES, rng.randint(6, 16))))
    for title, lines in FORMS.items():
        if rng.random() < (0.8 if long else 0.3):
            appendices.append((title, [x.format(**r) for x in lines if rng.random() < 0.85]))
    exhibits(doc, rng, appendices)
    return doc


def _opex(rng: random.Random, r: dict[str, str]) -> tuple[str, list[str]]:
    """An operating expenses provision with itemised inclusions and exclusions."""
    ins = rng.sample(OPEX_IN, rng.randint(4, len(OPEX_IN)))
    outs = rng.sample(OPEX_OUT, rng.randint(5, len(OPEX_OUT)))
    roman = (
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "vi",
        "vii",
        "viii",
        "ix",
        "x",
        "xi",
        "xii",
        "xiii",
        "xiv",
        "xv",
    )
    inc = "; ".join(f"({roman[i]}) {x}" for i, x in enumerate(ins))
    exc = "; ".join(f"({chr(97 + i)}) {x}" for i, x in enumerate(outs))
    return rng.choice(("Operating Expenses", "Additional Rent", "Common Area Costs")), [
        f'"Operating Expenses" means all costs paid by {r["L"]} in connection with the '
        f"operation, maintenance and repair of the {r['B']}, including {inc}.",
        f"Operating Expenses shall not include: {exc}.",
        f"{r['L']} shall deliver to {r['T']} within one hundred twenty days after the end of "
        "each calendar year a statement of the actual Operating Expenses for such year.",
    ]


def _table(
    doc: Doc, rng: random.Random, deal: Deal, vals: dict[str, str], kind: str, has_sign: bool,
    has_use: bool, has_ext: bool, end_mode: str,
) -> None:
    style = rng.choice(TABLE_STYLES)
    doc.add(rng.choice(TABLE_TITLES) + "\n\n")
    rows: list[tuple[str, str]] = []
    if has_sign:
        rows.append(
            (
                rng.choice(("Date", "Lease Date", "Date of Lease", "Effective Date")),
                "{signing_date}",
            )
        )
    rows += [(vals["L"], "{lessor}{ldesc}"), (vals["T"], "{lessee}{tdesc}")]
    if rng.random() < 0.5:
        rows.append((f"{vals['L']}'s Address", deal.lessor.address))
    rows.append((rng.choice(("Premises", "Leased Premises", vals["P"])), "{leased_space}"))
    rows.append((rng.choice(("Term", "Lease Term", "Initial Term")), "{dur}"))
    rows.append((rng.choice(("Commencement Date", "Lease Commencement Date")), "{start_date}"))
    if end_mode == "exp":
        rows.append(("Expiration Date", "{expiration_date_of_lease}"))
    elif end_mode == "end":
        rows.append((rng.choice(("Termination Date", "End Date", "Term End")), "{end_date}"))
    if rng.random() < 0.5:
        rows.append(("Rent Commencement Date", deal.d(deal.rent_start)))
    rows.append(
        (
            rng.choice(("Base Rent", "Monthly Base Rent", "Annual Base Rent", "Rent")),
            "{term_of_payment}",
        )
    )
    if rng.random() < 0.7:
        rows.append(("Security Deposit", deal.amount(deal.deposit, rng)))
    if has_use:
        rows.append((rng.choice(("Permitted Use", "Use", "Use of Premises")), "{designated_use}"))
    if has_ext:
        rows.append(
            (
                rng.choice(("Extension Option", "Renewal Option(s)", "Option to Extend")),
                "{extension_period}",
            )
        )
    if rng.random() < 0.5:
        rows.append(("Brokers", deal.broker))
    if rng.random() < 0.3:
        rows.append(("Guarantor", deal.guarantor.name))
    if rng.random() < 0.5:
        rows.append((f"{vals['T']}'s Share", f"{rng.uniform(1, 100):.2f}%"))
    if kind == "retail" and rng.random() < 0.7:
        rows.append(
            (
                "Percentage Rent",
                f"{rng.choice((4, 5, 6, 7, 8))}% of Gross Sales in excess of the Breakpoint",
            )
        )
    if kind == "industrial" and rng.random() < 0.6:
        rows.append(("Loading", f"{v.words_and_digits(rng.randint(1, 24), rng)} dock-high doors"))
    if rng.random() < 0.4:
        rows.append(("Parking", f"{v.words_and_digits(deal.parking, rng)} spaces"))
    head, tail = rows[:3], rows[3:]
    if rng.random() < 0.5:
        rng.shuffle(tail)
    for i, (label, value) in enumerate(head + tail):
        doc.line(table_row(style, i, label) + value, vals)
    doc.add("\n")


def _core(
    rng: random.Random, vals: dict[str, str], art: dict[str, str], restate: bool, has_use: bool,
    has_ext: bool, end_mode: str,
) -> list[tuple[str, list[str]]]:
    """The articles that carry labelled facts (premises, term, rent, use, extension)."""
    if restate:
        prem = [rng.choice(phrases.PREMISES_CLAUSES)]
        mode = {"end": "start_end", "exp": "start_exp", "dur": "start_dur"}[end_mode]
        term = [rng.choice(phrases.TERM_CLAUSES[mode])]
        if end_mode == "end" and rng.random() < 0.25:
            term.append(rng.choice(phrases.EXPIRY_CLAUSES))
        rent = [rng.choice(phrases.RENT_CLAUSES)]
    else:
        prem = ["{L} hereby leases to {T} the {P} described in the Basic Lease Information."]
        term = [
            "The Term shall commence on the Commencement Date and continue for the period "
            "set forth in the Basic Lease Information, unless sooner terminated."
        ]
        rent = ["{T} shall pay the Base Rent set forth above, in advance, without demand."]
    rent.append(
        rng.choice(
            (
                "Base Rent shall increase by three percent (3%) on each anniversary of the "
                "Commencement Date.",
                "All sums payable by {T} other than Base Rent shall be deemed Additional Rent.",
                "Rent shall be paid by wire transfer or at such address as {L} may designate.",
            )
        )
    )
    core = [
        (rng.choice(("Premises", "Demise", "Lease of Premises")), prem),
        (rng.choice(("Term", "Lease Term", "Term of Lease")), term),
        (rng.choice(("Rent", "Base Rent", "Rental")), rent),
    ]
    if has_use and (restate or rng.random() < 0.3):
        core.append(
            (
                rng.choice(("Use", "Permitted Use", "Use of Premises")),
                [rng.choice(phrases.USE_CLAUSES)],
            )
        )
    if has_ext and (restate or rng.random() < 0.5):
        core.append(
            (
                rng.choice(("Option to Extend", "Renewal Option", "Extension")),
                [rng.choice(phrases.EXTENSION_CLAUSES)],
            )
        )
    tail = core[1:]
    rng.shuffle(tail)
    return core[:1] + tail


__all__ = ["build"]
