"""What every family check shares: the harness, the tiny corpus, the network guard."""


from __future__ import annotations

import contextlib
import json
import math
import pickle
import re
import socket
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ...components import FAMILIES, Component, Context
from ...errors import LeasebenchError
from ...plugin_manager import check_component as check_registration
from ...records import ModelRef, Prediction, Record
from ...schema import FieldSchema, builtin_schema
from ..llm_server import LLMTestServer

SEED = 7
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
Params = Mapping[str, Any] | None


class ConformanceError(AssertionError):
    """A component breaks its family's contract; the message names the rule."""


class NetworkBlocked(ConformanceError):
    """A component opened a connection to a host other than the loopback interface."""


@dataclass
class ConformanceReport:
    """Which checks a component passed."""

    family: str
    name: str
    checks: list[str] = field(default_factory=list)


# -- shared helpers ------------------------------------------------------------------


def _host(address: Any) -> str:
    return str(address[0]) if isinstance(address, tuple) and address else str(address)


@contextlib.contextmanager
def no_network(allow: frozenset[str] = LOOPBACK) -> Iterator[None]:
    """Make every connection (and name lookup) to a host outside ``allow`` raise."""
    saved = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection,
             socket.getaddrinfo)
    connect, connect_ex, create_connection, getaddrinfo = saved

    def check(address: Any) -> None:
        if isinstance(address, tuple) and _host(address) not in allow:
            raise NetworkBlocked(f"network access to {_host(address)!r} during a conformance "
                                 "check; components may only reach the loopback interface")

    def guarded_connect(self: Any, address: Any) -> None:
        check(address)
        connect(self, address)

    def guarded_connect_ex(self: Any, address: Any) -> int:
        check(address)
        return connect_ex(self, address)

    def guarded_create(address: Any, *args: Any, **kw: Any) -> Any:
        check(address)
        return create_connection(address, *args, **kw)

    def guarded_getaddrinfo(host: Any, *args: Any, **kw: Any) -> Any:
        if host is not None:
            check((host.decode() if isinstance(host, bytes) else host, 0))
        return getaddrinfo(host, *args, **kw)

    # patching the socket class and module is the point: every library's connection
    # goes through them
    socket.socket.connect = guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
    socket.create_connection = guarded_create
    socket.getaddrinfo = guarded_getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect = connect  # type: ignore[method-assign]
        socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
        socket.create_connection = create_connection
        socket.getaddrinfo = getaddrinfo


def _read_records(name: str) -> list[Record]:
    text = resources.files("leasebench.testing").joinpath("data", name).read_text("utf-8")
    return [Record.model_validate_json(line) for line in text.splitlines() if line.strip()]


def tiny_corpus() -> tuple[list[Record], list[Record]]:
    """Twelve train and eight hold-out short lease documents, labelled for ``lease``."""
    try:
        return _read_records("tiny_train.jsonl"), _read_records("tiny_holdout.jsonl")
    except (FileNotFoundError, ModuleNotFoundError):  # installed without package data
        from ...corpus import lease_dataset

        return lease_dataset(12, 8, SEED)


def tiny_schema() -> FieldSchema:
    """The built-in ``lease`` schema the tiny corpus is labelled for."""
    return builtin_schema("lease")


def make_context(workdir: Path, *, seed: int = SEED, schema: FieldSchema | None = None,
                 train: Sequence[Record] = (), holdout: Sequence[Record] = (),
                 stage: str = "conformance") -> Context:
    """A ``Context`` as the runner builds it, with ``workdir`` created."""
    workdir.mkdir(parents=True, exist_ok=True)
    return Context(schema=schema or tiny_schema(), seed=seed, workdir=workdir,
                   train=tuple(train), holdout=tuple(holdout), stage=stage, quiet=True)


def is_llm_component(cls: type) -> bool:
    """True for components that call a chat-completions endpoint (``Params.endpoint``)."""
    params = getattr(cls, "Params", None)
    return isinstance(params, type) and "endpoint" in getattr(params, "model_fields", {})


def _fail(cls: type, rule: str) -> ConformanceError:
    return ConformanceError(f"{getattr(cls, 'name', cls.__name__)!r} ({cls.__qualname__}): {rule}")


def _expect(ok: bool, cls: type, rule: str) -> None:
    if not ok:
        raise _fail(cls, rule)


