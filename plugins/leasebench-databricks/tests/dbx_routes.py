"""The fake workspace's endpoints, each checking its documented request shape."""

from __future__ import annotations

import json
from typing import Any

from dbx_fake import CHUNK, FT_OPTIONAL, FT_TASKS, FakeWorkspace, Invalid, Request, _need, _only

NOT_FOUND = {"error_code": "NOT_FOUND", "message": "not found"}


def _volume_path(fake: FakeWorkspace, path: str) -> str:
    if not any(path == v or path.startswith(v + "/") for v in fake.volumes):
        raise Invalid(f"{path} is not inside a known UC Volume")
    return path


# -- identity, Unity Catalog -------------------------------------------------------------
def me(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    return 200, {"userName": "someone@example.com", "id": "1"}


def schema(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    return (200, {"full_name": m[1]}) if m[1] in fake.schemas else (404, NOT_FOUND)


def model(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    return (200, {"full_name": m[1]}) if m[1] in fake.versions else (404, NOT_FOUND)


def versions(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    if m[1].count(".") != 2:
        raise Invalid("model full name must be catalog.schema.model")
    return 200, {"model_versions": fake.versions.get(m[1], [])}


# -- Files API -----------------------------------------------------------------------------
def put_dir(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    _volume_path(fake, m[1])
    return 200, {}


def head_dir(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    path = m[1].rstrip("/")
    known = path in fake.volumes or any(f.startswith(path + "/") for f in fake.files)
    return (200, {}) if known else (404, NOT_FOUND)


def put_file(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    if req.query.get("overwrite") not in ("true", "True"):
        raise Invalid("upload without overwrite=true")
    if not isinstance(req.body, bytes):
        raise Invalid("upload body must be raw bytes (application/octet-stream)")
    fake.files[_volume_path(fake, m[1])] = req.body
    return 204, b""


def get_file(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    data = fake.files.get(m[1])
    return (200, data) if data is not None else (404, NOT_FOUND)


# -- Fine-tuning (GraphQL) -------------------------------------------------------------------
def _ft_obj(run: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": run["id"], "name": run["name"], "status": run["status"],
        "createdByEmail": "someone@example.com", "createdAt": "2025-01-01T00:00:00Z",
        "updatedAt": "2025-01-01T00:00:00Z", "reason": run.get("reason"), "isDeleted": False,
        "details": {**run["config"], "experimentTracker": {"mlflow": {
            **run["config"]["experimentTracker"]["mlflow"],
            "mlflowExperimentId": "100", "mlflowRunId": run["mlflow_run_id"]}},
            "formattedFinetuningEvents": run["events"]},
    }


def _check_ft_config(fake: FakeWorkspace, data: Any) -> dict[str, Any]:
    config = _need(data, "config", dict, "createFinetuneData")
    _only(config, {"model", "taskType", "trainDataPath", "saveFolder", "experimentTracker",
                   *FT_OPTIONAL}, "config")
    _need(config, "model", str, "config")
    if _need(config, "taskType", str, "config") not in FT_TASKS:
        raise Invalid(f"taskType {config['taskType']!r}")
    _need(config, "saveFolder", str, "config")
    for key in ("trainDataPath", "evalDataPath"):
        path = config.get(key)
        if path is None:
            continue
        if path.startswith("dbfs:/Volumes/"):
            if path[len("dbfs:"):] not in fake.files:
                raise Invalid(f"{key} {path} does not exist")
        elif path.count(".") != 2 or "dataPrepConfig" not in config:
            raise Invalid(f"{key} {path}: a Volume file, or a table with dataPrepConfig")
    for key, kind in FT_OPTIONAL.items():
        if key in config:
            _need(config, key, (kind, int) if kind is float else kind, "config")
    mlflow = _need(_need(config, "experimentTracker", dict, "config"), "mlflow", dict,
                   "experimentTracker")
    _need(mlflow, "experimentPath", str, "mlflow")
    if _need(mlflow, "modelRegistryPath", str, "mlflow").count(".") not in (1, 2):
        raise Invalid("modelRegistryPath must be catalog.schema[.model]")
    return config


def _advance_ft(fake: FakeWorkspace, run: dict[str, Any]) -> None:
    run["step"] = min(run["step"] + 1, len(run["script"]) - 1)
    status = run["script"][run["step"]]
    if status != run["status"]:
        run["status"] = status
        run["events"].append({"eventType": status, "eventTime": "2025-01-01T00:00:00Z",
                              "eventMessage": f"run is {status.lower()}"})
        if status == "COMPLETED":
            lr = float(run["config"].get("learningRate", 1e-6))
            acc = fake.token_accuracy(lr)
            fake.log_metric(run["mlflow_run_id"], "metrics/eval/TokenAccuracy", [acc - 0.1, acc])
            fake.log_metric(run["mlflow_run_id"], "metrics/eval/LanguageCrossEntropy", [1.0, 0.4])
            fake.log_metric(run["mlflow_run_id"], "metrics/eval/LanguagePerplexity", [2.7, 1.5])
            target = run["config"]["experimentTracker"]["mlflow"]["modelRegistryPath"]
            full = target if target.count(".") == 2 else f"{target}.{run['name']}"
            fake.register_version(full, run["mlflow_run_id"])
        if status == "FAILED":
            run["reason"] = "data validation failed"


def graphql(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    body = req.body
    query = _need(body, "query", str, "body")
    variables = _need(body, "variables", dict, "body")
    if "mutation CreateFinetune(" in query:
        config = _check_ft_config(fake, variables.get("createFinetuneData"))
        n = len(fake.finetunes) + 1
        name = f"ift-{config['model'].split('/')[-1].lower()}-{n}"
        fake.finetunes[name] = run = {
            "id": str(n), "name": name, "status": fake.finetune_script[0], "step": 0,
            "script": list(fake.finetune_script), "config": config,
            "mlflow_run_id": f"mlrun{n}", "events": []}
        return 200, {"data": {"createFinetune": _ft_obj(run)}}
    if "query GetFinetunesPaginated(" in query:
        data = _need(variables, "getFinetunesPaginatedData", dict, "variables")
        names = data.get("filters", {}).get("name", {}).get("in")
        if names is None:
            return 200, {"data": {"getFinetunesPaginated": {"cursor": None, "finetunes": []}}}
        runs = [fake.finetunes[n] for n in names if n in fake.finetunes]
        for run in runs:
            _advance_ft(fake, run)
        return 200, {"data": {"getFinetunesPaginated": {
            "cursor": None, "hasNextPage": False, "finetunes": [_ft_obj(r) for r in runs]}}}
    if "query GetFinetuneEvents(" in query:
        data = _need(variables, "getFinetuneEventsData", dict, "variables")
        found = fake.finetunes.get(_need(data, "name", str, "getFinetuneEventsData"))
        return 200, {"data": {"getFinetuneEvents": found["events"] if found else []}}
    if "mutation StopFinetunes(" in query:
        data = _need(variables, "getFinetunesData", dict, "variables")
        names = data["filters"]["name"]["in"]
        for n in names:
            fake.finetunes[n]["status"] = "STOPPED"
            fake.finetunes[n]["script"] = ["STOPPED"]
            fake.finetunes[n]["step"] = 0
        return 200, {"data": {"stopFinetunes": [{"id": "x", "name": n, "status": "STOPPED"}
                                                for n in names]}}
    raise Invalid(f"unknown GraphQL operation: {query[:60]!r}")


# -- Jobs -------------------------------------------------------------------------------------
def submit(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    body = req.body
    _only(body, {"run_name", "tasks", "environments", "idempotency_token", "timeout_seconds"},
          "runs/submit")
    _need(body, "run_name", str, "runs/submit")
    token = body.get("idempotency_token")
    if token is not None and (not isinstance(token, str) or len(token) > 64):
        raise Invalid("idempotency_token must be a string of at most 64 characters")
    for run_id, job in fake.jobs.items():
        if token and job["body"].get("idempotency_token") == token:
            return 200, {"run_id": run_id}
    tasks = _need(body, "tasks", list, "runs/submit")
    if len(tasks) != 1:
        raise Invalid("expected one task")
    task = tasks[0]
    _need(task, "task_key", str, "task")
    spt = _need(task, "spark_python_task", dict, "task")
    if _need(spt, "python_file", str, "spark_python_task") not in fake.files:
        raise Invalid(f"python_file {spt['python_file']} was not uploaded")
    params = _need(spt, "parameters", list, "spark_python_task")
    if not all(isinstance(p, str) for p in params):
        raise Invalid("parameters must be strings")
    compute = [k for k in ("environment_key", "new_cluster", "existing_cluster_id") if k in task]
    if len(compute) != 1:
        raise Invalid(f"task needs exactly one compute setting, got {compute}")
    if compute == ["environment_key"]:
        keys = {e.get("environment_key") for e in body.get("environments", [])}
        if task["environment_key"] not in keys:
            raise Invalid("environment_key names no environment")
        for env in body["environments"]:
            _need(_need(env, "spec", dict, "environment"), "client", str, "environment.spec")
    run_id = 1000 + len(fake.jobs)
    fake.jobs[run_id] = {"body": body, "step": -1, "script": list(fake.job_script)}
    return 200, {"run_id": run_id}


def get_run(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    run_id = int(_need(req.query, "run_id", str, "query"))
    job = fake.jobs.get(run_id)
    if job is None:
        return 404, NOT_FOUND
    job["step"] = min(job["step"] + 1, len(job["script"]) - 1)
    life, result = job["script"][job["step"]]
    if result == "SUCCESS" and not job.get("ran") and fake.on_job_success is not None:
        job["ran"] = True
        params = job["body"]["tasks"][0]["spark_python_task"]["parameters"]
        spec = json.loads(fake.files[params[params.index("--spec") + 1]])
        fake.on_job_success(fake, spec)
    state: dict[str, Any] = {"life_cycle_state": life, "state_message": ""}
    if result:
        state["result_state"] = result
        state["state_message"] = "" if result == "SUCCESS" else "Task failed: CUDA OOM"
    return 200, {"run_id": run_id, "state": state,
                 "run_page_url": f"https://example/#job/runs/{run_id}"}


# -- Serving ----------------------------------------------------------------------------------
def _check_entities(fake: FakeWorkspace, entities: Any) -> None:
    if not isinstance(entities, list) or len(entities) != 1:
        raise Invalid("served_entities must be a list of one entity")
    e = entities[0]
    name = _need(e, "entity_name", str, "entity")
    version = _need(e, "entity_version", str, "entity")
    if not any(str(v["version"]) == version for v in fake.versions.get(name, [])):
        raise Invalid(f"{name} version {version} does not exist")
    if "min_provisioned_throughput" in e:
        for key in ("min_provisioned_throughput", "max_provisioned_throughput"):
            if _need(e, key, int, "entity") % CHUNK:
                raise Invalid(f"{key} must be a multiple of the chunk size {CHUNK}")
    else:
        _need(e, "workload_type", str, "entity")
        _need(e, "workload_size", str, "entity")


def optimization_info(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    if not any(str(v["version"]) == m[2] for v in fake.versions.get(m[1], [])):
        return 404, NOT_FOUND
    return 200, {"optimizable": True, "throughput_chunk_size": CHUNK}


def create_endpoint(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    name = _need(req.body, "name", str, "body")
    if name in fake.endpoints:
        return 409, {"error_code": "RESOURCE_ALREADY_EXISTS", "message": "exists"}
    config = _need(req.body, "config", dict, "body")
    _check_entities(fake, config.get("served_entities"))
    fake.endpoints[name] = {"name": name, "config": config, "step": -1,
                            "script": list(fake.endpoint_script)}
    return 200, {"name": name}


def get_endpoint(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    ep = fake.endpoints.get(m[1])
    if ep is None:
        return 404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no endpoint"}
    ep["step"] = min(ep["step"] + 1, len(ep["script"]) - 1)
    ready, update = ep["script"][ep["step"]]
    return 200, {"name": ep["name"], "config": ep["config"],
                 "state": {"ready": ready, "config_update": update}}


def put_config(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    ep = fake.endpoints.get(m[1])
    if ep is None:
        return 404, NOT_FOUND
    _check_entities(fake, req.body.get("served_entities"))
    ep.update(config=req.body, step=-1, script=list(fake.endpoint_script))
    return 200, {"name": m[1]}


def delete_endpoint(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    return (200, {}) if fake.endpoints.pop(m[1], None) else (404, NOT_FOUND)


# -- MLflow -----------------------------------------------------------------------------------
def history(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    run_id = _need(req.query, "run_id", str, "query")
    key = _need(req.query, "metric_key", str, "query")
    return 200, {"metrics": fake.metrics.get((run_id, key), [])}


def mlflow_run(fake: FakeWorkspace, m: Any, req: Request) -> tuple[int, Any]:
    run_id = _need(req.query, "run_id", str, "query")
    latest = [h[-1] for (rid, _), h in fake.metrics.items() if rid == run_id and h]
    return 200, {"run": {"info": {"run_id": run_id}, "data": {"metrics": latest}}}


def install(h: Any) -> None:
    h.add("GET", r"/api/2.0/preview/scim/v2/Me", me)
    h.add("GET", r"/api/2.1/unity-catalog/schemas/([^/]+)", schema)
    h.add("GET", r"/api/2.1/unity-catalog/models/([^/]+)/versions", versions)
    h.add("GET", r"/api/2.1/unity-catalog/models/([^/]+)", model)
    h.add("PUT", r"/api/2.0/fs/directories(/Volumes/.+)", put_dir)
    h.add("HEAD", r"/api/2.0/fs/directories(/Volumes/.+)", head_dir)
    h.add("PUT", r"/api/2.0/fs/files(/Volumes/.+)", put_file)
    h.add("GET", r"/api/2.0/fs/files(/Volumes/.+)", get_file)
    h.add("POST", r"/api/2.0/genai-mapi/graphql", graphql)
    h.add("POST", r"/api/2.2/jobs/runs/submit", submit)
    h.add("GET", r"/api/2.2/jobs/runs/get", get_run)
    h.add("GET", r"/api/2.0/serving-endpoints/get-model-optimization-info/([^/]+)/(\d+)",
          optimization_info)
    h.add("POST", r"/api/2.0/serving-endpoints", create_endpoint)
    h.add("GET", r"/api/2.0/serving-endpoints/([^/]+)", get_endpoint)
    h.add("PUT", r"/api/2.0/serving-endpoints/([^/]+)/config", put_config)
    h.add("DELETE", r"/api/2.0/serving-endpoints/([^/]+)", delete_endpoint)
    h.add("GET", r"/api/2.0/mlflow/metrics/get-history", history)
    h.add("GET", r"/api/2.0/mlflow/runs/get", mlflow_run)


__all__ = ["install"]
