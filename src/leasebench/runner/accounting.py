"""Per-item usage and latency, stored beside a stage's outputs instead of inside them.

What a result cost (tokens, money, latency) is recorded once, when the result is made,
and is not part of what the result *is*. A map stage's output file (whose content hash
keys every downstream stage) holds the results without it; ``usage.jsonl`` beside it
holds one line per item, ``{"id", "usage", "latency_s"}``, and is not hashed. So a
resumed or ``--force``d stage whose answers come from the response cache writes
byte-identical outputs, and nothing downstream runs again.

In memory, predictions keep their ``usage`` and ``latency_s`` and verdicts their
``usage`` (filled back in from ``usage.jsonl`` when a stage is read); a generator puts
a record's usage in ``meta["usage"]`` (and ``meta["latency_s"]``) and the runner moves
it out, so generated records never carry it downstream.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..io import atomic_write_text, read_jsonl, write_jsonl
from ..records import Prediction, Record, Usage, Verdict
from ..reporting.costs import resent_sentence

USAGE_FILE = "usage.jsonl"
RECORD_META_KEYS = ("usage", "latency_s")

R = TypeVar("R", bound=BaseModel)


class ItemAccount(BaseModel):
    """What one item's calls cost when they were paid, and how long they took."""

    model_config = ConfigDict(extra="forbid")

    id: str
    usage: Usage = Field(default_factory=Usage)
    latency_s: float | None = None


def _usage(value: Any) -> Usage:
    if isinstance(value, Usage):
        return value
    try:
        return Usage.model_validate(value) if isinstance(value, dict) else Usage()
    except ValidationError:
        return Usage()


def _latency(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    return float(value) if ok else None


def account_of(result: BaseModel) -> ItemAccount | None:
    """The accounting a result carries (None for result types that carry none)."""
    if isinstance(result, Prediction):
        return ItemAccount(id=result.id, usage=result.usage, latency_s=result.latency_s)
    if isinstance(result, Verdict):
        return ItemAccount(id=result.record_id, usage=result.usage)
    if isinstance(result, Record):
        return ItemAccount(
            id=result.id, usage=_usage(result.meta.get("usage")),
            latency_s=_latency(result.meta.get("latency_s")),
        )
    return None


def content_json(result: BaseModel) -> str:
    """A result as its stage's output file stores it: without usage and latency."""
    if isinstance(result, Prediction):
        return result.model_dump_json(exclude={"usage", "latency_s"})
    if isinstance(result, Verdict):
        return result.model_dump_json(exclude={"usage"})
    if isinstance(result, Record):
        return strip_record(result).model_dump_json()
    return result.model_dump_json()


def strip_record(record: Record) -> Record:
    if not any(k in record.meta for k in RECORD_META_KEYS):
        return record
    meta = {k: v for k, v in record.meta.items() if k not in RECORD_META_KEYS}
    return record.model_copy(update={"meta": meta})


def with_account(result: R, account: ItemAccount | None) -> R:
    """The result as the runner hands it on: recorded usage in, records stripped."""
    if isinstance(result, Record):
        return strip_record(result)  # type: ignore[return-value]
    if account is None:
        return result
    usage = account.usage.recorded()
    if isinstance(result, Prediction):
        return result.model_copy(update={"usage": usage, "latency_s": account.latency_s})
    if isinstance(result, Verdict):
        return result.model_copy(update={"usage": usage})
    return result


def write_results(
    path: Path, results: Sequence[R]
) -> tuple[list[R], dict[str, ItemAccount]]:
    """Write ``results`` without accounting to ``path`` and their accounts beside it.

    Returns the results as recorded (cache marks dropped, records stripped) and the
    accounts by item id.
    """
    accounts: dict[str, ItemAccount] = {}
    out: list[R] = []
    for result in results:
        account = account_of(result)
        if account is not None:
            account = account.model_copy(update={"usage": account.usage.recorded()})
            accounts[account.id] = account
        out.append(with_account(result, account))
    atomic_write_text(path, "".join(content_json(r) + "\n" for r in out))
    write_jsonl(path.parent / USAGE_FILE, accounts.values())
    return out, accounts


def read_results(path: Path, model: type[R]) -> tuple[list[R], dict[str, ItemAccount]]:
    """A completed stage's results with their accounting filled back in.

    A stage written before accounts were kept apart has no ``usage.jsonl``: its results
    are returned as stored, with the accounting they carry.
    """
    results = read_jsonl(path, model)
    sidecar = path.parent / USAGE_FILE
    if not sidecar.exists():
        legacy = {}
        for r in results:
            account = account_of(r)
            if account is not None:
                legacy[account.id] = account
        return results, legacy
    accounts = {a.id: a for a in read_jsonl(sidecar, ItemAccount)}
    out = []
    for r in results:
        account = account_of(r)
        out.append(with_account(r, accounts.get(account.id) if account else None))
    return out, accounts


def total(accounts: dict[str, ItemAccount]) -> Usage:
    return sum((a.usage for a in accounts.values()), Usage())


def stage_usage(
    usage: dict[str, dict[str, Usage]], resent: dict[str, int] | None = None
) -> dict[str, dict[str, Any]]:
    """run.json's ``usage``: per stage, what its results cost and what this run paid;
    ``resent_calls`` where calls behind them were sent again after a run that had sent
    them ended without their answers (they may have been paid twice)."""
    out: dict[str, dict[str, Any]] = {}
    resent = resent or {}
    for name, entry in sorted(usage.items()):
        recorded = entry.get("recorded", Usage())
        now = entry.get("paid_now", Usage())
        if not (recorded.calls or now.calls or resent.get(name)):
            continue
        earlier = Usage(
            prompt_tokens=max(0, recorded.prompt_tokens - now.prompt_tokens),
            completion_tokens=max(0, recorded.completion_tokens - now.completion_tokens),
            calls=max(0, recorded.calls - now.calls),
            cost=max(0.0, recorded.cost - now.cost),
        )
        out[name] = {
            "recorded": recorded.model_dump(), "paid_now": now.model_dump(),
            "paid_earlier": earlier.model_dump(),
        }
        if resent.get(name):
            out[name]["resent_calls"] = resent[name]
    return out


def describe_usage(usage: dict[str, dict[str, Any]]) -> str:
    """One line: the calls, tokens and cost of the run's results, paid now vs earlier."""
    if not usage:
        return ""
    sums = {
        part: sum((Usage.model_validate(e[part]) for e in usage.values()), Usage())
        for part in ("recorded", "paid_now", "paid_earlier")
    }

    def show(u: Usage) -> str:
        return f"{u.calls:,} calls, {u.tokens:,} tokens, cost {u.cost:.4f}"

    line = (
        f"model calls: {show(sums['recorded'])} (paid now: {show(sums['paid_now'])}; "
        f"paid earlier, from checkpoints and the response cache: {show(sums['paid_earlier'])})"
    )
    resent = sum(int(e.get("resent_calls", 0)) for e in usage.values())
    return line + (f"; {resent_sentence(resent)}" if resent else "")


__all__ = [
    "USAGE_FILE",
    "ItemAccount",
    "account_of",
    "content_json",
    "describe_usage",
    "read_results",
    "stage_usage",
    "strip_record",
    "total",
    "with_account",
    "write_results",
]
