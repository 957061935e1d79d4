"""Plugin manager: built-ins, inline plugins, real entry-point distributions, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pydantic import BaseModel

from leasebench.components import Generator
from leasebench.errors import PluginError
from leasebench.hookspecs import hookimpl
from leasebench.plugin_manager import build_registry, get_plugin_manager

from .conftest import make_distribution

GOOD_PLUGIN = """
from pydantic import BaseModel, ConfigDict
from leasebench.components import Judge
from leasebench.hookspecs import hookimpl
from leasebench.records import Verdict

class LengthJudge(Judge):
    '''Passes documents longer than min_chars.'''
    name = "lbtest/length"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        min_chars: int = 10

    def judge(self, records, ctx):
        for r in records:
            yield Verdict(record_id=r.id, judge=self.name,
                          passed=len(r.text) >= self.params.min_chars)

@hookimpl
def register_judges(register):
    register(LengthJudge)
"""


def test_builtins_register_every_family():
    registry = build_registry(get_plugin_manager(entry_points=False))
    assert "perturb" in registry.names("generator")
    assert {"schema", "grounding"} <= set(registry.names("judge"))
    assert "pattern" in registry.names("trainer")
    assert "field-match" in registry.names("scorer")
    assert {"markdown", "json"} <= set(registry.names("reporter"))
    assert all(row["distribution"] == "leasebench" for row in registry.describe())


def test_entry_point_distribution_is_loaded_and_attributed(site):
    make_distribution(site, "lbtest-good", "1.2.3", "lbtest_good", GOOD_PLUGIN,
                      {"good": "lbtest_good"})
    registry = build_registry(get_plugin_manager())
    info = registry.info("judge", "lbtest/length")
    assert (info.distribution, info.dist_version) == ("lbtest-good", "1.2.3")


def test_env_var_limits_external_plugins(site, monkeypatch):
    make_distribution(site, "lbtest-good", "1.0", "lbtest_good", GOOD_PLUGIN,
                      {"good": "lbtest_good"})
    monkeypatch.setenv("LEASEBENCH_PLUGINS", "")
    assert "lbtest/length" not in build_registry(get_plugin_manager()).names("judge")
    monkeypatch.setenv("LEASEBENCH_PLUGINS", "lbtest-good")
    assert "lbtest/length" in build_registry(get_plugin_manager()).names("judge")


def test_broken_plugin_is_an_error_naming_it(site):
    make_distribution(site, "lbtest-broken", "0.1", "lbtest_broken",
                      "import no_such_module_anywhere\n", {"broken": "lbtest_broken"})
    with pytest.raises(PluginError, match=r"'broken' from distribution lbtest-broken 0.1"):
        get_plugin_manager()


def test_duplicate_name_names_both_distributions(site):
    code = """
from leasebench.hookspecs import hookimpl
from leasebench.synth.perturb import PerturbGenerator

class Copy(PerturbGenerator):
    pass

@hookimpl
def register_generators(register):
    register(Copy)
"""
    make_distribution(site, "lbtest-dupe", "2.0", "lbtest_dupe", code, {"dupe": "lbtest_dupe"})
    with pytest.raises(PluginError) as err:
        build_registry(get_plugin_manager())
    assert "duplicate generator name 'perturb'" in str(err.value)
    assert "leasebench (" in str(err.value) and "lbtest-dupe (" in str(err.value)


def test_misspelled_hook_fails_check_pending(site):
    code = """
from leasebench.hookspecs import hookimpl

@hookimpl
def register_generatorz(register):
    pass
"""
    make_distribution(site, "lbtest-typo", "0.1", "lbtest_typo", code, {"typo": "lbtest_typo"})
    with pytest.raises(Exception, match="register_generatorz"):
        get_plugin_manager()


class InlinePlugin:
    """A plugin registered inline, as a test or notebook would."""

    class Echo(Generator):
        name = "inline/echo"

    @hookimpl
    def register_generators(self, register):
        register(self.Echo)


def test_inline_plugin_registers():
    pm = get_plugin_manager(entry_points=False)
    pm.register_plugin(InlinePlugin(), "inline", "tests", "0")
    info = build_registry(pm).info("generator", "inline/echo")
    assert info.distribution == "tests"


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"name": "Bad Name"}, "'name' must be a lowercase string"),
        ({"name": "ok", "Params": dict}, "'Params' must be a pydantic model"),
        ({"name": "ok", "Params": BaseModel}, "extra='forbid'"),
    ],
)
def test_bad_component_class_is_rejected(attrs, message):
    bad = type("Bad", (Generator,), attrs)

    class Plugin:
        @hookimpl
        def register_generators(self, register):
            register(bad)

    pm = get_plugin_manager(entry_points=False)
    pm.register_plugin(Plugin(), "bad", "tests", "0")
    with pytest.raises(PluginError, match=message):
        build_registry(pm)


def test_unknown_component_lists_known_ones():
    registry = build_registry(get_plugin_manager())
    with pytest.raises(PluginError, match=r"unknown trainer 'nope'; known: .*pattern"):
        registry.get("trainer", "nope")


def test_trace_env_var_traces_hook_calls(site, monkeypatch, capfd):
    monkeypatch.setenv("LEASEBENCH_TRACE_HOOKS", "1")
    build_registry(get_plugin_manager())
    assert "register_generators" in capfd.readouterr().err


def test_plugins_command_in_subprocess_lists_entry_point_plugin(site):
    make_distribution(site, "lbtest-good", "1.2.3", "lbtest_good", GOOD_PLUGIN,
                      {"good": "lbtest_good"})
    out = subprocess.run(
        [sys.executable, "-m", "leasebench", "plugins", "--json"],
        capture_output=True, text=True, check=True,
    )
    rows = json.loads(out.stdout)
    row = next(r for r in rows if r["name"] == "lbtest/length")
    assert row == {
        "family": "judge", "name": "lbtest/length", "distribution": "lbtest-good",
        "distribution_version": "1.2.3", "component_version": "1",
        "summary": "Passes documents longer than min_chars.",
    }
