"""How the ``hf`` extractor keeps a small model's answer short and well-formed.

- ``ObjectClosed``: stops a row once its answer's first JSON object has closed (braces
  counted outside strings), so a model that would chat on after the object stops there.
- ``LoopGuard``: stops a row whose last tokens repeat one short pattern (period up to
  ``MAX_PERIOD`` tokens covering at least ``LOOP_SPAN`` tokens): a repetition loop, which
  otherwise runs to ``max_new_tokens`` and hides the complete fields before it (the
  core's parser salvages those).
- ``schema_processor``: constrained decoding to the schema's answer (an object with every
  field as an array of strings), with xgrammar when it is installed: only tokens that keep
  the answer valid JSON of that shape can be generated, and the object closing ends it.

xgrammar was chosen because it compiles the grammar against the tokenizer once (a token
mask costs microseconds per step on a CPU), ships a transformers logits processor and a
CPU masking kernel, and installs as one wheel that needs no particular torch build.
"""

from __future__ import annotations

import importlib.util
import json
from typing import Any

import torch
from leasebench.schema import FieldSchema
from transformers import LogitsProcessor, StoppingCriteria

MAX_PERIOD = 24
LOOP_SPAN = 48


class _Rows(StoppingCriteria):
    """A per-row criterion over the tokens generated after a prompt of ``width`` tokens."""

    def __init__(self, width: int):
        self.width = width
        self.stopped: list[bool] = []

    def row_done(self, row: int, generated: list[int]) -> bool:
        """Whether row ``row`` is done, given the tokens it generated so far."""
        return False

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor,
                 **kwargs: Any) -> torch.BoolTensor:
        if not self.stopped:
            self.stopped = [False] * input_ids.shape[0]
        for row in range(input_ids.shape[0]):
            if not self.stopped[row]:
                self.stopped[row] = self.row_done(row, input_ids[row, self.width:].tolist())
        return torch.tensor(self.stopped, dtype=torch.bool, device=input_ids.device)  # type: ignore[return-value]


class ObjectClosed(_Rows):
    """True for a row once the first ``{...}`` of its answer is closed."""

    def __init__(self, width: int, tok: Any):
        super().__init__(width)
        self.tok = tok
        self.pieces: dict[int, str] = {}
        self.state: dict[int, tuple[int, int, bool, bool, bool]] = {}

    def piece(self, token: int) -> str:
        if token not in self.pieces:
            self.pieces[token] = self.tok.decode([token], skip_special_tokens=True)
        return self.pieces[token]

    def row_done(self, row: int, generated: list[int]) -> bool:
        seen, depth, in_string, escaped, closed = self.state.get(row, (0, 0, False, False, False))
        for token in generated[seen:]:
            for ch in self.piece(token):
                if in_string:
                    if escaped:
                        escaped = False
                    elif ch == "\\":
                        escaped = True
                    elif ch == '"':
                        in_string = False
                elif ch == '"' and depth > 0:
                    in_string = True
                elif ch == "{":
                    depth += 1
                elif ch == "}" and depth > 0:
                    depth -= 1
                    closed = closed or depth == 0
        self.state[row] = (len(generated), depth, in_string, escaped, closed)
        return closed


def is_loop(generated: list[int], max_period: int = MAX_PERIOD, span: int = LOOP_SPAN) -> bool:
    """Whether the last tokens repeat one pattern of at most ``max_period`` tokens over at
    least ``span`` tokens (and at least three times)."""
    for period in range(1, max_period + 1):
        need = max(span, 3 * period)
        if len(generated) < need:
            continue
        tail = generated[-need:]
        if all(tail[k] == tail[k - period] for k in range(period, need)):
            return True
    return False


class LoopGuard(_Rows):
    """True for a row stuck in a repetition loop (see ``is_loop``)."""

    def row_done(self, row: int, generated: list[int]) -> bool:
        return is_loop(generated)


def answer_schema(schema: FieldSchema) -> dict[str, Any]:
    """The JSON schema of an answer: every field, in order, an array of strings."""
    return {
        "type": "object",
        "properties": {f: {"type": "array", "items": {"type": "string"}} for f in schema.fields},
        "required": list(schema.fields),
        "additionalProperties": False,
    }


def constrained_available() -> bool:
    return importlib.util.find_spec("xgrammar") is not None


class _Compiled:
    """Per-process cache of compiled answer grammars (keyed by tokenizer and schema)."""

    grammars: dict[tuple[int, str, int], Any] = {}


class SchemaMask(LogitsProcessor):
    """Masks, per row, the tokens its grammar matcher does not allow next. A row whose
    last token the matcher refuses (it was stopped by another criterion and padded) is
    left alone from then on."""

    def __init__(self, compiled: Any, vocab_size: int):
        self.compiled = compiled
        self.vocab_size = vocab_size
        self.matchers: list[Any] = []
        self.live: list[bool] = []
        self.bitmask: Any = None
        self.started = False

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor
                 ) -> torch.FloatTensor:
        import xgrammar as xgr

        rows = input_ids.shape[0]
        if not self.matchers:
            self.matchers = [xgr.GrammarMatcher(self.compiled) for _ in range(rows)]
            self.live = [True] * rows
            self.bitmask = xgr.allocate_token_bitmask(rows, self.vocab_size)
        for row, matcher in enumerate(self.matchers):
            if not self.live[row]:
                continue
            if self.started and not matcher.is_terminated():
                self.live[row] = bool(matcher.accept_token(int(input_ids[row, -1])))
            if self.live[row] and not matcher.is_terminated():
                matcher.fill_next_token_bitmask(self.bitmask, row)
            else:
                self.live[row] = False
        self.started = True
        if not any(self.live):
            return scores
        live = torch.tensor(self.live)
        masked = scores[live.to(scores.device)].float().cpu()
        xgr.apply_token_bitmask_inplace(masked, self.bitmask[live])
        out = scores.clone()
        out[live.to(scores.device)] = masked.to(scores.dtype).to(scores.device)
        return out  # type: ignore[return-value]


def schema_processor(tok: Any, schema: FieldSchema, vocab_size: int) -> SchemaMask:
    """A fresh logits processor (one per ``generate`` call) masking every token that would
    leave the schema's answer shape."""
    import xgrammar as xgr

    text = json.dumps(answer_schema(schema))
    key = (id(tok), text, vocab_size)
    if key not in _Compiled.grammars:
        info = xgr.TokenizerInfo.from_huggingface(tok, vocab_size=vocab_size)
        compiler = xgr.GrammarCompiler(info)
        _Compiled.grammars[key] = compiler.compile_json_schema(text, any_whitespace=False)
    return SchemaMask(_Compiled.grammars[key], vocab_size)


__all__ = [
    "LOOP_SPAN", "MAX_PERIOD", "LoopGuard", "ObjectClosed", "SchemaMask", "answer_schema",
    "constrained_available", "is_loop", "schema_processor",
]
