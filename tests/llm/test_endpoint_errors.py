"""Configuration errors stop a stage at its first request; structured output is negotiated.

A wrong key, URL or model would fail every item the same way: the first request goes
alone, and its answer stops the stage (``EndpointError``; exit code 2 at the CLI) with
the endpoint, the model and the server's own message, before any other item is sent.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from leasebench.llm.base import ENDPOINT_FILE
from leasebench.llm.client import EndpointError, LLMClient
from leasebench.llm.extractor import LLMExtractor
from leasebench.records import ModelRef
from leasebench.testing.llm_server import Reply

from .helpers import labels_handler, make_ctx, make_spec, records
from .test_run_level import handler as run_handler
from .test_run_level import write_manifest

PINNED = '{"detail":"Server is pinned to \'/models/tiny\'; requested \'%s\'."}'


def wrong_model(body, req):  # transformers serve, started with a model path
    if body.get("model") != "/models/tiny":
        return Reply(status=400, body=PINNED % body.get("model"))
    return labels_handler(body, req)


def needs_v1(body, req):  # a server that serves only under /v1 (FastAPI's 404 body)
    if not req.path.startswith("/v1/"):
        return Reply(status=404, body='{"detail":"Not Found"}')
    return labels_handler(body, req)


def extract(srv, schema, tmp_path, n=20, **endpoint):
    spec = make_spec(srv, **endpoint)
    ex = LLMExtractor.from_dict({"endpoint": spec.model_dump()})
    notes: list[str] = []
    ctx = make_ctx(tmp_path, schema, note=notes.append)
    preds = list(ex.extract(ModelRef(extractor="llm"), records(n), ctx))
    return preds, notes


@pytest.mark.parametrize(("handler", "options", "status", "message"), [
    (wrong_model, {}, "HTTP 400", "requested 'test-model'"),
    (needs_v1, {"base": ""}, "HTTP 404", "Not Found"),
    (labels_handler, {"api_key": "right"}, "HTTP 401", "invalid api key"),
    (lambda b, r: Reply(status=404, body=json.dumps({"error": {
        "message": "The model `test-model` does not exist.", "code": "model_not_found"}})),
     {}, "HTTP 404", "does not exist"),
    (lambda b, r: Reply(status=403, body='{"error": "forbidden"}'), {}, "HTTP 403", "forbidden"),
])
def test_configuration_errors_stop_the_stage_after_one_request(
        serve, schema, tmp_path, handler, options, status, message):
    base = options.pop("base", None)
    srv = serve(handler, **options)
    endpoint = {"concurrency": 8} if base is None else {"concurrency": 8,
                                                        "base_url": srv.url[: -len("/v1")]}
    with pytest.raises(EndpointError) as err:
        extract(srv, schema, tmp_path, **endpoint)
    text = str(err.value)
    assert status in text and message in text and "test-model" in text
    assert "/chat/completions" in text
    assert len(srv.requests) == 1


def test_a_model_error_is_told_from_a_too_long_input(serve, schema, tmp_path):
    too_long = json.dumps({"error": {"message": "This model's maximum context length is 8192 "
                                     "tokens; your messages resulted in 9000 tokens."}})
    srv = serve(lambda b, r: Reply(status=400, body=too_long))
    preds, _ = extract(srv, schema, tmp_path, n=3)
    assert all(p.error and "maximum context length" in p.error for p in preds)


def test_an_explicit_mode_the_server_refuses_stops_the_stage(serve, schema, tmp_path):
    srv = serve(labels_handler, reject_response_format=True)
    with pytest.raises(EndpointError, match=r"refuses response_format json_schema.*auto"):
        extract(srv, schema, tmp_path, structured_output="json_schema")
    assert len(srv.requests) == 1


@pytest.mark.parametrize(("mode", "sent"), [
    ("json_schema", {"type": "json_schema"}),
    ("json_object", {"type": "json_object"}),
    ("none", None),
])
def test_each_structured_output_mode_sends_its_response_format(serve, schema, tmp_path, mode,
                                                              sent):
    srv = serve(labels_handler)
    preds, notes = extract(srv, schema, tmp_path, n=2, structured_output=mode)
    assert all(p.parse_error is None for p in preds)
    fmt = srv.requests[0].body.get("response_format")
    if sent is None:
        assert fmt is None
    else:
        assert fmt["type"] == sent["type"]
        out = schema.output_json_schema()
        assert (fmt.get("schema") or fmt["json_schema"]["schema"]) == out
    assert notes == [f"{srv.url} (model test-model): structured output {mode}"]


def test_a_server_that_ignores_response_format_is_named(serve, schema, tmp_path):
    srv = serve(lambda b, r: "Sure! The lessor is Acme Corp.")
    preds, notes = extract(srv, schema, tmp_path, n=4)
    assert all(p.parse_error for p in preds)
    [note] = notes
    assert "structured output json_schema (auto)" in note
    assert "4 of 4 answers were not JSON of the schema" in note and "ignore" in note
    info = json.loads((tmp_path / "work" / ENDPOINT_FILE).read_text())
    assert info["structured_output"]["unconstrained"] == 4


def test_a_time_out_names_the_setting_to_raise(serve):
    srv = serve(lambda b, r: Reply(content="late", delay=1.0))
    spec = make_spec(srv, timeout_s=0.2, max_retries=0)

    async def one():
        async with LLMClient(spec) as client:
            return await client.complete([{"role": "user", "content": "hi"}])

    res = asyncio.run(one())
    assert "time-out after 0.2s" in res.error and "endpoint.timeout_s" in res.error


def test_the_cli_exits_2_with_the_servers_message_and_no_task_tracebacks(serve, tmp_path):
    srv = serve(lambda body, req: wrong_model(body, req) if body.get("model") != "/models/tiny"
                else run_handler(body, req), latency=0.05)
    path = write_manifest(tmp_path, srv.url, batch_size=12, concurrency=8)
    out = subprocess.run(
        [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
         str(tmp_path / "runs"), "--no-mlflow"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr
    assert "requested 'test-model'" in out.stderr and "check endpoint.model" in out.stderr
    assert "Traceback" not in out.stderr and "never retrieved" not in out.stderr
    assert len(srv.requests) == 1  # the first stage stopped at its first request
