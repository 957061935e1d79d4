"""Write the bad-input corpus under ``files/`` (deterministic; run after changing a case).

    python tests/data/bad_inputs/make_corpus.py

Each file is one way a data, gold or prediction file goes wrong; ``cases.yaml`` says how
each is used and which message fragment the error must contain.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
TINY = HERE.parents[2] / "fixtures" / "tiny"


def _records(name: str, n: int) -> list[dict]:
    lines = (TINY / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:n]]


def _jsonl(rows: list) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _parquet(path: Path, columns: dict[str, list]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path)


def main() -> None:
    FILES.mkdir(exist_ok=True)
    train = _records("train.jsonl", 3)
    good = _records("holdout.jsonl", 3)
    a, b = train[:2]
    texts: dict[str, str | bytes] = {
        "good-gold.jsonl": _jsonl(good),
        "good-pred.jsonl": _jsonl([{"id": r["id"], "fields": r["labels"]} for r in good]),
        # empty and header-only files
        "empty.jsonl": "",
        "blank-lines.jsonl": "\n   \n\t\n",
        "empty.csv": "",
        "header-only.csv": "id,text,labels\n",
        "empty-array.json": "[]",
        # encodings
        "latin1.jsonl": _jsonl([a]).encode() + '{"id": "x", "text": "Bail \xe0 loyer"}\n'.encode(
            "latin-1"),
        "latin1.csv": _csv(["id", "text", "labels"], [[a["id"], "ok", "{}"]]).encode()
        + 'x,"Bail \xe0 loyer",{}\n'.encode("latin-1"),
        "utf16.jsonl": _jsonl([a]).encode("utf-16"),
        "latin1-gold.jsonl": '{"id": "g", "labels": {"lessor": ["Soci\xe9t\xe9"]}}\n'.encode(
            "latin-1"),
        "latin1-pred.jsonl": '{"id": "tiny-holdout-12", "fields": {"lessor": "\xe9"}}\n'.encode(
            "cp1252"),
        # JSON
        "bad-json.jsonl": _jsonl([a, '{"id": "b", "text": "t",']),
        "array-line.jsonl": _jsonl([a, "[1, 2]"]),
        "big-int.jsonl": _jsonl([a, '{"id": "b", "text": "t", "labels": {"lessor": ['
                                 + "9" * 5000 + "]}}"]),
        "big-int-pred.jsonl": '{"id": "tiny-holdout-12", "fields": {"lessor": ' + "1" * 4400
        + "}}\n",
        "deep.jsonl": _jsonl([a, '{"id": "b", "text": "t", "labels": ' + "[" * 20_000
                              + "]" * 20_000 + "}"]),
        "strings.json": '["a lease", "another"]',
        "broken.json": '[{"id": "a", "text": "t"},',
        "many-bad-lines.jsonl": _jsonl([a] + [f'{{"id": "r{i}", "text": ' for i in range(50)]),
        # CSV
        "unterminated-quote.csv": 'id,text,labels\nL1,"A lease that never ends,{}\n',
        "ragged.csv": _csv(["id", "text", "labels"], [["L1", "a lease", "{}"]])
        + "L2,another lease\n",
        "semicolon.csv": "id;text;labels\nL1;a lease;{}\n",
        "duplicate-header.csv": "id,text,text,labels\nL1,a,b,{}\n",
        "reference-unmapped.csv": _csv(
            ["lease_id", "request", "labels"],
            [[r["id"], r["text"], json.dumps(r["labels"])] for r in train]),
        "labels-not-json.csv": _csv(["id", "text", "labels"],
                                    [["L1", "a lease", '{"lessor": ["Acme"'],
                                     ["L2", "a lease", "lessor=Acme"]]),
        "labels-python-dict.csv": _csv(["id", "text", "labels"],
                                       [["L1", "a lease", "{'lessor': ['Acme']}"]]),
        "empty-id.csv": _csv(["id", "text", "labels"], [["L1", "a", "{}"], ["", "b", "{}"]]),
        # wrong types and shapes
        "labels-array.jsonl": _jsonl([{"id": "a", "text": "t", "labels": [1, 2]}]),
        "nested-value.jsonl": _jsonl([{"id": "a", "text": "t",
                                       "labels": {"lessor": [{"name": "Acme"}]}}]),
        "value-object.jsonl": _jsonl([{"id": "a", "text": "t", "labels": {"lessor": {"x": 1}}}]),
        "text-number.jsonl": _jsonl([{"id": "a", "text": 42, "labels": {}}]),
        "text-missing.jsonl": _jsonl([a, {"id": "b", "labels": {}}]),
        "id-float.jsonl": _jsonl([{"id": 1.5, "text": "t", "labels": {}}]),
        "duplicate-ids.jsonl": _jsonl([a, {**b, "id": a["id"]}]),
        "unknown-field.jsonl": _jsonl([{**a, "labels": {**a["labels"], "landlord": ["X"]}}]),
        "id-mixed.jsonl": _jsonl([{k: v for k, v in a.items() if k != "id"}, b]),
        "bad-origin.jsonl": _jsonl([{**a, "origin": {"kind": "invented"}}]),
        "shares-holdout-id.jsonl": _jsonl([a, {**b, "id": good[0]["id"]}]),
        "one-record.jsonl": _jsonl([a]),
        "fields-number-pred.jsonl": '{"id": "tiny-holdout-12", "fields": 5}\n',
        "pred-missing-id.jsonl": '{"fields": {}}\n',
        "pred-duplicate-id.jsonl": _jsonl([{"id": good[0]["id"], "fields": {}}] * 2),
        "pred-no-labels.jsonl": _jsonl([{"id": good[0]["id"], "note": "x"}]),
        "pred-unknown-id.jsonl": _jsonl([{"id": "not-in-gold", "fields": {}}]),
        "pred-ragged.csv": "id,fields\ntiny-holdout-12,{},extra\n",
        "gold-bad-labels.csv": _csv(["id", "labels"], [["g1", "{not json}"]]),
        "report.xlsx": b"PK\x03\x04 not a spreadsheet reader",
        "not-parquet.parquet": "id,text\n1,this is CSV\n",
        # lone UTF-16 surrogates: valid JSON escapes that are no text
        "lone-surrogate.jsonl": _jsonl([a, '{"id": "b", "text": "Lease \\ud800 here", '
                                        '"labels": {}}']),
        "lone-surrogate-label.jsonl": _jsonl([{**a, "labels": {}},
                                              '{"id": "b", "text": "t", "labels": '
                                              '{"lessor": ["Acme \\udfff"]}}']),
        "lone-surrogate-pred.jsonl": '{"id": "tiny-holdout-12", "fields": '
                                     '{"lessor": ["\\udbff"]}}\n',
        "lone-surrogate-gold.jsonl": '{"id": "g", "labels": {"lessor": ["\\ud83d"]}}\n',
        # field names a spreadsheet would run as formulas, or that break the reports
        "schema-formula.json": '{"properties": {"lessor": {}, "=HYPERLINK(\\"x\\")": {}}}',
        "schema-reserved.json": '{"properties": {"micro": {}}}',
        "schema-latin1.json": '{"properties": {"soci\xe9t\xe9": {}}}'.encode("latin-1"),
    }
    for name, content in texts.items():
        path = FILES / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    _parquet(FILES / "int-text.parquet", {"id": ["a", "b"], "text": [1, 2],
                                          "labels": ["{}", "{}"]})
    _parquet(FILES / "reference-unmapped.parquet", {
        "lease_id": [r["id"] for r in train], "lease_doc": [r["text"] for r in train],
        "labels": [json.dumps(r["labels"]) for r in train]})
    whole = (FILES / "reference-unmapped.parquet").read_bytes()
    (FILES / "truncated.parquet").write_bytes(whole[: len(whole) // 2])


if __name__ == "__main__":
    main()
