"""Sentence pools for the standard provisions of a commercial lease.

Each topic maps to (title variants, sentences). Sentences use ``{L}``, ``{T}``, ``{P}``,
``{B}`` (the building or property) and ``{N}`` (a notice period in words).
"""

from __future__ import annotations

COMMERCIAL: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "repairs": (
        ("Repairs and Maintenance", "Maintenance", "Repairs"),
        (
            "{T} shall, at its sole cost, keep the {P} in good order, condition and repair, "
            "reasonable wear and tear excepted.",
            "{L} shall maintain the structural portions of the {B}, including the roof, "
            "foundation and exterior walls, and the base building systems.",
            "{T} shall promptly notify {L} in writing of any condition requiring repairs for "
            "which {L} is responsible.",
            "If {T} fails to perform any repair within {N} after notice, {L} may perform the "
            "same and {T} shall reimburse {L} for the cost thereof plus an administrative fee.",
            "All repairs shall be performed in a good and workmanlike manner using materials of "
            "a quality at least equal to the original work.",
            "{L} shall have no liability for any injury or interference with {T}'s business "
            "arising from the making of any repairs in or to the {B}.",
            "{T} waives the benefit of any statute now or hereafter in effect which would "
            "otherwise afford {T} the right to make repairs at {L}'s expense.",
        ),
    ),
    "alterations": (
        ("Alterations", "Alterations and Improvements", "Tenant Changes"),
        (
            "{T} shall not make any alterations, additions or improvements to the {P} without "
            "the prior written consent of {L}, which shall not be unreasonably withheld.",
            "Any alterations shall be performed by licensed contractors approved by {L} and in "
            "compliance with all applicable laws and building codes.",
            "{T} shall keep the {P} free from any liens arising out of work performed for or "
            "materials furnished to {T}.",
            "Upon the expiration of the Term, {L} may require {T} to remove any alterations "
            "and restore the {P} to their original condition.",
            "Cosmetic alterations costing less than a modest amount in the aggregate and not "
            "affecting the structure may be made upon prior notice to {L}.",
            "{T} shall deliver to {L} as-built drawings of any alterations within {N} after "
            "their completion.",
        ),
    ),
    "insurance": (
        ("Insurance", "Tenant's Insurance", "Insurance Requirements"),
        (
            "{T} shall maintain commercial general liability insurance with limits of not less "
            "than a combined single limit customary for similar premises.",
            "All policies shall name {L} and its property manager as additional insureds and "
            "shall be issued by insurers rated A- VIII or better by A.M. Best.",
            "{T} shall carry property insurance covering its furniture, fixtures, equipment and "
            "improvements for their full replacement cost.",
            "{L} shall maintain special form property insurance on the {B} in an amount equal "
            "to its full replacement cost.",
            "Each party waives all rights of recovery against the other for any loss covered by "
            "the property insurance it is required to carry.",
            "Certificates evidencing the required insurance shall be delivered to {L} before "
            "{T} enters the {P} and upon each renewal.",
            "{T} shall also carry workers' compensation insurance as required by law and "
            "business interruption insurance covering at least twelve months.",
        ),
    ),
    "indemnity": (
        ("Indemnification", "Indemnity", "Waiver and Indemnity"),
        (
            "{T} shall indemnify, defend and hold harmless {L} from all claims arising from "
            "the use of the {P} or any act or omission of {T} or its agents.",
            "{L} shall indemnify {T} against claims to the extent caused by the negligence or "
            "willful misconduct of {L} or its employees.",
            "The provisions of this Article shall survive the expiration or earlier termination "
            "of this Lease.",
            "{L} shall not be liable for any loss of business or consequential damages "
            "suffered by {T}, however caused.",
            "{T} assumes all risk of damage to property or injury to persons in the {P} from "
            "any cause other than {L}'s gross negligence.",
        ),
    ),
    "assignment": (
        ("Assignment and Subletting", "Transfers", "Assignment"),
        (
            "{T} shall not assign this Lease or sublet all or any part of the {P} without the "
            "prior written consent of {L}.",
            "Any transfer without such consent shall be void and shall, at {L}'s option, "
            "constitute a default under this Lease.",
            "{L} shall be entitled to fifty percent of any rent received by {T} from a "
            "subtenant in excess of the rent payable hereunder.",
            "A transfer to an affiliate of {T}, or to a successor by merger or sale of "
            "substantially all assets, shall not require consent provided notice is given.",
            "No consent to any transfer shall release {T} from its obligations under this Lease.",
            "{T} shall pay {L}'s reasonable attorneys' fees incurred in reviewing any request "
            "for consent.",
        ),
    ),
    "default": (
        ("Default", "Events of Default", "Defaults and Remedies"),
        (
            "The failure of {T} to pay any rent when due, if such failure continues for {N} "
            "after written notice, shall be an event of default.",
            "The failure of {T} to perform any other obligation within thirty days after notice "
            "specifying the failure shall be an event of default.",
            "The filing of a petition in bankruptcy by or against {T} shall constitute an "
            "event of default.",
            "Upon an event of default, {L} may terminate this Lease and recover possession of "
            "the {P} by any lawful means.",
            "{L} may recover from {T} the worth at the time of award of the unpaid rent which "
            "had been earned at the time of termination.",
            "The rights and remedies of {L} are cumulative and the exercise of one shall not "
            "preclude the exercise of any other.",
            "Any amount not paid when due shall bear interest at the lesser of ten percent per "
            "annum or the maximum rate permitted by law.",
            "A late charge equal to five percent of any overdue amount shall be payable by "
            "{T} to compensate {L} for its administrative costs.",
        ),
    ),
    "compliance": (
        ("Compliance with Laws", "Laws and Regulations", "Compliance"),
        (
            "{T} shall comply with all laws, ordinances and regulations applicable to its use "
            "and occupancy of the {P}.",
            "{L} shall cause the common areas of the {B} to comply with the Americans with "
            "Disabilities Act as of the date of delivery.",
            "{T} shall not do anything in the {P} which would increase the rate of insurance "
            "on the {B}.",
            "{T} shall comply with the rules and regulations adopted by {L} from time to time "
            "for the safety and care of the {B}.",
        ),
    ),
    "hazmat": (
        ("Hazardous Materials", "Environmental Matters"),
        (
            "{T} shall not cause any hazardous materials to be brought upon or released at the "
            "{P} except ordinary office and cleaning supplies in compliance with law.",
            "{T} shall indemnify {L} against any claims arising from hazardous materials "
            "introduced by {T} or its agents.",
            "{L} represents that, to its actual knowledge, no hazardous materials are present "
            "in the {P} in violation of applicable law.",
            "Upon the end of the Term {T} shall deliver the {P} free of any hazardous materials "
            "introduced during the Term.",
        ),
    ),
    "casualty": (
        ("Damage or Destruction", "Casualty", "Fire or Other Casualty"),
        (
            "If the {P} are damaged by fire or other casualty, {L} shall repair the damage "
            "with reasonable diligence, subject to the availability of insurance proceeds.",
            "Rent shall abate in proportion to the portion of the {P} rendered untenantable "
            "until the repairs are complete.",
            "If the repairs cannot reasonably be completed within two hundred seventy days, "
            "either party may terminate this Lease by notice to the other.",
            "{L} shall have no obligation to repair or replace {T}'s personal property or "
            "improvements made at {T}'s expense.",
        ),
    ),
    "condemnation": (
        ("Condemnation", "Eminent Domain"),
        (
            "If all of the {P} are taken by eminent domain, this Lease shall terminate as of "
            "the date of the taking.",
            "If a part of the {P} is taken and the remainder is unsuitable for {T}'s business, "
            "{T} may terminate this Lease by notice given within {N} after the taking.",
            "All compensation awarded for any taking shall belong to {L}, except any separate "
            "award for {T}'s moving expenses and trade fixtures.",
        ),
    ),
    "estoppel": (
        ("Estoppel Certificates", "Estoppel", "Subordination and Estoppel"),
        (
            "{T} shall, within {N} after request, deliver a certificate stating that this "
            "Lease is in full force and effect and the dates to which rent has been paid.",
            "Any such certificate may be relied upon by any prospective purchaser or "
            "mortgagee of the {B}.",
            "{T}'s failure to deliver the certificate within such time shall be conclusive "
            "that the statements proposed by {L} are true.",
        ),
    ),
    "surrender": (
        ("Surrender", "Surrender of Premises", "Holding Over"),
        (
            "At the end of the Term {T} shall surrender the {P} broom clean and in the same "
            "condition as received, ordinary wear and tear excepted.",
            "If {T} holds over after the Term, the tenancy shall be from month to month at a "
            "rent equal to one hundred fifty percent of the rent last payable.",
            "{T} shall indemnify {L} against all losses resulting from any holding over, "
            "including claims of any succeeding tenant.",
            "{T} shall deliver all keys and access cards to {L} on the date of surrender.",
        ),
    ),
    "access": (
        ("Entry by Landlord", "Access", "Right of Entry"),
        (
            "{L} may enter the {P} at reasonable times upon reasonable prior notice to inspect, "
            "to make repairs, or to show the {P} to prospective purchasers or lenders.",
            "In an emergency {L} may enter the {P} at any time without notice.",
            "During the last nine months of the Term {L} may show the {P} to prospective "
            "tenants and place customary signs thereon.",
        ),
    ),
    "services": (
        ("Services and Utilities", "Utilities", "Building Services"),
        (
            "{L} shall furnish heating, ventilation and air conditioning during normal business "
            "hours, excluding holidays.",
            "{T} shall pay directly for all utilities separately metered to the {P}.",
            "{L} shall not be liable for any interruption of utilities caused by events beyond "
            "its reasonable control.",
            "{L} shall provide janitorial service five days per week in accordance with the "
            "standards of comparable buildings.",
            "After-hours heating and cooling shall be furnished at {L}'s standard hourly rate "
            "then in effect.",
        ),
    ),
    "quiet": (
        ("Quiet Enjoyment", "Covenant of Quiet Enjoyment"),
        (
            "{L} covenants that {T}, upon paying the rent and performing its obligations, "
            "shall peaceably hold and enjoy the {P} during the Term.",
            "This covenant shall bind {L} only during its period of ownership of the {B}.",
        ),
    ),
    "misc": (
        ("Miscellaneous", "General Provisions", "Miscellaneous Provisions"),
        (
            "This Lease contains the entire agreement of the parties and supersedes all prior "
            "negotiations and agreements.",
            "This Lease may be amended only by a written instrument signed by both parties.",
            "If any provision of this Lease is held invalid, the remaining provisions shall "
            "remain in full force and effect.",
            "Time is of the essence of each provision of this Lease.",
            "This Lease shall be governed by the laws of the state in which the {B} is located.",
            "This Lease may be executed in counterparts, each of which shall be deemed an "
            "original, and electronic signatures shall be binding.",
            "The captions in this Lease are for convenience only and shall not affect its "
            "interpretation.",
            "Neither party shall record this Lease or any memorandum hereof without the "
            "consent of the other.",
            "Each party waives trial by jury in any action arising out of this Lease.",
            "The submission of this Lease for examination does not constitute an offer, and "
            "this Lease shall become effective only upon execution by both parties.",
        ),
    ),
}

__all__ = ["COMMERCIAL"]
