"""Pieces shared by the families: exhibit lines, provisions, signature blocks."""

from __future__ import annotations

import random

from ..deal import Deal
from ..doc import Doc, Outline
from ..parties import person_name

_TITLES = (
    "President",
    "Vice President",
    "Chief Executive Officer",
    "Chief Financial Officer",
    "Managing Member",
    "Authorized Signatory",
    "General Counsel",
    "Director",
)


def exhibit_line(doc: Doc, rng: random.Random) -> None:
    """An exhibit number line, as filed with a periodic report (sometimes absent)."""
    r = rng.random()
    if r < 0.45:
        doc.add(f"Exhibit 10.{rng.randint(1, 60)}\n\n")
    elif r < 0.6:
        doc.add(f"EXHIBIT 10.{rng.randint(1, 40)}\n\n")
    elif r < 0.7:
        doc.add("Execution Version\n\n")


def party_ref(p_name: str, desc: str, rng: random.Random, with_desc: float = 0.8) -> str:
    """The plain text that follows a party's labelled name (``, a Delaware corporation``)."""
    if desc and rng.random() < with_desc:
        return f", {desc}" if not desc.startswith("(") else f" {desc}"
    return ""


def render_provisions(
    doc: Doc,
    outline: Outline,
    provs: list[tuple[str, list[str]]],
    rng: random.Random,
) -> None:
    """Each provision as a numbered heading, then subsections or one paragraph."""
    split = rng.random() < 0.6
    for title, sentences in provs:
        doc.add(outline.heading(title) + "\n\n")
        if split and len(sentences) > 1:
            for s in sentences:
                doc.add(outline.sub() + s + "\n\n")
        else:
            doc.add(" ".join(sentences) + "\n\n")


def signature_block(doc: Doc, rng: random.Random, deal: Deal, roles: dict[str, str]) -> None:
    """``IN WITNESS WHEREOF`` and a signature block (names unlabelled)."""
    doc.add(
        rng.choice(
            (
                "IN WITNESS WHEREOF, the parties have executed this Lease as of the date first "
                "written above.",
                "IN WITNESS WHEREOF, Landlord and Tenant have caused this instrument to be "
                "executed by their duly authorized representatives.",
                "Executed as of the date set forth above.",
                "The parties hereto have signed this agreement on the dates indicated below.",
            )
        ).replace("Landlord and Tenant", f"{roles['L']} and {roles['T']}")
        + "\n\n"
    )
    for word, p in ((roles["L"], deal.lessor), (roles["T"], deal.lessee)):
        doc.add(f"{word.upper()}:\n\n")
        if p.kind == "person":
            doc.add(f"______________________________\n{p.name}\n\n")
            continue
        doc.add(f"{p.name.upper() if rng.random() < 0.5 else p.name}\n\n")
        doc.add(f"By: /s/ {person_name(rng, deal.locale)}\n")
        doc.add(f"Name: {person_name(rng, deal.locale)}\nTitle: {rng.choice(_TITLES)}\n\n")


def exhibits(doc: Doc, rng: random.Random, outline_titles: list[tuple[str, list[str]]]) -> None:
    """Trailing exhibits as lettered sections."""
    for i, (title, lines) in enumerate(outline_titles):
        doc.add(f"EXHIBIT {chr(65 + i)}\n\n{title.upper()}\n\n")
        for j, line in enumerate(lines, 1):
            doc.add(f"{j}. {line}\n\n")


__all__ = ["exhibit_line", "exhibits", "party_ref", "render_provisions", "signature_block"]
