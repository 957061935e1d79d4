"""Scoring speed: 100,000 documents x 10 fields, ``normalized`` matching, 1,000 bootstrap
iterations, on one core.

    python benchmarks/scoring_speed.py [--docs N] [--iterations B]

Gold and predicted values are synthetic and written in varied surface forms (dates in
several formats, party names with different legal suffixes, money, areas, durations,
free text), with about 20% of predictions wrong or missing and 10% of gold absent.
"""

from __future__ import annotations

import argparse
import os
import random
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from leasebench.records import Prediction, Record  # noqa: E402
from leasebench.schema import FieldSchema  # noqa: E402
from leasebench.scoring import summarize  # noqa: E402
from leasebench.scoring.scorer import FieldMatchScorer  # noqa: E402

KINDS = {"lessor": "party", "lessee": "party", "signing_date": "date", "start_date": "date",
         "end_date": "date", "rent": "money", "area": "area", "term": "duration",
         "designated_use": "text", "leased_space": "text"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SUFFIXES = [("Inc.", "Incorporated"), ("LLC", "L.L.C."), ("Ltd.", "Limited"),
            ("Corp.", "Corporation"), ("Co.", "Company")]
WORDS = ["acme", "north", "star", "river", "oak", "harbor", "summit", "delta", "pine",
         "granite", "bay", "coastal"]
USES = ["general office use", "retail sale of clothing", "warehouse and storage",
        "restaurant and bar", "medical practice", "light manufacturing"]


def _ordinal(d: int) -> str:
    suffix = "th" if 11 <= d % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suffix}"


def render(kind: str, canon: tuple, rng: random.Random) -> str:
    """One surface form of a canonical value."""
    if kind == "date":
        y, m, d = canon
        forms = [f"{y}-{m:02d}-{d:02d}", f"{MONTHS[m - 1]} {d}, {y}",
                 f"{_ordinal(d)} day of {MONTHS[m - 1]}, {y}", f"{m:02d}/{d:02d}/{y}",
                 f"{d} {MONTHS[m - 1][:3]}. {y}"]
        return rng.choice(forms)
    if kind == "party":
        a, b, s = canon
        name = f"{WORDS[a].title()} {WORDS[b].title()} {SUFFIXES[s][rng.randrange(2)]}"
        return name.upper() if rng.random() < 0.2 else name
    if kind == "money":
        amount = canon[0]
        return rng.choice([f"${amount:,}.00", f"USD {amount}", f"{amount:,} dollars"])
    if kind == "area":
        n = canon[0]
        return rng.choice([f"{n:,} sq ft", f"{n} square feet", f"{n:,} SF"])
    if kind == "duration":
        years = canon[0]
        return rng.choice([f"{years} years", f"{years * 12} months", f"{years} Years",
                           f"a period of {years} years"])
    i, n = canon
    text = f"{USES[i]} of unit {n}"
    return rng.choice([text, text.capitalize() + ".", "  " + text.upper()])


def canonical(kind: str, rng: random.Random) -> tuple:
    if kind == "date":
        return (rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28))
    if kind == "party":
        return (rng.randrange(len(WORDS)), rng.randrange(len(WORDS)), rng.randrange(5))
    if kind == "money":
        return (rng.randrange(500, 50_000, 50),)
    if kind == "area":
        return (rng.randrange(200, 20_000, 10),)
    if kind == "duration":
        return (rng.randint(1, 15),)
    return (rng.randrange(len(USES)), rng.randint(1, 500))


def make_data(n_docs: int, seed: int = 0) -> tuple[list[Record], list[Prediction]]:
    rng = random.Random(seed)
    gold, preds = [], []
    for d in range(n_docs):
        labels, fields = {}, {}
        for field, kind in KINDS.items():
            if rng.random() < 0.1:
                labels[field] = []
                fields[field] = [] if rng.random() < 0.9 else [render(kind, canonical(
                    kind, rng), rng)]
                continue
            canon = canonical(kind, rng)
            labels[field] = [render(kind, canon, rng)]
            u = rng.random()
            if u < 0.1:
                fields[field] = rng.choice([[], ["N/A"]])
            elif u < 0.2:
                fields[field] = [render(kind, canonical(kind, rng), rng)]
            else:
                fields[field] = [render(kind, canon, rng)]
        gold.append(Record(id=f"d{d}", text="", labels=labels))
        preds.append(Prediction(id=f"d{d}", fields=fields))
    return gold, preds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=1_000)
    args = parser.parse_args()
    schema = FieldSchema("bench", {"properties": {
        f: {"type": "array", "items": {"type": "string"}, "x-kind": k}
        for f, k in KINDS.items()}})
    gold, preds = make_data(args.docs)
    scorer = FieldMatchScorer.from_dict({"mode": "normalized"})
    t0 = time.perf_counter()
    outcomes = scorer.score(gold, preds, schema)
    t1 = time.perf_counter()
    summary = summarize(outcomes, iterations=args.iterations, seed=0)
    t2 = time.perf_counter()
    pairs = args.docs * len(KINDS)
    total = t2 - t0
    print(f"documents x fields: {args.docs:,} x {len(KINDS)} = {pairs:,} pairs")
    print(f"matching (normalized): {t1 - t0:.2f} s")
    print(f"bootstrap ({args.iterations:,} iterations): {t2 - t1:.2f} s")
    print(f"total: {total:.2f} s, {pairs / total:,.0f} pairs/s")
    print(f"micro F1 {summary.micro.f1:.4f} [{summary.micro.f1_low:.4f}, "
          f"{summary.micro.f1_high:.4f}], macro F1 {summary.macro_f1:.4f}")


if __name__ == "__main__":
    main()
