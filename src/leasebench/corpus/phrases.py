"""Phrase banks for the labelled facts: the value spans and the clauses that carry them.

``*_span`` functions return the text an annotator would label; ``*_CLAUSES`` banks are
templates (see :mod:`leasebench.corpus.doc`) with role slots ``{L}``, ``{T}``, ``{P}``.
"""

from __future__ import annotations

import random

from . import surface_forms as v
from .deal import Deal

_DAY1 = (
    "on the first day of each month",
    "on or before the first (1st) day of each calendar month",
    "on the first day of each and every calendar month",
    "monthly in advance on the 1st of each month",
)


def payment_span(rng: random.Random, deal: Deal, word: str = "Base Rent") -> str:
    """A rent amount with its schedule, e.g. ``Base Rent of $12,500.00 per month, ...``."""
    m, a = deal.amount(deal.monthly, rng), deal.amount(deal.annual, rng)
    day = rng.choice(_DAY1)
    if deal.locale == "uk":
        return rng.choice(
            (
                f"{a} per annum exclusive of VAT payable by equal quarterly instalments in "
                "advance on the usual quarter days",
                f"the yearly rent of {a} payable quarterly in advance",
                f"an initial annual rent of {a} (exclusive of VAT) payable in advance by "
                "equal monthly instalments on the first day of each month",
            )
        )
    if deal.locale == "cn":
        q = rng.choice(("monthly", "quarterly", "every three months", "semi-annually"))
        return rng.choice(
            (
                f"the monthly rent is {m}, payable {q} in advance",
                f"rent of {m} per month, to be paid {q} before the fifth (5th) day of the period",
                f"a monthly rental of {m} (tax inclusive), which Party B shall pay {q}",
            )
        )
    return rng.choice(
        (
            f"{word} of {m} per month, payable in advance {day}",
            f"monthly installments of {word} in the amount of {m}, in advance, {day}",
            f"annual {word} of {a}, payable in equal monthly installments of {m} {day}",
            f"{m} per month, due {day}",
            f"{a} per year, payable in twelve (12) equal monthly installments of {m}",
            f"{word} in the amount of {m} per month",
            f"{m} per month, payable without demand, deduction or offset {day}",
        )
    )


def space_span(rng: random.Random, deal: Deal, kind: str) -> str:
    """A description of the leased premises."""
    ar = v.area(deal.area_value, deal.area_unit, rng)
    approx = rng.choice(("approximately ", "approximately ", "about ", ""))
    addr = deal.street_address
    floor = v.ordinal(deal.floor)
    if kind == "office":
        return rng.choice(
            (
                f"{approx}{ar} on the {floor} floor of the Building located at {addr}",
                f"Suite {deal.suite}, consisting of {approx}{ar}",
                f"{approx}{ar} known as Suite {deal.suite} in the building at {addr}",
                f"the entire {floor} floor of the Building, containing {approx}{ar}",
                f"{approx}{ar} of office space located at {addr}",
            )
        )
    if kind == "retail":
        return rng.choice(
            (
                f"Store No. {deal.suite} containing {approx}{ar} of floor area in the "
                "Shopping Center",
                f"{approx}{ar} of retail space located at {addr}",
                f"the space designated as Unit {deal.suite} on the site plan, containing {ar}",
            )
        )
    if kind == "industrial":
        return rng.choice(
            (
                f"the entire building containing {approx}{ar} located at {addr}",
                f"{approx}{ar} of warehouse and office space located at {addr}",
                f"a portion of the building consisting of {approx}{ar}, together with the "
                "loading docks serving such space",
            )
        )
    if kind == "residential":
        unit = rng.choice(("Apartment", "Unit", "Apt."))
        return rng.choice(
            (
                f"{unit} {deal.suite}, {addr}",
                f"the dwelling located at {addr}",
                f"the residential premises at {addr}, {unit} {deal.suite}",
                f"the single-family home located at {addr}",
            )
        )
    if kind == "ground":
        return rng.choice(
            (
                f"that certain parcel of land containing {approx}{ar}, as more particularly "
                "described in Exhibit A",
                f"the real property consisting of {approx}{ar} located at {addr}",
                f"{ar} of unimproved land together with all easements and appurtenances",
            )
        )
    if kind == "uk":
        return rng.choice(
            (
                f"the {floor} floor of the Building known as {addr}",
                f"Unit {deal.suite}, {addr}, having a net internal area of {approx}{ar}",
                f"the premises known as {addr} as shown edged red on Plan 1",
            )
        )
    if kind == "cn":
        return rng.choice(
            (
                f"the premises located at {addr}, with a construction area of {ar}",
                f"Room {deal.suite}, {addr}, with a gross floor area of {approx}{ar}",
                f"the factory building and office located at {addr}, totaling {ar}",
            )
        )
    raise ValueError(kind)


