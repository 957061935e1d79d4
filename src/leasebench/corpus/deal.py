"""The facts of one lease (parties, dates, money, space) and their surface strings.

A :class:`Deal` is drawn once per document; families decide which facts to state, where
and in what words. Distractor facts (guarantor, broker, rent commencement, deposit,
parking) are drawn alongside so that clauses can mention them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import surface_forms as v
from .parties import Party, address, party, person_name

PROFILES: dict[str, dict] = {
    "office": {"sqft": (1_200, 120_000), "psf": (18, 95), "months": (24, 132), "locale": "us"},
    "retail": {"sqft": (900, 45_000), "psf": (14, 70), "months": (36, 180), "locale": "us"},
    "industrial": {"sqft": (8_000, 600_000), "psf": (4, 16), "months": (36, 144), "locale": "us"},
    "residential": {"monthly": (850, 6_500), "months": (6, 24), "locale": "us"},
    "ground": {"acres": (0.5, 60.0), "annual": (40_000, 2_500_000), "months": (240, 1188)},
    "uk": {"sqft": (1_000, 80_000), "psf": (12, 85), "months": (36, 180), "locale": "uk"},
    "cn": {"sqm": (80, 25_000), "psm_month": (30, 260), "months": (12, 120), "locale": "cn"},
}


@dataclass
class Deal:
    """Every fact a family may state. Strings are already in this document's forms."""

    lessor: Party
    lessee: Party
    guarantor: Party
    broker: str
    lender: str
    prior_tenant: str
    signing: date
    start: date
    months: int
    end: date
    rent_start: date
    currency: str
    monthly: float
    annual: float
    deposit: float
    cam: float
    area_value: float
    area_unit: str
    street_address: str
    floor: int
    suite: str
    parking: int
    storage_sqft: int
    options: int
    option_months: int
    notice_months: int
    date_style: str
    alt_date_style: str
    locale: str
    extra: dict = field(default_factory=dict)

    def d(self, when: date, alt: bool = False) -> str:
        """A date in this document's main (or alternate) style."""
        return v.fmt_date(when, self.alt_date_style if alt else self.date_style)

    def amount(self, value: float, rng: random.Random) -> str:
        return v.money(value, rng, self.currency)


def make_deal(rng: random.Random, profile: str, split: str = "all") -> Deal:
    """Draw the facts of one lease of kind ``profile`` (a key of ``PROFILES``)."""
    p = PROFILES[profile]
    locale = p.get("locale", "us")
    months_lo, months_hi = p["months"]
    months = rng.randint(months_lo // 6, months_hi // 6) * 6 + rng.choice((0, 0, 0, 1, 2, 3))
    start = v.first_of_month(rng)
    signing = start - timedelta(days=rng.randint(3, 150))
    end = v.term_end(start, months)
    rent_start = start + timedelta(days=rng.choice((0, 30, 60, 90, 120, 45)))
    currency = {"us": "USD", "uk": "GBP", "cn": "CNY"}[locale]
    if profile == "ground":
        currency = rng.choice(("USD", "USD", "USD", "CAD", "EUR"))
    area_unit, area_value = "sqft", 0.0
    if "sqft" in p:
        area_value = float(rng.randint(*p["sqft"]))
        annual = area_value * rng.uniform(*p["psf"])
        monthly = annual / 12
    elif "sqm" in p:
        area_unit, area_value = "sqm", rng.uniform(*p["sqm"])
        monthly = area_value * rng.uniform(*p["psm_month"])
        annual = monthly * 12
    elif "acres" in p:
        area_unit, area_value = "acres", rng.uniform(*p["acres"])
        annual = rng.uniform(*p["annual"])
        monthly = annual / 12
    else:
        area_unit, area_value = "sqft", float(rng.randint(550, 3200))
        monthly_lo, monthly_hi = p["monthly"]
        monthly = v.round_amount(rng, monthly_lo, monthly_hi, step=25)
        annual = monthly * 12
    if rng.random() < 0.7:
        monthly = round(monthly / 50) * 50 or 50.0
        annual = monthly * 12
    else:
        monthly = round(monthly, 2)
        annual = round(monthly * 12, 2)
    lessor_kinds = {"company": 0.85, "person": 0.1, "government": 0.05}
    lessee_kinds = {"company": 0.95, "person": 0.05}
    if profile == "residential":
        lessor_kinds = {"company": 0.45, "person": 0.55}
        lessee_kinds = {"person": 1.0}
    if profile == "ground":
        lessor_kinds = {"company": 0.6, "government": 0.3, "person": 0.1}
    style = v.date_style(rng, locale)
    alt = v.date_style(rng, locale) if rng.random() < 0.35 else style
    return Deal(
        lessor=party(rng, "lessor", locale, lessor_kinds, split),
        lessee=party(rng, "lessee", locale, lessee_kinds, split),
        guarantor=party(rng, "guarantor", locale, {"company": 0.6, "person": 0.4}),
        broker=f"{rng.choice(('CBRE', 'Cushman', 'Colliers', 'Newmark', 'JLL', 'Savills'))}"
        f"{rng.choice((', Inc.', ' & Wakefield', ' Partners', ' Knight Frank', ' LLC'))}",
        lender=f"{rng.choice(('First', 'Pacific', 'National', 'Metropolitan', 'Citizens'))} "
        f"{rng.choice(('Bank', 'Savings Bank', 'Life Insurance Company', 'Trust Company'))}",
        prior_tenant=person_name(rng, locale)
        if rng.random() < 0.3
        else party(rng, "lessee", locale, {"company": 1.0}).name,
        signing=signing,
        start=start,
        months=months,
        end=end,
        rent_start=rent_start,
        currency=currency,
        monthly=monthly,
        annual=annual,
        deposit=round(monthly * rng.choice((1, 1, 2, 2, 3, 6)), 2),
        cam=round(area_value * rng.uniform(0.4, 1.4) / 12, 2) if area_unit == "sqft" else 0.0,
        area_value=area_value,
        area_unit=area_unit,
        street_address=address(rng, locale),
        floor=rng.randint(1, 42),
        suite=f"{rng.randint(1, 30)}{rng.randint(0, 9)}{rng.randint(0, 9)}",
        parking=rng.randint(2, 250),
        storage_sqft=rng.randint(60, 900),
        options=rng.choice((1, 1, 1, 2, 2, 3)),
        option_months=rng.choice((12, 24, 36, 36, 60, 60, 60, 120)),
        notice_months=rng.choice((3, 6, 6, 9, 12)),
        date_style=style,
        alt_date_style=alt,
        locale=locale,
    )


def party_words(rng: random.Random, locale: str) -> tuple[str, str]:
    """The defined terms for the two parties (``Landlord``/``Tenant``...)."""
    if locale == "cn":
        return rng.choice((("Party A", "Party B"), ("Lessor", "Lessee"), ("Party A", "Party B")))
    if locale == "uk":
        return ("Landlord", "Tenant")
    return rng.choice((("Landlord", "Tenant"), ("Landlord", "Tenant"), ("Lessor", "Lessee")))


__all__ = ["PROFILES", "Deal", "make_deal", "party_words"]
