"""Records as chat-format training rows, with the same prompt the ``llm`` extractor sends."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from leasebench.llm.prompts import describe_fields, load_prompt, render
from leasebench.records import Record
from leasebench.schema import FieldSchema


def chat_row(record: Record, schema: FieldSchema, template: str) -> dict[str, Any]:
    """``{"messages": [user prompt + document, assistant labels JSON]}``."""
    prompt = render(template, fields=describe_fields(schema), document=record.text)
    answer = {f: list(record.labels.get(f, [])) for f in schema.fields}
    return {
        "messages": [
            {"role": "user", "content": prompt},
            {"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)},
        ]
    }


def chat_rows(
    records: Sequence[Record], schema: FieldSchema, prompt: str | None = None
) -> list[dict[str, Any]]:
    template = load_prompt("extract", prompt)
    return [chat_row(r, schema, template) for r in sorted(records, key=lambda r: r.id)]


def to_jsonl(rows: Sequence[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


__all__ = ["chat_row", "chat_rows", "to_jsonl"]
