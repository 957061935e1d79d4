"""The ``llm`` generator: two calls per synthetic sample.

1. Labels: the model sees a real record's labels and writes labels that are similar but
   with different details, every key kept, in a fenced JSON block.
2. Document: the model sees the real document and the new labels and writes a document
   that looks like the real one and carries exactly those labels.

Each call's ``max_tokens``, unless set, is derived from the schema and the source record
(``llm/context.py``): the labels' from the schema's answer bound, the document's from
the source document's length (the prompt asks for the same length), generously.
Both calls are sampled (``temperature``) with the task's seed, and cached under that
seed and the task's index, so a resumed or repeated generation makes the same samples.
The labels call asks for structured output with the field schema (as the endpoint's
``structured_output`` allows). A sample that cannot be made (a call failed, the labels
answer had no JSON object) comes back with empty text, empty labels and
``meta["error"]`` (and the answer in ``meta["raw"]``); judges reject it. ``meta`` also
keeps ``raw_labels`` (the labels as the model wrote them, for the labels judge),
``missing_keys`` and ``truncated``, and hands the runner ``usage`` and ``latency_s``
(both calls), which it stores beside the batch rather than in the records.

A model's context bounds the document call: the prompt holds the source document once
and the answer imitates it at up to ``DOCUMENT_FACTOR`` times its length. With a context
known (``context_tokens``, else what the server reports at ``/models``), a source
document too long for both is shown as its beginning, cut at a paragraph or sentence end
(``chunking.split_windows``), and the new document imitates that part; ``meta`` keeps
``source_chars`` (characters shown) and ``source_of`` (the document's), and the stage
says how many sources were cut. A context too small for any of the document is a failed
sample naming the numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from pydantic import Field

from ..chunking import MIN_WINDOW_TOKENS, context_tokens, split_windows
from ..components import Context, GenerateTask, Generator
from ..parsing import coerce_labels, find_json_object, strip_fence
from ..records import Origin, Record, Usage
from ..schema import FieldSchema
from .base import Estimator, LLMComponent, LLMParams, labels_json, run_items, user
from .client import CallResult, LLMClient, Messages
from .context import (
    DOCUMENT_FACTOR,
    answer_tokens,
    document_tokens,
    labels_tokens,
    prompt_tokens,
    served_context,
)
from .prompts import describe_fields, load_prompt, render
from .usage import CallEstimate


class LLMGeneratorParams(LLMParams):
    max_tokens: int | None = Field(  # type: ignore[assignment]
        None, ge=1, description="Most completion tokens of a document (default: 1.5 times "
        "the source document's length at three characters per token, plus the schema's "
        "answer bound).",
    )
    labels_max_tokens: int | None = Field(
        None, ge=1, description="Most completion tokens of labels (default: the schema's "
        "answer bound plus the source labels' length).",
    )
    temperature: float = Field(0.9, ge=0, le=2, description="Sampling temperature.")
    labels_prompt: str | None = Field(None, description="Path of a labels prompt file.")
    document_prompt: str | None = Field(None, description="Path of a document prompt file.")
    context_tokens: int | None = Field(
        None, ge=64, description="The model's context in tokens, prompt and answer together "
        "(default: what the server reports at `/models`; unknown: sources go whole). A "
        "source document too long to show and imitate within it is shown as its beginning.",
    )


class LLMGenerator(LLMComponent, Generator[LLMGeneratorParams]):
    """Synthetic records from an LLM: new labels, then a document carrying them."""

    name: ClassVar[str] = "llm"
    version: ClassVar[str] = "3"

    def _templates(self) -> tuple[str, str]:
        p = self.params
        return load_prompt("generate_labels", p.labels_prompt), load_prompt(
            "generate_document", p.document_prompt
        )

    def _call(
        self, task: GenerateTask, max_tokens: int, schema: FieldSchema | None = None
    ) -> dict[str, Any]:
        call: dict[str, Any] = {
            "temperature": self.params.temperature,
            "max_tokens": max_tokens,
            "seed": task.seed,
            "sample": task.index,
        }
        if schema is not None:
            call["schema"] = schema.output_json_schema()
        return call

    def _source_labels(self, task: GenerateTask, schema: FieldSchema) -> str:
        return labels_json({f: task.source.labels.get(f, []) for f in schema.fields})

    def labels_messages(self, task: GenerateTask, schema: FieldSchema, template: str) -> Messages:
        return user(render(template, fields=describe_fields(schema),
                           labels=self._source_labels(task, schema)))

    def bounds(self, task: GenerateTask, schema: FieldSchema, source: str | None = None
               ) -> tuple[int, int]:
        """The labels and document calls' ``max_tokens``: as set, else derived from the
        schema and the task's source document (or the part of it shown, ``source``)."""
        p = self.params
        shown = task.source.text if source is None else source
        return (p.labels_max_tokens or labels_tokens(schema, self._source_labels(task, schema)),
                p.max_tokens or document_tokens(schema, shown))

    def document_messages(self, task: GenerateTask, labels: Any, template: str,
                          source: str | None = None) -> Messages:
        shown = task.source.text if source is None else source
        return user(render(template, document=shown, labels=labels_json(labels)))

    def source_shown(self, task: GenerateTask, labels: Any, template: str,
                     schema: FieldSchema, context: int | None) -> str:
        """The source document as the document call shows it: whole, or where the prompt
        and an imitation of it would not fit ``context``, its beginning. ValueError when
        the context leaves no room for a document."""
        text = task.source.text
        if context is None:
            return text
        fixed = prompt_tokens(self.document_messages(task, labels, template, ""), None, False)
        answer = self.params.max_tokens
        if answer is None:  # the document once in the prompt, DOCUMENT_FACTOR times answered
            budget = int((context - fixed - answer_tokens(schema)) / (1 + DOCUMENT_FACTOR))
        else:
            budget = context - fixed - answer
        if context_tokens(text) <= budget:
            return text
        if budget < MIN_WINDOW_TOKENS:
            raise ValueError(f"a context of {context} tokens leaves {max(budget, 0)} for the "
                             f"source document after the prompt ({fixed}) and the answer; at "
                             f"least {MIN_WINDOW_TOKENS} are needed: set max_tokens lower or "
                             "use a model with a longer context")
        return split_windows(text, budget)[0].text

    def generate(self, tasks: Sequence[GenerateTask], ctx: Context) -> Iterator[Record]:
        labels_tpl, document_tpl = self._templates()
        p = self.params
        context = p.context_tokens or served_context(p.endpoint) if tasks else None
        cut: list[int] = []

        async def one(client: LLMClient, task: GenerateTask) -> Record:
            labels_bound, _ = self.bounds(task, ctx.schema)
            first = await client.complete(
                self.labels_messages(task, ctx.schema, labels_tpl),
                **self._call(task, labels_bound, ctx.schema),
            )
            if not first.ok:
                return self.failed(task, f"labels call failed: {first.error}", [first])
            obj, error = find_json_object(first.text or "")
            raw, error = coerce_labels(obj, None) if obj is not None else (None, error)
            if raw is None:
                return self.failed(task, f"labels answer unreadable: {error}", [first], first.text)
            labels, _ = coerce_labels(raw, ctx.schema)
            try:
                shown = self.source_shown(task, labels, document_tpl, ctx.schema, context)
            except ValueError as exc:
                return self.failed(task, f"document call not sent: {exc}", [first])
            _, document_bound = self.bounds(task, ctx.schema, shown)
            second = await client.complete(
                self.document_messages(task, labels, document_tpl, shown),
                **self._call(task, document_bound),
            )
            if not second.ok:
                return self.failed(task, f"document call failed: {second.error}", [first, second])
            meta = {
                **accounting([first, second]),
                "raw_labels": raw,
                "missing_keys": [f for f in ctx.schema.fields if f not in raw],
                "truncated": second.truncated,
            }
            if len(shown) < len(task.source.text):
                cut.append(len(shown))
                meta |= {"source_chars": len(shown), "source_of": len(task.source.text)}
            return Record(
                id=task.sample_id,
                text=strip_fence(second.text or ""),
                labels=labels or {},
                origin=self.origin(task),
                meta=meta,
            )

        yield from run_items(p.endpoint, ctx, one, tasks)
        if cut:
            ctx.say(f"{len(cut)} of {len(tasks)} source document(s) did not fit a context of "
                    f"{context:,} tokens with their imitation: the model saw their beginning "
                    f"(at most {max(cut):,} characters) and imitated that")

    def origin(self, task: GenerateTask) -> Origin:
        return Origin(
            kind="synthetic", generator=self.name, batch=task.batch, source_id=task.source.id
        )

    def failed(
        self, task: GenerateTask, error: str, calls: list[CallResult], raw: str | None = None
    ) -> Record:
        meta: dict[str, Any] = {"error": error, **accounting(calls)}
        raw = raw if raw is not None else next((c.raw for c in calls if c.raw), None)
        if raw is not None:
            meta["raw"] = raw
        return Record(id=task.sample_id, text="", origin=self.origin(task), meta=meta)

    def estimate(self, items: Sequence[GenerateTask], ctx: Context) -> CallEstimate:
        """Two calls per task; the document call is sized from the source record (the part
        of it shown, with a configured ``context_tokens``).

        Where a task's labels answer is cached, its document call is checked exactly.
        """
        labels_tpl, document_tpl = self._templates()
        est = Estimator(self.params.endpoint, ctx)
        for task in items:
            labels_bound, _ = self.bounds(task, ctx.schema)
            first = self.labels_messages(task, ctx.schema, labels_tpl)
            call = self._call(task, labels_bound, ctx.schema)
            est.add(first, **call)
            labels: Any = task.source.labels
            cached = est.cached_text(first, **call)
            if cached is not None:
                obj, _ = find_json_object(cached)
                if obj is not None:
                    labels = coerce_labels(obj, ctx.schema)[0] or labels
            try:
                shown = self.source_shown(task, labels, document_tpl, ctx.schema,
                                          self.params.context_tokens)
            except ValueError:
                continue
            est.add(self.document_messages(task, labels, document_tpl, shown),
                    **self._call(task, self.bounds(task, ctx.schema, shown)[1]))
        return replace(est.done(), context_unread=self.params.context_tokens is None)


def accounting(calls: list[CallResult]) -> dict[str, Any]:
    """``meta["usage"]`` and ``meta["latency_s"]`` of a sample: its calls summed."""
    usage = sum((c.usage for c in calls), Usage())
    return {"usage": usage.model_dump(), "latency_s": round(sum(c.latency_s for c in calls), 3)}


__all__ = ["LLMGenerator", "LLMGeneratorParams", "accounting", "strip_fence"]
