"""Distractor clauses: facts that look like a labelled field but are not one.

Other dates (rent commencement, notice deadlines), other parties (guarantor, broker,
lender, prior tenant), other spaces (parking, storage) and other amounts (deposit, CAM).
Each returns ``(title, text)`` with no labelled span.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from . import surface_forms as v
from .deal import Deal

Roles = dict[str, str]


def deposit(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    amt = d.amount(d.deposit, rng)
    return "Security Deposit", rng.choice(
        (
            f"Upon execution of this Lease, {r['T']} shall deposit with {r['L']} the sum of "
            f"{amt} as security for the performance of {r['T']}'s obligations hereunder.",
            f"{r['T']} has deposited {amt} with {r['L']} as a security deposit, which shall be "
            f"returned within {v.days(rng.choice((14, 30, 45, 60)), rng)} after the end of the "
            "Term, less any amounts applied to cure defaults.",
        )
    )


def cam(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    est = d.amount(d.cam or d.monthly * 0.1, rng)
    share = f"{rng.uniform(1, 100):.2f}%"
    return "Operating Expenses", rng.choice(
        (
            f"In addition to Base Rent, {r['T']} shall pay {r['T']}'s Share ({share}) of "
            f"Operating Expenses, estimated for the first year at {est} per month.",
            f"{r['T']}'s proportionate share of common area maintenance charges is {share}; "
            f"the estimated monthly CAM charge is {est}, subject to annual reconciliation.",
        )
    )


def rent_commencement(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    when = d.d(d.rent_start + timedelta(days=rng.choice((30, 61, 92, 120))))
    free = v.words_and_digits(rng.choice((1, 2, 3, 4, 6)), rng)
    return "Rent Commencement", rng.choice(
        (
            f"Notwithstanding the foregoing, the obligation to pay Base Rent shall begin on "
            f'{when} (the "Rent Commencement Date").',
            f"{r['T']} shall be entitled to an abatement of Base Rent for the first {free} "
            f"months of the Term; the Rent Commencement Date is anticipated to be {when}.",
        )
    )


def notice_deadline(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    when = d.d(d.end - timedelta(days=30 * d.notice_months))
    return "Notice of Intent", rng.choice(
        (
            f"Any notice of {r['T']}'s intent to vacate must be received by {r['L']} no later "
            f"than {when}.",
            f"If {r['T']} fails to deliver its election in writing on or before {when}, the "
            "right granted in this Section shall lapse.",
        )
    )


def guarantor(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    g = d.guarantor
    desc = f", {g.descriptor}" if g.descriptor else ""
    return "Guaranty", rng.choice(
        (
            f"The obligations of {r['T']} under this Lease are guaranteed by {g.name}{desc} "
            f'("Guarantor") pursuant to a Guaranty of Lease executed concurrently herewith.',
            f"As a condition to {r['L']}'s execution of this Lease, {g.name} shall deliver an "
            "unconditional guaranty of all of the tenant's obligations hereunder.",
        )
    )


def broker(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    return "Brokers", rng.choice(
        (
            f"{r['L']} and {r['T']} each represent that they have dealt with no broker in "
            f"connection with this Lease other than {d.broker}, whose commission shall be paid "
            f"by {r['L']} pursuant to a separate agreement.",
            f"{d.broker} has acted as broker for {r['T']}; {r['L']} shall pay any commission due "
            "in connection with this transaction.",
        )
    )


def lender(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    return "Subordination", rng.choice(
        (
            f"This Lease is subordinate to the deed of trust in favor of {d.lender}, and "
            f"{r['T']} shall within {v.days(10, rng)} execute a subordination, non-disturbance "
            "and attornment agreement in the form required by such lender.",
            f"{r['T']} agrees to attorn to {d.lender} or any purchaser at a foreclosure sale.",
        )
    )


def prior_tenant(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    return "Prior Occupant", rng.choice(
        (
            f"The {r['P']} were previously occupied by {d.prior_tenant}. {r['L']} shall remove "
            "any property left by the prior occupant before delivery.",
            f"{r['L']} represents that the lease with {d.prior_tenant}, the former occupant, "
            "has been terminated and that such party has no further right to possession.",
        )
    )


def parking(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    n = v.words_and_digits(d.parking, rng)
    fee = d.amount(rng.choice((0, 45, 75, 95, 125, 150, 200)), rng)
    return "Parking", rng.choice(
        (
            f"{r['T']} shall be entitled to use {n} unreserved parking spaces in the parking "
            f"facility serving the Building at a monthly charge of {fee} per space.",
            f"During the Term {r['L']} shall make available to {r['T']} {n} parking stalls, "
            "free of charge, on a first-come, first-served basis.",
        )
    )


def storage(rng: random.Random, d: Deal, r: Roles) -> tuple[str, str]:
    ar = v.area(d.storage_sqft, "sqft" if d.area_unit != "sqm" else "sqm", rng)
    fee = d.amount(round(d.storage_sqft * rng.uniform(0.5, 2.0), 0), rng)
    return "Storage Space", (
        f"{r['L']} also leases to {r['T']} approximately {ar} of storage space in the basement "
        f'of the Building (the "Storage Space") for a monthly fee of {fee}.'
    )


ALL: tuple[Callable[[random.Random, Deal, Roles], tuple[str, str]], ...] = (
    deposit,
    cam,
    rent_commencement,
    notice_deadline,
    guarantor,
    broker,
    lender,
    prior_tenant,
    parking,
    storage,
)


def pick(rng: random.Random, d: Deal, r: Roles, k: int) -> list[tuple[str, str]]:
    """``k`` distinct distractor clauses in random order (deposit most often)."""
    chosen = rng.sample(ALL[1:], min(k, len(ALL) - 1))
    if rng.random() < 0.8:
        chosen.insert(rng.randint(0, len(chosen)), deposit)
    return [f(rng, d, r) for f in chosen]


__all__ = ["ALL", "pick"]
