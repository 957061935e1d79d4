"""The ``llm`` extractor: a prompted model, or a fine-tuned one behind an endpoint.

One call per document at temperature 0 with the field schema as structured output
(where the endpoint takes it; otherwise the JSON is parsed from the text), after
``few_shot.k`` labelled real train documents shown as earlier turns (``llm/few_shot.py``).
The answer goes through ``leasebench.parsing.parse_answer``; an answer that is not labels is kept
in ``raw`` with ``parse_error`` set (one cut off or malformed keeps its sound pairs and is
marked ``partial``), a call that finally failed sets ``error``.

The model to call: ``ModelRef.params`` (when given) are this extractor's params, so a
trainer that deploys a model hands back its endpoint there; an http(s) ``ModelRef.uri``
overrides ``endpoint.base_url`` and ``ModelRef.metadata["model"]`` overrides
``endpoint.model``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from pydantic import Field

from ..chunking import ChunkSpec, MergeRule, Window, context_tokens
from ..components import Context, Extractor
from ..parsing import parse_answer
from ..records import ModelRef, Prediction, Record, Usage
from ..schema import FieldSchema
from ..window_answers import merge_window_answers, with_spans
from .base import Estimator, LLMComponent, LLMParams, gather_all, run_items, user
from .client import CallResult, LLMClient, Messages
from .context import RequestPlan, answer_tokens, plan_requests, prompt_tokens, served_context
from .few_shot import FewShotSpec, example_messages
from .prompts import describe_fields, load_prompt, render
from .usage import CallEstimate


class LLMExtractorParams(LLMParams):
    prompt: str | None = Field(
        None, description="Path of a prompt file replacing the built-in `extract` prompt."
    )
    few_shot: FewShotSpec = Field(
        default_factory=FewShotSpec, description="Labelled real train documents shown first "
        "(`k`, a token budget `max_tokens`, `seed`).",
    )
    max_tokens: int | None = Field(  # type: ignore[assignment]
        None, ge=1, description="Most completion tokens per call (default: a bound on the "
        "JSON answer's size from the schema's fields).",
    )
    context_tokens: int | None = Field(
        None, ge=64, description="The model's context in tokens, prompt and answer together "
        "(default: what the server reports at `/models`, e.g. vLLM's `max_model_len`; "
        "unknown: documents are sent whole).",
    )
    chunking: ChunkSpec = Field(
        default_factory=ChunkSpec, description="Documents longer than the context leaves "
        "room for: windows (`chunk_tokens` forces their size), overlap and merge rule.",
    )


class LLMExtractor(LLMComponent, Extractor[LLMExtractorParams]):
    """Extracts fields with one chat completion per document."""

    name: ClassVar[str] = "llm"
    version: ClassVar[str] = "1"

    def __init__(self, params: LLMExtractorParams | None = None):
        super().__init__(params)
        self._fields: dict[int, str] = {}

    def effective_params(self, model: ModelRef | None) -> LLMExtractorParams:
        """This extractor's params as overridden by what ``model`` carries."""
        params = self.params
        if model is None:
            return params
        if model.params:
            params = LLMExtractorParams.model_validate(model.params)
        endpoint = params.endpoint
        if model.uri and model.uri.startswith(("http://", "https://")):
            endpoint = endpoint.model_copy(update={"base_url": model.uri.rstrip("/")})
        if isinstance(model.metadata.get("model"), str):
            endpoint = endpoint.model_copy(update={"model": model.metadata["model"]})
        return params.model_copy(update={"endpoint": endpoint})

    def messages(
        self, record: Record | str, schema: FieldSchema, template: str,
        examples: Messages | None = None,
    ) -> Messages:
        """The conversation for one document (or window text): the few-shot turns, then
        its prompt."""
        text = record if isinstance(record, str) else record.text
        return [*(examples or []), *user(render(template, fields=self._describe(schema),
                                        document=text))]

    def _describe(self, schema: FieldSchema) -> str:
        fields = self._fields.get(id(schema))
        if fields is None:
            fields = self._fields[id(schema)] = describe_fields(schema)
        return fields

    def uses_train(self) -> bool:
        return self.params.few_shot.k > 0

    def examples(
        self, params: LLMExtractorParams, ctx: Context, template: str, room: int | None = None
    ) -> Messages:
        """The few-shot turns for this extraction (none when ``few_shot.k`` is 0); with a
        known context, within half of the ``room`` the prompt and answer leave."""
        if room is None:
            return example_messages(ctx.train, params.few_shot, ctx.seed, ctx.schema,
                                    template, self._describe(ctx.schema))
        return example_messages(ctx.train, params.few_shot, ctx.seed, ctx.schema, template,
                                self._describe(ctx.schema), min(params.few_shot.max_tokens,
                                                                max(0, room // 2)),
                                context_tokens)

    def _call(self, params: LLMExtractorParams, schema: FieldSchema, ctx: Context) -> dict:
        return {
            "temperature": 0.0,
            "max_tokens": params.max_tokens or answer_tokens(schema),
            "seed": ctx.seed,
            "schema": schema.output_json_schema(),
        }

    def prepare(
        self, params: LLMExtractorParams, ctx: Context, context: int | None
    ) -> tuple[str, dict[str, Any], Messages, RequestPlan]:
        """The template, call settings, few-shot turns and request plan for ``context``."""
        template = load_prompt("extract", params.prompt)
        call = self._call(params, ctx.schema, ctx)
        structured = params.endpoint.structured_output != "none"
        bare = prompt_tokens(self.messages("", ctx.schema, template), call["schema"], structured)
        room = None if context is None else context - bare - call["max_tokens"]
        examples = self.examples(params, ctx, template, room)
        fixed = prompt_tokens(self.messages("", ctx.schema, template, examples),
                              call["schema"], structured)
        plan = plan_requests(context, fixed, call["max_tokens"], params.chunking,
                             f"extractor {self.name!r} (model {params.endpoint.model})")
        return template, call, examples, plan

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context
    ) -> Iterator[Prediction]:
        params = self.effective_params(model)
        context = params.context_tokens or served_context(params.endpoint)
        template, call, examples, plan = self.prepare(params, ctx, context)
        if plan.window is not None:
            ctx.say(f"{params.endpoint.model}: {plan.describe()}")

        async def one(client: LLMClient, record: Record) -> Prediction:
            windows = plan.windows(record.text)
            if len(windows) == 1:
                result = await client.complete(
                    self.messages(record, ctx.schema, template, examples), **call)
                return with_spans(to_prediction(record.id, result, ctx.schema), record.text)
            results = await gather_all(client.complete(
                self.messages(w.text, ctx.schema, template, examples), **call) for w in windows)
            return merged_prediction(record, windows, results, ctx.schema, params.chunking.merge)

        yield from run_items(params.endpoint, ctx, one, records)

    def estimate(
        self, items: Sequence[Record], ctx: Context, model: ModelRef | None = None
    ) -> CallEstimate:
        """Calls, tokens and a cost bound for extracting ``items``, every window counted
        (nothing is called: the context is the configured one)."""
        params = self.effective_params(model)
        template, call, examples, plan = self.prepare(params, ctx, params.context_tokens)
        est = Estimator(params.endpoint, ctx)
        for record in items:
            for w in plan.windows(record.text):
                est.add(self.messages(w.text, ctx.schema, template, examples), **call)
        return replace(est.done(), context_unread=params.context_tokens is None)


def merged_prediction(
    record: Record, windows: Sequence[Window], results: Sequence[CallResult],
    schema: FieldSchema, rule: MergeRule,
) -> Prediction:
    """One prediction from each window's call: a failed call fails the document (its
    windows are retried on resume, answered ones from the cache); the answers are merged
    by ``leasebench.window_answers``."""
    usage = sum((r.usage for r in results), Usage())
    latency = sum(r.latency_s for r in results)
    raw = "\n".join(f"[window {w.index + 1}/{len(windows)}: characters {w.start}-{w.end}] "
                    f"{r.text if r.ok else r.error}" for w, r in zip(windows, results, strict=True))
    failed = next((r for r in results if not r.ok), None)
    if failed is not None:
        return Prediction(id=record.id, error=f"window {results.index(failed) + 1} of "
                          f"{len(windows)}: {failed.error}", raw=raw, usage=usage,
                          latency_s=latency, chunks=len(windows))
    fields = merge_window_answers(windows, [r.text or "" for r in results], schema,
                                  record.text, rule, [r.truncated for r in results])
    return with_spans(Prediction(id=record.id, raw=raw, usage=usage, latency_s=latency,
                                 **fields), record.text, chunks=len(windows))


def to_prediction(record_id: str, result: CallResult, schema: FieldSchema) -> Prediction:
    """A call's result as a prediction: fields, or the parse error, or the call error.

    Whatever the answer holds, this returns: an answer that is not labels is a parse
    failure with the answer kept in ``raw``; a body that was not a completion is a call
    failure, its text kept in ``raw`` too.
    """
    if not result.ok:
        return Prediction(
            id=record_id, error=result.error, raw=result.raw, usage=result.usage,
            latency_s=result.latency_s,
        )
    parsed = parse_answer(result.text or "", schema)
    error = parsed.error
    if error is not None and result.truncated:
        error = f"truncated (finish_reason=length): {error}"
    return Prediction(
        id=record_id,
        fields=parsed.labels or {},
        raw=result.text,
        parse_error=error,
        partial=parsed.partial,
        usage=result.usage,
        latency_s=result.latency_s,
    )


__all__ = ["LLMExtractor", "LLMExtractorParams", "merged_prediction", "to_prediction"]
