"""More commercial provisions and long itemised lists (operating expenses, work letter)."""

from __future__ import annotations

from .bank_other import Bank

MORE: Bank = {
    "taxes": (
        ("Taxes", "Real Estate Taxes", "Tax Expenses"),
        (
            "{T} shall pay {T}'s Share of all real estate taxes and assessments levied against "
            "the {B} for each calendar year during the Term.",
            "{T} shall pay before delinquency all taxes levied on its trade fixtures, furniture "
            "and other personal property located in the {P}.",
            "If any tax is imposed on the rent received by {L}, other than income or franchise "
            "taxes, {T} shall reimburse {L} for such tax.",
            "{L} may contest the validity or amount of any tax and the reasonable costs of any "
            "such contest shall be included in Tax Expenses.",
        ),
    ),
    "signs": (
        ("Signs", "Signage"),
        (
            "{T} shall have the right to install building standard signage identifying {T} at "
            "the entrance to the {P}.",
            "No other signs shall be placed on the exterior of the {B} without {L}'s consent.",
            "{T} shall remove all of its signs at the end of the Term and repair any damage "
            "caused by their removal.",
            "{L} shall list {T}'s name in the directory of the {B} at {L}'s cost.",
        ),
    ),
    "notices": (
        ("Notices", "Notice"),
        (
            "All notices under this Lease shall be in writing and delivered by hand, by "
            "nationally recognized overnight courier or by certified mail, return receipt "
            "requested.",
            "Notices shall be deemed given upon receipt or refusal of delivery.",
            "Either party may change its address for notices by notice to the other party.",
            "A copy of any notice of default sent to {T} shall also be sent to its counsel.",
        ),
    ),
    "liability": (
        ("Limitation of Liability", "Landlord's Liability"),
        (
            "The liability of {L} under this Lease shall be limited to {L}'s interest in the "
            "{B} and the rents and proceeds thereof.",
            "No partner, member, officer or employee of {L} shall have any personal liability "
            "under this Lease.",
            "Upon a transfer of the {B}, the transferor shall be released from all obligations "
            "accruing thereafter.",
        ),
    ),
    "force_majeure": (
        ("Force Majeure", "Delays"),
        (
            "Neither party shall be in default for any delay in performance caused by strikes, "
            "acts of God, pandemics, governmental restrictions or other causes beyond its "
            "reasonable control.",
            "Force majeure shall not excuse the payment of rent or any other sum when due.",
        ),
    ),
    "improvements": (
        ("Tenant Improvements", "Landlord's Work", "Condition of Premises"),
        (
            "{L} shall deliver the {P} with the base building systems in good working order.",
            "{L} shall provide a tenant improvement allowance to be applied to the cost of the "
            "initial improvements, as provided in the Work Letter.",
            "Any portion of the allowance not used within twelve months after the Commencement "
            "Date shall be forfeited.",
            "Except as expressly provided, {T} accepts the {P} in their as-is condition.",
            "{T} may enter the {P} before the Commencement Date to install cabling and "
            "furniture, subject to all terms of this Lease other than the payment of rent.",
        ),
    ),
    "security": (
        ("Security", "Building Security", "Access Control"),
        (
            "{L} shall provide access control to the {B} after business hours by card key.",
            "{L} shall have no liability for any breach of security or any criminal act of "
            "third parties.",
            "{T} may install its own security system in the {P} provided {L} is given the "
            "access codes.",
        ),
    ),
    "waiver": (
        ("No Waiver", "Waiver", "Non-Waiver"),
        (
            "No waiver of any breach shall be deemed a waiver of any other or subsequent breach.",
            "The acceptance of rent with knowledge of a breach shall not be a waiver of that "
            "breach.",
            "No endorsement on any check shall be deemed an accord and satisfaction.",
        ),
    ),
    "ofac": (
        ("OFAC", "Anti-Terrorism Representation", "Prohibited Persons"),
        (
            "Each party represents that it is not listed on the Specially Designated Nationals "
            "and Blocked Persons List maintained by the Office of Foreign Assets Control.",
            "Each party shall notify the other promptly if this representation ceases to be true.",
        ),
    ),
    "confidentiality": (
        ("Confidentiality", "Confidential Terms"),
        (
            "{T} shall keep the terms of this Lease confidential and shall not disclose them "
            "except to its attorneys, accountants and lenders, or as required by law.",
            "Disclosure in filings required by securities laws shall not be a breach of this "
            "Section.",
        ),
    ),
    "roof": (
        ("Rooftop Equipment", "Telecommunications Equipment"),
        (
            "{T} may install a satellite dish or antenna on the roof of the {B} in a location "
            "designated by {L}.",
            "{T} shall be responsible for any damage to the roof caused by the installation, "
            "operation or removal of such equipment.",
            "{T}'s equipment shall not interfere with any equipment of {L} or other tenants.",
        ),
    ),
}

