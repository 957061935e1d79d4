"""Every terminal table at 80 and 160 columns: nothing cut, nothing wider than the console."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from leasebench.cli.plugins import plain_summary, plugin_renderables
from leasebench.cli.run import plan_tables
from leasebench.plugin_manager import build_registry
from leasebench.reporting.compare import compare_runs, load_run
from leasebench.reporting.terminal import render_text
from leasebench.reporting.terminal_compare import comparison_renderables
from leasebench.reporting.terminal_run import run_renderables
from leasebench.results import RunResult
from leasebench.runner.plan import Plan, PlannedStage

WIDTHS = (80, 160)
LONG_FIELD = "expiration_date_of_the_lease_agreement"


def renamed(result: RunResult, names: list[str]) -> RunResult:
    """The run with its rounds renamed (and repeated to ``len(names)`` rounds)."""
    rounds = []
    for i, name in enumerate(names):
        r = result.rounds[min(i, len(result.rounds) - 1)].model_copy(deep=True)
        r.name = name
        rounds.append(r)
    for r in rounds[1:]:  # every non-reference round keeps a paired comparison
        r.vs_reference = rounds[-1].vs_reference or result.rounds[-1].vs_reference
    return result.model_copy(update={"rounds": rounds, "reference_round": names[0]})


def with_long_field(result: RunResult) -> RunResult:
    """The run with its first field renamed to a 38-character name."""
    old = result.fields[0]
    data = result.model_dump(mode="json")
    text = (RunResult.model_validate(data).model_dump_json()
            .replace(f'"{old}"', f'"{LONG_FIELD}"'))
    return RunResult.model_validate_json(text)


def check(text: str, width: int, names: list[str]) -> None:
    lines = text.splitlines()
    assert all(cell_len(line.rstrip()) <= width for line in lines), \
        max(lines, key=lambda ln: cell_len(ln.rstrip()))
    assert "…" not in text
    for name in names:
        assert any(name in line for line in lines), f"{name!r} cut or missing at {width}"


@pytest.fixture(scope="module")
def results(tiny_run) -> list[RunResult]:
    _, result = tiny_run
    many = [f"synthetic-round-{i}" for i in range(1, 7)]
    return [result, with_long_field(renamed(result, ["baseline-prompted-large", *many]))]


@pytest.mark.parametrize("width", WIDTHS)
def test_run_tables(results, width: int) -> None:
    for result in results:
        text = render_text(lambda w, r=result: run_renderables(r, w), width)
        names = [*result.fields, *(r.name for r in result.rounds)]
        check(text, width, names)
        assert "F1 per field" in text and "Sweeps" in text and "Rounds" in text


def test_wide_console_shows_intervals_narrow_shows_half_widths(tiny_run) -> None:
    _, result = tiny_run
    narrow = render_text(lambda w: run_renderables(result, w), 80)
    wide = render_text(lambda w: run_renderables(result, w), 160)
    micro = result.round("synth-2").scores[result.primary_scorer].micro
    low, high = f"{100 * micro.f1_low:.1f}", f"{100 * micro.f1_high:.1f}"
    assert f"[{low}, {high}]" in wide.split("Paired differences")[0]
    assert "±" in narrow.split("Paired differences")[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_comparison_tables(tiny_run, width: int) -> None:
    run = load_run(tiny_run[0])
    c = compare_runs([run, run, run], rounds=["real-only", "synth-1", "synth-2"])
    text = render_text(lambda w: comparison_renderables(c, w), width)
    check(text, width, [*c.fields, *(e.label for e in c.entries)])


@pytest.mark.parametrize("width", WIDTHS)
def test_dry_run_table(width: int) -> None:
    stages = [PlannedStage("load", "-", "cached"),
              PlannedStage("judge-b12-3acme_llm-grounding-strict", "acme/llm-grounding-strict",
                           "to run", 5000, 5000, 12_345_678, 987_654, 1234.5678),
              PlannedStage("extract-b12", "?", "to run", 50,
                           note="needs the trained model of the round with twelve batches")]
    plan = Plan("an-experiment-with-a-long-name", stages)
    text = render_text(lambda w: plan_tables(plan, w), width)
    check(text, width, [s.stage for s in stages] + ["acme/llm-grounding-strict", "12,345,678"])


@pytest.mark.parametrize("width", WIDTHS)
def test_plugins_listing(width: int) -> None:
    rows = build_registry().describe()
    text = render_text(lambda w: plugin_renderables(rows, w), width)
    check(text, width, [r["name"] for r in rows])
    assert "``" not in text
    assert plain_summary("Applies a trained ``pattern`` model (:class:`Foo`).") == \
        "Applies a trained pattern model (Foo)."


def test_report_command_renders_tables(tiny_run) -> None:
    from click.testing import CliRunner

    from leasebench.cli.report import report_command

    out = CliRunner().invoke(report_command, [str(tiny_run[0])], catch_exceptions=False)
    assert out.exit_code == 0 and "F1 per field" in out.output
    assert "| ---" not in out.output and "**" not in out.output  # no Markdown source
    bad = CliRunner().invoke(report_command, [str(tiny_run[0]), "--out", str(Path("x.md"))])
    assert bad.exit_code == 2 and "--format md" in bad.output
