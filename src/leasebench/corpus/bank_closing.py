"""Closing material: a translated contract's general provisions, a summary's notes, a
letter's reference to the lease and enclosures, and an amendment's closing provisions.

Label-free like :mod:`leasebench.corpus.bank_addenda`, in the same slot format.
"""

from __future__ import annotations

from .bank_addenda import Addendum, Slots

CN_GENERAL: tuple[Addendum, ...] = (
    (
        ("Notices", "Notices and Service"),
        (
            (
                "All notices under this contract shall be made in writing and delivered to the "
                "addresses stated at the beginning of this contract.",
                "Notices shall be sent by registered mail, courier or personal delivery to the "
                "contact addresses of the parties set out above.",
            ),
            (
                "If either party changes its address or contact person, it shall notify the "
                "other party in writing within seven days; otherwise notices sent to the "
                "original address are deemed delivered.",
                "A notice sent by courier is deemed received on the third day after dispatch.",
            ),
        ),
    ),
    (
        ("Effectiveness", "Entry into Force", "Supplementary Provisions"),
        (
            (
                "This contract shall come into force upon signature and seal by both parties.",
                "This contract takes effect from the date on which it is signed and sealed by "
                "the legal representatives or authorised agents of both parties.",
            ),
            (
                "Matters not covered herein may be agreed by the parties in a supplementary "
                "agreement, which shall have the same legal effect as this contract.",
                "Any amendment to this contract shall be made in writing and signed by both "
                "parties.",
            ),
        ),
    ),
    (
        ("Language", "Governing Text", "Language of the Contract"),
        (
            (
                "This contract is written in Chinese. In case of any discrepancy between the "
                "Chinese text and any translation, the Chinese text shall prevail.",
                "The English version is for reference only; the Chinese version is the "
                "governing text.",
            ),
            (
                "Each original of this contract has equal legal effect.",
                "Copies of this contract bearing the seals of both parties have the same effect "
                "as the originals.",
            ),
        ),
    ),
    (
        ("Lease Registration", "Filing"),
        (
            (
                "{L} shall file this contract with the local housing administration authority "
                "within thirty days after signing, and {T} shall provide the documents required "
                "for the filing.",
                "The parties shall register this contract with the competent real estate "
                "administration department in accordance with local regulations.",
            ),
            (
                "Failure to register shall not affect the validity of this contract.",
                "Any registration fees shall be borne by the parties in accordance with the "
                "relevant regulations.",
            ),
        ),
    ),
    (
        ("Fire Safety and Security", "Safety"),
        (
            (
                "{T} shall comply with fire protection regulations and shall not store "
                "flammable, explosive or toxic materials in the {P}.",
                "{T} is responsible for fire safety and public security within the {P} and "
                "shall appoint a person in charge of fire safety.",
            ),
            (
                "{T} shall not alter the fire protection facilities without the approval of "
                "{L} and the fire department.",
                "{L} shall maintain the fire-fighting equipment in the common areas in good "
                "working order.",
            ),
        ),
    ),
    (
        ("Confidentiality", "Confidentiality Obligations"),
        (
            (
                "Neither party shall disclose the contents of this contract to any third party "
                "without the consent of the other party, except as required by law.",
                "The parties shall keep confidential all commercial information obtained in the "
                "performance of this contract.",
            ),
            (
                "This obligation survives the termination of this contract.",
                "The confidentiality obligation shall remain in force for two years after this "
                "contract ends.",
            ),
        ),
    ),
    (
        ("Taxes and Fees", "Taxation"),
        (
            (
                "Each party shall bear the taxes and fees imposed on it by law in connection "
                "with this contract.",
                "Taxes arising from the rental income shall be paid by {L}; taxes arising from "
                "{T}'s business operations shall be paid by {T}.",
            ),
        ),
    ),
    (
        ("Annexes", "Attachments"),
        (
            (
                "The following annexes form an integral part of this contract: Annex 1, copy of "
                "the real estate ownership certificate; Annex 2, floor plan; Annex 3, list of "
                "furniture and equipment; Annex 4, copies of the business licences of both "
                "parties.",
                "Attached to this contract are the inventory of facilities handed over, the "
                "handover confirmation and copies of the parties' identity documents, which "
                "have the same effect as this contract.",
            ),
        ),
    ),
)

CN_NOTES: Slots = (
    (
        "Translator's note: This translation is provided for reference only. In case of any "
        "discrepancy, the Chinese original shall prevail.",
        "Note: This summary is not a complete translation and omits provisions that are not "
        "considered material.",
    ),
    (
        "Governing law: the laws of the People's Republic of China.",
        "Disputes: to be resolved by negotiation, failing which by the people's court where "
        "the premises are located.",
    ),
    (
        "Other terms: the lessee may not sublet without the lessor's written consent; the "
        "lessor is responsible for structural repairs; the lessee bears utilities and "
        "property management fees.",
        "Other terms: the lessee shall return the premises in their original condition, "
        "normal wear and tear excepted, and may not alter the main structure.",
    ),
    (
        "Early termination: either party may terminate for material breach not remedied within "
        "fifteen days after written notice.",
        "Liability: a party in breach shall compensate the other party for its actual losses.",
    ),
    (
        "Execution: the contract was signed and sealed by both parties.",
        "Copies: each party holds an original of equal legal effect.",
    ),
    (
        "Handover: the premises are delivered in their current condition together with the "
        "facilities listed in the inventory annexed to the contract.",
        "Fees: water, electricity, gas, telephone and property management fees arising during "
        "the lease are borne by the lessee.",
    ),
    (
        "Registration: the lessor shall file the contract with the local housing "
        "administration authority.",
        "Annexes (not translated): copy of the ownership certificate, floor plan and "
        "inventory of facilities.",
    ),
    (
        "Translated by: ______________ (certified translator). The translator certifies that "
        "this summary fairly reflects the material terms of the Chinese original.",
        "This summary was prepared for the information of the parties' advisers and is not "
        "intended to be relied upon as a legal interpretation of the contract.",
    ),
)

