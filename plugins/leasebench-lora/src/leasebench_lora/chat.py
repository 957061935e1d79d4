"""Records as chat samples: user = instruction prompt + document, assistant = labels JSON.

The prompt is the core's ``extract`` template (or a file replacing it), so the fine-tuned
model sees exactly what a prompted model would. Prompt and answer are tokenized
separately from the rendered chat template, so the loss mask falls on the assistant's
tokens exactly and generation starts from the very ids the model was trained on.

Long documents: when prompt + answer exceed ``max_length`` tokens the *document text*
is cut (its head is kept), never the answer; a sample whose answer cannot fit even with
an empty document is dropped. Both are counted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from leasebench.llm.prompts import describe_fields, load_prompt, render
from leasebench.records import Record
from leasebench.schema import FieldSchema

IGNORE = -100
LongPolicy = Literal["truncate", "drop"]


@dataclass
class Example:
    """One tokenized training sample; ``labels`` is ``IGNORE`` on the prompt tokens."""

    id: str
    input_ids: list[int]
    labels: list[int]
    truncated: bool = False


@dataclass
class Encoded:
    """A record set as examples, with the long-document accounting."""

    examples: list[Example] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def answer_json(labels: dict[str, list[str]], schema: FieldSchema) -> str:
    """The assistant's answer: every schema field, in schema order, as one JSON object."""
    return json.dumps({f: list(labels.get(f, [])) for f in schema.fields}, ensure_ascii=False)


class ChatFormat:
    """Renders, tokenizes and fits records for one tokenizer, schema and prompt."""

    def __init__(
        self, tokenizer: Any, schema: FieldSchema, prompt: str | None = None,
        max_length: int = 4096,
    ):
        self.tok = tokenizer
        self.schema = schema
        self.template = load_prompt("extract", prompt)
        self.fields = describe_fields(schema)
        self.max_length = max_length
        if not getattr(tokenizer, "chat_template", None):
            raise ValueError("the tokenizer has no chat template; use an instruct/chat model")

    def user_text(self, document: str) -> str:
        return render(self.template, fields=self.fields, document=document)

    def _chat(self, messages: list[dict[str, str]], generation_prompt: bool) -> str:
        return self.tok.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=generation_prompt
        )

    def _ids(self, text: str) -> list[int]:
        return list(self.tok(text, add_special_tokens=False)["input_ids"])

    def prompt_string(self, document: str) -> str:
        return self._chat([{"role": "user", "content": self.user_text(document)}], True)

    def answer_string(self, document: str, answer: str) -> str:
        """What the template puts after the generation prompt for this answer (end token
        included), falling back to ``answer + eos`` for templates that rewrite the turn."""
        user = {"role": "user", "content": self.user_text(document)}
        prompt = self._chat([user], True)
        full = self._chat([user, {"role": "assistant", "content": answer}], False)
        if full.startswith(prompt) and answer in full[len(prompt):]:
            tail = full[len(prompt):]
            end = self.tok.eos_token or ""
            cut = tail.find(end, tail.index(answer) + len(answer)) if end else -1
            return tail[: cut + len(end)] if cut >= 0 else tail
        return answer + (self.tok.eos_token or "")

    def fit_prompt(self, document: str, budget: int) -> tuple[list[int], bool] | None:
        """Prompt ids of at most ``budget`` tokens, cutting the document's tail if needed;
        ``None`` when even an empty document does not fit."""
        ids = self._ids(self.prompt_string(document))
        if len(ids) <= budget:
            return ids, False
        doc_ids = self._ids(document)
        keep = len(doc_ids) - (len(ids) - budget)
        for _ in range(8):
            if keep <= 0:
                break
            cut = self.tok.decode(doc_ids[:keep], skip_special_tokens=True)
            ids = self._ids(self.prompt_string(cut))
            if len(ids) <= budget:
                return ids, True
            keep -= max(1, len(ids) - budget)
        ids = self._ids(self.prompt_string(""))
        return (ids, True) if len(ids) <= budget else None

    def encode(self, record: Record, policy: LongPolicy = "truncate") -> Example | None:
        """One training example, or ``None`` when it cannot fit under ``policy``."""
        answer = answer_json(record.labels, self.schema)
        answer_ids = self._ids(self.answer_string(record.text, answer))
        budget = self.max_length - len(answer_ids)
        if budget <= 0:
            return None
        fitted = self.fit_prompt(record.text, budget)
        if fitted is None or (fitted[1] and policy == "drop"):
            return None
        prompt_ids, truncated = fitted
        return Example(
            id=record.id,
            input_ids=prompt_ids + answer_ids,
            labels=[IGNORE] * len(prompt_ids) + answer_ids,
            truncated=truncated,
        )

    def encode_all(self, records: Sequence[Record], policy: LongPolicy = "truncate") -> Encoded:
        out = Encoded()
        for record in records:
            ex = self.encode(record, policy)
            if ex is None:
                out.dropped.append(record.id)
                continue
            if ex.truncated:
                out.truncated.append(record.id)
            out.examples.append(ex)
        return out


__all__ = ["IGNORE", "ChatFormat", "Encoded", "Example", "LongPolicy", "answer_json"]
