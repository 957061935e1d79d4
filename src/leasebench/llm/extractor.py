"""The ``llm`` extractor: a prompted model, or a fine-tuned one behind an endpoint.

One call per document at temperature 0 with the field schema as structured output
(where the endpoint takes it; otherwise the JSON is parsed from the text), after
``few_shot.k`` labelled real train documents shown as earlier turns (``llm/few_shot.py``).
The answer goes through ``leasebench.parsing.parse_labels``; an answer that is not labels is kept
in ``raw`` with ``parse_error`` set, a call that finally failed sets ``error``.

The model to call: ``ModelRef.params`` (when given) are this extractor's params, so a
trainer that deploys a model hands back its endpoint there; an http(s) ``ModelRef.uri``
overrides ``endpoint.base_url`` and ``ModelRef.metadata["model"]`` overrides
``endpoint.model``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from pydantic import Field

from ..components import Context, Extractor
from ..parsing import parse_labels
from ..records import ModelRef, Prediction, Record
from ..schema import FieldSchema
from .base import Estimator, LLMComponent, LLMParams, run_items, user
from .client import CallResult, LLMClient, Messages
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
        self, record: Record, schema: FieldSchema, template: str,
        examples: Messages | None = None,
    ) -> Messages:
        """The conversation for one document: the few-shot turns, then its prompt."""
        return [*(examples or []), *user(render(template, fields=self._describe(schema),
                                        document=record.text))]

    def _describe(self, schema: FieldSchema) -> str:
        fields = self._fields.get(id(schema))
        if fields is None:
            fields = self._fields[id(schema)] = describe_fields(schema)
        return fields

    def uses_train(self) -> bool:
        return self.params.few_shot.k > 0

    def examples(self, params: LLMExtractorParams, ctx: Context, template: str) -> Messages:
        """The few-shot turns for this extraction (none when ``few_shot.k`` is 0)."""
        return example_messages(ctx.train, params.few_shot, ctx.seed, ctx.schema, template,
                                self._describe(ctx.schema))

    def _call(self, params: LLMExtractorParams, schema: FieldSchema, ctx: Context) -> dict:
        return {
            "temperature": 0.0,
            "max_tokens": params.max_tokens,
            "seed": ctx.seed,
            "schema": schema.output_json_schema(),
        }

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context
    ) -> Iterator[Prediction]:
        params = self.effective_params(model)
        template = load_prompt("extract", params.prompt)
        call = self._call(params, ctx.schema, ctx)
        examples = self.examples(params, ctx, template)

        async def one(client: LLMClient, record: Record) -> Prediction:
            messages = self.messages(record, ctx.schema, template, examples)
            result = await client.complete(messages, **call)
            return to_prediction(record.id, result, ctx.schema)

        yield from run_items(params.endpoint, ctx, one, records)

    def estimate(
        self, items: Sequence[Record], ctx: Context, model: ModelRef | None = None
    ) -> CallEstimate:
        """Calls, tokens and a cost bound for extracting ``items`` (nothing is called)."""
        params = self.effective_params(model)
        template = load_prompt("extract", params.prompt)
        est = Estimator(params.endpoint, ctx)
        call = self._call(params, ctx.schema, ctx)
        examples = self.examples(params, ctx, template)
        for record in items:
            est.add(self.messages(record, ctx.schema, template, examples), **call)
        return est.done()


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
    labels, error = parse_labels(result.text or "", schema)
    if error is not None and result.truncated:
        error = f"truncated (finish_reason=length): {error}"
    return Prediction(
        id=record_id,
        fields=labels or {},
        raw=result.text,
        parse_error=error,
        usage=result.usage,
        latency_s=result.latency_s,
    )


__all__ = ["LLMExtractor", "LLMExtractorParams", "to_prediction"]
