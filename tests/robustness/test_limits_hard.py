"""Hard ceilings: limits are parsed strictly and a bootstrap that cannot fit stops at validate.

The environment and manifest cases are in the bad-manifest corpus; here, the memory check
that runs before the first stage, and the parser's accepted spellings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from leasebench import memory
from leasebench.cli.main import make_cli
from leasebench.errors import LeasebenchError
from leasebench.limits import CEILINGS, env_limit, parse_count


@pytest.mark.parametrize(("raw", "value"), [("12", 12), (" 12\n", 12), ("1_000", 1000),
                                            ("10000000", 10_000_000)])
def test_plain_ascii_whole_numbers_are_read(raw, value):
    assert parse_count("X", raw, CEILINGS["bootstrap"]) == value


@pytest.mark.parametrize("raw", ["\u00b2", "\u0663", "\uff11", "1__0", "_1", "1e3", "0x10",
                                 "+5", "1.0", "9" * 30, "10000001"])
def test_anything_else_is_refused_naming_the_variable(raw, monkeypatch):
    monkeypatch.setenv("LEASEBENCH_LIMIT_BOOTSTRAP", raw)
    with pytest.raises(LeasebenchError, match="LEASEBENCH_LIMIT_BOOTSTRAP="):
        env_limit("bootstrap", 5)


def test_the_estimate_covers_the_measured_peak():
    """Measured: about 125 bytes per iteration and field for a paired comparison."""
    assert memory.bootstrap_bytes(20_000, 10, 200) >= 20_000 * 10 * 125
    assert memory.bootstrap_problem(1000, 10, 50, available=2**30) is None
    problem = memory.bootstrap_problem(10_000_000, 10, 50, available=2**30)
    assert problem is not None and problem.startswith("stats.bootstrap: 10,000,000 iterations")


def test_a_bootstrap_the_machine_cannot_hold_stops_validate_and_run(
        tiny_manifest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    text = tiny_manifest.read_text().replace("bootstrap: 1000", "bootstrap: 10000000")
    tiny_manifest.write_text(text + "limits: {bootstrap: 10000000}\n")
    monkeypatch.setattr(memory, "available_bytes", lambda: 2**30)
    runner, cli = CliRunner(), make_cli()
    for args in (["validate", str(tiny_manifest)],
                 ["run", str(tiny_manifest), "--runs-dir", str(tmp_path / "runs"), "-q",
                  "--no-mlflow"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert "stats.bootstrap: 10,000,000 iterations over" in result.output
        assert "1.0 GiB available" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "runs" / "tiny" / "stages").exists()
