"""The training loop: assistant-only loss, seeded batches, eval per epoch, resumable.

A checkpoint (adapter weights, optimizer, scheduler, RNG state, position, history) is
written atomically every ``checkpoint_steps`` optimizer steps and at each epoch's end;
a call with a matching checkpoint in its directory continues where the last one
stopped and ends with the same weights an uninterrupted run would have.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch

from .chat import IGNORE, Example
from .files import file_in_place

CHECKPOINT = "checkpoint.pt"
# Called after every optimizer step with the step number (tests use it to kill a run).
STEP_HOOK: Callable[[int], None] | None = None


@dataclass(frozen=True)
class LoopConfig:
    learning_rate: float
    epochs: int
    batch_size: int
    grad_accum: int
    warmup_ratio: float
    weight_decay: float
    max_grad_norm: float
    seed: int
    checkpoint_steps: int


def collate(examples: Sequence[Example], pad_id: int, device: torch.device) -> dict:
    """Right-padded tensors: input ids, attention mask, labels (``IGNORE`` on padding)."""
    width = max(len(e.input_ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for i, e in enumerate(examples):
        n = len(e.input_ids)
        ids[i, :n] = torch.tensor(e.input_ids)
        labels[i, :n] = torch.tensor(e.labels)
        mask[i, :n] = 1
    return {"input_ids": ids.to(device), "attention_mask": mask.to(device),
            "labels": labels.to(device)}


def answer_positions(labels: torch.Tensor) -> torch.Tensor:
    """Sequence positions whose next token is an answer token, in any row of the batch."""
    target = labels[:, 1:] != IGNORE
    return target.any(0).nonzero().flatten()


def accepts_logits_to_keep(model: Any) -> bool:
    """Whether ``model``'s forward takes ``logits_to_keep`` (transformers >= 4.50)."""
    import inspect

    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    try:
        return "logits_to_keep" in inspect.signature(base.forward).parameters
    except (TypeError, ValueError):  # pragma: no cover
        return False


def token_stats(model: Any, batch: dict) -> tuple[torch.Tensor, int, int]:
    """(summed cross-entropy, answer tokens, correctly predicted answer tokens).

    Only the positions that predict an answer token go through the LM head: the
    full-vocabulary logits of the prompt (most of a long document) are never computed,
    which is most of a small model's training memory and a good share of its time.
    """
    labels = batch["labels"]
    keep_at = answer_positions(labels)
    if accepts_logits_to_keep(model):
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                       logits_to_keep=keep_at).logits
    else:  # pragma: no cover - older transformers
        logits = model(input_ids=batch["input_ids"],
                       attention_mask=batch["attention_mask"]).logits[:, keep_at]
    logits = logits.float()
    target = labels[:, keep_at + 1]
    loss = torch.nn.functional.cross_entropy(
        logits.reshape(-1, logits.size(-1)), target.reshape(-1), ignore_index=IGNORE,
        reduction="sum",
    )
    keep = target != IGNORE
    correct = int(((logits.argmax(-1) == target) & keep).sum())
    return loss, int(keep.sum()), correct


@torch.no_grad()
def evaluate(model: Any, examples: Sequence[Example], batch_size: int, pad_id: int,
             device: torch.device) -> dict[str, float]:
    """Cross-entropy, perplexity and token accuracy over the eval answers' tokens."""
    was_training = model.training
    model.eval()
    total, tokens, correct = 0.0, 0, 0
    for start in range(0, len(examples), batch_size):
        batch = collate(examples[start : start + batch_size], pad_id, device)
        loss, n, c = token_stats(model, batch)
        total, tokens, correct = total + float(loss), tokens + n, correct + c
    model.train(was_training)
    ce = total / max(tokens, 1)
    return {"cross_entropy": ce, "eval_loss": ce, "perplexity": math.exp(min(ce, 50.0)),
            "token_accuracy": correct / max(tokens, 1), "eval_tokens": float(tokens)}


