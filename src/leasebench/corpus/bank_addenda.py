"""Residential addenda, a rules schedule, a notices clause and signature-page wording.

Every entry is label-free: no party, date, premises, use, rent or renewal is stated. A
clause is a tuple of slots and a slot a tuple of alternative sentences (see
:func:`leasebench.corpus.families.extras.render_slots`). ``{L}``, ``{T}`` and ``{P}`` are
role words.
"""

from __future__ import annotations

Slots = tuple[tuple[str, ...], ...]
Addendum = tuple[tuple[str, ...], Slots]

LEAD_PAINT: Addendum = (
    (
        "Disclosure of Information on Lead-Based Paint and/or Lead-Based Paint Hazards",
        "Lead-Based Paint Disclosure",
        "Lead Paint Addendum",
    ),
    (
        (
            "Lead Warning Statement: Housing built before 1978 may contain lead-based paint. "
            "Lead from paint, paint chips, and dust can pose health hazards if not managed "
            "properly.",
            "Lead Warning Statement. Many dwellings built before 1978 contain lead-based paint; "
            "lead from paint, chips and dust can pose health hazards if not taken care of "
            "properly.",
        ),
        (
            "Lead exposure is especially harmful to young children and pregnant women.",
            "Young children and pregnant women are particularly at risk from lead exposure.",
        ),
        (
            "Before renting pre-1978 housing, lessors must disclose the presence of known "
            "lead-based paint and/or lead-based paint hazards in the dwelling.",
            "Federal law requires lessors of pre-1978 housing to disclose any known lead-based "
            "paint and lead-based paint hazards before a tenant becomes obligated under a lease.",
        ),
        (
            "Lessees must also receive a federally approved pamphlet on lead poisoning prevention.",
            "{T} acknowledges receipt of the pamphlet Protect Your Family From Lead in Your Home.",
        ),
        (
            "{L}'s Disclosure: [ ] Known lead-based paint and/or lead-based paint hazards are "
            "present in the housing. [X] {L} has no knowledge of lead-based paint and/or "
            "lead-based paint hazards in the housing.",
            "{L} has no knowledge of lead-based paint or lead-based paint hazards in the housing "
            "and has no reports or records pertaining to lead-based paint in the housing.",
        ),
        (
            "{T}'s Acknowledgment (initial) ______ {T} has received copies of all information "
            "listed above.",
            "{T} has read the Lead Warning Statement above and has received all available "
            "records and reports. Initials: ______",
        ),
        (
            "Certification of Accuracy: The parties have reviewed the information above and "
            "certify, to the best of their knowledge, that the information they have provided "
            "is true and accurate.",
            "The undersigned certify that, to the best of their knowledge, the statements in "
            "this disclosure are true and accurate.",
        ),
    ),
)

DETECTORS: Addendum = (
    (
        "Smoke Detector and Carbon Monoxide Alarm Addendum",
        "Smoke and Carbon Monoxide Detector Agreement",
        "Smoke Alarm Addendum",
    ),
    (
        (
            "{L} certifies that the {P} is equipped with working smoke detectors and, where "
            "required by law, carbon monoxide alarms, and that each was tested when {T} took "
            "possession.",
            "The {P} contains smoke detectors and carbon monoxide alarms that were inspected "
            "and found to be in working order at the beginning of the tenancy.",
        ),
        (
            "{T} shall test each detector at least once a month and report any malfunction to "
            "{L} in writing.",
            "It is {T}'s responsibility to test the detectors monthly and to notify {L} promptly "
            "of any detector that does not operate.",
        ),
        (
            "{T} shall replace batteries as needed unless the detectors are hard-wired.",
            "Battery-operated units shall be kept supplied with working batteries by {T}.",
        ),
        (
            "{T} shall not disconnect, remove, paint over or otherwise disable any detector or "
            "alarm.",
            "Disabling or removing a smoke detector or carbon monoxide alarm is a material "
            "breach of this agreement and may be a violation of law.",
        ),
        (
            "In the event of a fire or an alarm, {T} shall leave the {P} immediately and call "
            "emergency services.",
            "{T} acknowledges having been shown the location of each detector and the nearest "
            "exits.",
        ),
    ),
)

MOLD: Addendum = (
    ("Mold and Moisture Addendum", "Mold Disclosure and Prevention", "Moisture Control Addendum"),
    (
        (
            "{L} has inspected the {P} and is not aware of any visible mold or water intrusion.",
            "To the best of {L}'s knowledge there is no visible mold growth in the {P}.",
        ),
        (
            "{T} shall keep the {P} clean, dry and adequately ventilated, use exhaust fans when "
            "bathing and cooking, and promptly wipe up spills and condensation.",
            "{T} agrees to ventilate bathrooms and the kitchen, avoid drying laundry indoors "
            "without ventilation, and remove standing water promptly.",
        ),
        (
            "{T} shall report in writing any water leak, excessive moisture or mold growth that "
            "cannot be removed with an ordinary household cleaner.",
            "Leaks, moisture problems and any mold larger than a few square inches must be "
            "reported to {L} within forty-eight hours of discovery.",
        ),
        (
            "{L} shall not be liable for damage or injury caused by mold resulting from {T}'s "
            "failure to comply with this addendum.",
            "{T} shall be responsible for damage resulting from {T}'s failure to report or "
            "prevent moisture conditions.",
        ),
    ),
)

