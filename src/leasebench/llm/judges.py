"""The ``llm-labels`` and ``llm-grounding`` judges: an LLM answers "0" or "1".

``llm-labels`` asks whether every schema key is present in a record's labels (as the
generator's model wrote them, ``meta["raw_labels"]``, when it kept them);
``llm-grounding`` asks whether every label value appears in the document. "1" passes,
"0" fails; any other answer fails with the raw answer in ``reason``. A record the
generator could not make (``meta["error"]``) fails without a call; a call that finally
fails gives ``passed=False, reason="call failed: ...", error=...`` (retried on resume).
A record whose prompt does not fit the model's context is judged in parts (document
windows, or groups of keys) and the answers combined: ``llm/judge_windows.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, ClassVar, TypeVar

from pydantic import Field

from ..chunking import WindowSpec, context_tokens
from ..components import Context, Judge
from ..records import Record, Usage, Verdict
from ..schema import FieldSchema
from .base import Estimator, LLMComponent, LLMParams, gather_all, labels_json, run_items, user
from .client import CallResult, LLMClient, Messages
from .context import plan_requests, prompt_tokens, served_context
from .judge_windows import (
    Ask,
    fits,
    key_groups,
    label_values,
    list_tokens,
    missing_text,
    numbered,
    read_numbers,
)
from .prompts import load_prompt, render
from .usage import CallEstimate


class LLMJudgeParams(LLMParams):
    max_tokens: int = Field(4, ge=1, description="Most completion tokens (the answer is 0/1).")
    prompt: str | None = Field(None, description="Path of a prompt file replacing the built-in.")
    context_tokens: int | None = Field(
        None, ge=64, description="The model's context in tokens, prompt and answer together "
        "(default: what the server reports at `/models`; unknown: one request per record). "
        "A record whose prompt does not fit is judged in parts.",
    )


class LLMGroundingParams(LLMJudgeParams):
    chunking: WindowSpec = Field(
        default_factory=WindowSpec, description="Documents whose prompt does not fit the "
        "context: overlapping windows (`chunk_tokens` forces their size), each asked which "
        "values it holds.",
    )
    window_prompt: str | None = Field(
        None, description="Path of a prompt file replacing the built-in "
        "`judge_grounding_window` (placeholders: document, values, part, parts).",
    )


JP = TypeVar("JP", bound=LLMJudgeParams)


def read_answer(text: str | None) -> bool | None:
    """True for "1", False for "0", None for anything else (quotes and spaces ignored)."""
    answer = (text or "").strip().strip("\"'`").strip()
    return {"1": True, "0": False}.get(answer)


class _LLMJudge(LLMComponent, Judge[JP]):
    version: ClassVar[str] = "1"
    template: ClassVar[str] = ""

    def values(self, record: Record, schema: FieldSchema) -> dict[str, str]:
        raise NotImplementedError

    def messages(self, record: Record, schema: FieldSchema, template: str) -> Messages:
        return user(render(template, **self.values(record, schema)))

    def _call(self, ctx: Context) -> dict[str, Any]:
        return {"temperature": 0.0, "max_tokens": self.params.max_tokens, "seed": ctx.seed}

    def asks(
        self, record: Record, schema: FieldSchema, template: str, call: dict[str, Any],
        context: int | None,
    ) -> list[Ask]:
        """The requests judging ``record`` within ``context``: one, unless it does not fit."""
        return [Ask(self.messages(record, schema, template), call)]

    def combine(self, record_id: str, asks: Sequence[Ask], results: Sequence[CallResult]
                ) -> Verdict:
        """The verdict from the answers to ``asks``."""
        return self.verdict(record_id, results[0])

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
        if not todo:
            return
        context = self.params.context_tokens or served_context(self.params.endpoint)
        asks = {r.id: self.asks(r, ctx.schema, template, call, context) for r in todo}

        async def one(client: LLMClient, record: Record) -> Verdict:
            mine = asks[record.id]
            results = await gather_all(client.complete(a.messages, **a.call) for a in mine)
            return self.combine(record.id, mine, results)

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

    def failed_part(self, record_id: str, asks: Sequence[Ask], results: Sequence[CallResult],
                    usage: Usage) -> Verdict | None:
        """The verdict of a record one of whose parts' calls failed, else None."""
        for n, r in enumerate(results):
            if not r.ok:
                error = f"part {n + 1} of {len(results)}: {r.error}"
                return Verdict(record_id=record_id, judge=self.name, usage=usage,
                               passed=False, reason=f"call failed: {error}", error=error)
        return None

    def estimate(self, items: Sequence[Record], ctx: Context) -> CallEstimate:
        """Calls, tokens and a cost bound for judging ``items``, every part counted
        (nothing is called: the context is the configured one)."""
        template = load_prompt(self.template, self.params.prompt)
        est = Estimator(self.params.endpoint, ctx)
        call = self._call(ctx)
        for record in items:
            if "error" not in record.meta:
                for ask in self.asks(record, ctx.schema, template, call,
                                     self.params.context_tokens):
                    est.add(ask.messages, **ask.call)
        return replace(est.done(), context_unread=self.params.context_tokens is None)


