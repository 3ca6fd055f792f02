"""``deskcore db``: run migrations, and write new ones for core or a plugin."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from .. import migrate
from ..plugins import registry

db_group = AppGroup("db", help="Database migrations.")


@db_group.command("upgrade")
def upgrade_command() -> None:
    """Upgrade core, then every enabled plugin in dependency order."""
    done = migrate.upgrade_all(current_app)
    click.echo(f"Upgraded: {', '.join(done)}")


@db_group.command("revision")
@click.option("--plugin", help="The plugin whose environment gets the revision (default: core).")
@click.option("-m", "--message", required=True, help="What the revision changes.")
def revision_command(plugin: str | None, message: str) -> None:
    """Autogenerate a migration from the difference between models and database."""
    if plugin is not None:
        info = registry().get(plugin)
        if not info.loaded:
            raise click.ClickException(f"plugin '{plugin}' failed to load: {info.error}")
        if migrate.migrations_folder(current_app, plugin) is None:
            raise click.ClickException(
                f"plugin '{plugin}' has no migrations folder: create {info.path / 'migrations'} "
                "(`deskcore plugin new` writes one)"
            )
    path = migrate.make_revision(current_app, plugin, message)
    click.echo(f"Wrote {path}")
