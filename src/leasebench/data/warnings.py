"""The warnings a reviewer would raise about a data card.

They hold counts, shares, field names and document ids, never a gold value: a run prints
them to the terminal (the card's files list the values).
"""

from __future__ import annotations

from .card_model import DataCard, SplitCard

#: Fewer hold-out documents than this give wide intervals.
SMALL_HOLDOUT = 30
#: A field present in fewer evaluation documents than this has a meaningless F1 interval.
FEW_PRESENT = 5
#: Documents shorter than this many words are suspicious (an extraction failure?).
SHORT_WORDS = 20
#: Documents longer than this many characters may not fit a model's context.
LONG_CHARS = 100_000
#: Presence rates of a field differing more than this between splits.
PRESENCE_GAP = 0.3


def card_warnings(card: DataCard) -> list[str]:
    """Every warning, most serious first: leakage, unreachable gold, then coverage."""
    out: list[str] = []
    out += _duplicate_warnings(card)
    for split in card.splits:
        out += _gold_warnings(card, split)
    out += _coverage_warnings(card)
    for split in card.splits:
        out += _length_warnings(split)
    return out


def _duplicate_warnings(card: DataCard) -> list[str]:
    out = []
    threshold = card.duplicates.threshold
    for key, counts in card.duplicates.counts.items():
        across = "/" in key
        where = f"between {key.replace('/', ' and ')}" if across else f"within {key}"
        if counts.get("exact"):
            what = ("the same document is both trained and evaluated on (leakage)" if across
                    else "repeated documents weigh more and inflate scores")
            out.append(f"{counts['exact']} identical document pair(s) {where}: {what}")
        if counts.get("near"):
            what = ("the evaluation partly measures memorisation" if across
                    else "they add little information")
            out.append(f"{counts['near']} near-duplicate document pair(s) {where} "
                       f"(shingle Jaccard >= {threshold}): {what}")
    return out


def _gold_warnings(card: DataCard, split: SplitCard) -> list[str]:
    out = []
    gold = split.gold
    if gold.not_found:
        example = next((e for e in card.examples
                        if e.split == split.name and e.found == "not_found"), None)
        eg = (f" (e.g. document {example.id!r}, field {example.field}; the card lists "
              "the values)" if example else "")
        out.append(
            f"{split.name}: {gold.not_found} of {gold.values} gold value(s) "
            f"({gold.share('not_found'):.1%}) do not occur in their document, even after "
            f"normalisation: an extractive model cannot find them{eg}"
        )
    if gold.normalized:
        out.append(
            f"{split.name}: {gold.normalized} of {gold.values} gold value(s) "
            f"({gold.share('normalized'):.1%}) occur in their document only after "
            "normalisation (case, spacing, date or amount format): exact-match scoring "
            "counts a verbatim extraction of them as wrong"
        )
    return out


def _coverage_warnings(card: DataCard) -> list[str]:
    out = []
    splits = {s.name: s for s in card.splits}
    evaluated = splits.get("holdout") or splits.get("hold-out")
    if evaluated is not None and evaluated.documents < SMALL_HOLDOUT:
        out.append(f"{evaluated.name}: only {evaluated.documents} document(s): confidence "
                   f"intervals will be wide (aim for at least {SMALL_HOLDOUT})")
    for split in card.splits:
        never = [f for f, c in split.fields.items() if c.present == 0 and split.documents]
        if never:
            out.append(f"{split.name}: field(s) never present: {', '.join(never)}")
    if evaluated is not None:
        few = [f"{f} ({c.present})" for f, c in evaluated.fields.items()
               if 0 < c.present < FEW_PRESENT]
        if few:
            out.append(f"{evaluated.name}: field(s) present in fewer than {FEW_PRESENT} "
                       f"documents, their F1 is mostly noise: {', '.join(few)}")
    train = splits.get("train")
    if train is not None and evaluated is not None:
        for field, c in train.fields.items():
            other = evaluated.fields.get(field)
            if other is not None and abs(c.presence - other.presence) > PRESENCE_GAP:
                out.append(f"field {field} is present in {c.presence:.0%} of train but "
                           f"{other.presence:.0%} of {evaluated.name} documents: the splits "
                           "differ")
    return out


def _length_warnings(split: SplitCard) -> list[str]:
    out = []
    if split.empty_documents:
        out.append(f"{split.name}: {split.empty_documents} document(s) with empty text")
    if split.documents and split.words.min < SHORT_WORDS:
        out.append(f"{split.name}: the shortest document has {split.words.min} word(s): "
                   "check for failed text extraction")
    if split.chars.max > LONG_CHARS:
        out.append(f"{split.name}: the longest document has {split.chars.max:,} characters: "
                   "it may not fit a model's context")
    return out


__all__ = ["FEW_PRESENT", "LONG_CHARS", "SHORT_WORDS", "SMALL_HOLDOUT", "card_warnings"]
