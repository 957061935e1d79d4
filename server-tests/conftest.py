"""Real inference servers on 127.0.0.1: ``transformers serve`` with a tiny random model.

The model is a random-weight 2-layer Llama whose byte-level BPE tokenizer is trained here
on the fixture documents and the prompts, with a ChatML chat template, saved to a
temporary directory: nothing is downloaded (the server runs with ``HF_HUB_OFFLINE=1``).
The server's access log (one line per request) is kept so tests can count requests.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from leasebench.testing.processes import running, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
START_TIMEOUT_S = 240


def build_tiny_model(path: Path, texts: list[str], seed: int = 0) -> Path:
    """A BPE tokenizer trained on ``texts`` and a random 2-layer Llama, saved under ``path``."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=512, special_tokens=SPECIALS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(texts, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<|endoftext|>",
                                   eos_token="<|im_end|>")
    fast.chat_template = CHATML
    config = LlamaConfig(
        vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
        pad_token_id=fast.pad_token_id, eos_token_id=fast.eos_token_id, bos_token_id=None,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    model.generation_config.pad_token_id = fast.pad_token_id
    model.generation_config.eos_token_id = fast.eos_token_id
    fast.save_pretrained(path)
    model.save_pretrained(path)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running server: its base URL (with /v1), the model name, its access log."""

    url: str
    model: str
    log: Path

    def requests(self, path: str = "/v1/chat/completions") -> int:
        """POSTs to ``path`` the server has logged so far."""
        text = self.log.read_text("utf-8", "replace")
        return text.count(f'"POST {path} HTTP')


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from leasebench.llm.prompts import load_prompt

    docs = [json.loads(line)["text"] for line in
            (ROOT / "fixtures" / "tiny" / "train.jsonl").read_text("utf-8").splitlines()]
    prompts = [load_prompt(n) for n in ("extract", "generate_labels", "generate_document",
                                         "judge_labels", "judge_grounding")]
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"), (docs + prompts) * 2)


@pytest.fixture(scope="session")
def transformers_server(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory
                        ) -> Iterator[Server]:
    """``transformers serve`` pinned to the tiny model, on a free loopback port."""
    exe = shutil.which("transformers", path=str(Path(sys.executable).parent)) or shutil.which(
        "transformers")
    if exe is None:
        pytest.fail("the `transformers` command is not installed (tox -e servers installs it)")
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "transformers-serve.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "OMP_NUM_THREADS": "1"}
    with log.open("wb") as out, running(
        [exe, "serve", str(tiny_model), "--host", "127.0.0.1", "--port", str(port),
         "--device", "cpu", "--log-level", "info"],
        stdout=out, stderr=subprocess.STDOUT, env=env,
    ) as proc:
        wait_healthy(f"http://127.0.0.1:{port}/health", proc, log, timeout_s=START_TIMEOUT_S,
                     what="transformers serve")
        yield Server(f"http://127.0.0.1:{port}/v1", str(tiny_model), log)