USES: dict[str, tuple[str, ...]] = {
    "office": (
        "general office purposes and for no other purpose",
        "general office, administrative and research and development uses",
        "executive and general office use consistent with a first-class office building",
        "general office use and any other lawful use incidental thereto",
        "office, laboratory and related uses permitted by applicable zoning",
    ),
    "retail": (
        "the retail sale of apparel and accessories",
        "the operation of a full-service restaurant serving food and beverages",
        "a specialty coffee shop and for no other purpose",
        "the retail sale of mobile phones, accessories and related services",
        "a fitness studio offering group exercise classes",
    ),
    "industrial": (
        "warehousing, distribution and light assembly",
        "the manufacture, storage and distribution of Tenant's products",
        "light manufacturing, research and development and ancillary office use",
        "cold storage and food distribution",
    ),
    "residential": (
        "a private residence only",
        "residential purposes only, for occupancy by Tenant and Tenant's immediate family",
        "use as a private dwelling and for no other purpose",
    ),
    "ground": (
        "the construction and operation of a hotel and related facilities",
        "the development of a multi-family residential project",
        "a solar energy generating facility and related transmission equipment",
        "agricultural and related purposes",
    ),
    "uk": (
        "offices within Class E(g)(i) of the Town and Country Planning (Use Classes) Order 1987",
        "use as offices and for no other purpose",
        "warehousing and distribution within Class B8",
        "the retail sale of goods within Class E(a)",
    ),
    "cn": (
        "office use",
        "production and warehousing",
        "research and development and office purposes",
        "the operation of Party B's manufacturing business",
        "commercial purposes only",
    ),
}


def use_span(rng: random.Random, kind: str) -> str:
    return rng.choice(USES[kind])


def extension_span(rng: random.Random, deal: Deal) -> str:
    """A description of the renewal / extension options."""
    n = deal.options
    count = v.words_and_digits(n, rng)
    length = v.duration(deal.option_months, rng)
    many = n > 1
    return rng.choice(
        (
            f"{count} option{'s' if many else ''} to extend the Term for "
            f"{'successive periods' if many else 'a period'} of {length}{' each' if many else ''}",
            f"{count} {'successive ' if many else ''}renewal option{'s' if many else ''} of "
            f"{length}{' each' if many else ''}",
            f"the right to extend the Term for {count} additional period"
            f"{'s' if many else ''} of {length}",
            f"{count} extension term{'s' if many else ''} of {length}{' each' if many else ''}",
        )
    )


TERM_CLAUSES: dict[str, tuple[str, ...]] = {
    "start_end": (
        'The Term shall commence on {start_date} (the "Commencement Date") and shall end '
        "on {end_date}, unless sooner terminated as provided herein.",
        "The term of this Lease shall be for {dur}, commencing on {start_date} and ending "
        "on {end_date}.",
        "{T} shall have and hold the {P} for a term beginning {start_date} and terminating "
        "{end_date}, both dates inclusive.",
        "This Lease shall be for a period of {dur} beginning on {start_date} and ending at "
        "11:59 p.m. on {end_date}.",
    ),
    "start_exp": (
        "The Term shall be {dur}, commencing on {start_date} and expiring on "
        '{expiration_date_of_lease} (the "Expiration Date").',
        "The term hereof shall begin on {start_date} and shall expire on "
        "{expiration_date_of_lease}, unless extended or sooner terminated.",
    ),
    "start_dur": (
        "The term of this Lease shall be {dur} commencing on {start_date}.",
        "The Term shall commence on {start_date} and continue for a period of {dur} thereafter.",
        "{L} leases the {P} to {T} for {dur}, beginning {start_date}.",
    ),
}

EXPIRY_CLAUSES = (
    "Unless sooner terminated, this Lease shall expire on {expiration_date_of_lease}.",
    'The "Expiration Date" shall mean {expiration_date_of_lease}.',
    "This Lease shall terminate and expire at midnight on {expiration_date_of_lease}, "
    "without the necessity of any notice.",
)

RENT_CLAUSES = (
    "{T} shall pay to {L} {term_of_payment}, without deduction, setoff or demand.",
    "Commencing on the Rent Commencement Date, {T} agrees to pay {term_of_payment}.",
    "Rent. {T} covenants to pay {term_of_payment}, in lawful money of the United States.",
    "{T} shall pay {term_of_payment}. Rent for any partial month shall be prorated.",
)

USE_CLAUSES = (
    "{T} shall use the {P} solely for {designated_use}.",
    "The {P} shall be used and occupied by {T} for {designated_use}.",
    "Permitted Use. {designated_use}, and for no other purpose without {L}'s prior written "
    "consent.",
    "{T} may use the {P} only for {designated_use} and shall comply with all laws "
    "applicable to such use.",
)

EXTENSION_CLAUSES = (
    "Provided {T} is not then in default, {T} shall have {extension_period}, exercisable "
    "by written notice given not less than {notice} prior to the expiration of the "
    "then-current Term.",
    "{L} grants to {T} {extension_period} on the same terms and conditions, except that "
    "Base Rent shall be adjusted to the then prevailing fair market rent.",
    "Option to Extend. {T} is hereby granted {extension_period}, upon written notice "
    "delivered at least {notice} before the end of the Term.",
)

PREMISES_CLAUSES = (
    '{L} hereby leases to {T}, and {T} hereby leases from {L}, {leased_space} (the "{P}").',
    "{L} leases to {T} and {T} hires from {L} {leased_space}, together with the right to "
    "use the common areas.",
    'Subject to the terms hereof, {L} demises to {T} {leased_space} (hereinafter the "{P}").',
)

__all__ = [
    "EXPIRY_CLAUSES",
    "EXTENSION_CLAUSES",
    "PREMISES_CLAUSES",
    "RENT_CLAUSES",
    "TERM_CLAUSES",
    "USES",
    "USE_CLAUSES",
    "extension_span",
    "payment_span",
    "space_span",
    "use_span",
]
