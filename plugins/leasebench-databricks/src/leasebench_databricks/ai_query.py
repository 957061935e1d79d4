"""Extractor ``ai-query``: batch extraction in SQL with ``ai_query`` on a Databricks cluster.

One statement per batch over a table (a UC hold-out table, or a temporary view of the
records), with the prompt split around the document so the request is
``prefix || text || suffix``; ``failOnError => false`` makes each row carry either the
response or its error, so one bad document never fails the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from leasebench.components import Context, Extractor
from leasebench.hashing import stable_hash
from leasebench.llm.prompts import describe_fields, load_prompt, render
from leasebench.parsing import parse_answer
from leasebench.records import ModelRef, Prediction, Record
from leasebench.schema import FieldSchema
from pydantic import BaseModel, ConfigDict, Field

from .tables import check_table, spark_session
from .workspace import DatabricksError

DOC_MARK = "\x00DOCUMENT\x00"


def sql_string(value: str) -> str:
    """A Spark SQL string literal (backslashes and quotes escaped)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def prompt_parts(schema: FieldSchema, prompt: str | None = None) -> tuple[str, str]:
    """The extraction prompt before and after the document."""
    full = render(load_prompt("extract", prompt), fields=describe_fields(schema),
                  document=DOC_MARK)
    prefix, _, suffix = full.partition(DOC_MARK)
    return prefix, suffix


def response_format(schema: FieldSchema) -> str:
    return json.dumps({
        "type": "json_schema",
        "json_schema": {"name": "labels", "schema": schema.output_json_schema(), "strict": True},
    }, separators=(",", ":"))


def ai_query_sql(
    source: str, endpoint: str, *, prefix: str, suffix: str, response_format: str | None,
    model_parameters: dict[str, float | int], id_column: str = "id", text_column: str = "text",
) -> str:
    """The ``SELECT ... ai_query(...)`` statement over ``source`` (a table or view)."""
    params = ", ".join(f"{sql_string(k)}, {v!r}" for k, v in model_parameters.items())
    args = [
        sql_string(endpoint),
        f"concat({sql_string(prefix)}, {text_column}, {sql_string(suffix)})",
    ]
    if model_parameters:
        args.append(f"modelParameters => named_struct({params})")
    if response_format is not None:
        args.append(f"responseFormat => {sql_string(response_format)}")
    args.append("failOnError => false")
    call = "ai_query(\n    " + ",\n    ".join(args) + "\n  )"
    return (
        f"SELECT CAST({id_column} AS STRING) AS id, response.result AS result, "
        f"response.errorMessage AS error\nFROM (\n  SELECT {id_column}, {call} AS response\n"
        f"  FROM {source}\n)"
    )


class AIQueryParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: str | None = Field(
        None, description="Serving endpoint; default the model's `endpoint.model`."
    )
    table: str | None = Field(
        None, description="UC hold-out table (`catalog.schema.table`) to read the documents "
        "from; default a temporary view of the records handed in."
    )
    id_column: str = Field("id", description="Id column of `table`.")
    text_column: str = Field("text", description="Document column of `table`.")
    max_tokens: int = Field(4000, ge=1, description="Most output tokens per document.")
    temperature: float = Field(0.0, ge=0, description="Sampling temperature.")
    structured_output: bool = Field(True, description="Send `responseFormat` (JSON schema).")
    prompt: str | None = Field(None, description="Prompt file replacing the built-in one.")


class AIQueryExtractor(Extractor[AIQueryParams]):
    """Extracts with SQL `ai_query` over a serving endpoint (needs a Databricks cluster)."""

    name: ClassVar[str] = "ai-query"
    version: ClassVar[str] = "1"
    #: It runs SQL on the cluster itself: executors run it in the driver, as one call.
    driver_only: ClassVar[bool] = True
    io_bound: ClassVar[bool] = True

    def endpoint_name(self, model: ModelRef | None) -> str:
        if self.params.endpoint:
            return self.params.endpoint
        ep = ((model.params if model else {}) or {}).get("endpoint") or {}
        name = ep.get("model") or (model.metadata.get("endpoint") if model else None)
        if not name:
            raise DatabricksError("ai-query: give `endpoint` (the model names no endpoint)")
        return str(name)

    def statement(self, model: ModelRef | None, schema: FieldSchema, source: str) -> str:
        p = self.params
        prefix, suffix = prompt_parts(schema, p.prompt)
        return ai_query_sql(
            source, self.endpoint_name(model), prefix=prefix, suffix=suffix,
            response_format=response_format(schema) if p.structured_output else None,
            model_parameters={"max_tokens": p.max_tokens, "temperature": p.temperature},
            id_column=p.id_column if p.table else "id",
            text_column=p.text_column if p.table else "text",
        )

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context, spark: Any = None
    ) -> Iterator[Prediction]:
        spark = spark or spark_session()
        wanted = {r.id for r in records}
        if self.params.table:
            source = check_table(self.params.table)
        else:
            source = "leasebench_docs_" + stable_hash(sorted(wanted), length=10)
            rows = [(r.id, r.text) for r in records]
            frame = spark.createDataFrame(rows, "id string, text string")
            frame.createOrReplaceTempView(source)
        for row in spark.sql(self.statement(model, ctx.schema, source)).collect():
            rid = str(row["id"])
            if rid not in wanted:
                continue
            yield to_prediction(rid, row["result"], row["error"], ctx.schema)


def to_prediction(rid: str, result: str | None, error: str | None, schema: FieldSchema
                  ) -> Prediction:
    """A row's response or its error, as a prediction."""
    if error:
        return Prediction(id=rid, error=str(error))
    if result is None:
        return Prediction(id=rid, error="ai_query returned no result")
    return Prediction(id=rid, raw=result, **parse_answer(result, schema).prediction_fields())


__all__ = [
    "AIQueryExtractor",
    "AIQueryParams",
    "ai_query_sql",
    "prompt_parts",
    "response_format",
    "sql_string",
    "to_prediction",
]
