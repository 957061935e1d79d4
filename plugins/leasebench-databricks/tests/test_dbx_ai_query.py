"""ai_query SQL generation (pure) and the extractor over a stand-in Spark session."""

from __future__ import annotations

import json

import pytest
from dbx_helpers import records
from leasebench.components import Context
from leasebench.records import ModelRef

from leasebench_databricks.ai_query import (
    AIQueryExtractor,
    ai_query_sql,
    prompt_parts,
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
    assert bad.error.startswith("RESOURCE_EXHAUSTED") and bad.fields == {}
    junk = to_prediction("c", "not json", None, schema)
    assert junk.parse_error and junk.raw == "not json"


class Row(dict):
    def __getitem__(self, key):
        return dict.__getitem__(self, key)


class FakeFrame:
    def __init__(self, spark, rows=None):
        self.spark, self.rows = spark, rows or []

    def createOrReplaceTempView(self, name):
        self.spark.views[name] = self.rows

    def collect(self):
        return self.rows


class FakeSpark:
    """Answers the statement as ai_query would: a response per row, one failing."""

    def __init__(self, schema):
        self.schema, self.views, self.sql_seen = schema, {}, []

    def createDataFrame(self, rows, ddl):
        assert ddl == "id string, text string"
        return FakeFrame(self, rows)

    def sql(self, statement):
        self.sql_seen.append(statement)
        (view,) = self.views
        assert f"FROM {view}" in statement
        out = []
        for rid, _text in self.views[view]:
            if rid.endswith("1"):
                out.append(Row(id=rid, result=None, error="model timed out"))
            else:
                answer = {f: [f"v-{rid}"] for f in self.schema.fields}
                out.append(Row(id=rid, result=json.dumps(answer), error=None))
        return FakeFrame(self, out)


def test_extractor_uses_the_models_endpoint(schema, tmp_path):
    spark = FakeSpark(schema)
    model = ModelRef(extractor="llm", params={"endpoint": {"model": "lb-m-v3"}})
    ctx = Context(schema=schema, seed=1, workdir=tmp_path)
    docs = [r.unlabelled() for r in records(3)]
    preds = {p.id: p for p in AIQueryExtractor.from_dict({}).extract(model, docs, ctx, spark)}
    assert set(preds) == {"doc0", "doc1", "doc2"}
    assert preds["doc1"].error == "model timed out"
    assert preds["doc2"].fields[schema.fields[0]] == ["v-doc2"]
    assert "'lb-m-v3'" in spark.sql_seen[0] and "failOnError => false" in spark.sql_seen[0]


def test_extractor_needs_an_endpoint(schema, tmp_path):
    ctx = Context(schema=schema, seed=1, workdir=tmp_path)
    with pytest.raises(DatabricksError, match="endpoint"):
        list(AIQueryExtractor.from_dict({}).extract(ModelRef(extractor="x"), [], ctx,
                                                   FakeSpark(schema)))


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
