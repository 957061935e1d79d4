"""ai_query SQL generation (pure), and the extractor's SQL executed on real local Spark with
``ai_query`` registered as a SQL function that calls the loopback OpenAI-compatible server."""

from __future__ import annotations

import json

import pytest
from dbx_helpers import records
from leasebench.chunking import context_tokens
from leasebench.components import Context
from leasebench.records import ModelRef, Record
from leasebench.testing.llm_server import Reply
from local_ai_query import register_ai_query

from leasebench_databricks.ai_query import (
    AIQueryExtractor,
    ai_query_sql,
    prompt_parts,
    response_format,
    sql_string,
    to_prediction,
)
from leasebench_databricks.workspace import DatabricksError


def test_sql_string_escapes_quotes_and_backslashes():
    assert sql_string("it's a \\ path") == "'it\\'s a \\\\ path'"


def test_statement_has_named_arguments_in_order():
    sql = ai_query_sql("main.lb.holdout", "lb-ep", prefix="Extract:\n", suffix="\nEnd",
                       response_format='{"type":"json_schema"}',
                       model_parameters={"max_tokens": 100, "temperature": 0.0})
    assert sql == (
        "SELECT CAST(id AS STRING) AS id, response.result AS result, "
        "response.errorMessage AS error\nFROM (\n  SELECT id, ai_query(\n"
        "    'lb-ep',\n"
        "    concat('Extract:\n', text, '\nEnd'),\n"
        "    modelParameters => named_struct('max_tokens', 100, 'temperature', 0.0),\n"
        "    responseFormat => '{\"type\":\"json_schema\"}',\n"
        "    failOnError => false\n  ) AS response\n  FROM main.lb.holdout\n)"
    )


def test_prompt_parts_wrap_the_document(schema):
    prefix, suffix = prompt_parts(schema)
    assert "Fields:" in prefix and prefix.rstrip().endswith("<<<")
    assert suffix.strip() == ">>>"


def test_row_errors_are_kept_per_document(schema):
    ok = to_prediction("a", json.dumps({schema.fields[0]: ["x"]}), None, schema)
    assert ok.fields[schema.fields[0]] == ["x"] and ok.error is None
    bad = to_prediction("b", None, "RESOURCE_EXHAUSTED: rate limit", schema)
    assert bad.error is not None and bad.error.startswith("RESOURCE_EXHAUSTED")
    assert bad.fields == {}
    junk = to_prediction("c", "not json", None, schema)
    assert junk.parse_error and junk.raw == "not json"


def answer(body, req):
    """The endpoint: labels naming the document's number; document 1 fails."""
    content = body["messages"][0]["content"]
    number = content.split("Lease number ", 1)[1].split(":", 1)[0]
    if number == "1":
        return Reply(status=400, content="model timed out")
    fields = body["response_format"]["json_schema"]["schema"]["properties"]
    return json.dumps({f: [f"v-doc{number}"] for f in fields})


@pytest.fixture
def endpoint(spark, lb_llm_server):
    server = lb_llm_server(answer)
    register_ai_query(spark.spark, server.url)
    return server


def check(preds, schema):
    assert set(preds) == {"doc0", "doc1", "doc2"}
    assert "400" in preds["doc1"].error and preds["doc1"].fields == {}
    assert preds["doc2"].fields[schema.fields[0]] == ["v-doc2"] and preds["doc2"].error is None


def test_extractor_runs_its_sql_on_spark(spark, endpoint, schema, tmp_path):
    model = ModelRef(extractor="llm", params={"endpoint": {"model": "lb-m-v3"}})
    ctx = Context(schema=schema, seed=1, workdir=tmp_path)
    docs = [r.unlabelled() for r in records(3)]
    preds = {p.id: p for p in AIQueryExtractor.from_dict({"max_tokens": 77}).extract(
        model, docs, ctx)}
    check(preds, schema)
    (statement,) = spark.sql_seen
    assert "'lb-m-v3'" in statement and "failOnError => false" in statement
    sent = endpoint.requests[0].body
    assert sent["model"] == "lb-m-v3" and sent["max_tokens"] == 77
    assert sent["temperature"] == 0.0 and sent["response_format"]["type"] == "json_schema"
    assert sent["messages"][0]["content"].startswith(prompt_parts(schema)[0])


def test_extractor_reads_a_uc_holdout_table(spark, endpoint, schema, tmp_path):
    table = f"{spark.schema}.holdout"
    spark.createDataFrame([(r.id, r.text) for r in records(3)], "doc string, body string"
                          ).write.saveAsTable(table)
    ctx = Context(schema=schema, seed=1, workdir=tmp_path)
    extractor = AIQueryExtractor.from_dict({"endpoint": "lb-ep", "table": table,
                                            "id_column": "doc", "text_column": "body"})
    wanted = [r.unlabelled() for r in records(3)]
    check({p.id: p for p in extractor.extract(ModelRef(extractor="x"), wanted, ctx)}, schema)
    assert f"FROM {table}" in spark.sql_seen[0]