def _epoch_groups(n: int, cfg: LoopConfig, epoch: int) -> list[list[list[int]]]:
    """The epoch's optimizer steps: each a list of micro-batches of example indices."""
    order = list(range(n))
    random.Random(f"{cfg.seed}|epoch|{epoch}").shuffle(order)
    micro = [order[i : i + cfg.batch_size] for i in range(0, n, cfg.batch_size)]
    return [micro[i : i + cfg.grad_accum] for i in range(0, len(micro), cfg.grad_accum)]


def _save(path: Path, state: dict) -> None:
    with file_in_place(path) as fh:  # a fresh temporary file, renamed over the name
        torch.save(state, fh)


def train_loop(
    model: Any, train: Sequence[Example], evals: Sequence[Example], cfg: LoopConfig,
    workdir: Path, device: torch.device, pad_id: int, fingerprint: str,
    progress: Callable[[float, float | None, str], None] | None = None,
) -> tuple[list[dict[str, float]], bool]:
    """Train ``model``'s trainable parameters; return (history, resumed).

    ``progress(step, total, "steps")`` is called after every optimizer step (pass
    ``ctx.progress``: the runner draws it as the stage's bar).
    """
    report = progress or (lambda *_: None)
    from peft import get_peft_model_state_dict, set_peft_model_state_dict

    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay,
                                  fused=device.type == "cuda")
    steps_per_epoch = math.ceil(math.ceil(len(train) / cfg.batch_size) / cfg.grad_accum)
    total = steps_per_epoch * cfg.epochs
    warmup = round(total * cfg.warmup_ratio)

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / (warmup + 1)
        return max(0.0, (total - step) / max(1, total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    step, history, resumed = 0, [], False
    path = workdir / CHECKPOINT
    if path.exists():
        state = torch.load(path, map_location="cpu", weights_only=False)
        if state.get("fingerprint") == fingerprint:
            set_peft_model_state_dict(model, state["adapter"])
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            torch.set_rng_state(state["rng"])
            if state.get("cuda_rng") is not None and torch.cuda.is_available():
                torch.cuda.set_rng_state_all(state["cuda_rng"])
            step, history, resumed = state["step"], state["history"], True

    def checkpoint() -> None:
        _save(path, {
            "fingerprint": fingerprint, "step": step, "history": history,
            "adapter": get_peft_model_state_dict(model), "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(), "rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
            "config": asdict(cfg),
        })

    model.train()
    report(step, total, "steps")
    for epoch in range(step // steps_per_epoch, cfg.epochs):
        groups = _epoch_groups(len(train), cfg, epoch)
        for group in groups[step - epoch * steps_per_epoch :]:
            n_tokens = sum(1 for mb in group for i in mb for t in train[i].labels[1:]
                           if t != IGNORE)
            running = 0.0
            for mb in group:
                loss, _, _ = token_stats(model, collate([train[i] for i in mb], pad_id, device))
                (loss / max(n_tokens, 1)).backward()
                running += float(loss.detach())
            if cfg.max_grad_norm > 0:
                torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            history.append({"step": step, "epoch": epoch + 1,
                            "train_loss": running / max(n_tokens, 1),
                            "learning_rate": scheduler.get_last_lr()[0]})
            report(step, total, "steps")
            if step % steps_per_epoch == 0:
                metrics = evaluate(model, evals, cfg.batch_size, pad_id, device) if evals else {}
                history.append({"step": step, "epoch": epoch + 1,
                                **{f"eval_{k}" if not k.startswith("eval_") else k: v
                                   for k, v in metrics.items()}})
            if step % cfg.checkpoint_steps == 0 or step % steps_per_epoch == 0:
                checkpoint()
            if STEP_HOOK is not None:
                STEP_HOOK(step)
    return history, resumed


__all__ = [
    "CHECKPOINT", "LoopConfig", "accepts_logits_to_keep", "answer_positions", "collate",
    "evaluate", "token_stats", "train_loop",
]