class LLMLabelsJudge(_LLMJudge[LLMJudgeParams]):
    """Passes a record whose labels have every schema key."""

    name: ClassVar[str] = "llm-labels"
    template: ClassVar[str] = "judge_labels"

    def values(self, record: Record, schema: FieldSchema) -> dict[str, str]:
        labels = record.meta.get("raw_labels", record.labels)
        return {"keys": ", ".join(schema.fields), "labels": labels_json(labels)}

    def asks(
        self, record: Record, schema: FieldSchema, template: str, call: dict[str, Any],
        context: int | None,
    ) -> list[Ask]:
        """One request, or one per group of keys (with those keys' labels) that fits."""
        whole = self.messages(record, schema, template)
        labels = record.meta.get("raw_labels", record.labels)
        if fits(whole, call, context) or not isinstance(labels, dict):
            return [Ask(whole, call)]

        def group(keys: list[str]) -> Messages:
            shown = {k: labels[k] for k in keys if k in labels}
            return user(render(template, keys=", ".join(keys), labels=labels_json(shown)))

        groups = key_groups(schema.fields, lambda keys: fits(group(keys), call, context))
        return [Ask(group(g), call, keys=tuple(g)) for g in groups]

    def combine(self, record_id: str, asks: Sequence[Ask], results: Sequence[CallResult]
                ) -> Verdict:
        """Every group of keys must pass."""
        if len(asks) == 1:
            return self.verdict(record_id, results[0])
        usage = sum((r.usage for r in results), Usage())
        failed = self.failed_part(record_id, asks, results, usage)
        if failed is not None:
            return failed
        out = {"record_id": record_id, "judge": self.name, "usage": usage}
        answers = [read_answer(r.text) for r in results]
        no = [a.keys for a, ok in zip(asks, answers, strict=True) if ok is False]
        if no:
            return Verdict(**out, passed=False, score=0.0, reason="answered '0' for keys "
                           + "; ".join(", ".join(keys) for keys in no))
        unread = next((n for n, ok in enumerate(answers) if ok is None), None)
        if unread is not None:
            return Verdict(**out, passed=False, reason=f"unreadable answer for keys "
                           f"{', '.join(asks[unread].keys)}: {results[unread].text!r}")
        return Verdict(**out, passed=True, score=1.0)


class LLMGroundingJudge(_LLMJudge[LLMGroundingParams]):
    """Passes a record whose every label value appears in its text."""

    name: ClassVar[str] = "llm-grounding"
    template: ClassVar[str] = "judge_grounding"

    def values(self, record: Record, schema: FieldSchema) -> dict[str, str]:
        return {"document": record.text, "labels": labels_json(record.labels)}

    def asks(
        self, record: Record, schema: FieldSchema, template: str, call: dict[str, Any],
        context: int | None,
    ) -> list[Ask]:
        """One request while the document fits; else one per window, each asking which
        of the numbered values it holds (none when there is no value to check)."""
        whole = [Ask(self.messages(record, schema, template), call)]
        spec = self.params.chunking
        forced = spec.chunk_tokens is not None and context_tokens(record.text) > spec.chunk_tokens
        if not forced and fits(whole[0].messages, call, context):
            return whole
        values = label_values(record.labels)
        if not values:
            return []
        tpl = load_prompt("judge_grounding_window", self.params.window_prompt)
        ask = {**call, "max_tokens": max(call["max_tokens"], list_tokens(len(values)))}

        def part(text: str, n: int, of: int) -> Messages:
            return user(render(tpl, document=text, values=numbered(values), part=str(n),
                               parts=str(of)))

        fixed = prompt_tokens(part("", 99, 99), None, False)
        plan = plan_requests(context, fixed, ask["max_tokens"], spec,
                             f"judge {self.name!r} (model {self.params.endpoint.model}), "
                             f"record {record.id!r}")
        windows = plan.windows(record.text)
        return [Ask(part(w.text, w.index + 1, len(windows)), ask, window=w, values=values)
                for w in windows]

    def combine(self, record_id: str, asks: Sequence[Ask], results: Sequence[CallResult]
                ) -> Verdict:
        """A value is grounded when any window names it; every value must be."""
        if asks and asks[0].window is None:
            return self.verdict(record_id, results[0])
        usage = sum((r.usage for r in results), Usage())
        out = {"record_id": record_id, "judge": self.name, "usage": usage}
        if not asks:
            return Verdict(**out, passed=True, score=1.0, reason="no label values to check")
        failed = self.failed_part(record_id, asks, results, usage)
        if failed is not None:
            return failed
        values = asks[0].values
        found: set[int] = set()
        unread = None
        for n, r in enumerate(results):
            numbers = read_numbers(r.text, len(values))
            if numbers is None:
                unread = n if unread is None else unread
            else:
                found |= numbers
        missing = [v for i, v in enumerate(values, 1) if i not in found]
        if not missing:
            return Verdict(**out, passed=True, score=1.0)
        if unread is not None:
            return Verdict(**out, passed=False, reason=f"unreadable answer in window "
                           f"{unread + 1} of {len(results)}: {results[unread].text!r}")
        return Verdict(**out, passed=False, score=0.0, reason=f"not found in any of "
                       f"{len(results)} windows: {missing_text(missing)}")


__all__ = [
    "LLMGroundingJudge",
    "LLMGroundingParams",
    "LLMJudgeParams",
    "LLMLabelsJudge",
    "read_answer",
]