class _Harness:
    """Builds instances and contexts for one check, in a private temporary directory."""

    def __init__(self, family: str, cls: type[Component[Any]], params: Params, seed: int,
                 handler: Any = None) -> None:
        self.family, self.cls, self.seed = family, cls, seed
        self.report = ConformanceReport(family, str(getattr(cls, "name", "")))
        self.params = dict(params or {})
        self.train, self.holdout = tiny_corpus()
        self.schema = tiny_schema()
        self._stack = contextlib.ExitStack()
        self.tmp = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="lbconf-")))
        self._runs = 0
        if is_llm_component(cls) and "endpoint" not in self.params:
            srv = self._stack.enter_context(LLMTestServer(handler or conformance_handler))
            self.params["endpoint"] = loopback_endpoint(srv.url)

    def __enter__(self) -> _Harness:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def passed(self, check: str) -> None:
        self.report.checks.append(check)

    def check_class(self) -> None:
        cls = self.cls
        try:
            check_registration(self.family, cls)
        except LeasebenchError as exc:
            raise ConformanceError(str(exc)) from exc
        _expect(issubclass(cls, FAMILIES[self.family]), cls,
                f"must subclass leasebench.components.{FAMILIES[self.family].__name__}")
        _expect(isinstance(getattr(cls, "version", None), str), cls, "'version' must be a str")
        try:
            cls.Params.model_validate({"no_such_key": 1})
        except ValidationError:
            pass
        else:
            raise _fail(cls, "Params accepted the unknown key 'no_such_key'")
        self.passed("class")
        try:
            params = cls.Params.model_validate(self.params)
        except ValidationError as exc:
            raise _fail(cls, f"the params given to the check are invalid: {exc}") from exc
        again = cls.Params.model_validate_json(params.model_dump_json())
        _expect(again == params, cls, "Params must round-trip through JSON (model_dump_json)")
        self.passed("params")
        instance = self.make()
        try:
            pickle.loads(pickle.dumps(instance))
        except Exception as exc:
            raise _fail(cls, f"an instance must pickle: {type(exc).__name__}: {exc}") from exc
        self.passed("pickle-component")

    def make(self) -> Any:
        return self.cls(self.cls.Params.model_validate(self.params))

    def ctx(self, **kw: Any) -> Context:
        self._runs += 1
        kw.setdefault("train", self.train)
        kw.setdefault("holdout", [r.unlabelled() for r in self.holdout])
        return make_context(self.tmp / f"run{self._runs}", seed=self.seed, schema=self.schema,
                            **kw)

    def call(self, fn: Callable[[], Any], what: str) -> Any:
        """Call under no_network; an exception is a conformance failure naming ``what``."""
        try:
            with no_network():
                return fn()
        except ConformanceError:
            raise
        except Exception as exc:
            raise _fail(self.cls, f"{what} raised {type(exc).__name__}: {exc}") from exc

    def outputs_serialise(self, items: Sequence[BaseModel], model: type[BaseModel]) -> None:
        for item in items:
            _expect(isinstance(item, model), self.cls, f"yielded {item!r}, not a {model.__name__}")
            _expect(model.model_validate_json(item.model_dump_json()) == item, self.cls,
                    f"a {model.__name__} must round-trip through JSON")
            _expect(pickle.loads(pickle.dumps(item)) == item, self.cls,
                    f"a {model.__name__} must round-trip through pickle")
        self.passed("serialise")

    def deterministic(self, first: Any, second: Any, what: str) -> None:
        _expect(stable(first, self.tmp) == stable(second, self.tmp), self.cls,
                f"{what} differ between two calls with the same seed: not deterministic "
                "(use ctx.rng() / task.seed for randomness)")
        self.passed("deterministic")

    def bad_input(self, fn: Callable[[], Any], what: str, *, must_raise: bool = False) -> Any:
        """Bad input must raise LeasebenchError or ValueError with a message, or be handled."""
        try:
            with no_network():
                out = fn()
        except (LeasebenchError, ValueError) as exc:
            _expect(bool(str(exc).strip()), self.cls, f"{what}: the error has no message")
            self.passed(f"bad-input: {what}")
            return None
        except ConformanceError:
            raise
        except Exception as exc:
            raise _fail(self.cls, f"{what}: raised {type(exc).__name__}: {exc}; bad input must "
                        "raise LeasebenchError or ValueError with a clear message") from exc
        _expect(not must_raise, self.cls, f"{what}: must raise LeasebenchError or ValueError")
        self.passed(f"bad-input: {what}")
        return out

    def ids_once(self, got: Sequence[str], expected: Sequence[str], what: str) -> None:
        _expect(sorted(got) == sorted(expected), self.cls,
                f"must yield exactly one {what} per input item with its id; expected "
                f"{sorted(expected)}, got {sorted(got)}")
        self.passed("ids")

    def independent(self, subset: Sequence[Any], full: Sequence[Any], key: str,
                    rule: str) -> None:
        ids = {getattr(item, key) for item in subset}
        wanted = [item for item in full if getattr(item, key) in ids]
        _expect(len(ids) == len(full) - 1 and stable(subset, self.tmp) == stable(wanted, self.tmp),
                self.cls, rule)
        self.passed("independent")

    def labels_shape(self, labels: Mapping[str, Any], where: str) -> None:
        unknown = sorted(set(labels) - set(self.schema.fields))
        _expect(not unknown, self.cls, f"{where}: fields not in the schema: {unknown}")


