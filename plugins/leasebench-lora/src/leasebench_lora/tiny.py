"""A tiny random-weight chat model built on the fly: no downloads, seconds on a CPU.

``build_tiny_model(path, texts)`` trains a byte-level BPE tokenizer on ``texts``, gives
it a minimal chat template, initialises a small Llama from its config and saves both
under ``path``, which then works as a ``base_model`` anywhere a hub id would.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transformers import LlamaConfig, PreTrainedTokenizerFast

SPECIALS = ["<pad>", "<|end|>", "<|user|>", "<|assistant|>", "<|system|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def build_tokenizer(texts: Iterable[str], vocab_size: int = 1024) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer trained on ``texts``, with pad/EOS and a chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIALS, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(list(texts), trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="<|end|>")
    fast.chat_template = CHAT_TEMPLATE
    return fast


def llama_config(vocab_size: int, hidden: int = 64, layers: int = 2, heads: int = 4,
                 kv_heads: int = 2, intermediate: int | None = None, max_positions: int = 2048,
                 pad_id: int = 0, eos_id: int = 1) -> LlamaConfig:
    from transformers import LlamaConfig

    return LlamaConfig(
        vocab_size=vocab_size, hidden_size=hidden, intermediate_size=intermediate or 2 * hidden,
        num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=kv_heads,
        max_position_embeddings=max_positions, pad_token_id=pad_id, eos_token_id=eos_id,
        bos_token_id=None, tie_word_embeddings=False,
    )


def build_tiny_model(path: Path, texts: Iterable[str], vocab_size: int = 1024,
                     hidden: int = 64, layers: int = 2, seed: int = 0) -> Path:
    """Save a tokenizer trained on ``texts`` and a random small Llama under ``path``."""
    import torch
    from transformers import LlamaForCausalLM

    path = Path(path)
    tok = build_tokenizer(texts, vocab_size)
    cfg = llama_config(len(tok), hidden=hidden, layers=layers, pad_id=tok.pad_token_id,
                       eos_id=tok.eos_token_id)
    torch.manual_seed(seed)
    model = LlamaForCausalLM(cfg)
    model.generation_config.pad_token_id = tok.pad_token_id
    model.generation_config.eos_token_id = tok.eos_token_id
    tok.save_pretrained(path)
    model.save_pretrained(path)
    return path


__all__ = ["CHAT_TEMPLATE", "SPECIALS", "build_tiny_model", "build_tokenizer", "llama_config"]