OPEX_IN: tuple[str, ...] = (
    "the cost of supplying all utilities to the common areas",
    "the cost of operating, maintaining and repairing the building systems",
    "premiums for the insurance carried by the landlord with respect to the project",
    "wages, salaries and benefits of personnel engaged in the operation of the project",
    "management fees not exceeding three percent of the gross revenues of the project",
    "the cost of landscaping, snow removal and parking lot maintenance",
    "the cost of licenses, permits and inspection fees",
    "the amortized cost of capital improvements that reduce operating expenses",
    "the cost of janitorial services and window washing",
    "fees for legal and accounting services relating to the operation of the project",
    "the cost of security services and life safety systems",
    "the cost of complying with laws enacted after the date of this lease",
)
OPEX_OUT: tuple[str, ...] = (
    "costs of leasing commissions, attorneys' fees and other costs of leasing space",
    "costs of improvements made for other tenants of the project",
    "depreciation and amortization, except as expressly permitted",
    "interest and principal payments on any mortgage",
    "costs reimbursed by insurance or by other tenants",
    "costs arising from the landlord's gross negligence or willful misconduct",
    "charitable and political contributions",
    "costs of acquiring or maintaining sculptures, paintings or other works of art",
    "ground rent paid under any ground lease",
    "costs of correcting defects in the original construction of the building",
    "salaries of executives above the level of building manager",
    "advertising and promotional expenditures",
    "costs of remediating hazardous materials not introduced by the tenant",
    "penalties and interest for late payment by the landlord",
    "costs of any services provided to other tenants but not to the tenant",
)
WORK_LETTER: tuple[str, ...] = (
    "Tenant shall retain an architect approved by Landlord to prepare the space plan and "
    "construction drawings for the improvements.",
    "Landlord shall approve or disapprove the construction drawings within ten business days "
    "after receipt.",
    "The improvements shall be constructed by a general contractor selected by competitive "
    "bidding from among at least three contractors approved by Landlord.",
    "The allowance may be used for the cost of design, permits, construction, cabling and "
    "signage, but not for furniture or moving expenses.",
    "Landlord shall disburse the allowance in monthly progress payments against invoices, "
    "less a retention of ten percent pending final completion.",
    "Tenant shall bear any costs of the improvements in excess of the allowance.",
    "Landlord's construction management fee shall equal two percent of the hard costs.",
    "Substantial completion shall occur when the improvements are complete except for punch "
    "list items that do not interfere with Tenant's use.",
    "Tenant delay means any delay caused by changes requested by Tenant or by Tenant's failure "
    "to approve drawings on time.",
    "All improvements shall comply with the building standards and with all applicable laws.",
)

RESIDENTIAL_MORE: Bank = {
    "smoking": (
        ("Smoking", "No Smoking"),
        (
            "Smoking of any substance is prohibited inside the {P} and on any balcony or patio.",
            "{T} shall be liable for the cost of removing smoke odor or damage.",
        ),
    ),
    "parking_res": (
        ("Parking", "Vehicles"),
        (
            "{T} may park one passenger vehicle in the space assigned by {L}.",
            "Inoperable or unregistered vehicles may be towed at the owner's expense.",
            "No boats, trailers or recreational vehicles may be parked on the property.",
        ),
    ),
    "renters_insurance": (
        ("Renter's Insurance", "Insurance"),
        (
            "{L}'s insurance does not cover {T}'s personal property.",
            "{T} is encouraged to obtain renter's insurance covering personal property and "
            "liability.",
        ),
    ),
    "disclosures": (
        ("Disclosures", "Lead-Based Paint Disclosure"),
        (
            "If the dwelling was built before 1978, {T} acknowledges receipt of the lead-based "
            "paint disclosure and the pamphlet Protect Your Family From Lead in Your Home.",
            "{L} has no knowledge of mold or water intrusion in the {P}.",
            "Information about registered sex offenders is made available to the public by law "
            "enforcement authorities.",
        ),
    ),
    "joint": (
        ("Joint and Several Liability", "Multiple Tenants"),
        (
            "Each person signing this Lease as {T} is jointly and severally liable for all "
            "obligations under it.",
            "Notice given to one {T} is notice to all.",
        ),
    ),
}

CN_MORE: Bank = {
    "delivery": (
        ("Delivery of the Premises", "Handover"),
        (
            "Party A shall deliver the premises and the attached facilities to Party B in their "
            "current condition, and both parties shall sign a handover confirmation.",
            "The keys, access cards and a list of fixtures shall be handed over on the delivery "
            "date.",
        ),
    ),
    "decoration": (
        ("Decoration and Alteration", "Renovation"),
        (
            "Party B may decorate the premises at its own cost after obtaining Party A's written "
            "consent to the decoration plan.",
            "Upon expiry, decorations that cannot be removed shall belong to Party A without "
            "compensation.",
            "Party B shall obtain any fire safety approvals required for the decoration.",
        ),
    ),
    "fees": (
        ("Other Fees", "Expenses"),
        (
            "Property management fees, heating fees and parking fees shall be borne by Party B.",
            "Taxes arising from the leasing of the premises shall be borne by Party A.",
        ),
    ),
    "termination": (
        ("Termination of the Contract", "Early Termination"),
        (
            "Party A may terminate this contract if Party B subleases the premises without "
            "consent or uses the premises for illegal activities.",
            "Party B may terminate this contract if the premises are unusable because of "
            "reasons attributable to Party A.",
            "If the premises are expropriated by the government, this contract shall terminate "
            "and neither party shall be liable to the other.",
        ),
    ),
    "force": (
        ("Force Majeure", "Exemption"),
        (
            "Neither party shall be liable for failure to perform caused by earthquake, fire, "
            "flood, epidemic or other force majeure events.",
            "The affected party shall notify the other party within fifteen days and provide "
            "supporting evidence.",
        ),
    ),
}

__all__ = ["CN_MORE", "MORE", "OPEX_IN", "OPEX_OUT", "RESIDENTIAL_MORE", "WORK_LETTER"]
