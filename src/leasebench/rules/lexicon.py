"""Cues per field: the words that introduce a value in labelled layouts ("Landlord:",
"12. Permitted Use.", "Premises<TAB>") and in prose ("shall be used for", "expiring on").

The lease schema's cues are written out; any other schema gets labelled cues made from
its field names ("term_of_payment" -> "term of payment") and no prose cues.
"""

from __future__ import annotations

from ..schema import FieldSchema

LABELLED: dict[str, list[str]] = {
    "lessor": ["ground lessor", "sublandlord", "landlord", "lessor", "owner"],
    "lessee": ["ground lessee", "subtenant", "tenant", "lessee", "resident"],
    "signing_date": ["signing date", "date of (?:this )?lease", "effective date", "dated", "date"],
    "start_date": ["(?:term |lease )?commencement date", "start date", "lease start"],
    "end_date": ["term end", "end date", "termination date", "lease end", "expiration date"],
    "leased_space": ["leased premises", "demised premises", "premises", "property", "land"],
    "designated_use": ["permitted use", "use of premises", "use", "purpose"],
    "term_of_payment": ["(?:monthly |annual )?base rent", "annual rent", "ground rent",
                        "rent and payment", "rent"],
    "extension_period": [r"renewal option(?:\(s\))?", "extension option", "option to extend",
                         "renewal"],
    "expiration_date_of_lease": ["expiration date", "expiry date"],
}

# prose: a regex whose match ends where the value starts
PROSE: dict[str, list[str]] = {
    "signing_date": [r"\b(?:is )?dated(?: as of)?(?: the)?\s+",
                     r"\b(?:made|entered into)(?: and entered into)? as of(?: the)?\s+"],
    "start_date": [r"\bcommencement date\"? means\s+", r"\b(?:commencing|beginning)(?: on)?\s+",
                   r"\bterm is from\s+", r"\bfrom and including\s+", r"\bfrom\s+(?=\S+ \d)"],
    "end_date": [r"\b(?:ending|terminating) on(?: and including)?\s+", r"\bto and including\s+",
                 r"\bterm is from [^\n]{6,40}? to\s+", r"\bexpiration date\"? means\s+"],
    "expiration_date_of_lease": [r"\b(?:expiring|shall expire|expires) on\s+",
                                 r"\bexpiration date\"? means\s+"],
    "leased_space": [r"\bpremises leased are\s+", r"\bhereby leases from (?:Lessor|Landlord),?\s+",
                     r"\bpursuant to which Tenant leases\s+", r"\brents to (?:Lessee|Resident)\s+",
                     r"\bThe (?:Property|Premises) is\s+", r"\"(?:Land|Property)\"(?::| means)\s+",
                     r"\(\"Tenant\"\) for\s+"],
    "designated_use": [r"\bshall (?:continue to )?be used (?:for|as)\s+",
                       r"\buse the (?:Leased )?(?:Premises|Residence) (?:solely |only )?for\s+",
                       r"\"Permitted Use\"(?::| means)\s+"],
    "term_of_payment": [r"\b(?:shall|agrees to) pay(?: to)?(?: (?:Lessor|Landlord|Owner))?\s+",
                        r"\bRent (?:is|shall be)\s+", r"\"(?:Annual|Ground) Rent\"(?::| means)\s+"],
    "extension_period": [r"\b(?:is hereby |is )?(?:extended|renewed) for\s+",
                         r"\brenew the Lease for\s+",
                         r"\bshall have\s+(?=(?:the right|priority|an option|the option))"],
}

PARTY_ROLES = {"lessor": "Landlord|Lessor|Ground Lessor|Owner|Sublandlord|Party A",
               "lessee": "Tenant|Lessee|Ground Lessee|Resident|Subtenant|Party B"}


def labelled_cues(schema: FieldSchema, field: str) -> list[str]:
    if schema.name == "lease" and field in LABELLED:
        return LABELLED[field]
    return [field.replace("_", " ")]


def prose_cues(schema: FieldSchema, field: str) -> list[str]:
    return PROSE.get(field, []) if schema.name == "lease" else []


__all__ = ["LABELLED", "PARTY_ROLES", "PROSE", "labelled_cues", "prose_cues"]
