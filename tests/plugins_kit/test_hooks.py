"""One test per hook: an inline plugin implementing it is called and its component (or
command) registered, attributed to the plugin's distribution."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.components import (
    Executor,
    Extractor,
    Generator,
    Judge,
    Reporter,
    Scorer,
    Trainer,
)
from leasebench.hookspecs import hookimpl


class Plugin:
    """One component per family, each registered through its own hook."""

    class G(Generator):
        name = "kit/g"

    class J(Judge):
        name = "kit/j"

    class T(Trainer):
        name = "kit/t"

    class E(Extractor):
        name = "kit/e"

    class S(Scorer):
        name = "kit/s"

    class R(Reporter):
        name = "kit/r"

    class X(Executor):
        name = "kit/x"

    @hookimpl
    def register_generators(self, register):
        register(self.G)

    @hookimpl
    def register_judges(self, register):
        register(self.J)

    @hookimpl
    def register_trainers(self, register):
        register(self.T)

    @hookimpl
    def register_extractors(self, register):
        register(self.E)

    @hookimpl
    def register_scorers(self, register):
        register(self.S)

    @hookimpl
    def register_reporters(self, register):
        register(self.R)

    @hookimpl
    def register_executors(self, register):
        register(self.X)


@pytest.mark.parametrize(
    ("hook", "family", "name"),
    [("register_generators", "generator", "kit/g"), ("register_judges", "judge", "kit/j"),
     ("register_trainers", "trainer", "kit/t"), ("register_extractors", "extractor", "kit/e"),
     ("register_scorers", "scorer", "kit/s"), ("register_reporters", "reporter", "kit/r"),
     ("register_executors", "executor", "kit/x")],
)
def test_family_hook_registers_a_component(lb_register, hook, family, name):
    registry = lb_register(Plugin(), distribution="kit-dist", version="9.9")
    info = registry.info(family, name)
    assert (info.distribution, info.dist_version) == ("kit-dist", "9.9")
    assert hook in {impl.function.__name__ for impl in
                    getattr(registry.pm.hook, hook).get_hookimpls()}


def test_register_commands_adds_a_command(lb_plugin_manager, lb_register):
    @click.command("kit-hello")
    def hello():
        click.echo("hello from a plugin")

    class Commands:
        @hookimpl
        def register_commands(self, cli):
            cli.add_command(hello)

    lb_register(Commands())
    out = CliRunner().invoke(make_cli(lb_plugin_manager), ["kit-hello"])
    assert out.exit_code == 0 and "hello from a plugin" in out.output
