"""LoRA training throughput: plain transformers + peft vs the optimised setup.

No weights are needed: the model is initialised randomly from a config. On a GPU the
default shape is Llama-3.1-8B (bf16, 4,096-token sequences); on a CPU a tiny shape so
the script stays runnable and tested. LoRA r=16 on the attention and MLP projections.

* ``plain``: padded batches of documents, no gradient checkpointing, the model's own
  loss, default attention, unfused AdamW.
* ``optimised``: documents packed into full rows (position ids restart per document;
  with flash-attention 2 the documents do not attend across each other), gradient
  checkpointing, fused AdamW on CUDA, Liger kernels when installed.

Reported per mode: training tokens/s (document tokens, padding excluded), seconds per
step, peak GPU memory (CUDA) or peak RSS (CPU); and the optimised/plain ratio.

    python benchmarks/lora_throughput.py                 # 8B shape on CUDA, tiny on CPU
    python benchmarks/lora_throughput.py --shape tiny --steps 3 --out result.json
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import platform
import random
import resource
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from peft import PeftModel

# one training step's tensors and its count of real (non-padding) tokens
Batch = tuple[dict[str, torch.Tensor], int]
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
SHAPES: dict[str, dict[str, Any]] = {
    "llama-3.1-8b": dict(vocab_size=128256, hidden_size=4096, intermediate_size=14336,
                         num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=8,
                         rope_theta=500000.0, max_position_embeddings=131072),
    "tiny": dict(vocab_size=1024, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048),
}


def make_docs(n: int, seq_len: int, vocab: int, seed: int) -> list[list[int]]:
    """Documents of uniformly drawn lengths between seq_len/8 and seq_len tokens."""
    rng = random.Random(seed)
    return [[rng.randrange(5, vocab) for _ in range(rng.randint(seq_len // 8, seq_len))]
            for _ in range(n)]


def padded_batches(docs: list[list[int]], batch: int, seq_len: int) -> Iterator[Batch]:
    """Plain: ``batch`` documents per step, right-padded to the longest."""
    for start in range(0, len(docs) - batch + 1, batch):
        chunk = [d[:seq_len] for d in docs[start : start + batch]]
        width = max(map(len, chunk))
        ids = torch.zeros((batch, width), dtype=torch.long)
        mask = torch.zeros((batch, width), dtype=torch.long)
        for i, d in enumerate(chunk):
            ids[i, : len(d)] = torch.tensor(d)
            mask[i, : len(d)] = 1
        labels = ids.masked_fill(mask == 0, -100)
        yield {"input_ids": ids, "attention_mask": mask, "labels": labels}, int(mask.sum())


def packed_batches(docs: list[list[int]], rows: int, seq_len: int) -> Iterator[Batch]:
    """Optimised: whole documents packed into ``rows`` rows of ``seq_len``; position ids
    restart per document and no loss crosses a document boundary."""
    pending = [d[:seq_len] for d in docs]
    while pending:
        ids, pos, labels, real = [], [], [], 0
        for _ in range(rows):
            row_ids: list[int] = []
            row_pos: list[int] = []
            row_lab: list[int] = []
            while pending and len(row_ids) + len(pending[0]) <= seq_len:
                doc = pending.pop(0)
                row_ids += doc
                row_pos += list(range(len(doc)))
                row_lab += [-100, *doc[1:]]
            real += len(row_ids)
            pad = seq_len - len(row_ids)
            ids.append(row_ids + [0] * pad)
            pos.append(row_pos + list(range(pad)))
            labels.append(row_lab + [-100] * pad)
        yield {"input_ids": torch.tensor(ids), "position_ids": torch.tensor(pos),
               "labels": torch.tensor(labels)}, real


def build(
    shape: str, device: torch.device, dtype: torch.dtype, optimised: bool
) -> tuple[PeftModel, str]:
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    attn = "sdpa"
    if optimised and device.type == "cuda" and importlib.util.find_spec("flash_attn"):
        attn = "flash_attention_2"
    if optimised and importlib.util.find_spec("liger_kernel"):
        from liger_kernel.transformers import apply_liger_kernel_to_llama

        apply_liger_kernel_to_llama()
    # PretrainedConfig takes attn_implementation through **kwargs, which the generated
    # LlamaConfig signature leaves out
    config = LlamaConfig(**SHAPES[shape], attn_implementation=attn,  # type: ignore[call-arg]
                         use_cache=False)
    torch.manual_seed(0)
    with torch.device(device):
        # PreTrainedModel.to is wrapped with functools.wraps, typed as unbound by typeshed
        model = LlamaForCausalLM(config).to(dtype)  # type: ignore[arg-type]
    if optimised:
        from leasebench_lora.modeling import enable_checkpointing

        enable_checkpointing(model)
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0,
                                             target_modules=TARGETS, task_type="CAUSAL_LM"))
    return model, attn


def run_mode(mode: str, args: argparse.Namespace, device: torch.device,
             dtype: torch.dtype) -> dict[str, Any]:
    optimised = mode == "optimised"
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    try:
        model, attn = build(args.shape, device, dtype, optimised)
        model.train()
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.AdamW(params, lr=1e-4, fused=optimised and device.type == "cuda")
        vocab = SHAPES[args.shape]["vocab_size"]
        docs = make_docs(args.docs, args.seq_len, vocab, seed=1)
        batches = (packed_batches(docs, args.opt_batch, args.seq_len) if optimised
                   else padded_batches(docs, args.plain_batch, args.seq_len))
        tokens, seconds, steps = 0, 0.0, 0
        for i, (batch, real) in enumerate(batches):
            if steps >= args.steps:
                break
            batch = {k: v.to(device) for k, v in batch.items()}
            if device.type == "cuda":
                torch.cuda.synchronize()
            started = time.perf_counter()
            with torch.autocast(device.type, dtype=dtype, enabled=dtype != torch.float32):
                loss = model(**batch).loss
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
            if device.type == "cuda":
                torch.cuda.synchronize()
            if i >= args.warmup:
                tokens, seconds, steps = tokens + real, seconds + time.perf_counter() - started, \
                    steps + 1
        result: dict[str, Any] = {
            "mode": mode, "attention": attn, "steps": steps, "tokens": tokens,
            "tokens_per_s": tokens / seconds if seconds else 0.0,
            "s_per_step": seconds / max(steps, 1), "gradient_checkpointing": optimised,
            "packing": optimised, "liger": optimised and bool(importlib.util.find_spec(
                "liger_kernel")),
        }
        if device.type == "cuda":
            result["peak_gpu_memory_gib"] = torch.cuda.max_memory_allocated() / 2**30
        else:
            result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        del model, opt
        return result
    except torch.cuda.OutOfMemoryError:
        return {"mode": mode, "oom": True}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto")
    parser.add_argument("--shape", choices=sorted(SHAPES), default=None)
    parser.add_argument("--seq-len", type=int, default=None)
    parser.add_argument("--steps", type=int, default=None, help="Timed steps per mode.")
    parser.add_argument("--warmup", type=int, default=1, help="Untimed first steps.")
    parser.add_argument("--plain-batch", type=int, default=1, help="Docs per plain step.")
    parser.add_argument("--opt-batch", type=int, default=1, help="Packed rows per step.")
    parser.add_argument("--out", default=None, help="Write the result as JSON here.")
    args = parser.parse_args(argv)
    cuda = torch.cuda.is_available() and args.device != "cpu"
    device = torch.device("cuda" if cuda else "cpu")
    args.shape = args.shape or ("llama-3.1-8b" if cuda else "tiny")
    args.seq_len = args.seq_len or (4096 if args.shape == "llama-3.1-8b" else 128)
    args.steps = args.steps or (10 if cuda else 3)
    dtype = torch.bfloat16 if cuda and torch.cuda.is_bf16_supported() else torch.float32
    # enough documents for warm-up + timed steps in either mode
    args.docs = (args.steps + args.warmup) * max(args.plain_batch, 8 * args.opt_batch)
    results = {m: run_mode(m, args, device, dtype) for m in ("plain", "optimised")}
    plain, opt = results["plain"].get("tokens_per_s"), results["optimised"].get("tokens_per_s")
    out = {
        "shape": args.shape, "seq_len": args.seq_len, "dtype": str(dtype).removeprefix("torch."),
        "device": torch.cuda.get_device_name() if cuda else platform.processor() or "cpu",
        "torch": torch.__version__, "lora_rank": 16, "targets": TARGETS, **results,
        "speedup": opt / plain if plain and opt else None,
    }
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2)
    for m in ("plain", "optimised"):
        r = results[m]
        mem = r.get("peak_gpu_memory_gib", r.get("peak_rss_mib"))
        unit = "GiB GPU" if "peak_gpu_memory_gib" in r else "MiB RSS"
        print(f"{m:>9}: " + ("OOM" if r.get("oom") else
              f"{r['tokens_per_s']:,.0f} tokens/s, {r['s_per_step']:.3f} s/step, "
              f"peak {mem:,.1f} {unit}"))
    if out["speedup"]:
        print(f"  speedup: {out['speedup']:.2f}x ({out['shape']}, seq {out['seq_len']}, "
              f"{out['device']})")
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