def test_extractor_needs_an_endpoint(spark, schema, tmp_path):
    ctx = Context(schema=schema, seed=1, workdir=tmp_path)
    with pytest.raises(DatabricksError, match="endpoint"):
        list(AIQueryExtractor.from_dict({}).extract(ModelRef(extractor="x"), records(1), ctx))


def test_without_pyspark_the_error_says_what_to_do(monkeypatch):
    import builtins

    from leasebench_databricks import tables

    real = builtins.__import__

    def no_spark(name, *a, **k):
        if name.startswith("pyspark"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_spark)
    with pytest.raises(DatabricksError, match="needs Spark"):
        tables.spark_session()
    with pytest.raises(DatabricksError, match="three-part"):
        tables.check_table("just_a_table")


# -- documents longer than the context: window rows ------------------------------------

LESSOR = "Zebra Holdings LLC"


def long_lease(rid: str, paragraphs: int = 120, tail: str = "") -> Record:
    body = [f"Clause {rid}-{i}. The Tenant keeps the premises clean and pays the rent monthly."
            for i in range(paragraphs)]
    return Record(id=rid, text="\n\n".join([*body, tail or f"Signed by the Lessor, {LESSOR}."]))


def window_answer(body, req):
    """Names the lessor only in the window that holds it; a window with BROKEN fails."""
    content = body["messages"][0]["content"]
    if "BROKEN" in content:
        return Reply(status=400, content="model timed out")
    fields = body["response_format"]["json_schema"]["schema"]["properties"]
    out: dict[str, list[str]] = {f: [] for f in fields}
    if LESSOR in content:
        out["lessor"] = [LESSOR]
    out["lessee"] = ["Invented Tenant Inc"]  # never in the text
    return json.dumps(out)


@pytest.fixture
def windows_endpoint(spark, lb_llm_server):
    server = lb_llm_server(window_answer)
    register_ai_query(spark.spark, server.url)
    return server


def test_statement_passes_window_columns_through():
    sql = ai_query_sql("v", "ep", prefix="", suffix="", response_format=None,
                       model_parameters={}, columns=("window_index",))
    assert sql.startswith("SELECT CAST(id AS STRING) AS id, window_index, response.result")
    assert "SELECT id, window_index, ai_query(" in sql


def test_long_documents_go_as_window_rows_and_merge(spark, windows_endpoint, schema,
                                                    tmp_path):
    docs = [long_lease("long", 300), long_lease("broken", 150, "BROKEN ending."),
            Record(id="short", text=f"Lessor: {LESSOR}.")]
    ctx = Context(schema=schema, seed=1, workdir=tmp_path)
    ex = AIQueryExtractor.from_dict({"endpoint": "ep", "max_tokens": 300,
                                     "context_tokens": 2048})
    preds = {p.id: p for p in ex.extract(ModelRef(extractor="x"), docs, ctx)}
    sent = [r.body["messages"][0]["content"] for r in windows_endpoint.requests]
    long = preds["long"]
    assert long.fields["lessor"] == [LESSOR] and long.error is None
    assert long.fields["lessee"] == ["Invented Tenant Inc"]  # grounded nowhere: the first
    assert long.chunks == sum("Clause long-" in s for s in sent) > 3
    span = long.spans["lessor"][0]
    assert span is not None
    start, end, how = span
    assert (docs[0].text[start:end], how) == (LESSOR, "exact")
    broken_error = preds["broken"].error
    assert broken_error is not None
    assert broken_error.startswith("window ") and "400" in broken_error
    assert preds["short"].chunks == 1 and preds["short"].fields["lessor"] == [LESSOR]
    schema_tokens = context_tokens(response_format(schema))
    assert all(context_tokens(s) + schema_tokens + 300 <= 2048 for s in sent)
    (statement,) = spark.sql_seen
    assert "window_index" in statement and "FROM leasebench_windows_" in statement


def test_a_table_is_read_and_windowed(spark, windows_endpoint, schema, tmp_path):
    table = f"{spark.schema}.long_holdout"
    doc = long_lease("d1", 80)
    spark.createDataFrame([(doc.id, doc.text), ("other", "x")], "doc string, body string"
                          ).write.saveAsTable(table)
    ctx = Context(schema=schema, seed=1, workdir=tmp_path)
    ex = AIQueryExtractor.from_dict({"endpoint": "ep", "table": table, "id_column": "doc",
                                     "text_column": "body",
                                     "chunking": {"chunk_tokens": 200, "overlap_tokens": 0}})
    [pred] = ex.extract(ModelRef(extractor="x"), [doc.unlabelled()], ctx)
    assert pred.id == "d1" and pred.fields["lessor"] == [LESSOR]
    assert pred.chunks == len(windows_endpoint.requests) > 5
    read, statement = spark.sql_seen
    assert f"FROM {table}" in read and "FROM leasebench_windows_" in statement
