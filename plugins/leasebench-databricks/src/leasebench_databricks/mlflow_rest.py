"""MLflow tracking and the UC model registry over REST (no local mlflow client needed)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from .workspace import DatabricksError, call, poll

# Names the fine-tuning service logs (Composer / llm-foundry) -> leasebench metric names.
FINETUNE_METRICS = {
    "metrics/eval/TokenAccuracy": "token_accuracy",
    "metrics/eval/LanguageCrossEntropy": "cross_entropy",
    "metrics/eval/LanguagePerplexity": "perplexity",
}


def metric_history(w: Any, run_id: str, key: str) -> list[dict[str, Any]]:
    """Every logged value of one metric (``GET /api/2.0/mlflow/metrics/get-history``)."""
    out: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        query = {"run_id": run_id, "metric_key": key, "max_results": 1000}
        if token:
            query["page_token"] = token
        res = call(w, "GET", "/api/2.0/mlflow/metrics/get-history", what="metric history",
                   query=query) or {}
        out.extend(res.get("metrics") or [])
        token = res.get("next_page_token")
        if not token:
            return out


def final_metrics(w: Any, run_id: str, names: dict[str, str]) -> dict[str, float]:
    """The value at the last step of each metric in ``names`` (remote key -> local name)."""
    found: dict[str, float] = {}
    for key, local in names.items():
        history = metric_history(w, run_id, key)
        if history:
            last = max(history, key=lambda m: (int(m.get("step", 0)), int(m.get("timestamp", 0))))
            found[local] = float(last["value"])
    return found


def run_metrics(w: Any, run_id: str) -> dict[str, float]:
    """A run's latest metrics (``GET /api/2.0/mlflow/runs/get``)."""
    res = call(w, "GET", "/api/2.0/mlflow/runs/get", what="mlflow run", query={"run_id": run_id})
    metrics = ((res or {}).get("run") or {}).get("data", {}).get("metrics") or []
    return {m["key"]: float(m["value"]) for m in metrics}


def model_versions(w: Any, full_name: str) -> list[dict[str, Any]]:
    """UC model versions (``GET /api/2.1/unity-catalog/models/{full_name}/versions``)."""
    path = f"/api/2.1/unity-catalog/models/{urllib.parse.quote(full_name)}/versions"
    out: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        query: dict[str, Any] = {"max_results": 100}
        if token:
            query["page_token"] = token
        res = call(w, "GET", path, what="model versions", query=query) or {}
        out.extend(res.get("model_versions") or [])
        token = res.get("next_page_token")
        if not token:
            return out


def version_for_run(
    w: Any, full_name: str, run_id: str, *, interval_s: float, timeout_s: float
) -> int:
    """The READY version of ``full_name`` that ``run_id`` registered (waits for READY)."""

    def fetch() -> dict[str, Any] | None:
        matches = [v for v in model_versions(w, full_name) if v.get("run_id") == run_id]
        return max(matches, key=lambda v: int(v["version"])) if matches else None

    def ready(v: dict[str, Any] | None) -> bool:
        if v is not None and v.get("status") in ("FAILED_REGISTRATION",):
            raise DatabricksError(f"{full_name} version {v['version']}: registration failed")
        return v is not None and v.get("status", "READY") == "READY"

    found = poll(fetch, ready, what=f"UC model version of run {run_id} in {full_name}",
                 interval_s=interval_s, timeout_s=timeout_s)
    assert found is not None
    return int(found["version"])


__all__ = [
    "FINETUNE_METRICS",
    "final_metrics",
    "metric_history",
    "model_versions",
    "run_metrics",
    "version_for_run",
]
