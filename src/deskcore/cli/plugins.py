"""``deskcore plugins``: what is installed, and switching and configuring it per deployment.

Enabling, disabling and configuring go through deskcore.services.plugin_admin, so the CLI and
the admin page follow one set of rules.
"""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from ..plugins import PluginInfo, plugin_settings, registry
from ..services import plugin_admin
from .output import echo_table, show

plugins_group = AppGroup("plugins", help="List, enable, disable and configure plugins.")


def describe(info: PluginInfo) -> dict:
    """What ``plugins list`` and ``plugins info`` tell about one plugin."""
    reg = registry()
    return {
        "name": info.name,
        "title": info.title or info.name,
        "module": info.module_name,
        "distribution": info.distribution,
        "version": info.version,
        "enabled": reg.is_enabled(info.name),
        "requires": list(info.requires),
        "required_by": [i.name for i in reg.all_plugins() if info.name in i.requires],
        "hooks": info.hooks,
        "error": info.error,
    }


@plugins_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_command(as_json: bool) -> None:
    """Installed plugins: version, enabled here, hooks implemented, load error."""
    plugins = [describe(info) for info in registry().all_plugins()]
    if as_json:
        click.echo(json.dumps(plugins, indent=2))
        return
    if not plugins:
        click.echo("No plugins installed.")
        return
    columns = ("name", "distribution", "version", "enabled", "hooks", "error")
    echo_table([c.upper() for c in columns], [[p[c] for c in columns] for p in plugins])


@plugins_group.command("info")
@click.argument("name")
def info_command(name: str) -> None:
    """Everything about one plugin, with its current settings."""
    info = registry().get(name)
    for key, value in describe(info).items():
        click.echo(f"{key}: {show(value)}")
    if info.loaded:
        _echo_settings(name)


@plugins_group.command("enable")
@click.argument("name")
def enable_command(name: str) -> None:
    """Run the plugin's migrations and switch it on for every worker."""
    if registry().is_enabled(name):
        click.echo(f"{name} is already enabled")
        return
    plugin_admin.enable_plugin(name)
    click.echo(f"Enabled {name}")


@plugins_group.command("disable")
@click.argument("name")
@click.option("--force", is_flag=True, help="Also disable the enabled plugins that need it.")
def disable_command(name: str, force: bool) -> None:
    """Switch a plugin off; all of its data is kept for when it is enabled again."""
    disabled = plugin_admin.disable_plugin(name, force=force)
    click.echo(f"Disabled {', '.join(disabled)}; their data is kept")


@plugins_group.command("config")
@click.argument("name")
@click.argument("pairs", nargs=-1, metavar="[KEY=VALUE]...")
def config_command(name: str, pairs: tuple[str, ...]) -> None:
    """Show a plugin's settings, or change them (the plugin's schema checks the values)."""
    if pairs:
        plugin_admin.configure_plugin(name, parse_pairs(pairs))
    _echo_settings(name)


def parse_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("a=1", "b=x=y")`` → ``{"a": "1", "b": "x=y"}``; values stay strings."""
    changes = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.ClickException(f"expected KEY=VALUE, got '{pair}'")
        changes[key.strip()] = value
    return changes


def _echo_settings(name: str) -> None:
    settings = plugin_settings(name)
    if not settings:
        click.echo(f"{name} has no settings")
    for key, value in sorted(settings.items()):
        click.echo(f"{key} = {value}")
