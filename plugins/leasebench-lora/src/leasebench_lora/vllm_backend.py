"""Optional vLLM generation: the base model with the LoRA adapter served natively.

Used by the ``hf`` extractor when vLLM is installed and a GPU is present. Greedy
decoding (temperature 0) on the same prompt token ids the Hugging Face path uses.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import modeling


def adapter_rank(adapter: str) -> int:
    """The LoRA rank recorded in ``adapter_config.json`` (16 when unreadable)."""
    try:
        return int(json.loads((Path(adapter) / "adapter_config.json").read_text("utf-8"))["r"])
    except (OSError, KeyError, ValueError):
        return 16


def generate_vllm(
    base: str, adapter: str | None, prompts: list[list[int]], tok: Any, params: Any, seed: int
) -> Iterator[tuple[int, str, int, int, float]]:
    """(index, answer text, prompt tokens, answer tokens, seconds) per prompt."""
    import torch
    from vllm import LLM, SamplingParams
    from vllm.lora.request import LoRARequest

    device = modeling.resolve_device("cuda")
    dtype = modeling.dtype_name(modeling.resolve_dtype(params.dtype, device))
    llm = LLM(
        model=base, tokenizer=adapter or base, dtype=dtype, seed=seed,
        max_model_len=params.max_length, enable_lora=adapter is not None,
        max_lora_rank=max(8, adapter_rank(adapter)) if adapter else 16,
        gpu_memory_utilization=params.gpu_memory_utilization,
    )
    sampling = SamplingParams(temperature=0.0, max_tokens=params.max_new_tokens, seed=seed)
    lora = LoRARequest("adapter", 1, adapter) if adapter else None
    started = time.perf_counter()
    outputs = llm.generate(
        [{"prompt_token_ids": ids} for ids in prompts], sampling, lora_request=lora,
        use_tqdm=False,
    )
    seconds = (time.perf_counter() - started) / max(len(prompts), 1)
    for i, out in enumerate(outputs):
        completion = out.outputs[0]
        yield i, completion.text, len(prompts[i]), len(completion.token_ids), seconds
    del llm
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


__all__ = ["adapter_rank", "generate_vllm"]
