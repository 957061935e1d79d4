"""Extractor ``ai-query``: batch extraction in SQL with ``ai_query`` on a Databricks cluster.

One statement per batch over a table (a UC hold-out table, or a temporary view of the
records), with the prompt split around the document so the request is
``prefix || text || suffix``; ``failOnError => false`` makes each row carry either the
response or its error, so one bad document never fails the batch.

With the model's context known (``context_tokens``: serving endpoints do not report it)
or a forced ``chunking.chunk_tokens``, the documents are cut as the ``llm`` extractor cuts
them (``leasebench.llm.context``): the statement runs over a temporary view of window rows
(``id``, ``window_index``, ``text``), and each document's answers are merged by the same
code (``leasebench.llm.extractor.merged_prediction``). Otherwise documents go whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from leasebench.chunking import ChunkSpec
from leasebench.components import Context, Extractor
from leasebench.hashing import stable_hash
from leasebench.llm.base import user
from leasebench.llm.client import CallResult
from leasebench.llm.context import RequestPlan, plan_requests, prompt_tokens
from leasebench.llm.extractor import merged_prediction
from leasebench.llm.prompts import describe_fields, load_prompt, render
from leasebench.parsing import parse_answer
from leasebench.records import ModelRef, Prediction, Record
from leasebench.schema import FieldSchema
from leasebench.window_answers import with_spans
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
    columns: Sequence[str] = (),
) -> str:
    """The ``SELECT ... ai_query(...)`` statement over ``source`` (a table or view), with
    ``columns`` of the source passed through beside each row's id."""
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
    extra = "".join(f", {c}" for c in columns)
    return (
        f"SELECT CAST({id_column} AS STRING) AS id{extra}, response.result AS result, "
        f"response.errorMessage AS error\nFROM (\n  SELECT {id_column}{extra}, {call} AS "
        f"response\n  FROM {source}\n)"
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
    context_tokens: int | None = Field(
        None, ge=64, description="The endpoint model's context in tokens, prompt and answer "
        "together (unknown: documents are sent whole; serving endpoints do not report it).",
    )
    chunking: ChunkSpec = Field(
        default_factory=ChunkSpec, description="Documents longer than the context leaves "
        "room for: window rows (`chunk_tokens` forces their size), overlap and merge rule, "
        "as the `llm` extractor's.",
    )


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

    def statement(self, model: ModelRef | None, schema: FieldSchema, source: str,
                  windows: bool = False) -> str:
        """The statement over ``source``: the documents of ``table`` (or a view of the
        records), or with ``windows`` a view of window rows."""
        p = self.params
        prefix, suffix = prompt_parts(schema, p.prompt)
        own = bool(p.table) and not windows
        return ai_query_sql(
            source, self.endpoint_name(model), prefix=prefix, suffix=suffix,
            response_format=response_format(schema) if p.structured_output else None,
            model_parameters={"max_tokens": p.max_tokens, "temperature": p.temperature},
            id_column=p.id_column if own else "id",
            text_column=p.text_column if own else "text",
            columns=("window_index",) if windows else (),
        )

    def plan(self, schema: FieldSchema) -> RequestPlan:
        """Whole documents, or windows that fit ``context_tokens`` with the prompt, the
        schema (when sent) and ``max_tokens``."""
        p = self.params
        prefix, suffix = prompt_parts(schema, p.prompt)
        fixed = prompt_tokens(user(prefix + suffix), schema.output_json_schema(),
                              p.structured_output)
        return plan_requests(p.context_tokens, fixed, p.max_tokens, p.chunking,
                             f"extractor {self.name!r}")

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context, spark: Any = None
    ) -> Iterator[Prediction]:
        spark = spark or spark_session()
        wanted = {r.id for r in records}
        plan = self.plan(ctx.schema)
        if plan.window is not None:
            ctx.say(f"{self.endpoint_name(model)}: {plan.describe()}")
            yield from self.extract_windows(model, records, ctx, spark, plan)
            return
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

    def documents(self, records: Sequence[Record], spark: Any) -> list[Record]:
        """The documents to window: ``table``'s rows for the records' ids, or the records."""
        p = self.params
        if not p.table:
            return list(records)
        wanted = {r.id for r in records}
        rows = spark.sql(f"SELECT CAST({p.id_column} AS STRING) AS id, {p.text_column} AS text "
                         f"FROM {check_table(p.table)}").collect()
        return [Record(id=str(r["id"]), text=r["text"] or "") for r in rows
                if str(r["id"]) in wanted]

    def extract_windows(
        self, model: ModelRef, records: Sequence[Record], ctx: Context, spark: Any,
        plan: RequestPlan,
    ) -> Iterator[Prediction]:
        """One statement over a view of every document's windows; answers merged per
        document (a failed window fails it)."""
        docs = self.documents(records, spark)
        windows = {d.id: plan.windows(d.text) for d in docs}
        rows = [(d.id, w.index, w.text) for d in docs for w in windows[d.id]]
        view = "leasebench_windows_" + stable_hash(
            [sorted(windows), plan.window, plan.spec.overlap_tokens], length=10)
        frame = spark.createDataFrame(rows, "id string, window_index int, text string")
        frame.createOrReplaceTempView(view)
        answers: dict[str, dict[int, CallResult]] = {d.id: {} for d in docs}
        for row in spark.sql(self.statement(model, ctx.schema, view, windows=True)).collect():
            rid = str(row["id"])
            error = row["error"] or (None if row["result"] is not None
                                     else "ai_query returned no result")
            answers[rid][int(row["window_index"])] = CallResult(
                text=None if error else row["result"], error=str(error) if error else None)
        for d in docs:
            got, parts = answers[d.id], windows[d.id]
            results = [got.get(w.index, CallResult(error="no row came back"))
                       for w in parts]
            if len(parts) == 1:
                r = results[0]
                yield with_spans(to_prediction(d.id, r.text, r.error, ctx.schema), d.text)
            else:
                yield merged_prediction(d, parts, results, ctx.schema, self.params.chunking.merge)


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
