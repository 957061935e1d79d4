"""Regression tests on answers recorded from llama-cpp-python's server and transformers serve.

The loopback server replays the exact bodies those servers gave (``leasebench.testing.
recorded``): llama-cpp-python refuses ``json_schema`` with an HTTP 500 and takes
``json_object`` with a schema; transformers serve ignores ``response_format`` and
answers a wrong model with 400.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from leasebench.llm.client import EndpointError
from leasebench.llm.extractor import LLMExtractor
from leasebench.records import ModelRef
from leasebench.testing.processes import running
from leasebench.testing.recorded import recorded_servers, replay_handler

from .helpers import make_ctx, make_spec, records

LLAMA = recorded_servers()["llama-cpp-python"]
TRANSFORMERS = recorded_servers()["transformers-serve"]


def extract(srv, schema, tmp_path, n=6, **endpoint):
    ex = LLMExtractor.from_dict({"endpoint": make_spec(srv, **endpoint).model_dump()})
    notes: list[str] = []
    preds = list(ex.extract(ModelRef(extractor="llm"), records(n),
                            make_ctx(tmp_path, schema, note=notes.append)))
    return preds, notes


def sent(srv) -> list[str | None]:
    return [(r.body.get("response_format") or {}).get("type") for r in srv.requests]


def test_recorded_llama_cpp_refusal_is_the_500_validation_error():
    answer = LLAMA["answers"]["json_schema"]
    assert answer["status"] == 500
    message = json.loads(answer["body"])["error"]["message"]
    assert "response_format" in message and "Input should be 'text' or 'json_object'" in message


def test_auto_moves_from_llama_cpp_500_to_json_object_once(serve, schema, tmp_path):
    srv = serve(replay_handler("llama-cpp-python"))
    preds, [note] = extract(srv, schema, tmp_path, concurrency=4)
    assert all(p.error is None and p.parse_error is None for p in preds)
    assert sent(srv) == ["json_schema"] + ["json_object"] * 6  # the 500 is not retried
    assert srv.requests[1].body["response_format"]["schema"] == schema.output_json_schema()
    assert "structured output json_object (auto; refused: json_schema: HTTP 500" in note
    assert "ignore" not in note


def test_an_explicit_json_schema_on_llama_cpp_stops_with_its_message(serve, schema, tmp_path):
    srv = serve(replay_handler("llama-cpp-python"))
    with pytest.raises(EndpointError, match="refuses response_format json_schema") as err:
        extract(srv, schema, tmp_path, structured_output="json_schema")
    assert "HTTP 500" in str(err.value) and "literal_error" in str(err.value)
    assert len(srv.requests) == 1


def test_json_object_on_llama_cpp_is_constrained(serve, schema, tmp_path):
    srv = serve(replay_handler("llama-cpp-python"))
    preds, [note] = extract(srv, schema, tmp_path, structured_output="json_object")
    assert all(p.parse_error is None for p in preds) and sent(srv) == ["json_object"] * 6
    assert note.endswith("structured output json_object")


def test_llama_cpp_serves_any_model_name(serve, schema, tmp_path):
    srv = serve(replay_handler("llama-cpp-python"))
    preds, _ = extract(srv, schema, tmp_path, n=1, model="no-such-model")
    assert preds[0].error is None  # one model loaded: a wrong name cannot be detected


def test_llama_cpp_without_v1_stops_at_the_first_request(serve, schema, tmp_path):
    srv = serve(replay_handler("llama-cpp-python"))
    with pytest.raises(EndpointError, match=r"HTTP 404: \{\"detail\":\"Not Found\"\}"):
        extract(srv, schema, tmp_path, base_url=srv.url.removesuffix("/v1"))
    assert len(srv.requests) == 1


def test_transformers_serve_ignoring_response_format_is_named(serve, schema, tmp_path):
    srv = serve(replay_handler("transformers-serve", model="test-model"))
    preds, [note] = extract(srv, schema, tmp_path)
    assert all(p.error is None and p.parse_error for p in preds)
    assert sent(srv) == ["json_schema"] * 6
    assert "6 of 6 answers were not JSON of the schema" in note and "ignore" in note


def test_transformers_serve_wrong_model_stops_after_one_request(serve, schema, tmp_path):
    srv = serve(replay_handler("transformers-serve"))
    with pytest.raises(EndpointError) as err:
        extract(srv, schema, tmp_path)
    text = str(err.value)
    assert "HTTP 400" in text and "requested 'test-model'" in text
    assert "check endpoint.model" in text and len(srv.requests) == 1
    assert json.loads(TRANSFORMERS["answers"]["wrong_model"]["body"])["detail"].startswith(
        "Server is pinned to")


def test_transformers_serve_unknown_field_fails_each_item(serve, schema, tmp_path):
    srv = serve(replay_handler("transformers-serve", model="test-model"))
    preds, _ = extract(srv, schema, tmp_path, n=3, extra_body={"top_k": 3})
    assert all("HTTP 422" in p.error and "top_k" in p.error for p in preds)


def test_the_replay_server_runs_in_its_own_process():
    with running(
        [sys.executable, "-m", "leasebench.testing.llm_server", "--replay", "llama-cpp-python"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as proc:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        body = json.dumps({"model": "m", "messages": [], "response_format": {
            "type": "json_schema"}}).encode()
        req = urllib.request.Request(f"{url}/chat/completions", data=body)
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=10)
        assert err.value.code == 500
        assert err.value.read().decode() == LLAMA["answers"]["json_schema"]["body"]
