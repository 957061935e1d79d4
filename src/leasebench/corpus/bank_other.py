"""Sentence pools for residential, UK, translated (PRC) and ground leases, and building rules."""

from __future__ import annotations

Bank = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]

RESIDENTIAL: Bank = {
    "occupancy": (
        ("Occupants", "Occupancy", "Guests"),
        (
            "Only the persons listed in this agreement may occupy the {P}.",
            "Guests may not stay more than fourteen consecutive days without {L}'s written "
            "consent.",
            "{T} shall not permit the {P} to be used for any unlawful or hazardous purpose.",
        ),
    ),
    "pets": (
        ("Pets", "Animals"),
        (
            "No animals of any kind shall be kept on the {P} without {L}'s prior written consent.",
            "Assistance animals are permitted as required by applicable fair housing law.",
            "{T} shall be responsible for any damage caused by animals kept with consent.",
        ),
    ),
    "utilities": (
        ("Utilities", "Utilities and Services"),
        (
            "{T} shall pay for electricity, gas, internet and cable television.",
            "{L} shall pay for water, sewer and trash collection.",
            "{T} shall place utilities in {T}'s name as of the start of the tenancy.",
        ),
    ),
    "condition": (
        ("Condition of Premises", "Maintenance", "Care of Premises"),
        (
            "{T} has inspected the {P} and accepts them in their present condition.",
            "{T} shall keep the {P} clean and sanitary and shall promptly report any needed "
            "repairs to {L}.",
            "{T} shall not paint, alter or install fixtures without {L}'s written consent.",
            "{T} shall be responsible for replacing smoke detector batteries as needed.",
        ),
    ),
    "late": (
        ("Late Charges", "Late Payment", "Returned Checks"),
        (
            "If rent is not received within {N} after it is due, {T} shall pay a late charge.",
            "A fee shall be charged for any check returned unpaid by the bank.",
            "Acceptance of partial rent shall not waive {L}'s right to collect the balance.",
        ),
    ),
    "entry": (
        ("Entry", "Landlord's Access"),
        (
            "{L} may enter the {P} upon twenty-four hours' notice to make repairs or show the {P}.",
            "In an emergency {L} may enter without notice.",
        ),
    ),
    "end": (
        ("Move-Out", "Termination", "End of Tenancy"),
        (
            "{T} shall return all keys and leave the {P} clean upon vacating.",
            "Any personal property left after {T} vacates may be disposed of as permitted by law.",
            "If {T} remains after the end of the term without a new agreement, the tenancy "
            "shall continue month to month.",
        ),
    ),
}

UK: Bank = {
    "interpretation": (
        ("Definitions and Interpretation", "Interpretation"),
        (
            "References to the Landlord include its successors in title to the reversion "
            "immediately expectant on the Term.",
            "Obligations of more than one person are joint and several.",
            "A covenant not to do something includes an obligation not to permit or suffer it "
            "to be done.",
            "References to any statute include any modification or re-enactment of it.",
        ),
    ),
    "service_charge": (
        ("Service Charge", "Services"),
        (
            "The Tenant shall pay the Service Charge on account by equal quarterly "
            "instalments on the usual quarter days.",
            "The Landlord shall use reasonable endeavours to provide the Services in an "
            "efficient and economical manner.",
            "The Landlord shall deliver a certificate of the Service Costs as soon as "
            "practicable after the end of each Service Charge Year.",
        ),
    ),
    "repair_uk": (
        ("Repair", "Repair and Decoration"),
        (
            "The Tenant shall keep the {P} in good and substantial repair and condition.",
            "The Tenant shall decorate the interior of the {P} in the last year of the Term.",
            "The Tenant is not liable to repair damage caused by an Insured Risk unless the "
            "insurance is vitiated by the Tenant's act or default.",
        ),
    ),
    "alienation": (
        ("Alienation", "Dealings"),
        (
            "The Tenant shall not assign the whole of the {P} without the consent of the "
            "Landlord, such consent not to be unreasonably withheld.",
            "The Tenant shall not underlet part only of the {P}.",
            "On an assignment the Tenant shall enter into an authorised guarantee agreement "
            "if reasonably required.",
        ),
    ),
    "rent_review": (
        ("Rent Review", "Review of Rent"),
        (
            "The rent shall be reviewed on each Review Date to the open market rent.",
            "The revised rent shall not be less than the rent payable immediately before the "
            "Review Date.",
            "If the parties fail to agree, the revised rent shall be determined by an "
            "independent surveyor acting as an expert.",
        ),
    ),
    "forfeiture": (
        ("Re-entry and Forfeiture", "Forfeiture"),
        (
            "If any rent is unpaid twenty-one days after becoming payable, the Landlord may "
            "re-enter the {P} and the Term shall end.",
            "Re-entry is without prejudice to any right of action in respect of any prior breach.",
        ),
    ),
    "lta": (
        ("Exclusion of Security of Tenure", "Landlord and Tenant Act 1954"),
        (
            "The parties confirm that the Landlord served a notice on the Tenant in the form "
            "set out in Schedule 1 of the Regulatory Reform Order 2003.",
            "The provisions of sections 24 to 28 of the Landlord and Tenant Act 1954 are "
            "excluded in relation to the tenancy created by this Lease.",
        ),
    ),
}

