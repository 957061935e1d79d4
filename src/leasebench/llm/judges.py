"""The ``llm-labels`` and ``llm-grounding`` judges: an LLM answers "0" or "1".

``llm-labels`` asks whether every schema key is present in a record's labels (as the
generator's model wrote them, ``meta["raw_labels"]``, when it kept them);
``llm-grounding`` asks whether every label value appears in the document. "1" passes,
"0" fails; any other answer fails with the raw answer in ``reason``. A record the
generator could not make (``meta["error"]``) fails without a call; a call that finally
fails gives ``passed=False, reason="call failed: ...", error=...`` (retried on resume).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from pydantic import Field

from ..components import Context, Judge
from ..records import Record, Verdict
from ..schema import FieldSchema
from .base import Estimator, LLMComponent, LLMParams, labels_json, run_items, user
from .client import CallResult, LLMClient, Messages
from .prompts import load_prompt, render
from .usage import CallEstimate


class LLMJudgeParams(LLMParams):
    max_tokens: int = Field(4, ge=1, description="Most completion tokens (the answer is 0/1).")
    prompt: str | None = Field(None, description="Path of a prompt file replacing the built-in.")


def read_answer(text: str | None) -> bool | None:
    """True for "1", False for "0", None for anything else (quotes and spaces ignored)."""
    answer = (text or "").strip().strip("\"'`").strip()
    return {"1": True, "0": False}.get(answer)


class _LLMJudge(LLMComponent, Judge[LLMJudgeParams]):
    version: ClassVar[str] = "1"
    template: ClassVar[str] = ""

    def values(self, record: Record, schema: FieldSchema) -> dict[str, str]:
        raise NotImplementedError

    def messages(self, record: Record, schema: FieldSchema, template: str) -> Messages:
        return user(render(template, **self.values(record, schema)))

    def _call(self, ctx: Context) -> dict[str, Any]:
        return {"temperature": 0.0, "max_tokens": self.params.max_tokens, "seed": ctx.seed}

    def judge(self, records: Sequence[Record], ctx: Context) -> Iterator[Verdict]:
        template = load_prompt(self.template, self.params.prompt)
        call = self._call(ctx)
        todo = []
        for record in records:
            if "error" in record.meta:
                reason = f"generation failed: {record.meta['error']}"
                yield Verdict(record_id=record.id, judge=self.name, passed=False, reason=reason)
            else:
                todo.append(record)

        async def one(client: LLMClient, record: Record) -> Verdict:
            result = await client.complete(self.messages(record, ctx.schema, template), **call)
            return self.verdict(record.id, result)

        yield from run_items(self.params.endpoint, ctx, one, todo)

    def verdict(self, record_id: str, result: CallResult) -> Verdict:
        out = {"record_id": record_id, "judge": self.name, "usage": result.usage}
        if not result.ok:
            return Verdict(
                **out, passed=False, reason=f"call failed: {result.error}", error=result.error
            )
        answer = read_answer(result.text)
        if answer is None:
            return Verdict(**out, passed=False, reason=f"unreadable answer: {result.text!r}")
        return Verdict(
            **out,
            passed=answer,
            score=float(answer),
            reason="" if answer else f"answered {result.text.strip()!r}",  # type: ignore[union-attr]
        )

    def estimate(self, items: Sequence[Record], ctx: Context) -> CallEstimate:
        """Calls, tokens and a cost bound for judging ``items`` (nothing is called)."""
        template = load_prompt(self.template, self.params.prompt)
        est = Estimator(self.params.endpoint, ctx)
        call = self._call(ctx)
        for record in items:
            if "error" not in record.meta:
                est.add(self.messages(record, ctx.schema, template), **call)
        return est.done()


class LLMLabelsJudge(_LLMJudge):
    """Passes a record whose labels have every schema key."""

    name: ClassVar[str] = "llm-labels"
    template: ClassVar[str] = "judge_labels"

    def values(self, record: Record, schema: FieldSchema) -> dict[str, str]:
        labels = record.meta.get("raw_labels", record.labels)
        return {"keys": ", ".join(schema.fields), "labels": labels_json(labels)}


class LLMGroundingJudge(_LLMJudge):
    """Passes a record whose every label value appears in its text."""

    name: ClassVar[str] = "llm-grounding"
    template: ClassVar[str] = "judge_grounding"

    def values(self, record: Record, schema: FieldSchema) -> dict[str, str]:
        return {"document": record.text, "labels": labels_json(record.labels)}


__all__ = ["LLMGroundingJudge", "LLMJudgeParams", "LLMLabelsJudge", "read_answer"]
