"""``ai_query`` for local Spark: a SQL function calling an OpenAI-compatible server.

Databricks SQL's ``ai_query(endpoint, request, modelParameters => ..., responseFormat =>
..., failOnError => false)`` sends ``request`` to a serving endpoint's chat API and returns
``struct<result string, errorMessage string>``. Local Spark has no such function; this
registers a Python UDF under that name with the same arguments (named ones included) and
the same result, calling the loopback test server in place of the endpoint, so the SQL the
``ai-query`` extractor generates executes for real.
"""

from __future__ import annotations

from typing import Any


def register_ai_query(spark: Any, base_url: str) -> None:
    from pyspark.sql.functions import udf
    from pyspark.sql.types import StringType, StructField, StructType

    def ai_query(endpoint, request, modelParameters=None, responseFormat=None,
                 failOnError=True):
        import json
        import urllib.error
        import urllib.request

        body = {"model": endpoint, "messages": [{"role": "user", "content": request}]}
        if modelParameters is not None:
            body.update({k: float(v) if k == "temperature" else v
                         for k, v in modelParameters.asDict().items()})
        if responseFormat is not None:
            body["response_format"] = json.loads(responseFormat)
        call = urllib.request.Request(
            f"{base_url}/chat/completions", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(call, timeout=30) as response:
                answer = json.load(response)
            return answer["choices"][0]["message"]["content"], None
        except Exception as exc:
            if failOnError:
                raise
            detail = exc.read().decode() if isinstance(exc, urllib.error.HTTPError) else ""
            return None, f"{type(exc).__name__}: {exc} {detail}".strip()

    result = StructType([StructField("result", StringType()),
                         StructField("errorMessage", StringType())])
    spark.udf.register("ai_query", udf(ai_query, result))


__all__ = ["register_ai_query"]
