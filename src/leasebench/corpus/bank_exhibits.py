"""Long attachments of commercial leases: definitions, guaranty, estoppel and memo forms.

Sentences use ``{L}``, ``{T}``, ``{P}`` and ``{B}`` like the other banks.
"""

from __future__ import annotations

DEFINITIONS: tuple[str, ...] = (
    '"Affiliate" means any entity controlling, controlled by or under common control with a '
    "party, where control means ownership of more than fifty percent of the voting interests.",
    '"Applicable Laws" means all laws, statutes, codes, ordinances, orders, rules and '
    "regulations of any governmental authority having jurisdiction over the {B}.",
    '"Building Systems" means the mechanical, electrical, plumbing, life safety, elevator '
    "and heating, ventilation and air conditioning systems serving the {B}.",
    '"Business Day" means any day other than a Saturday, Sunday or a legal holiday on which '
    "national banks in the city where the {B} is located are closed.",
    '"Common Areas" means the lobbies, corridors, restrooms, parking areas, driveways and '
    "other areas of the {B} made available by {L} for the common use of tenants.",
    '"Default Rate" means the lesser of the prime rate plus five percent per annum and the '
    "highest rate permitted by law.",
    '"Expense Year" means each calendar year in which any portion of the Term falls.',
    '"Hazardous Materials" means any substance regulated under any environmental law, '
    "including petroleum products, asbestos and polychlorinated biphenyls.",
    '"Interest Rate" means the rate announced from time to time as the prime rate by a '
    "major national bank selected by {L}.",
    '"Lease Year" means each consecutive period of twelve months during the Term.',
    '"Mortgage" means any mortgage, deed of trust or other security instrument encumbering '
    "the {B} or {L}'s interest therein.",
    '"Normal Business Hours" means 8:00 a.m. to 6:00 p.m. on weekdays and 9:00 a.m. to 1:00 '
    "p.m. on Saturdays, excluding holidays.",
    '"Project" means the {B}, the land on which it is located, the parking facilities and all '
    "other improvements serving the {B}.",
    '"Rentable Area" means the area determined in accordance with the applicable standard '
    "method of measurement published by the Building Owners and Managers Association.",
    '"Rules and Regulations" means the rules attached to this Lease, as modified by {L} '
    "from time to time on reasonable notice.",
    '"Substantial Completion" means completion of the work except for minor punch list items '
    "that do not materially interfere with the use of the {P}.",
    '"Tenant Parties" means {T} and its employees, agents, contractors, licensees and invitees.',
    '"Transfer" means any assignment, sublease, mortgage or other transfer of this Lease or '
    "of any interest in the {P}.",
)

GUARANTY: tuple[str, ...] = (
    "For value received, and in consideration of the execution of the Lease by {L}, the "
    "undersigned unconditionally guarantees the full and prompt payment of all rent and the "
    "performance of all obligations of {T} under the Lease.",
    "This Guaranty is a guaranty of payment and not of collection, and {L} may proceed "
    "against the undersigned without first proceeding against {T}.",
    "The liability of the undersigned shall not be affected by any extension, renewal, "
    "modification or assignment of the Lease.",
    "The undersigned waives notice of acceptance, presentment, demand, protest and all "
    "suretyship defenses.",
    "This Guaranty shall continue in effect notwithstanding any bankruptcy or insolvency of {T}.",
    "The undersigned shall deliver annual financial statements to {L} within one hundred "
    "twenty days after the end of each fiscal year.",
    "This Guaranty shall bind the successors and assigns of the undersigned and inure to the "
    "benefit of {L}'s successors and assigns.",
)

ESTOPPEL: tuple[str, ...] = (
    "The Lease is in full force and effect and has not been modified except as stated herein.",
    "The Commencement Date of the Lease was ____________ and the Term expires on ____________.",
    "Monthly Base Rent is currently $____________ and has been paid through ____________.",
    "To the knowledge of the undersigned, {L} is not in default under the Lease.",
    "{T} has accepted the {P} and all improvements required to be made by {L} have been completed.",
    "{T} has not assigned the Lease or sublet any portion of the {P}.",
    "No rent has been paid more than one month in advance.",
    "The undersigned acknowledges that this certificate may be relied upon by any purchaser "
    "or lender.",
)

MEMO: tuple[str, ...] = (
    "This Memorandum confirms the following dates under the Lease referenced above.",
    "The Commencement Date is ____________, 20__.",
    "The Expiration Date is ____________, 20__, unless sooner terminated or extended.",
    "The Rentable Area of the {P} is ____________ square feet.",
    "{T} accepts the {P} as being in the condition required by the Lease.",
    "Please acknowledge your agreement by signing and returning one copy of this Memorandum.",
)

FORMS: dict[str, tuple[str, ...]] = {
    "Guaranty of Lease": GUARANTY,
    "Form of Tenant Estoppel Certificate": ESTOPPEL,
    "Form of Commencement Date Memorandum": MEMO,
}

__all__ = ["DEFINITIONS", "ESTOPPEL", "FORMS", "GUARANTY", "MEMO"]
