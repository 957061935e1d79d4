"""Device, dtype, seeding and model loading shared by the trainer and the extractor."""

from __future__ import annotations

import importlib.util
import random
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import torch

DeviceName = Literal["auto", "cuda", "cpu"]
DtypeName = Literal["auto", "bfloat16", "float16", "float32"]
Quantization = Literal["none", "4bit"]


def resolve_device(name: DeviceName = "auto") -> torch.device:
    """CUDA when present (or asked for), else CPU."""
    import torch

    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device 'cuda' was asked for but no CUDA GPU is available")
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def resolve_dtype(name: DtypeName, device: torch.device) -> torch.dtype:
    """``auto``: bf16 on a GPU that supports it, else float32."""
    import torch

    if name != "auto":
        return getattr(torch, name)
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32


def dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy (when present) and torch (CPU and every GPU)."""
    import torch

    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed % 2**32)
    except ImportError:  # pragma: no cover
        pass
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def quiet_hf(quiet: bool) -> None:
    """Silence transformers' own progress bars and info logs when ``quiet``."""
    from transformers.utils import logging as hf_logging

    if quiet:
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    else:
        hf_logging.enable_progress_bar()


def load_tokenizer(path: str, padding_side: str = "right") -> Any:
    """The tokenizer at ``path``, with a pad token (the EOS token when it has none)."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    tok.padding_side = padding_side
    return tok


def enable_checkpointing(model: Any) -> None:
    """Non-reentrant gradient checkpointing.

    The embeddings' output is not made to require grad (reentrant checkpointing needs
    that; the non-reentrant kind does not): the backward pass then stops at the lowest
    layer that holds an adapter instead of running down to the embeddings.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # renamed in newer transformers
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})


M_MMAP_THRESHOLD = -3  # glibc mallopt parameter
MMAP_THRESHOLD = 256 * 1024


def return_freed_memory() -> bool:
    """Serve tensor-sized allocations from ``mmap`` so freed ones go back to the system.

    glibc raises its mmap threshold (up to 32 MiB) after each large free, so activations
    of a few MiB each end up on the heap, which fragments and never shrinks: a 2,048-token
    LoRA step on a 135M model held 3.4 GB of RSS with gradient checkpointing, 1.25 GB with
    the threshold pinned. Pinning it is ``mallopt(M_MMAP_THRESHOLD, 256 KiB)``; True when
    applied (glibc only; elsewhere nothing happens).
    """
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):  # pragma: no cover - musl or no libc
        return False


def use_threads(threads: int | None) -> int:
    """Set torch's CPU threads: ``threads`` when given (the executor's share of the
    cores, or a manifest's choice), else every core this process may use. Returns it.

    On a loaded 2-core machine one thread per worker process generated 4-7x faster than
    torch's default (its threads spin-wait for cores another process holds).
    """
    import torch
    from leasebench.executors.processes import usable_cores

    n = threads or usable_cores()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def has_bitsandbytes() -> bool:
    return importlib.util.find_spec("bitsandbytes") is not None


def load_causal_lm(
    path: str, dtype: torch.dtype, device: torch.device, quantization: Quantization = "none",
    attn_implementation: str | None = None,
) -> Any:
    """A causal LM from a hub id or local path, on ``device`` in ``dtype``.

    ``quantization="4bit"`` loads it NF4-quantized (QLoRA); that needs bitsandbytes and a
    CUDA GPU and is an error otherwise.
    """
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = {"dtype": dtype}
    if attn_implementation:
        kwargs["attn_implementation"] = attn_implementation
    if quantization == "4bit":
        if device.type != "cuda" or not has_bitsandbytes():
            raise RuntimeError(
                "quantization '4bit' (QLoRA) needs a CUDA GPU and bitsandbytes "
                "(pip install 'leasebench-lora[qlora]')"
            )
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=dtype,
        )
        kwargs["device_map"] = {"": device.index or 0}
        return AutoModelForCausalLM.from_pretrained(path, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
    # transformers decorates PreTrainedModel.to with functools.wraps, which typeshed types
    # as an unbound _Wrapped, so mypy sees the device as the self argument
    return model.to(device)  # type: ignore[arg-type]


__all__ = [
    "DeviceName",
    "DtypeName",
    "Quantization",
    "dtype_name",
    "enable_checkpointing",
    "has_bitsandbytes",
    "load_causal_lm",
    "load_tokenizer",
    "quiet_hf",
    "resolve_device",
    "resolve_dtype",
    "return_freed_memory",
    "seed_everything",
    "use_threads",
]
