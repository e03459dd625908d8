"""The README keeps up with the CLI: every command and option is mentioned."""

from __future__ import annotations

import click
import pytest

from rivalgraph.cli import main

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_readme(name):
    assert f"rivalgraph {name}" in README, f"README does not show `rivalgraph {name}`"


@pytest.mark.parametrize("name, option", [
    (name, opt)
    for name in COMMANDS
    for param in main.commands[name].params if isinstance(param, click.Option)
    for opt in param.opts if opt.startswith("--")
])
def test_option_is_in_readme(name, option):
    assert option in README, f"README does not mention {option} of `rivalgraph {name}`"


def test_readme_two_commands():
    assert "make build" in README and "make test" in README
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