INSPECTION: Addendum = (
    ("Move-In / Move-Out Inspection Checklist", "Condition Report", "Inventory and Condition"),
    (
        (
            "{T} shall complete this checklist within three days after taking possession and "
            "return a signed copy to {L}.",
            "Within five days after moving in, {T} shall note on this form every existing "
            "defect or damage and deliver the form to {L}.",
        ),
        (
            "Items not noted on the checklist shall be deemed to be in good, clean condition.",
            "Any condition not recorded here will be presumed to have been caused during the "
            "tenancy.",
        ),
        (
            "Room / Condition on Arrival / Condition on Departure\nLiving room ______ ______\n"
            "Kitchen ______ ______\nBedroom(s) ______ ______\nBathroom(s) ______ ______\n"
            "Floors and carpets ______ ______\nWindows and screens ______ ______",
            "Area / Move-In Notes / Move-Out Notes\nEntry and hallway ______ ______\n"
            "Kitchen appliances ______ ______\nCabinets and counters ______ ______\n"
            "Walls and ceilings ______ ______\nPlumbing fixtures ______ ______\n"
            "Keys and remotes issued ______ ______",
        ),
        (
            "The completed checklist will be used at the end of the tenancy to determine any "
            "charges for damage beyond normal wear and tear.",
            "{L} and {T} shall walk through the {P} together before {T} surrenders the keys.",
        ),
    ),
)

ADDENDA: tuple[Addendum, ...] = (LEAD_PAINT, DETECTORS, MOLD, INSPECTION)

RULES: tuple[tuple[str, ...], ...] = (
    (
        "Quiet hours are from 10:00 p.m. to 8:00 a.m.; noise shall not disturb other "
        "residents at any time.",
        "Radios, televisions and musical instruments shall be kept at a volume that does not "
        "disturb neighbours.",
    ),
    (
        "Garbage shall be bagged and placed only in the designated containers.",
        "Trash and recycling must be taken to the bins provided and may not be left in hallways.",
    ),
    (
        "Charcoal grills and open flames are not permitted on balconies or patios.",
        "No barbecue grills may be used within ten feet of the building.",
    ),
    (
        "Balconies and patios shall be kept neat and shall not be used for storage.",
        "Nothing shall be hung from balconies, railings or windows.",
    ),
    (
        "Laundry facilities may be used only between 7:00 a.m. and 10:00 p.m.",
        "Clothes shall be removed from the shared washers and dryers promptly after each cycle.",
    ),
    (
        "Common areas shall not be obstructed or used for storage of personal property.",
        "Bicycles, strollers and other articles shall not be left in stairways or corridors.",
    ),
    (
        "A fee may be charged for lockouts outside normal business hours.",
        "Lost keys shall be reported at once; replacement keys are provided at {T}'s expense.",
    ),
    (
        "Window coverings visible from outside shall be white or off-white.",
        "Foil, sheets or signs may not be placed in any window.",
    ),
    (
        "No satellite dish or antenna may be installed without {L}'s written approval.",
        "Exterior installations of any kind require prior written consent.",
    ),
    (
        "Small nails may be used to hang pictures; adhesive hooks and large anchors are not "
        "permitted.",
        "{T} shall not paint, wallpaper or drill into walls without permission.",
    ),
    (
        "Grease, wipes and other objects shall not be flushed or poured into drains.",
        "{T} shall pay for clearing any stoppage caused by improper use of plumbing.",
    ),
    (
        "Inoperable or unregistered vehicles may be towed at the owner's expense.",
        "Vehicle repairs, other than emergency repairs, are not permitted on the property.",
    ),
    (
        "Smoking is prohibited in all indoor common areas.",
        "Smoking materials shall be fully extinguished and disposed of safely.",
    ),
    (
        "Pool and fitness areas may be used only during posted hours.",
        "Guests must be accompanied by a resident when using shared amenities.",
    ),
    (
        "Locks may not be changed or added without {L}'s consent.",
        "{T} shall keep entry doors locked and shall not prop open security doors.",
    ),
    (
        "Water beds and other liquid-filled furniture are not permitted.",
        "Space heaters must be of a type approved by the fire code.",
    ),
)

RULES_TITLES = ("Rules and Regulations", "Community Rules", "House Rules", "Resident Rules")
RULES_INTROS = (
    "{T} shall comply with the following rules, which {L} may amend on reasonable notice.",
    "The following rules apply to all residents and their guests.",
    "These rules are part of the Lease; a violation of any rule is a violation of the Lease.",
)

NOTICES: Slots = (
    (
        "All notices under this Lease shall be in writing and delivered by hand, by first-class "
        "mail, or by email to the address provided by the receiving party.",
        "Any notice required by this Lease must be written and may be delivered in person, by "
        "mail or by electronic mail.",
    ),
    (
        "Notices to {T} may be delivered to the {P}.",
        "Notice to {T} is sufficient if left at or mailed to the {P}.",
    ),
    (
        "A mailed notice is effective three days after mailing.",
        "Notice is effective on personal delivery or on the third day after it is mailed.",
    ),
    (
        "{T} shall notify {L} in writing of any change in {T}'s telephone number or email address.",
        "Each party shall keep the other informed of a current email address for notices.",
    ),
)

SIGN_ACKS = (
    "By signing below, {T} acknowledges having read this Lease and all addenda and having "
    "received a copy of them.",
    "The parties have read and understand this Lease and agree to be bound by it.",
    "{T} acknowledges that {T} has had the opportunity to review this Lease with counsel.",
)

__all__ = [
    "ADDENDA",
    "NOTICES",
    "RULES",
    "RULES_INTROS",
    "RULES_TITLES",
    "SIGN_ACKS",
    "Addendum",
    "Slots",
]