CN: Bank = {
    "obligations_a": (
        ("Rights and Obligations of Party A", "Obligations of the Lessor"),
        (
            "Party A shall deliver the premises to Party B on schedule and ensure that Party "
            "B can use them normally.",
            "Party A shall be responsible for major repairs to the main structure of the premises.",
            "Party A warrants that it holds lawful title to the premises and that the premises "
            "are free of any mortgage that would affect Party B's use.",
        ),
    ),
    "obligations_b": (
        ("Rights and Obligations of Party B", "Obligations of the Lessee"),
        (
            "Party B shall pay rent on time and shall bear water, electricity, telephone and "
            "property management fees during the lease term.",
            "Party B shall not change the structure of the premises without Party A's written "
            "consent.",
            "Party B shall not sublease the premises to any third party without Party A's consent.",
            "Party B shall use the premises in accordance with the law and shall not engage "
            "in illegal activities.",
        ),
    ),
    "breach": (
        ("Liability for Breach", "Breach of Contract"),
        (
            "If Party B delays payment of rent for more than thirty days, Party A has the right "
            "to terminate this contract and retain the deposit.",
            "If either party terminates this contract early without cause, it shall pay the "
            "other party liquidated damages equal to two months' rent.",
        ),
    ),
    "disputes": (
        ("Dispute Resolution", "Miscellaneous"),
        (
            "Disputes arising from this contract shall be resolved through friendly "
            "negotiation; failing that, either party may file a lawsuit with the people's "
            "court where the premises are located.",
            "This contract is made in duplicate, each party holding one copy, with equal legal "
            "effect.",
            "Matters not covered herein may be supplemented by the parties in writing.",
        ),
    ),
}

GROUND: Bank = {
    "improvements": (
        ("Improvements", "Construction of Improvements"),
        (
            "{T} shall have the right to construct on the {P} such buildings and improvements "
            "as {T} may determine, subject to applicable law.",
            "All improvements shall remain the property of {T} during the Term and shall "
            "become the property of {L} upon its expiration.",
            "{T} shall commence construction within eighteen months after the commencement of "
            "the Term and diligently pursue it to completion.",
        ),
    ),
    "taxes": (
        ("Taxes and Assessments", "Impositions"),
        (
            "{T} shall pay all real property taxes and assessments levied against the {P} and "
            "the improvements during the Term.",
            "{T} may contest any tax in good faith by appropriate proceedings.",
        ),
    ),
    "leasehold_mortgage": (
        ("Leasehold Mortgages", "Leasehold Financing"),
        (
            "{T} may encumber its leasehold estate by one or more leasehold mortgages without "
            "the consent of {L}.",
            "{L} shall give any leasehold mortgagee notice of any default and an additional "
            "period to cure it.",
            "{L} shall, upon request, enter into a new lease with the leasehold mortgagee on "
            "the same terms if this Lease is terminated.",
        ),
    ),
}

RULES: tuple[str, ...] = (
    "Sidewalks, entrances and corridors shall not be obstructed or used for any purpose other "
    "than ingress and egress.",
    "No sign or lettering shall be displayed on any window or door without prior approval.",
    "No additional locks shall be placed on any door without the landlord's consent.",
    "Toilet rooms shall not be used for any purpose other than that for which they were "
    "constructed.",
    "No tenant shall install any window coverings other than those approved by the landlord.",
    "Deliveries of furniture and equipment shall be made only at hours approved in advance.",
    "Smoking is prohibited in all parts of the building, including stairwells and garages.",
    "Bicycles may not be brought into the building other than to designated storage areas.",
    "No cooking shall be done in the premises except in kitchenettes for employee use.",
    "Each tenant shall close and lock all doors and shut off all equipment at the end of "
    "each business day.",
    "Canvassing, soliciting and peddling in the building are prohibited.",
    "No tenant shall use any heating device or appliance not approved by the landlord.",
    "The landlord may exclude from the building after business hours any person without a "
    "valid access card.",
    "Tenants shall cooperate with the landlord's recycling and waste reduction programs.",
    "No animals, except assistance animals, shall be brought into the building.",
    "Tenants shall not overload any floor beyond its designed load capacity.",
)

__all__ = ["CN", "GROUND", "RESIDENTIAL", "RULES", "UK", "Bank"]
