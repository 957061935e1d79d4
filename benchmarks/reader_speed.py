"""Record reader and data card benchmark: records/s per format against a pandas baseline,
near-duplicate search with LSH against exact all-pairs, data card time.

Run with ``python benchmarks/reader_speed.py [--n 2000] [--pairs 400] [--seed 614]``.
Ratios are measured side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd

from leasebench.corpus import iter_leases
from leasebench.data.card import build_card
from leasebench.data.columns import ColumnMapping, ReadOptions
from leasebench.data.near_dup import near_duplicates
from leasebench.data.reader import read_records
from leasebench.records import Record
from leasebench.schema import builtin_schema


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _pandas_baseline(path: Path) -> list[Record]:
    """What a plain pandas reader does: load the table, json-decode labels, build records."""
    frame = pd.read_csv(path, dtype=str) if path.suffix == ".csv" else pd.read_parquet(path)
    return [Record(id=row["lease_id"], text=row["lease_doc"],
                   labels={k: v if isinstance(v, list) else [v]
                           for k, v in json.loads(row["labels"]).items()})
            for row in frame.to_dict("records")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000, help="records per file")
    parser.add_argument("--pairs", type=int, default=400, help="documents for exact all-pairs")
    parser.add_argument("--seed", type=int, default=614)
    args = parser.parse_args()
    records = list(iter_leases(args.n, args.seed))
    rows = [{"lease_id": r.id, "lease_doc": r.text, "labels": json.dumps(r.labels),
             "source": "bench"} for r in records]
    options = ReadOptions(columns=ColumnMapping(id="lease_id", text="lease_doc"))
    with tempfile.TemporaryDirectory() as tmp:
        frame = pd.DataFrame(rows)
        paths = {"jsonl": Path(tmp) / "r.jsonl", "csv": Path(tmp) / "r.csv",
                 "parquet": Path(tmp) / "r.parquet"}
        frame.to_json(paths["jsonl"], orient="records", lines=True)
        frame.to_csv(paths["csv"], index=False)
        frame.to_parquet(paths["parquet"], index=False)
        for fmt, path in paths.items():
            got, seconds = _timed(lambda p=path: read_records(p, options))
            assert len(got) == args.n
            mb = path.stat().st_size / 2**20
            line = (f"{fmt:8s} {args.n / seconds:9,.0f} records/s  {mb / seconds:6.1f} MB/s "
                    f"({mb:.1f} MB)")
            if fmt != "jsonl":
                _, base = _timed(lambda p=path: _pandas_baseline(p))
                line += f"  pandas baseline {args.n / base:9,.0f} records/s  ratio "
                line += f"{base / seconds:.2f}x"
            print(line)
    docs = {r.id: r.text for r in records[: args.pairs]}
    lsh, t_lsh = _timed(lambda: near_duplicates(docs, threshold=0.8))
    exact, t_exact = _timed(lambda: near_duplicates(docs, threshold=0.8, num_perm=0))
    assert lsh == exact
    print(f"near-duplicates over {len(docs)} documents: LSH {t_lsh:.2f} s, exact all-pairs "
          f"{t_exact:.2f} s, ratio {t_exact / t_lsh:.1f}x (same {len(lsh)} pairs)")
    half = len(records) // 2
    _, t_card = _timed(lambda: build_card([("train", records[:half]),
                                           ("holdout", records[half:])],
                                          builtin_schema("lease")))
    print(f"data card over {len(records)} documents: {t_card:.2f} s "
          f"({len(records) / t_card:,.0f} docs/s)")


if __name__ == "__main__":
    main()
