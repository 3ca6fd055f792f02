"""``deskcore plugin new``: a ready-to-install plugin a company developer starts from."""

from __future__ import annotations

import keyword
import re
import shutil
from pathlib import Path
from string import Template

import click

from ..migrate import CORE_MIGRATIONS

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "deskcore-$dist"
version = "0.1.0"
description = "Deskcore plugin: $name"
requires-python = ">=3.11"
dependencies = ["deskcore"]

[project.entry-points.deskcore]
$name = "deskcore_$name.plugin"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
"deskcore_$name" = [
    "migrations/*.py", "migrations/*.mako", "migrations/versions/*", "templates/**/*",
]

[tool.pytest.ini_options]
addopts = "-ra -p no:cacheprovider"
filterwarnings = ["error"]
"""

README = """\
# deskcore-$dist

A Deskcore plugin.

    pip install -e .                     # registers the entry point "deskcore"
    deskcore plugins enable $name        # runs its migrations and switches it on
    pytest                               # deskcore.testing gives each test an app and a database

Hooks are documented in `deskcore/hookspecs.py`. Tables this plugin owns are named
`${name}_...`; after changing models run `deskcore db revision --plugin $name -m "what changed"`.
"""

PACKAGE_INIT = '''\
"""Deskcore plugin $name."""
'''

PLUGIN = '''\
"""Hook implementations of the $name plugin (every hook: deskcore/hookspecs.py)."""

import logging

from deskcore import hookimpl

title = "$title"
#: Plugins that must be enabled before this one, e.g. ["invoicing"].
requires: list[str] = []

log = logging.getLogger(__name__)


@hookimpl
def ticket_opened(ticket, agent, extra):
    """Runs inside the transaction that opens the ticket: an exception here rolls it back."""
    log.info("ticket #%s opened for %s by %s", ticket.number, ticket.customer.name, agent.email)
'''

TESTS = '''\
"""Each test gets an app on a fresh database from the deskcore.testing fixtures."""

import logging

import pytest

from deskcore.plugins import registry


def test_plugin_is_installed(app):
    assert "ticket_opened" in registry(app).get("$name").hooks


@pytest.mark.plugins("$name")
def test_opened_ticket_is_logged(make_ticket, caplog):
    with caplog.at_level(logging.INFO, logger="deskcore_$name.plugin"):
        ticket = make_ticket(subject="No enciende")
    assert f"ticket #{ticket.number} opened" in caplog.text
'''

VERSIONS_README = """\
Alembic revisions of this plugin, written by: deskcore db revision --plugin $name -m MESSAGE
"""


def skeleton_files(name: str) -> dict[str, str]:
    """Relative path → content of every templated file of a new plugin."""
    values = {"name": name, "dist": name.replace("_", "-"), "title": name.replace("_", " ").title()}
    package = f"src/deskcore_{name}"
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"{package}/__init__.py": PACKAGE_INIT,
        f"{package}/plugin.py": PLUGIN,
        f"{package}/migrations/versions/README": VERSIONS_README,
        "tests/test_plugin.py": TESTS,
    }
    return {path: Template(text).substitute(values) for path, text in files.items()}


def write_skeleton(name: str, directory: Path) -> list[Path]:
    """Write the plugin into ``directory`` (new or empty); returns the files written."""
    if not _NAME.match(name) or keyword.iskeyword(name):
        raise click.ClickException(
            f"plugin name '{name}' must be lower case letters, digits and _, starting with a letter"
        )
    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(f"{directory} exists and is not empty")
    written = []
    for relative, text in skeleton_files(name).items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
    migrations = directory / f"src/deskcore_{name}/migrations"
    for filename in ("env.py", "script.py.mako"):
        written.append(Path(shutil.copyfile(CORE_MIGRATIONS / filename, migrations / filename)))
    return sorted(written)


plugin_group = click.Group("plugin", help="Tools for plugin authors.")


@plugin_group.command("new")
@click.argument("name")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write it (default: ./deskcore-NAME).",
)
def new_command(name: str, directory: Path | None) -> None:
    """Write a plugin skeleton: pyproject entry point, one hook, migrations, a test."""
    directory = directory or Path.cwd() / f"deskcore-{name.replace('_', '-')}"
    for path in write_skeleton(name, directory):
        click.echo(f"  {path}")
    click.echo(f"Next: cd {directory} && pip install -e . && deskcore plugins enable {name}")