def _check_metrics(cls: type, metrics: Mapping[str, float]) -> None:
    bad = [k for k, v in metrics.items() if not math.isfinite(v)]
    _expect(not bad, cls, f"ModelRef.metrics must be finite numbers; not: {bad}")


def _local_path(uri: str | None) -> Path | None:
    if not uri or re.match(r"^[a-z][a-z0-9+.\-]*://", uri):
        return None
    return Path(uri)


# -- loopback LLM, stable comparison, a run result for reporters --------------------

_LABELS_BLOCK = re.compile(r"```json\n(.*?)\n```", re.DOTALL)
_VOLATILE = re.compile(r"^(latency_s|.*seconds)$")


def conformance_handler(body: dict[str, Any], req: Any) -> str:
    """Deterministic answers to the built-in prompts (extract, generate, judge)."""
    messages = body.get("messages") or []
    content = "\n".join(str(m.get("content", "")) for m in messages if isinstance(m, dict))
    fmt = body.get("response_format") or {}
    props = ((fmt.get("json_schema") or {}).get("schema") or {}).get("properties")
    if props:
        return json.dumps({k: [] for k in props})
    if 'Answer only "0" or "1"' in content:
        return "1"
    block = _LABELS_BLOCK.search(content)
    if block is None:
        return "{}"
    if "fenced ```json block" in content:  # the labels step of a generator: echo them
        return f"```json\n{block.group(1)}\n```"
    labels = json.loads(block.group(1))
    lines = [f"{k}: {v}" for k, vs in labels.items() for v in vs]
    return "A lease agreement.\n" + "\n".join(lines)


def loopback_endpoint(url: str) -> dict[str, Any]:
    """Endpoint params (``leasebench.llm.EndpointSpec``) for a loopback test server."""
    return {"base_url": url, "model": "conformance", "api_key_env": None, "concurrency": 4,
            "timeout_s": 10.0, "max_retries": 0, "backoff_s": 0.01, "backoff_max_s": 0.05}


def stable(obj: Any, tmp: Path) -> Any:
    """``obj`` as JSON-able data without timings, with work directories made relative."""
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json")
    if isinstance(obj, dict):
        return {k: stable(v, tmp) for k, v in obj.items()
                if not (_VOLATILE.match(str(k)) and isinstance(v, (int, float)))}
    if isinstance(obj, (list, tuple)):
        return [stable(v, tmp) for v in obj]
    if isinstance(obj, str):
        return re.sub(re.escape(str(tmp)) + r"/run\d+", "<workdir>", obj)
    return obj


def run_result(schema: FieldSchema, holdout: Sequence[Record], seed: int = SEED) -> Any:
    """A small but complete ``RunResult``: a baseline round and a trained round."""
    from ...results import FunnelBatch, RoundResult, RunResult, TrialResult
    from ...scoring.scorer import FieldMatchParams, FieldMatchScorer
    from ...scoring.stats import compare, summarize

    scorer = FieldMatchScorer(FieldMatchParams(mode="exact"))
    base = [Prediction(id=r.id) for r in holdout]
    trained = [Prediction(id=r.id, fields=r.labels if i % 2 == 0 else {})
               for i, r in enumerate(holdout)]
    outcomes = {name: scorer.score(holdout, preds, schema)
                for name, preds in (("baseline", base), ("trained", trained))}
    stats: dict[str, Any] = {"iterations": 50, "seed": seed, "confidence": 0.95}
    rounds = [
        RoundResult(name="baseline", kind="baseline", n_predictions=len(base),
                    scores={"field-match": summarize(outcomes["baseline"], **stats)}),
        RoundResult(
            name="trained", kind="trained", n_train_real=12, n_train_synthetic=4,
            synthetic_batches=1, model=ModelRef(extractor="pattern", uri="model.json"),
            trials=[TrialResult(index=0, params={"c": 1}, metrics={"eval_f1": 0.5},
                                selected=True)],
            n_predictions=len(trained),
            scores={"field-match": summarize(outcomes["trained"], **stats)},
            vs_reference={"field-match": compare(outcomes["baseline"], outcomes["trained"],
                                                 **stats)},
        ),
    ]
    return RunResult(
        name="conformance", manifest_hash="0" * 12, seed=seed, schema_name=schema.name,
        fields=schema.fields, n_train=12, n_holdout=len(holdout), scorers=["field-match"],
        primary_scorer="field-match", reference_round="baseline", confidence=0.95,
        rounds=rounds, funnel=[FunnelBatch(batch=1, generated=4, passed={"schema": 4},
                                           accepted=4)],
        outcomes={name: {"field-match": o} for name, o in outcomes.items()},
    )
