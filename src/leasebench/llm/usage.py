"""Token usage and cost: a per-stage ledger, the run's cost budget, dry-run estimates."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ..errors import BudgetExceeded
from ..records import Usage

CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """A rough token count (about four characters per token), never below 1."""
    return max(1, len(text) // CHARS_PER_TOKEN)


@dataclass
class StageUsage:
    """What one stage's calls consumed: paid calls, cache hits, failures, tokens and cost."""

    calls: int = 0
    cached: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0

    def as_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


class UsageLedger:
    """Usage per stage, safe to update from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stages: dict[str, StageUsage] = {}

    def add(self, stage: str, usage: Usage, *, cached: bool = False, failed: bool = False) -> None:
        with self._lock:
            s = self._stages.setdefault(stage, StageUsage())
            s.calls += usage.calls
            s.cached += int(cached)
            s.failed += int(failed)
            s.prompt_tokens += usage.prompt_tokens
            s.completion_tokens += usage.completion_tokens
            s.cost += usage.cost

    def stage(self, stage: str) -> StageUsage:
        with self._lock:
            return StageUsage(**self._stages.get(stage, StageUsage()).__dict__)

    def stages(self) -> dict[str, StageUsage]:
        with self._lock:
            return {k: StageUsage(**v.__dict__) for k, v in self._stages.items()}

    @property
    def total_cost(self) -> float:
        with self._lock:
            return sum(s.cost for s in self._stages.values())


class Budget:
    """A run's cost budget, shared by every stage and thread.

    Before a call the client *reserves* its worst-case cost; after it, the reservation is
    *settled* with the real cost. ``spent + reserved`` never exceeds ``max_cost``, so a run
    stops before it would overspend. Once a reservation is refused the budget is
    exhausted and refuses every later one (no cheaper call sneaks in after a refusal).
    ``max_cost=None`` only tracks usage. ``spent`` may start from what earlier, resumed
    runs already paid.
    """

    def __init__(self, max_cost: float | None = None, spent: float = 0.0) -> None:
        self.max_cost = max_cost
        self.ledger = UsageLedger()
        self._lock = threading.Lock()
        self._spent = spent
        self._reserved = 0.0
        self._refused: str | None = None

    @property
    def spent(self) -> float:
        with self._lock:
            return self._spent

    @property
    def exhausted(self) -> bool:
        return self._refused is not None

    def reserve(self, amount: float, what: str = "call") -> None:
        """Reserve ``amount`` or raise ``BudgetExceeded`` (and stay exhausted)."""
        with self._lock:
            if self.max_cost is None:
                self._reserved += amount
                return
            if self._refused is None and self._spent + self._reserved + amount > self.max_cost:
                self._refused = (
                    f"cost budget {self.max_cost:g} reached: spent {self._spent:.4f}, "
                    f"{self._reserved:.4f} reserved in flight, the next {what} could cost up "
                    f"to {amount:.4f}"
                )
            if self._refused is not None:
                raise BudgetExceeded(self._refused)
            self._reserved += amount

    def settle(self, reserved: float, actual: float) -> None:
        """Release a reservation and charge the real cost."""
        with self._lock:
            self._reserved -= reserved
            self._spent += actual


@dataclass(frozen=True)
class CallEstimate:
    """A dry run's forecast for one stage: calls, tokens and cost.

    ``completion_tokens`` (and so ``cost``) is an upper bound: each call's ``max_tokens``.
    ``cached`` calls are already in the response cache and cost nothing; they are not in
    ``calls`` or the token counts. ``context_unread``: long documents were counted
    without the model's context, which the run reads from the server (``/models``) where
    it reports one, so the run may cut them into more calls than counted.
    """

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    cached: int = 0
    context_unread: bool = False

    def __add__(self, other: CallEstimate) -> CallEstimate:
        return CallEstimate(
            self.calls + other.calls,
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cost + other.cost,
            self.cached + other.cached,
            self.context_unread or other.context_unread,
        )


__all__ = [
    "CHARS_PER_TOKEN",
    "Budget",
    "CallEstimate",
    "StageUsage",
    "UsageLedger",
    "estimate_tokens",
]
