"""The Foundation Model Fine-tuning service, called without the ``databricks-genai`` package.

``databricks.model_training.foundation_model`` (PyPI ``databricks-genai``) is a thin
GraphQL client: every call is ``POST /api/2.0/genai-mapi/graphql`` with a bearer token,
body ``{"query", "variables"}``. This module sends the same operations through the
databricks-sdk ``ApiClient`` so it works with the SDK and mlflow versions leasebench
uses (the package pins ``mlflow<=2.20.2`` and ``databricks-sdk<0.43``):

| ``fm`` call   | operation                | variables                                  |
| ------------- | ------------------------ | ------------------------------------------ |
| ``create``    | ``createFinetune``       | ``createFinetuneData: {config: {...}}``    |
| ``get``       | ``getFinetunesPaginated``| ``getFinetunesPaginatedData: {filters}``   |
| ``get_events``| ``getFinetuneEvents``    | ``getFinetuneEventsData: {name}``          |
| ``cancel``    | ``stopFinetunes``        | ``getFinetunesData: {filters}``            |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .workspace import DatabricksError, call

GRAPHQL_PATH = "/api/2.0/genai-mapi/graphql"
TERMINAL = ("COMPLETED", "STOPPED", "FAILED", "CANCELED")
SAVE_FOLDER = "dbfs:/databricks/mlflow-tracking/{mlflow_experiment_id}/{mlflow_run_id}/artifacts"

_RUN_FIELDS = """id name status createdByEmail createdAt updatedAt startedAt completedAt
reason estimatedEndTime isDeleted
details { model taskType trainDataPath evalDataPath trainingDuration learningRate
  contextLength experimentTracker dataPrepConfig
  formattedFinetuningEvents { eventType eventTime eventMessage } }"""

CREATE = (
    "mutation CreateFinetune($createFinetuneData: CreateFinetuneInput!) {\n"
    f"  createFinetune(createFinetuneData: $createFinetuneData) {{ {_RUN_FIELDS} }}\n}}"
)
GET = (
    "query GetFinetunesPaginated($getFinetunesPaginatedData: GetFinetunesPaginatedInput!) {\n"
    "  getFinetunesPaginated(getFinetunesPaginatedData: $getFinetunesPaginatedData) {\n"
    f"    cursor hasNextPage finetunes {{ {_RUN_FIELDS} }} }}\n}}"
)
EVENTS = (
    "query GetFinetuneEvents($getFinetuneEventsData: GetFinetuneEventsInput!) {\n"
    "  getFinetuneEvents(getFinetuneEventsData: $getFinetuneEventsData) "
    "{ eventType eventTime eventMessage }\n}"
)
CANCEL = (
    "mutation StopFinetunes($getFinetunesData: GetFinetunesInput!, "
    "$stopFinetunesData: StopFinetunesInput) {\n"
    "  stopFinetunes(getFinetunesData: $getFinetunesData, stopFinetunesData: $stopFinetunesData)"
    " { id name status }\n}"
)


@dataclass
class FinetuneRun:
    """What the service says about one run."""

    name: str
    status: str
    reason: str = ""
    experiment_id: str | None = None
    mlflow_run_id: str | None = None
    register_to: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    @classmethod
    def from_response(cls, obj: dict[str, Any]) -> FinetuneRun:
        details = obj.get("details") or {}
        mlflow = (details.get("experimentTracker") or {}).get("mlflow") or {}
        return cls(
            name=obj["name"],
            status=str(obj["status"]).upper(),
            reason=obj.get("reason") or "",
            experiment_id=mlflow.get("mlflowExperimentId"),
            mlflow_run_id=mlflow.get("mlflowRunId"),
            register_to=mlflow.get("modelRegistryPath"),
            events=list(details.get("formattedFinetuningEvents") or []),
        )


def create_config(
    *,
    model: str,
    train_data_path: str,
    register_to: str,
    experiment_path: str,
    task_type: str = "CHAT_COMPLETION",
    eval_data_path: str | None = None,
    training_duration: str | None = None,
    learning_rate: float | None = None,
    context_length: int | None = None,
    data_prep_cluster_id: str | None = None,
) -> dict[str, Any]:
    """The ``createFinetuneData`` input ``fm.create`` builds for these arguments."""
    config: dict[str, Any] = {
        "model": model,
        "taskType": task_type,
        "trainDataPath": train_data_path,
        "saveFolder": SAVE_FOLDER,
        "experimentTracker": {
            "mlflow": {
                "experimentPath": experiment_path,
                "modelRegistryPath": register_to,
                "createExperimentAndRun": True,
            }
        },
    }
    optional = {
        "evalDataPath": eval_data_path,
        "trainingDuration": training_duration,
        "learningRate": learning_rate,
        "contextLength": context_length,
        "dataPrepConfig": {"clusterId": data_prep_cluster_id} if data_prep_cluster_id else None,
    }
    config.update({k: v for k, v in optional.items() if v is not None})
    return {"config": config}


class FinetuneClient:
    """``create`` / ``get`` / ``get_events`` / ``cancel`` of the fine-tuning service."""

    def __init__(self, w: Any):
        self.w = w

    def _graphql(self, query: str, variables: dict[str, Any], fn: str) -> Any:
        body = {"query": query, "variables": variables}
        res = call(self.w, "POST", GRAPHQL_PATH, what=f"fine-tuning {fn}", body=body)
        if not isinstance(res, dict):
            raise DatabricksError(f"fine-tuning {fn}: unexpected answer {res!r}")
        if res.get("errors"):
            messages = "; ".join(str(e.get("message", e)) for e in res["errors"])
            raise DatabricksError(f"fine-tuning {fn}: {messages}")
        data = res.get("data") or {}
        if fn not in data:
            raise DatabricksError(f"fine-tuning {fn}: answer has no {fn!r}")
        return data[fn]

    def create(self, config: dict[str, Any]) -> FinetuneRun:
        obj = self._graphql(CREATE, {"createFinetuneData": config}, "createFinetune")
        return FinetuneRun.from_response(obj)

    def get(self, name: str) -> FinetuneRun:
        variables = {
            "getFinetunesPaginatedData": {
                "filters": {"name": {"in": [name]}}, "includeDeleted": False, "limit": 1,
            }
        }
        page = self._graphql(GET, variables, "getFinetunesPaginated")
        runs = page.get("finetunes") or []
        if not runs:
            raise DatabricksError(f"fine-tuning run {name!r} not found")
        return FinetuneRun.from_response(runs[0])

    def get_events(self, name: str) -> list[dict[str, Any]]:
        return list(self._graphql(EVENTS, {"getFinetuneEventsData": {"name": name}},
                                  "getFinetuneEvents"))

    def cancel(self, name: str) -> int:
        variables = {"getFinetunesData": {"filters": {"name": {"in": [name]}}}}
        return len(self._graphql(CANCEL, variables, "stopFinetunes") or [])


__all__ = ["GRAPHQL_PATH", "TERMINAL", "FinetuneClient", "FinetuneRun", "create_config"]
