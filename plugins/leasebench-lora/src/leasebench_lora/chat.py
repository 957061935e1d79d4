"""Records as chat samples: user = instruction prompt + document, assistant = labels JSON.

The prompt is the core's ``extract`` template (or a file replacing it), so the fine-tuned
model sees exactly what a prompted model would. Prompt and answer are tokenized
separately from the rendered chat template, so the loss mask falls on the assistant's
tokens exactly and generation starts from the very ids the model was trained on.

Long documents: when prompt + answer exceed ``max_length`` tokens, with ``window`` (the
default policy) the document becomes overlapping windows (``leasebench.chunking``, cut
on paragraph and sentence boundaries, counted with the tokenizer), one sample each,
whose answer holds the record's values found in that window's text (the others are
``[]`` there); with ``truncate`` the *document text* is cut (its head is kept) and the
gold values only in the cut part are counted as lost; with ``drop`` such a record is
left out. The answer is never cut; a sample whose answer cannot fit even with an empty
document is dropped. All of it is counted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from leasebench.chunking import Window, split_windows
from leasebench.llm.prompts import describe_fields, load_prompt, render
from leasebench.records import Record
from leasebench.schema import FieldSchema
from leasebench.spans import Grounder

IGNORE = -100
LongPolicy = Literal["window", "truncate", "drop"]
WINDOW_MARGIN = 8  # tokens kept spare: a window's count is a sum over its sentences


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
    windowed: dict[str, int] = field(default_factory=dict)
    lost: dict[str, list[str]] = field(default_factory=dict)
    """Per truncated record, its gold values (``field: value``) only in the cut text."""


def answer_json(labels: dict[str, list[str]], schema: FieldSchema) -> str:
    """The assistant's answer: every schema field, in schema order, as one JSON object."""
    return json.dumps({f: list(labels.get(f, [])) for f in schema.fields}, ensure_ascii=False)


class ChatFormat:
    """Renders, tokenizes and fits records for one tokenizer, schema and prompt."""

    def __init__(
        self, tokenizer: Any, schema: FieldSchema, prompt: str | None = None,
        max_length: int = 4096, examples: Sequence[dict[str, str]] = (),
    ):
        self.tok = tokenizer
        self.examples = list(examples)  # few-shot turns shown before the document
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
        user = {"role": "user", "content": self.user_text(document)}
        return self._chat([*self.examples, user], True)

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
        fitted = self.fit(document, budget)
        return None if fitted is None else (fitted[0], fitted[1] is not None)

    def fit(self, document: str, budget: int) -> tuple[list[int], int | None] | None:
        """``fit_prompt``'s ids and, when the document was cut, the characters of its head
        that were kept (else None)."""
        ids = self._ids(self.prompt_string(document))
        if len(ids) <= budget:
            return ids, None
        doc_ids = self._ids(document)
        keep = len(doc_ids) - (len(ids) - budget)
        for _ in range(8):
            if keep <= 0:
                break
            cut = self.tok.decode(doc_ids[:keep], skip_special_tokens=True)
            ids = self._ids(self.prompt_string(cut))
            if len(ids) <= budget:
                return ids, min(len(cut), len(document))
            keep -= max(1, len(ids) - budget)
        ids = self._ids(self.prompt_string(""))
        return (ids, 0) if len(ids) <= budget else None

    def windows(self, document: str, budget: int, overlap: int = 64,
                chunk_tokens: int | None = None) -> list[Window]:
        """``document`` as windows whose prompts fit ``budget`` tokens (one when it fits;
        ``chunk_tokens`` caps a window's document tokens)."""
        room = budget - len(self._ids(self.prompt_string(""))) - WINDOW_MARGIN
        if chunk_tokens is not None:
            room = min(room, chunk_tokens)
        if room < 1:
            return [Window(0, 0, len(document), document)]
        return split_windows(document, room, lambda t: len(self._ids(t)), overlap)

    def encode(self, record: Record, policy: LongPolicy = "window") -> Example | None:
        """One training example, or ``None`` when it cannot fit under ``policy`` (a long
        record under ``window``: see ``encode_windows``)."""
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

    def encode_windows(self, record: Record) -> list[Example]:
        """A record too long for one sample as one sample per window, each labelled with
        the record's values found in its text; [] when even a window cannot fit."""
        full = answer_json(record.labels, self.schema)
        answer_room = len(self._ids(self.answer_string(record.text, full)))
        windows = self.windows(record.text, self.max_length - answer_room)
        grounder = Grounder(record.text)
        out = []
        for w in windows:
            labels = {f: [v for v in record.labels.get(f, [])
                          if grounder.find_in(v, w.start, w.end) is not None]
                      for f in self.schema.fields}
            ex = self.encode(record.model_copy(update={"text": w.text, "labels": labels}),
                             "truncate")
            if ex is None:
                return []
            ex.id = f"{record.id}#w{w.index + 1}"
            out.append(ex)
        return out

    def lost_values(self, record: Record, example: Example) -> list[str]:
        """The record's gold values that occur only in the text a truncated sample cut."""
        prompt = self.tok.decode([t for t, label in zip(example.input_ids, example.labels,
                                                         strict=True) if label == IGNORE])
        seen, whole = Grounder(prompt), Grounder(record.text)
        return [f"{f}: {v}" for f in self.schema.fields for v in record.labels.get(f, [])
                if seen.find(v) is None and whole.find(v) is not None]

    def encode_all(self, records: Sequence[Record], policy: LongPolicy = "window") -> Encoded:
        out = Encoded()
        for record in records:
            ex = self.encode(record, "truncate" if policy == "window" else policy)
            if ex is not None and ex.truncated and policy == "window":
                windows = self.encode_windows(record)
                if windows:
                    out.windowed[record.id] = len(windows)
                    out.examples.extend(windows)
                    continue
            if ex is None:
                out.dropped.append(record.id)
                continue
            if ex.truncated:
                out.truncated.append(record.id)
                lost = self.lost_values(record, ex)
                if lost:
                    out.lost[record.id] = lost
            out.examples.append(ex)
        return out


__all__ = ["IGNORE", "ChatFormat", "Encoded", "Example", "LongPolicy", "answer_json"]