LETTER_REFERENCE: Slots = (
    (
        "Capitalized terms used but not defined in this letter have the meanings given to "
        "them in the Lease.",
        "All terms defined in the Lease have the same meanings when used in this letter "
        '(this "Letter").',
    ),
    (
        "All provisions of the Lease concerning insurance, indemnity, maintenance and repair, "
        "assignment and subletting, and default continue to apply without change.",
        "The provisions of the Lease governing operating expenses, taxes, services and the "
        "rules and regulations of the {B} remain applicable.",
    ),
    (
        "This letter shall be attached to and form a part of the Lease.",
        "In the event of a conflict between this letter and the Lease, this letter shall control.",
    ),
    (
        "{T} confirms that, to its knowledge, {L} is not in default under the Lease.",
        "Each party represents that it has full authority to enter into this letter.",
    ),
    (
        "{T} accepts the {P} in its present, as-is condition, and {L} has no obligation to "
        "perform any improvements in connection with this letter.",
        "{L} shall have no obligation to make alterations or improvements to the {P} in "
        "connection with this letter.",
    ),
    (
        "{T} shall deliver to {L} an updated certificate of insurance evidencing the coverage "
        "required by the Lease.",
        "Please provide an updated certificate of insurance naming {L} and its managing agent "
        "as additional insureds.",
    ),
    (
        "This letter may be executed in counterparts and delivered by electronic transmission.",
        "Signatures delivered by email in portable document format shall be deemed originals.",
    ),
)

LETTER_CLOSING = (
    "If you have any questions regarding this letter, please contact the property management "
    "office.",
    "We appreciate your continued tenancy and look forward to working with you.",
    "Please return one fully signed copy to our office and retain the other for your records.",
    "Thank you for your prompt attention to this matter.",
    "Should you wish to discuss the terms of this letter, please do not hesitate to contact us.",
)

ENCLOSURES = (
    "Two (2) duplicate originals of this letter",
    "Certificate of insurance requirements",
    "Current rules and regulations of the {B}",
    "Tenant emergency contact form",
    "Form of estoppel certificate",
    "Building access card request form",
    "Updated operating expense reconciliation",
    "Return envelope",
)

CC_LINES = ("Property Manager", "Accounting Department", "Legal Department", "Building Engineer")

AMENDMENT_CLOSING: tuple[tuple[str, ...], ...] = (
    (
        "Defined Terms. Capitalized terms used but not defined in this Amendment have the "
        "meanings given in the Lease.",
        "Definitions. Unless otherwise defined herein, capitalized terms have the meanings "
        "ascribed to them in the Lease.",
    ),
    (
        "Conflict. In the event of any conflict between the Lease and this Amendment, this "
        "Amendment shall control.",
        "Inconsistency. If the provisions of this Amendment are inconsistent with the Lease, "
        "the provisions of this Amendment shall prevail.",
    ),
    (
        "Authority. Each party represents that the individual executing this Amendment on its "
        "behalf is duly authorized to do so.",
        "Authority. {T} represents that it has full power and authority to enter into this "
        "Amendment without the consent of any other person.",
    ),
    (
        "Entire Agreement. The Lease, as amended by this Amendment, constitutes the entire "
        "agreement of the parties with respect to its subject matter.",
        "Integration. This Amendment and the Lease contain all agreements of the parties and "
        "supersede all prior negotiations.",
    ),
    (
        "Governing Law. This Amendment shall be governed by the laws of the state in which the "
        "{B} is located.",
        "Applicable Law. This Amendment is governed by the law that governs the Lease.",
    ),
    (
        "Submission. Submission of this Amendment for examination does not constitute an offer; "
        "it becomes effective only upon execution and delivery by both parties.",
        "No Offer. This Amendment shall not be binding until executed and delivered by {L} "
        "and {T}.",
    ),
    (
        "Successors. This Amendment binds and benefits the parties and their respective "
        "successors and permitted assigns.",
        "Binding Effect. This Amendment is binding upon the parties and their successors and "
        "assigns.",
    ),
    (
        "No Default. {T} certifies that, to its knowledge, neither party is in default under "
        "the Lease and {T} has no offsets or defenses against {L}.",
        "Estoppel. {T} acknowledges that {L} has performed all of its obligations under the "
        "Lease to date.",
    ),
    (
        "Severability. If any provision of this Amendment is held invalid, the remaining "
        "provisions shall remain in effect.",
        "Headings. The headings in this Amendment are for convenience only.",
    ),
)

__all__ = [
    "AMENDMENT_CLOSING",
    "CC_LINES",
    "CN_GENERAL",
    "CN_NOTES",
    "ENCLOSURES",
    "LETTER_CLOSING",
    "LETTER_REFERENCE",
]
