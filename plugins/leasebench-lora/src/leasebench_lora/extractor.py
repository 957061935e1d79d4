"""Extractor ``hf``: a base model plus LoRA adapter (or a merged model), greedy decoding.

It renders the same chat prompt the trainer trained on, generates in length-sorted
batches (left padding), parses the answer with the core's lenient ``parse_answer`` and
records prompt/answer tokens and per-document latency. With ``backend: auto`` it uses
vLLM (LoRA adapters served natively) when vLLM is installed and a GPU is present. A
document whose prompt would not leave room for the answer is split into windows
(``ChatFormat.windows``), each generated, the answers merged per field.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ClassVar, Literal

from leasebench.chunking import ChunkSpec, Window
from leasebench.components import Context, Extractor
from leasebench.errors import DataError
from leasebench.llm.few_shot import FewShotSpec, example_messages
from leasebench.records import ModelRef, Prediction, Record, Usage
from leasebench.window_answers import merge_window_answers, seen_prefix, with_spans
from pydantic import BaseModel, ConfigDict, Field

from . import modeling
from .chat import ChatFormat
from .serving import serve_model
from .sources import resolve_model


class HFParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_model: str | None = Field(
        None, description="Base model: hub id, folder, `.gguf` file or `package:DIST` "
        "(default: the model's `base_model` metadata)."
    )
    adapter: str | None = Field(None, description="Adapter dir (default: the model's uri).")
    prompt: str | None = Field(None, description="Prompt file replacing the `extract` prompt.")
    max_length: int = Field(4096, ge=16, description="Prompt + answer budget in tokens.")
    max_new_tokens: int = Field(512, ge=1, description="Longest answer in tokens.")
    batch_size: int = Field(8, ge=1, description="Documents per generation batch.")
    dtype: modeling.DtypeName = Field("auto", description="`auto`: bf16 on GPU, else fp32.")
    device: modeling.DeviceName = Field("auto", description="`auto`: CUDA when present.")
    backend: Literal["auto", "hf", "vllm"] = Field(
        "auto", description="`auto`: vLLM when installed and a GPU is present, else `hf`."
    )
    gpu_memory_utilization: float = Field(0.85, gt=0, le=1, description="vLLM only.")
    few_shot: FewShotSpec = Field(
        default_factory=FewShotSpec, description="Labelled real train documents shown as "
        "earlier turns (as the `llm` extractor's few_shot), within the context left by the "
        "document and the answer.",
    )
    constrained: Literal["auto", "on", "off"] = Field(
        "auto", description="Decode only answers of the schema's JSON shape (xgrammar): "
        "`auto` when xgrammar is installed.",
    )
    stop_on_close: bool = Field(
        True, description="End an answer when its JSON object closes.")
    loop_guard: bool = Field(
        True, description="End an answer stuck repeating one short pattern (at most 24 "
        "tokens, over 48 tokens); the complete fields before it are kept.",
    )
    repetition_penalty: float = Field(
        1.0, gt=0, description="transformers' repetition penalty (1.0: off; JSON repeats "
        "its quotes and brackets, so values above 1 can hurt).",
    )
    threads: int | None = Field(
        None, ge=1, description="Torch CPU threads (default: the executor's share of the "
        "cores: all of them in the run's process, one share per worker under `processes`).",
    )
    chunking: ChunkSpec = Field(
        default_factory=ChunkSpec, description="Documents whose prompt does not fit "
        "max_length minus max_new_tokens: overlapping windows (`chunk_tokens` forces their "
        "size), one generation each, answers merged per field.",
    )


def vllm_available() -> bool:
    import torch

    return importlib.util.find_spec("vllm") is not None and torch.cuda.is_available()


class HFExtractor(Extractor[HFParams]):
    """Greedy extraction with a local Hugging Face causal LM (+ LoRA adapter)."""

    name: ClassVar[str] = "hf"
    version: ClassVar[str] = "2"

    def locate(self, model: ModelRef) -> tuple[str, str | None, bool]:
        """(base model or merged model path, adapter dir or None, merged)."""
        p = self.params
        merged = bool(model.metadata.get("merged", False))
        if merged:
            if not model.uri or not Path(model.uri).exists():
                raise DataError(f"hf extractor: merged model {model.uri!r} not found")
            return model.uri, None, True
        base = p.base_model or model.metadata.get("base_model")
        if not base:
            raise DataError("hf extractor: no base model (set params.base_model)")
        adapter = p.adapter or model.metadata.get("adapter_path") or model.uri
        if adapter and not Path(adapter).exists():
            raise DataError(f"hf extractor: adapter directory {adapter!r} not found")
        return str(base), adapter, False

    def uses_train(self) -> bool:
        return self.params.few_shot.k > 0

    def serve(self, model: ModelRef, server: str, ctx: Context
              ) -> AbstractContextManager[ModelRef]:
        """The same model behind ``transformers serve`` or vLLM (adapter merged), read by
        ``llm``."""
        base, adapter, merged = self.locate(model)
        base = resolve_model(base, ctx.say)
        return serve_model(self.params, base, None if merged else adapter, server, ctx)

    def examples(self, tok: Any, ctx: Context, budget: int) -> list[dict[str, str]]:
        """The few-shot turns (none when ``few_shot.k`` is 0), costed in this tokenizer's
        tokens within half of what the prompt and answer leave of ``budget``."""
        spec = self.params.few_shot
        if spec.k == 0:
            return []
        fmt = ChatFormat(tok, ctx.schema, self.params.prompt, self.params.max_length)
        room = (budget - len(fmt._ids(fmt.prompt_string("")))) // 2
        return example_messages(
            ctx.train, spec, ctx.seed, ctx.schema, fmt.template, fmt.fields,
            min(spec.max_tokens, max(room, 0)), lambda text: len(fmt._ids(text)),
        )

    def backend(self) -> str:
        p = self.params
        if p.backend == "auto":
            return "vllm" if vllm_available() else "hf"
        return p.backend

    def prompts(
        self, tok: Any, records: Sequence[Record], ctx: Context
    ) -> tuple[list[list[int]], list[tuple[int, Window, int | None]]]:
        """Prompt ids per window of each record (one window when the document fits
        ``max_length - max_new_tokens``), and per prompt: its record's index, its window,
        and the characters of the window kept when even a window had to be cut (else
        None; never silent: the prediction says so)."""
        p = self.params
        budget = p.max_length - p.max_new_tokens
        fmt = ChatFormat(tok, ctx.schema, p.prompt, p.max_length,
                         examples=self.examples(tok, ctx, budget))
        prompts: list[list[int]] = []
        where: list[tuple[int, Window, int | None]] = []
        for i, record in enumerate(records):
            windows = fmt.windows(record.text, budget, p.chunking.overlap_tokens,
                                  p.chunking.chunk_tokens)
            for w in windows:
                fitted = fmt.fit(w.text, budget)
                if fitted is None:
                    raise DataError(
                        f"hf extractor: the prompt alone exceeds max_length {p.max_length} "
                        f"minus max_new_tokens {p.max_new_tokens}"
                    )
                prompts.append(fitted[0])
                where.append((i, w, fitted[1]))
        return prompts, where

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context
    ) -> Iterator[Prediction]:
        p = self.params
        modeling.quiet_hf(ctx.quiet)
        modeling.return_freed_memory()
        modeling.use_threads(p.threads or ctx.threads)
        base, adapter, _ = self.locate(model)
        base = resolve_model(base, ctx.say)
        tok = modeling.load_tokenizer(adapter or base, padding_side="left")
        prompts, where = self.prompts(tok, records, ctx)
        if self.backend() == "vllm":
            from .vllm_backend import generate_vllm

            answers = generate_vllm(base, adapter, prompts, tok, p, seed=ctx.seed)
        else:
            answers = self.generate_hf(base, adapter, prompts, tok, ctx)
        count: dict[int, int] = {}
        for i, _, _ in where:
            count[i] = count.get(i, 0) + 1
        done: dict[int, list[tuple[int, str, int, int, float]]] = {}
        for j, text, n_prompt, n_answer, seconds in answers:
            i = where[j][0]
            got = done.setdefault(i, [])
            got.append((j, text, n_prompt, n_answer, seconds))
            if len(got) == count[i]:
                yield self.prediction(records[i], sorted(done.pop(i)), where, ctx)

    def prediction(
        self, record: Record, answers: list[tuple[int, str, int, int, float]],
        where: list[tuple[int, Window, int | None]], ctx: Context,
    ) -> Prediction:
        """A record's prediction from its windows' answers (in document order)."""
        windows = [where[j][1] for j, *_ in answers]
        texts = [text for _, text, *_ in answers]
        cut = [n_answer >= self.params.max_new_tokens for *_, n_answer, _ in answers]
        fields = merge_window_answers(windows, texts, ctx.schema, record.text,
                                      self.params.chunking.merge, cut)
        usage = Usage(prompt_tokens=sum(a[2] for a in answers),
                      completion_tokens=sum(a[3] for a in answers), calls=len(answers))
        raw = texts[0] if len(texts) == 1 else "\n".join(
            f"[window {w.index + 1}/{len(windows)}: characters {w.start}-{w.end}] {t}"
            for w, t in zip(windows, texts, strict=True))
        pred = Prediction(id=record.id, raw=raw, usage=usage,
                          latency_s=sum(a[4] for a in answers), **fields)
        seen = seen_prefix(windows, [where[j][2] for j, *_ in answers], len(record.text))
        return with_spans(pred, record.text, chunks=len(windows), seen_chars=seen,
                          truncated=seen < len(record.text))

    def constrained(self) -> bool:
        """Whether answers are decoded under the schema's grammar."""
        from . import generation  # torch and transformers load with the first extraction

        mode = self.params.constrained
        if mode == "on" and not generation.constrained_available():
            raise DataError("hf extractor: `constrained: on` needs xgrammar "
                            "(pip install 'leasebench-lora[constrained]')")
        return mode == "on" or (mode == "auto" and generation.constrained_available())

    def generate_hf(
        self, base: str, adapter: str | None, prompts: list[list[int]], tok: Any, ctx: Context
    ) -> Iterator[tuple[int, str, int, int, float]]:
        """(index, answer text, prompt tokens, answer tokens, seconds) per prompt, as each
        batch finishes."""
        import torch

        from . import generation

        p = self.params
        modeling.seed_everything(ctx.seed)
        device = modeling.resolve_device(p.device)
        lm = modeling.load_causal_lm(base, modeling.resolve_dtype(p.dtype, device), device)
        if adapter:
            from peft import PeftModel

            lm = PeftModel.from_pretrained(lm, adapter)
        lm.eval()
        eos = {tok.eos_token_id}
        gen_eos = getattr(lm.generation_config, "eos_token_id", None)
        eos |= set(gen_eos if isinstance(gen_eos, list) else [gen_eos]) - {None}
        constrained = self.constrained()
        order = sorted(range(len(prompts)), key=lambda i: (len(prompts[i]), i))
        for start in range(0, len(order), p.batch_size):
            chunk = order[start : start + p.batch_size]
            width = max(len(prompts[i]) for i in chunk)
            ids = torch.full((len(chunk), width), tok.pad_token_id, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            for row, i in enumerate(chunk):
                ids[row, width - len(prompts[i]) :] = torch.tensor(prompts[i])
                mask[row, width - len(prompts[i]) :] = 1
            started = time.perf_counter()
            stops: list[Any] = []
            if p.stop_on_close:
                stops.append(generation.ObjectClosed(width, tok))
            if p.loop_guard:
                stops.append(generation.LoopGuard(width))
            masks = ([generation.schema_processor(tok, ctx.schema, lm.config.vocab_size)]
                     if constrained else [])
            with torch.no_grad():
                out = lm.generate(
                    input_ids=ids.to(device), attention_mask=mask.to(device), do_sample=False,
                    max_new_tokens=p.max_new_tokens, eos_token_id=sorted(eos),
                    pad_token_id=tok.pad_token_id, stopping_criteria=stops,
                    logits_processor=masks, repetition_penalty=p.repetition_penalty,
                )
            seconds = (time.perf_counter() - started) / len(chunk)
            for row, i in enumerate(chunk):
                new = out[row, width:].tolist()
                stop = next((k + 1 for k, t in enumerate(new) if t in eos), len(new))
                text = tok.decode(new[:stop], skip_special_tokens=True)
                yield i, text, len(prompts[i]), stop, seconds


__all__ = ["HFExtractor", "HFParams", "vllm_available"]
