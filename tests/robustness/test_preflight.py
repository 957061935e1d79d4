"""Services a run needs are probed before its first stage: exit 2 naming them, in seconds.

An MLflow tracking URI nobody answers, and a Spark master nobody listens on, are found by
``validate`` and by ``run`` before any stage (not after the whole run, nor after minutes
of Java stack traces).
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.reach import spark_problem, tracking_problem


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def answering() -> Iterator[str]:
    """A loopback HTTP server that answers every request with 404."""
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_probes(closed_port, answering, tmp_path):
    assert tracking_problem(answering) is None  # it answered (404 is still an answer)
    problem = tracking_problem(f"http://127.0.0.1:{closed_port}")
    assert problem is not None and f"http://127.0.0.1:{closed_port}" in problem
    assert "--no-mlflow" in problem
    assert tracking_problem(f"sqlite:///{tmp_path / 'new' / 'ml.db'}") is None
    (tmp_path / "dir.db").mkdir()
    assert "not a regular file" in (tracking_problem(f"sqlite:///{tmp_path / 'dir.db'}") or "")
    assert tracking_problem(f"postgresql://u@127.0.0.1:{closed_port}/db") is not None
    assert tracking_problem("databricks") is None
    assert spark_problem("local[2]", None, "k") is None
    assert spark_problem(f"spark://127.0.0.1:{closed_port}", None, "k") is not None
    port = int(answering.rsplit(":", 1)[1])
    both = f"spark://127.0.0.1:{closed_port},127.0.0.1:{port}"
    assert spark_problem(both, None, "k") is None  # one of the masters answers
    assert spark_problem(None, f"sc://127.0.0.1:{closed_port}", "k") is not None


def test_an_unreachable_tracking_uri_stops_the_run_before_any_stage(
        tiny_manifest: Path, tmp_path: Path, closed_port: int):
    uri = f"http://127.0.0.1:{closed_port}"
    runner, cli = CliRunner(), make_cli()
    started = time.monotonic()
    ran = runner.invoke(cli, ["run", str(tiny_manifest), "--runs-dir", str(tmp_path / "runs"),
                              "-q", "--mlflow", "--tracking-uri", uri])
    assert ran.exit_code == 2, ran.output
    assert f"MLflow tracking URI {uri} cannot be reached" in ran.output
    assert "--no-mlflow" in ran.output and "Traceback" not in ran.output
    assert time.monotonic() - started < 120  # was minutes of retries after every stage
    assert not (tmp_path / "runs" / "tiny" / "stages").exists()
    tiny_manifest.write_text(tiny_manifest.read_text().replace(
        "tracking:\n  mlflow: false", f"tracking:\n  mlflow: true\n  tracking_uri: {uri}"))
    checked = runner.invoke(cli, ["validate", str(tiny_manifest)])
    assert checked.exit_code == 2 and f"tracking: MLflow tracking URI {uri}" in checked.output


@pytest.mark.parametrize(("allow", "ok"), [("", False), ("spark.eventLog.dir", False),
                                           ("spark.eventLog.dir, spark.eventLog.enabled", True),
                                           ("*", True)])
def test_spark_settings_beyond_sizing_need_the_user_to_allow_them(
        tiny_manifest: Path, monkeypatch: pytest.MonkeyPatch, allow: str, ok: bool):
    tiny_manifest.write_text(tiny_manifest.read_text() + "executor:\n  name: spark\n  params:\n"
                             "    master: local[1]\n    conf: {spark.eventLog.dir: /etc, "
                             "spark.eventLog.enabled: 'true', spark.executor.memory: 1g}\n")
    monkeypatch.setenv("LEASEBENCH_TRUST_SPARK_CONF", allow)
    result = CliRunner().invoke(make_cli(), ["validate", str(tiny_manifest)])
    assert result.exit_code == (0 if ok else 2), result.output
    if not ok:
        assert "executor.params.conf: " in result.output and "spark.eventLog.enabled" \
            in result.output and "spark.executor.memory" not in result.output


def test_an_unreachable_spark_master_is_a_located_error(tiny_manifest: Path, tmp_path: Path,
                                                        closed_port: int):
    master = f"spark://127.0.0.1:{closed_port}"
    tiny_manifest.write_text(tiny_manifest.read_text() + "executor:\n  name: spark\n  params: "
                             f"{{master: '{master}'}}\n")
    runner, cli = CliRunner(), make_cli()
    for args in (["validate", str(tiny_manifest)],
                 ["run", str(tiny_manifest), "--runs-dir", str(tmp_path / "runs"), "-q",
                  "--no-mlflow"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert f"executor.params.master: Spark at {master} cannot be reached" in result.output
        assert "Traceback" not in result.output and "java" not in result.output.lower()
    assert not (tmp_path / "runs" / "tiny" / "stages").exists()
