"""Alembic environments: one for core, one per plugin, each with its own version table.

A plugin keeps its migrations in ``<package>/migrations`` (an ``env.py`` calling
``run_environment()`` and a ``versions/`` folder) and owns the tables prefixed with its name,
so a disabled or uninstalled plugin never stands in the way of core migrations.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

from .extensions import db
from .models import CORE_TABLES
from .models.tickets import SUBJECT_TRGM_INDEX
from .plugins import registry
from .services.unit_of_work import writing

CORE_MIGRATIONS = Path(__file__).parent / "migrations"


def version_table(plugin: str | None) -> str:
    return "alembic_version" if plugin is None else f"alembic_version_{plugin}"


def owns_table(plugin: str | None, table_name: str) -> bool:
    """Whether a table belongs to core (``plugin`` None) or to the named plugin."""
    if plugin is None:
        return table_name in CORE_TABLES
    return table_name.startswith(f"{plugin}_")


def migrations_folder(app: Flask, plugin: str | None) -> Path | None:
    """Where the environment lives; None for a plugin that ships no migrations."""
    if plugin is None:
        return CORE_MIGRATIONS
    folder = registry(app).get(plugin).path / "migrations"
    return folder if (folder / "env.py").exists() else None


def alembic_config(app: Flask, plugin: str | None = None) -> Config | None:
    folder = migrations_folder(app, plugin)
    if folder is None:
        return None
    config = Config()
    config.set_main_option("script_location", str(folder))
    config.attributes["deskcore_plugin"] = plugin
    return config


def upgrade(app: Flask, plugin: str | None = None, revision: str = "heads") -> bool:
    """Upgrade one environment; False when a plugin has no migrations."""
    config = alembic_config(app, plugin)
    if config is None:
        return False
    with app.app_context():
        command.upgrade(config, revision)
    return True


def upgrade_plugin(app: Flask, plugin: str) -> bool:
    return upgrade(app, plugin)


def upgrade_all(app: Flask) -> list[str]:
    """Core first, then every enabled plugin in dependency order; returns what was upgraded."""
    from .services.plugin_admin import dependency_order

    upgrade(app)
    done = ["core"]
    with app.app_context():
        plugins = dependency_order(registry(app).enabled_names())
    for plugin in plugins:
        if upgrade(app, plugin):
            done.append(plugin)
    return done


def make_revision(app: Flask, plugin: str | None, message: str) -> str | None:
    """Autogenerate a revision for one environment; returns the new file's path."""
    config = alembic_config(app, plugin)
    if config is None:
        raise FileNotFoundError(f"plugin '{plugin}' has no migrations folder")
    with app.app_context():
        script = command.revision(config, message=message, autogenerate=True)
    return getattr(script, "path", None)


def differences(app: Flask, plugin: str | None = None) -> list:
    """What the database lacks or has extra compared with the models of one environment."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=_compare_options(plugin))
        return compare_metadata(context, db.metadata)


def _compare_options(plugin: str | None) -> dict:
    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == "table":
            return owns_table(plugin, name)
        # A trigram index the models create with raw DDL (see models/tickets.py).
        return not (type_ == "index" and name == SUBJECT_TRGM_INDEX)

    def render_item(type_, obj, autogen_context):
        # Migrations store plain column types; timezone handling lives in the model's type.
        if type_ == "type" and isinstance(obj, TypeDecorator):
            return f"sa.{obj.impl!r}"
        return False

    return {
        "include_object": include_object,
        "render_item": render_item,
        "compare_type": True,
        "render_as_batch": True,
        "version_table": version_table(plugin),
    }


def run_environment() -> None:
    """The body of every ``env.py``: migrate the tables of the environment being run."""
    from alembic import context

    plugin = context.config.attributes.get("deskcore_plugin")
    with db.engine.connect() as connection:
        _begin_writing(connection)
        context.configure(
            connection=connection, target_metadata=db.metadata, **_compare_options(plugin)
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


def _begin_writing(connection: Connection) -> None:
    """Begin the migration's transaction as a writer.

    On SQLite that takes the write lock up front (BEGIN IMMEDIATE): the migration waits for
    a busy worker's transaction instead of failing with "database is locked" because it read
    the version table before that worker committed.
    """
    token = writing.set(True)
    try:
        connection.begin()
    finally:
        writing.reset(token)
