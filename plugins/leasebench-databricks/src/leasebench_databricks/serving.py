"""Serving endpoints for UC model versions, and the ``llm`` extractor params that call them.

Provisioned Throughput: ``GET /api/2.0/serving-endpoints/get-model-optimization-info/
{model}/{version}`` gives ``throughput_chunk_size``; min/max throughput are multiples of
it. Custom-model serving takes a GPU ``workload_type`` and ``workload_size`` instead.
The endpoint is created (``POST /api/2.0/serving-endpoints``) or, when it exists, its
config replaced (``PUT .../{name}/config``); then ``GET .../{name}`` is polled until
``state.ready == READY`` and ``state.config_update == NOT_UPDATING``.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .workspace import DatabricksError, call, host_of, poll

FAILED_UPDATES = ("UPDATE_FAILED", "UPDATE_CANCELED")


class DeploySpec(BaseModel):
    """Where and how a trained model version is served."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(
        True, description="Deploy the selected trial's version (once per round); false: "
        "serve it yourself under `endpoint_name` (or the default name)."
    )
    endpoint_name: str | None = Field(
        None, description="Endpoint name; default `lb-<model>-v<version>` (one per round). "
        "A fixed name is one endpoint updated round by round."
    )
    mode: Literal["provisioned", "custom"] = Field(
        "provisioned", description="Provisioned Throughput, or custom-model GPU serving."
    )
    min_chunks: int = Field(0, ge=0, description="Min throughput in chunks (PT).")
    max_chunks: int = Field(1, ge=1, description="Max throughput in chunks (PT).")
    workload_type: str = Field("GPU_MEDIUM", description="GPU type (custom serving).")
    workload_size: str = Field("Small", description="Concurrency size (custom serving).")
    scale_to_zero: bool = Field(True, description="Let an idle endpoint scale to zero.")
    poll_s: float = Field(30.0, ge=0, description="Seconds between status checks.")
    timeout_s: float = Field(5400.0, gt=0, description="Longest wait for READY, in seconds.")
    base_url: str | None = Field(
        None, description="OpenAI base URL; default `https://<host>/serving-endpoints`."
    )
    api_key_env: str = Field("DATABRICKS_TOKEN", description="Env var with the bearer token.")
    llm: dict[str, Any] = Field(
        default_factory=dict,
        description="Further `llm` extractor params (e.g. max_tokens, endpoint.concurrency).",
    )


def default_endpoint_name(full_name: str, version: int) -> str:
    """``lb-<model>-v<version>``: letters, digits, dashes; at most 63 characters."""
    short = re.sub(r"[^A-Za-z0-9-]+", "-", full_name.split(".")[-1]).strip("-").lower()
    suffix = f"-v{version}"
    return ("lb-" + short)[: 63 - len(suffix)] + suffix


def endpoint_name(spec: DeploySpec, full_name: str, version: int) -> str:
    """The endpoint that serves ``full_name`` v``version``: the given or the default name."""
    return spec.endpoint_name or default_endpoint_name(full_name, version)


def chunk_size(w: Any, full_name: str, version: int) -> int:
    """The Provisioned Throughput chunk size (tokens/s) of a model version."""
    path = (
        "/api/2.0/serving-endpoints/get-model-optimization-info/"
        f"{urllib.parse.quote(full_name)}/{version}"
    )
    info = call(w, "GET", path, what="model optimization info") or {}
    if not info.get("optimizable"):
        raise DatabricksError(
            f"{full_name} v{version} cannot use Provisioned Throughput; use deploy.mode: custom"
        )
    return int(info["throughput_chunk_size"])


def served_entity(w: Any, spec: DeploySpec, full_name: str, version: int) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "name": default_endpoint_name(full_name, version)[:63],
        "entity_name": full_name,
        "entity_version": str(version),
        "scale_to_zero_enabled": spec.scale_to_zero,
    }
    if spec.mode == "provisioned":
        size = chunk_size(w, full_name, version)
        entity["min_provisioned_throughput"] = spec.min_chunks * size
        entity["max_provisioned_throughput"] = spec.max_chunks * size
    else:
        entity["workload_type"] = spec.workload_type
        entity["workload_size"] = spec.workload_size
    return entity


def get_endpoint(w: Any, name: str) -> dict[str, Any] | None:
    try:
        return w.api_client.do("GET", f"/api/2.0/serving-endpoints/{name}")
    except Exception as exc:
        if type(exc).__name__ in ("NotFound", "ResourceDoesNotExist"):
            return None
        raise DatabricksError(f"serving endpoint {name}: {type(exc).__name__}: {exc}") from exc


def _ready(endpoint: dict[str, Any] | None) -> bool:
    state = (endpoint or {}).get("state") or {}
    if state.get("config_update") in FAILED_UPDATES:
        name = (endpoint or {}).get("name")
        raise DatabricksError(f"serving endpoint {name}: config update {state['config_update']}")
    return state.get("ready") == "READY" and state.get("config_update") == "NOT_UPDATING"


def _serves(endpoint: dict[str, Any], entity: dict[str, Any]) -> bool:
    pending = endpoint.get("pending_config") or {}
    config = pending or endpoint.get("config") or {}
    return any(
        e.get("entity_name") == entity["entity_name"]
        and str(e.get("entity_version")) == entity["entity_version"]
        for e in config.get("served_entities") or []
    )


def deploy(w: Any, spec: DeploySpec, full_name: str, version: int) -> str:
    """Create or update the endpoint for ``full_name`` v``version``; wait; return its name."""
    name = endpoint_name(spec, full_name, version)
    existing = get_endpoint(w, name)
    if existing is None or not _serves(existing, {"entity_name": full_name,
                                                  "entity_version": str(version)}):
        entity = served_entity(w, spec, full_name, version)
        if existing is None:
            body = {"name": name, "config": {"served_entities": [entity]}}
            call(w, "POST", "/api/2.0/serving-endpoints", what="create endpoint", body=body)
        else:
            call(w, "PUT", f"/api/2.0/serving-endpoints/{name}/config", what="update endpoint",
                 body={"served_entities": [entity]})
    poll(lambda: get_endpoint(w, name), _ready, what=f"serving endpoint {name}",
         interval_s=spec.poll_s, timeout_s=spec.timeout_s)
    return name


def delete_endpoint(w: Any, name: str) -> bool:
    """Delete an endpoint; False when it was already gone."""
    if get_endpoint(w, name) is None:
        return False
    call(w, "DELETE", f"/api/2.0/serving-endpoints/{name}", what="delete endpoint")
    return True


def llm_params(w: Any, spec: DeploySpec, endpoint: str) -> dict[str, Any]:
    """``llm`` extractor params that call ``endpoint`` through its OpenAI-compatible API."""
    base = spec.base_url or f"{host_of(w)}/serving-endpoints"
    params = {k: v for k, v in spec.llm.items() if k != "endpoint"}
    ep = {**spec.llm.get("endpoint", {}), "base_url": base, "model": endpoint,
          "api_key_env": spec.api_key_env}
    return {**params, "endpoint": ep}


__all__ = [
    "DeploySpec",
    "chunk_size",
    "default_endpoint_name",
    "delete_endpoint",
    "deploy",
    "endpoint_name",
    "get_endpoint",
    "llm_params",
    "served_entity",
]
